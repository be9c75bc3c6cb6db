// Suggestions end to end on the labelled set tests/data/labelled_inquiries.tsv (columns: id,
// language, category, angry, text), as `kefu suggest` sees an imported inquiry: triage
// classifies the text (category, tags, language) and the top suggestion is compared with the
// row's labels. So the figures include triage's own mistakes, unlike test_replies_suggest.cpp,
// which gives the ranking the labelled category.
#include <doctest/doctest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/model.h"
#include "core/replies/library.h"
#include "core/replies/suggest.h"
#include "core/text.h"
#include "core/triage/engine.h"

namespace {

struct Row {
    std::string id;
    std::string language;
    kefu::Category category = kefu::Category::Other;
    std::string text;
};

// The rows of the labelled set, by its header's column names.
std::vector<Row> read_rows(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<Row> rows;
    std::string line;
    if (!std::getline(in, line)) {
        return rows;
    }
    std::map<std::string, size_t> col;
    size_t n = 0;
    for (std::string_view name : kefu::text::split(line, '\t')) {
        col[std::string(kefu::text::trim(name))] = n++;
    }
    for (const char* needed : {"id", "language", "category", "text"}) {
        REQUIRE_MESSAGE(col.count(needed) == 1, path << " has no column " << needed);
    }
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (kefu::text::trim(line).empty()) {
            continue;
        }
        std::vector<std::string_view> f = kefu::text::split(line, '\t');
        REQUIRE(f.size() >= col.size());
        Row r;
        r.id = std::string(f[col["id"]]);
        r.language = std::string(f[col["language"]]);
        auto c = kefu::parse_category(f[col["category"]]);
        REQUIRE_MESSAGE(c.has_value(), r.id << ": unknown category " << f[col["category"]]);
        r.category = *c;
        r.text = std::string(f[col["text"]]);
        rows.push_back(std::move(r));
    }
    return rows;
}

}  // namespace

TEST_CASE("replies: top suggestion after triage, on the labelled inquiries") {
    const std::string path = std::string(KEFU_SOURCE_DIR) + "/tests/data/labelled_inquiries.tsv";
    std::vector<Row> rows = read_rows(path);
    REQUIRE_MESSAGE(rows.size() >= 150, "cannot read enough rows from " << path);

    kefu::triage::Engine engine = kefu::triage::Engine::load(kefu::Config{});
    kefu::replies::Library library = kefu::replies::Library::builtin();
    size_t category_ok = 0;
    size_t language_ok = 0;
    size_t triage_ok = 0;
    std::map<std::string, std::pair<size_t, size_t>> by_language;  // category right, total
    for (const Row& r : rows) {
        kefu::triage::Result t = engine.classify({"", r.text});
        triage_ok += t.category == r.category ? 1 : 0;
        kefu::replies::Query q;
        q.body = r.text;
        q.category = t.category;
        q.tags = t.tags;
        q.language = t.language;
        auto s = kefu::replies::suggest(library, q, {}, kefu::replies::Values{}, 1);
        REQUIRE_MESSAGE(s.size() == 1, r.id);
        bool cat = s[0].tmpl->category == r.category;
        bool lang = s[0].language == r.language;
        category_ok += cat ? 1 : 0;
        language_ok += lang ? 1 : 0;
        auto& l = by_language[r.language];
        l.first += cat ? 1 : 0;
        ++l.second;
        if (!cat || !lang) {
            std::cout << "  " << r.id << " [" << kefu::to_string(r.category) << ", " << r.language
                      << "] triage " << kefu::to_string(t.category) << " → " << s[0].tmpl->id
                      << " (" << kefu::to_string(s[0].tmpl->category) << ", " << s[0].language
                      << ")\n";
        }
    }
    double n = static_cast<double>(rows.size());
    double category_rate = 100.0 * static_cast<double>(category_ok) / n;
    double language_rate = 100.0 * static_cast<double>(language_ok) / n;
    std::cout << "labelled inquiries: " << rows.size() << "; triage category right: "
              << triage_ok << "\n";
    std::cout << "top suggestion's category = label: " << category_ok << " (" << category_rate
              << "%)\n";
    for (const auto& [language, counts] : by_language) {
        std::cout << "  " << language << ": " << counts.first << "/" << counts.second << "\n";
    }
    std::cout << "top suggestion's language = label: " << language_ok << " (" << language_rate
              << "%)\n";
    CHECK(category_rate >= 90.0);
    CHECK(language_rate >= 98.0);
}
