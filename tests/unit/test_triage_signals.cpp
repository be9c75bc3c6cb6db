#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
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

namespace {

// Texts that fire many rules: the labelled set, each also as subject, and a few built to hit
// captures, goods kinds, shouting, long messages and several categories at once.
std::vector<std::pair<std::string, std::string>> scoring_texts() {
    std::ifstream in(std::string(KEFU_SOURCE_DIR) + "/tests/data/labelled_inquiries.tsv");
    std::string line;
    std::getline(in, line);
    std::vector<std::pair<std::string, std::string>> texts;
    while (std::getline(in, line)) {
        std::string text(text::split(line, '\t').back());
        texts.emplace_back("", text);
        texts.emplace_back(text, "");
    }
    texts.emplace_back("订单号 E20240104001", "运单号 SF1234567890 还没到，退款！！！");
    texts.emplace_back("ORDER #AB123456 NOT RECEIVED",
                       "TRACKING NUMBER 1Z9999999999 SAYS DELIVERED");
    texts.emplace_back("激活码", "卡密无效，充值失败，要投诉，12315");
    texts.emplace_back("", std::string(700, 'x') + " refund please, my account is locked and the "
                                                   "parcel is late, terrible, urgent");
    texts.emplace_back("", "");
    return texts;
}

// Everything classify() stores, as score() and apply_signals() give it, compared with
// classify(input, signals) for several signals.
void check_scoring(const triage::Engine& engine) {
    const std::vector<triage::Signals> signals = {{false, 0, 1}, {true, 0, 1}, {false, 2, 1},
                                                  {true, 5, 4}, {false, 0, 3}, {true, 1, 2}};
    size_t fired = 0;
    for (const auto& [subject, body] : scoring_texts()) {
        for (GoodsKind goods : {GoodsKind::Unknown, GoodsKind::Physical}) {
            triage::Input input{subject, body, goods};
            triage::Scored scored = engine.score(input);
            triage::Result plain = engine.classify(input);
            CAPTURE(subject);
            CAPTURE(body);
            CHECK(scored.static_score == plain.static_score);
            fired += plain.fired.size();
            for (const auto& s : signals) {
                triage::Result direct = engine.classify(input, s);
                engine.apply_signals(scored, s);
                CHECK(scored.category == direct.category);
                CHECK(scored.tags == direct.tags);
                CHECK(scored.captures == direct.captures);
                CHECK(scored.goods_kind == direct.goods_kind);
                CHECK(scored.language == direct.language);
                CHECK(scored.static_score == direct.static_score);
            }
        }
    }
    CHECK(fired > 200);  // the texts did make the rules fire
}

}  // namespace

TEST_CASE("score and apply_signals store exactly what classify gives") {
    check_scoring(triage::Engine::load(Config{}));
}

TEST_CASE("score equals classify with user terms, caps and coefficients") {
    // Terms fed by rules (listed after the goods terms), amounts past the caps, negative
    // amounts, a goods kind from a rule and coefficients from config.
    const std::string rules = R"(
[[rule]]
id = "user.rush"
category = "logistics"
weight = 2
any = ["快", "fast", "urgent", "退款"]
score = { rush = 1.5, urgency = 3, anger = 0.25 }
tags = ["rush"]

[[rule]]
id = "user.calm"
any = ["谢谢", "thanks", "please"]
score = { anger = -2, politeness = 0.1 }

[[rule]]
id = "user.code"
any = ["激活码", "卡密", "code"]
goods = "virtual"
score = { rush = 0.3 }
)";
    Config config = Config::parse("[priority]\nrush = 0.7\nvip = 3.3\ndifficulty = 1.1\n"
                                  "goods_physical = 0.4\n", "config.toml");
    auto engine = triage::Engine::load(config, triage::RulesFile{"user-rules.toml", rules});
    check_scoring(engine);
}
