#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"
#include "core/triage/engine.h"

using namespace kefu;

// Classifying the text first and adding the store's signals later (as the import does on two
// threads) must give exactly what classifying with the signals gives.
TEST_CASE("apply_signals equals classifying with the signals") {
    auto engine = triage::Engine::load(Config{});
    std::ifstream in(std::string(KEFU_SOURCE_DIR) + "/tests/data/labelled_inquiries.tsv");
    std::string line;
    std::getline(in, line);
    std::vector<std::string> texts;
    while (std::getline(in, line)) {
        texts.push_back(std::string(text::split(line, '\t').back()));
    }
    texts.push_back(std::string(700, 'x') + " refund please, my account is locked and the parcel is late");
    REQUIRE(texts.size() > 100);
    const std::vector<triage::Signals> signals = {{false, 0, 1}, {true, 0, 1}, {false, 2, 1},
                                                  {true, 5, 4}, {false, 0, 3}, {true, 1, 2}};
    for (const auto& t : texts) {
        for (const auto& s : signals) {
            triage::Result direct = engine.classify({"", t}, s);
            triage::Result later = engine.classify({"", t}, {});
            engine.apply_signals(later, s);
            CAPTURE(t);
            CHECK(later.static_score == direct.static_score);
            CHECK(later.level == direct.level);
            REQUIRE(later.terms.size() == direct.terms.size());
            for (size_t i = 0; i < direct.terms.size(); ++i) {
                CHECK(later.terms[i].name == direct.terms[i].name);
                CHECK(later.terms[i].contribution == direct.terms[i].contribution);
                CHECK(later.terms[i].detail == direct.terms[i].detail);
            }
        }
    }
}
