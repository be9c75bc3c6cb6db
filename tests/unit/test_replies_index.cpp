// The library index: its postings and lengths are exactly the term frequencies of each
// template's keywords, title and bodies, computed here the plain way with tokenize().

#include <doctest/doctest.h>

#include <map>
#include <span>
#include <vector>

#include "core/replies/index.h"
#include "core/replies/library.h"
#include "core/replies/tokens.h"

using namespace kefu;
using namespace kefu::replies;

TEST_CASE("replies index: postings are the weighted term frequencies of every template") {
    Template mixed;
    mixed.id = "mixed";
    mixed.title = "Refunds REFUNDED 退貨";
    mixed.category = Category::Refund;
    mixed.keywords = {"refunding now", "没有收到", "shipping shipped ships"};
    mixed.bodies = {{"en", "Hello {salutation|there}, your refund of order 123456 is issued. "
                           "Arrived? Arriving! Boxes and watches."},
                    {"zh", "{salutation|亲}，退款已经原路退回，"
                           "请注意查收退款。"}};
    Template other = mixed;
    other.id = "other";
    other.title = "Other words entirely";
    other.keywords = {"完全不同"};
    std::vector<Template> templates = Library::builtin().all();
    templates.push_back(mixed);
    templates.push_back(other);
    Library lib = Library::from_templates(templates);
    const LibraryIndex& index = lib.index();
    REQUIRE(index.docs.size() == templates.size());

    std::map<std::string, std::vector<std::pair<size_t, double>>> expected;
    double total = 0;
    for (size_t d = 0; d < templates.size(); ++d) {
        const Template& t = templates[d];
        std::map<std::string, double> tf;
        double length = 0;
        auto add = [&](const std::string& text, double weight) {
            for (const std::string& token : tokenize(text)) {
                tf[token] += weight;
                length += weight;
            }
        };
        for (const std::string& k : t.keywords) {
            add(k, k_keyword_weight);
        }
        add(t.title, k_title_weight);
        for (const auto& [lang, body] : t.bodies) {
            add(body, k_body_weight);
        }
        for (const auto& [token, weight] : tf) {
            expected[token].emplace_back(d, weight);
        }
        CHECK(index.docs[d].length == length);
        REQUIRE(index.keywords_of(d).size() == t.keywords.size());
        for (size_t k = 0; k < t.keywords.size(); ++k) {
            const KeywordEntry& entry = index.keywords_of(d)[k];
            CHECK(index.form(entry) == match_form(t.keywords[k]));
            std::span<const uint64_t> tokens = index.tokens_of(entry);
            CHECK(std::vector<uint64_t>(tokens.begin(), tokens.end()) ==
                  token_hashes(match_form(t.keywords[k]), false));
        }
        total += length;
    }
    CHECK(index.average_length == doctest::Approx(total / static_cast<double>(templates.size())));
    // The words of the last templates are among them: the test sees English stems too.
    CHECK(expected.count("refund") == 1);
    CHECK(expected.count("ship") == 1);
    CHECK(expected.count("退货") == 1);
    REQUIRE(index.terms.size() == expected.size());
    CHECK(index.consistent());
    size_t postings = 0;
    for (const auto& [term, list] : expected) {
        INFO("term \"" << term << "\"");
        std::span<const Posting> found = index.find(term);
        REQUIRE(found.size() == list.size());
        for (size_t p = 0; p < list.size(); ++p) {
            CHECK(found[p].doc == list[p].first);
            CHECK(found[p].weight == list[p].second);
        }
        postings += list.size();
    }
    CHECK(index.postings.size() == postings);
    CHECK(index.find("不在任何模板里的词").empty());
    CHECK(index.find("").empty());
}

TEST_CASE("replies index: a damaged index is not consistent") {
    Library lib = Library::builtin();
    REQUIRE(lib.index().consistent());
    auto damaged = [&](auto&& change) {
        LibraryIndex copy = lib.index();
        change(copy);
        return !copy.consistent();
    };
    CHECK(damaged([](LibraryIndex& i) { i.docs.back().keywords_count += 1000; }));
    CHECK(damaged([](LibraryIndex& i) { i.keywords.back().form_at = 1u << 30; }));
    CHECK(damaged([](LibraryIndex& i) { i.keywords.back().tokens_count += 1; }));
    CHECK(damaged([](LibraryIndex& i) { i.terms.back().count += 1; }));
    CHECK(damaged([](LibraryIndex& i) { std::swap(i.terms.front(), i.terms.back()); }));
    CHECK(damaged([](LibraryIndex& i) { i.postings.back().doc = i.docs.size(); }));
    CHECK(damaged([](LibraryIndex& i) { i.text.clear(); }));
}
