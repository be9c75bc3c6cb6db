// Category accuracy on the labelled set of Chinese and English inquiries in
// tests/data/labelled_inquiries.tsv (columns: id, language, category, angry, text).
// The rules were not written from these sentences; this measures how well general
// vocabulary carries over to messages written independently of it.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/model.h"
#include "core/text.h"
#include "core/triage/engine.h"

namespace {

// Rows of a TSV file, split on tabs.
std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty()) {
            continue;
        }
        std::vector<std::string> row;
        for (std::string_view cell : kefu::text::split(line, '\t')) {
            row.emplace_back(cell);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// Prints a confusion matrix: one row per expected category, one column per predicted one.
void print_confusion(const std::string& title,
                     const std::map<std::string, std::map<std::string, int>>& counts) {
    std::vector<std::string> names;
    for (kefu::Category c : kefu::all_categories()) {
        names.emplace_back(kefu::to_string(c));
    }
    std::cout << title << " (rows: expected, columns: predicted)\n" << "           ";
    for (const std::string& n : names) {
        std::cout << kefu::text::pad_to_width(n.substr(0, 5), 6, true);
    }
    std::cout << "\n";
    for (const std::string& expected : names) {
        auto row = counts.find(expected);
        if (row == counts.end()) {
            continue;
        }
        std::cout << kefu::text::pad_to_width(expected, 11);
        for (const std::string& predicted : names) {
            auto cell = row->second.find(predicted);
            int n = cell == row->second.end() ? 0 : cell->second;
            std::cout << kefu::text::pad_to_width(n == 0 ? "." : std::to_string(n), 6, true);
        }
        std::cout << "\n";
    }
}

}  // namespace

TEST_CASE("triage: labelled Chinese and English inquiries, at least 90% right") {
    const std::string path = std::string(KEFU_SOURCE_DIR) + "/tests/data/labelled_inquiries.tsv";
    auto rows = read_tsv(path);
    REQUIRE_MESSAGE(rows.size() > 1, "cannot read " << path);
    const auto& header = rows[0];
    auto column = [&](std::string_view name) {
        for (size_t i = 0; i < header.size(); ++i) {
            if (header[i] == name) {
                return i;
            }
        }
        FAIL("no column " << name << " in " << path);
        return size_t{0};
    };
    const size_t c_id = column("id");
    const size_t c_language = column("language");
    const size_t c_category = column("category");
    const size_t c_angry = column("angry");
    const size_t c_text = column("text");

    kefu::triage::Engine engine = kefu::triage::Engine::load(kefu::Config{});
    std::map<std::string, std::map<std::string, int>> confusion;
    std::map<std::string, std::pair<int, int>> by_language;  // right, total
    int right = 0;
    int total = 0;
    int angry_found = 0;
    int angry_total = 0;
    int calm_flagged = 0;
    for (size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        REQUIRE_MESSAGE(row.size() > c_text, path << " row " << i + 1 << " has too few columns");
        auto expected = kefu::parse_category(row[c_category]);
        REQUIRE_MESSAGE(expected, "row " << row[c_id] << ": unknown category " << row[c_category]);
        auto result = engine.classify({"", row[c_text]});
        bool ok = result.category == *expected;
        right += ok ? 1 : 0;
        ++total;
        ++confusion[row[c_category]][std::string(kefu::to_string(result.category))];
        auto& lang = by_language[row[c_language]];
        lang.first += ok ? 1 : 0;
        ++lang.second;
        if (!ok) {
            std::cout << "  " << row[c_id] << ": expected " << row[c_category] << ", got "
                      << kefu::to_string(result.category) << "\n";
        }
        bool angry = std::any_of(result.terms.begin(), result.terms.end(), [](const auto& t) {
            return t.name == "anger" || t.name == "shouting";
        });
        if (row[c_angry] == "1") {
            ++angry_total;
            angry_found += angry ? 1 : 0;
        } else {
            calm_flagged += angry ? 1 : 0;
        }
    }
    print_confusion("labelled inquiries", confusion);
    double accuracy = 100.0 * right / total;
    std::cout << "category accuracy: " << right << "/" << total << " = " << accuracy << "%\n";
    for (const auto& [language, counts] : by_language) {
        std::cout << "  " << language << ": " << counts.first << "/" << counts.second << "\n";
    }
    std::cout << "anger/shouting signal: on " << angry_found << " of " << angry_total
              << " angry inquiries, on " << calm_flagged << " of " << total - angry_total
              << " calm ones\n";
    CHECK(total >= 150);
    CHECK(accuracy >= 90.0);
    // The tone signal should find most angry messages and almost never flag a calm one.
    CHECK(angry_found * 10 >= angry_total * 7);
    CHECK(calm_flagged * 20 <= total - angry_total);
}
