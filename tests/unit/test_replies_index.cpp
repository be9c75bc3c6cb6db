// The library index: its postings and lengths are exactly the term frequencies of each
// template's keywords, title and bodies, computed here the plain way with tokenize().

#include <doctest/doctest.h>

#include <map>

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
        REQUIRE(index.docs[d].keywords.size() == t.keywords.size());
        for (size_t k = 0; k < t.keywords.size(); ++k) {
            CHECK(index.docs[d].keywords[k].form == match_form(t.keywords[k]));
            CHECK(index.docs[d].keywords[k].tokens ==
                  token_hashes(match_form(t.keywords[k]), false));
        }
        total += length;
    }
    CHECK(index.average_length == doctest::Approx(total / static_cast<double>(templates.size())));
    // The words of the last templates are among them: the test sees English stems too.
    CHECK(expected.count("refund") == 1);
    CHECK(expected.count("ship") == 1);
    CHECK(expected.count("退货") == 1);
    REQUIRE(index.postings.size() == expected.size());
    for (const auto& [term, postings] : expected) {
        INFO("term \"" << term << "\"");
        auto it = index.postings.find(term);
        REQUIRE(it != index.postings.end());
        REQUIRE(it->second.size() == postings.size());
        for (size_t p = 0; p < postings.size(); ++p) {
            CHECK(it->second[p].doc == postings[p].first);
            CHECK(it->second[p].weight == postings[p].second);
        }
    }
}
