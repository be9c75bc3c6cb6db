// Rules files: parsing, `rules check`, user overrides, and the [priority] part of config.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/config.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/triage/engine.h"
#include "core/triage/rules.h"

using kefu::Category;
using kefu::Config;
using kefu::triage::check_rules;
using kefu::triage::Engine;
using kefu::triage::parse_rules;
using kefu::triage::Problem;
using kefu::triage::RulesFile;

namespace {

bool has_problem(const std::vector<Problem>& problems, size_t line, std::string_view part) {
    return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
        return p.line == line && p.message.find(part) != std::string::npos;
    });
}

}  // namespace

TEST_CASE("rules: the built-in file is valid") {
    auto text = kefu::embedded::find("data/rules.toml");
    REQUIRE(text);
    auto problems = check_rules(*text, "data/rules.toml");
    INFO(kefu::triage::describe(problems));
    CHECK(problems.empty());
    CHECK(parse_rules(*text, "data/rules.toml").rules.size() > 40);
}

TEST_CASE("rules: a valid file is read with normalized keywords") {
    auto parsed = parse_rules(R"(
[[rule]]
id = "shop.refund"
category = "refund"
weight = 2.5
any = ["退貨", "ＲＥＦＵＮＤ*"]
none = ["不退"]
in = "body"
tags = ["return"]
score = { urgency = 1, presale = 0.5 }
goods = "physical"
)",
                              "user.toml");
    REQUIRE(parsed.problems.empty());
    REQUIRE(parsed.rules.size() == 1);
    const auto& r = parsed.rules[0];
    CHECK(r.id == "shop.refund");
    CHECK(r.category == Category::Refund);
    CHECK(r.weight == 2.5);
    REQUIRE(r.any.size() == 2);
    CHECK(r.any[0].text == "退货");
    CHECK(r.any[1].text == "refund");
    CHECK(r.any[1].prefix);
    CHECK(r.fields == kefu::triage::k_field_body);
    CHECK(r.score.size() == 2);
    CHECK(r.goods == kefu::GoodsKind::Physical);
    CHECK(r.where == "user.toml:2:1");
}

TEST_CASE("rules check: every problem of a broken file, with line and column") {
    const char* broken = R"(colour = "red"
[[rule]]
id = "a"
category = "refundz"
any = ["x", 3]
regex = '(?P<order_id>\d+'
[[rule]]
id = "a"
any = ["y"]
category = "order"
wieght = 2
[[rule]]
category = "order"
any = "not a list"
[[rule]]
id = "b"
category = "order"
score = { anger = "high", vip = 1 }
regex = '(?P<colour>\w+)'
in = "footer"
[[rule]]
id = "c"
any = ["z"]
[[rule]]
id = "d e"
category = "order"
all = ["mid*dle"]
)";
    auto problems = check_rules(broken, "bad.toml");
    INFO(kefu::triage::describe(problems));
    CHECK(problems.size() == 15);
    CHECK(has_problem(problems, 1, "unknown key \"colour\""));
    CHECK(has_problem(problems, 4, "unknown category \"refundz\""));
    CHECK(has_problem(problems, 5, "not a string"));
    CHECK(has_problem(problems, 6, "bad regex"));
    CHECK(has_problem(problems, 8, "duplicate rule id \"a\""));
    CHECK(has_problem(problems, 11, "unknown key \"wieght\""));
    CHECK(has_problem(problems, 12, "no \"id\""));
    CHECK(has_problem(problems, 14, "must be a list of strings"));
    CHECK(has_problem(problems, 18, "must be a number"));
    CHECK(has_problem(problems, 18, "computed by kefu"));
    CHECK(has_problem(problems, 19, "unknown field \"colour\""));
    CHECK(has_problem(problems, 20, "\"in\" must be"));
    CHECK(has_problem(problems, 21, "has no effect"));
    CHECK(has_problem(problems, 25, "bad rule id"));
    CHECK(has_problem(problems, 27, "'*' may only end"));
    // Every problem names the file, line and column; they come in file order.
    for (const Problem& p : problems) {
        CHECK(p.where.starts_with("bad.toml:" + std::to_string(p.line) + ":"));
    }
    CHECK(std::is_sorted(problems.begin(), problems.end(),
                         [](const Problem& a, const Problem& b) { return a.line < b.line; }));
}

TEST_CASE("rules check: a TOML syntax error is reported with its position") {
    auto problems = check_rules("[[rule]]\nid = \"x\nany = []\n", "syntax.toml");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == 2);
    CHECK(problems[0].where.starts_with("syntax.toml:2:"));
}

TEST_CASE("engine: a bad user rules file fails to load, naming the first problem and the count") {
    RulesFile user{"/home/me/.config/kefu/rules.toml",
                   "[[rule]]\nid = \"x\"\ncategory = \"nope\"\nany = [\"a\"]\n"
                   "[[rule]]\nid = \"y\"\nany = [\"b\"]\nregex = '('\n"};
    try {
        (void)Engine::load(Config{}, user);
        FAIL("load should have thrown");
    } catch (const kefu::Error& e) {
        INFO(e.what());
        CHECK(e.where() == user.path + ":3:12");
        CHECK(std::string(e.what_part()).find("2 problems") != std::string::npos);
        CHECK(e.why().find("unknown category") != std::string::npos);
        CHECK(e.why().find("(and 1 more)") != std::string::npos);
        CHECK(e.hint() == "run `kefu rules check " + user.path + "` to see each problem");
    }
    // kefu rules check lists each of them with its place.
    auto problems = check_rules(user.text, user.path);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].where == user.path + ":3:12");
    CHECK(problems[1].where == user.path + ":8:9");
}

TEST_CASE("engine: user rules override a built-in id, add new ones, switch some off") {
    Engine builtin = Engine::load(Config{});
    auto before = builtin.classify({"", "我要退货"});
    CHECK(before.category == Category::Refund);

    RulesFile user{"user.toml", R"(
[[rule]]
id = "refund.return"
category = "other"
weight = 9
any = ["退货"]
tags = ["custom-return"]

[[rule]]
id = "shop.lipstick"
category = "product"
weight = 3
any = ["色号"]
score = { presale = 2 }

[[rule]]
id = "tone.bad"
enabled = false
)"};
    Config config = Config::parse("[priority]\npresale = 0.25\n", "config.toml");
    Engine engine = Engine::load(config, user);
    auto after = engine.classify({"", "我要退货"});
    CHECK(after.category == Category::Other);
    CHECK(std::find(after.tags.begin(), after.tags.end(), "custom-return") != after.tags.end());
    // The built-in rule with that id is gone, not merely outvoted.
    for (const auto& f : after.fired) {
        CHECK(f.rule_id != "tone.bad");
    }
    auto lipstick = engine.classify({"", "这个色号适合黄皮吗"});
    CHECK(lipstick.category == Category::Product);
    auto term = std::find_if(lipstick.terms.begin(), lipstick.terms.end(),
                             [](const auto& t) { return t.name == "presale"; });
    REQUIRE(term != lipstick.terms.end());
    CHECK(term->raw == 2);
    CHECK(term->coefficient == 0.25);
    CHECK(term->contribution == 0.5);
    // Rules keep their order: the replaced rule where it was, new ones at the end.
    const auto& rules = engine.rules();
    CHECK(rules.back().id == "shop.lipstick");
    CHECK(std::none_of(rules.begin(), rules.end(),
                       [](const auto& r) { return r.id == "tone.bad"; }));
}

TEST_CASE("engine: an unknown [priority] key is an error naming it and the file") {
    Config config = Config::parse("[priority]\nangr = 5\n", "/etc/kefu/config.toml");
    try {
        (void)Engine::load(config);
        FAIL("load should have thrown");
    } catch (const kefu::Error& e) {
        CHECK(e.where() == "/etc/kefu/config.toml");
        CHECK(e.why().find("priority.angr") != std::string::npos);
        CHECK(e.why().find("anger") != std::string::npos);  // the known names are listed
    }
    // Known keys, and a term that only a rule defines, are accepted.
    CHECK_NOTHROW((void)Engine::load(Config::parse("[priority]\nanger = 8\nage = 2\n", "c")));
}

TEST_CASE("engine: level thresholds must be in order") {
    Config config = Config::parse("[priority.levels]\nurgent = 5\n", "config.toml");
    CHECK_THROWS_AS((void)Engine::load(config), kefu::Error);
    Config ok = Config::parse("[priority.levels]\nurgent = 20\nhigh = 10\nnormal = 1\n", "c");
    Engine engine = Engine::load(ok);
    CHECK(engine.level(25) == "urgent");
    CHECK(engine.level(10) == "high");
    CHECK(engine.level(9.9) == "normal");
    CHECK(engine.level(0.5) == "low");
}
