// The triage engine: categories, signals, priority terms, ranking, captures, age.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "core/store/captures.h"
#include "core/triage/engine.h"
#include "core/triage/priority.h"

using kefu::Category;
using kefu::Config;
using kefu::GoodsKind;
using kefu::triage::Engine;
using kefu::triage::Result;
using kefu::triage::Signals;

namespace {

const Engine& engine() {
    static const Engine k_engine = Engine::load(Config{});
    return k_engine;
}

const kefu::triage::Term* term(const Result& r, std::string_view name) {
    auto it = std::find_if(r.terms.begin(), r.terms.end(),
                           [&](const auto& t) { return t.name == name; });
    return it == r.terms.end() ? nullptr : &*it;
}

bool fired(const Result& r, std::string_view rule) {
    return std::any_of(r.fired.begin(), r.fired.end(),
                       [&](const auto& f) { return f.rule_id == rule; });
}

}  // namespace

TEST_CASE("engine: categories of typical inquiries") {
    struct Case {
        const char* text;
        Category expected;
    };
    const Case cases[] = {
        {"请问这款有现货吗？", Category::Product},
        {"Is this available in size M?", Category::Product},
        {"我拍错了，帮我取消订单", Category::Order},
        {"Can I change the shipping address on my order?", Category::Order},
        {"快递到哪了，三天没更新物流", Category::Logistics},
        {"Where is my package? Tracking shows nothing.", Category::Logistics},
        {"付款一直失败怎么办", Category::Payment},
        {"I was charged twice for the same order", Category::Payment},
        {"收到的杯子碎了，我要退款", Category::Refund},
        {"The mug arrived broken, I want a refund", Category::Refund},
        {"账号登录不上，验证码收不到", Category::Account},
        {"I forgot my password and can't log in", Category::Account},
        {"激活码用不了，提示已被使用", Category::Technical},
        {"The download link doesn't work", Category::Technical},
        {"你们这是欺诈，我要投诉到12315", Category::Complaint},
        {"This is a scam, I'm filing a chargeback", Category::Complaint},
        {"谢谢", Category::Other},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        CHECK(engine().classify({"", c.text}).category == c.expected);
    }
}

TEST_CASE("engine: the subject counts too, and `in` limits a rule to one field") {
    auto r = engine().classify({"退款申请", "你好"});
    CHECK(r.category == Category::Refund);
    auto en = engine().classify({"Refund request", ""});
    CHECK(en.category == Category::Refund);
    CHECK(en.language == "en");
}

TEST_CASE("engine: terms add up to the total exactly, each with its reason") {
    Signals s{true, 2, 3};
    auto r = engine().classify(
        {"急", "你们是骗子！！！退款到现在还没到账，我要投诉，今天必须处理"}, s);
    double sum = 0;
    for (const auto& t : r.terms) {
        CHECK(t.contribution == t.raw * t.coefficient);
        CHECK_FALSE(t.detail.empty());
        sum += t.contribution;
    }
    CHECK(sum == r.static_score);
    REQUIRE(term(r, "anger") != nullptr);
    CHECK(term(r, "anger")->detail.find("tone.threat") != std::string::npos);
    CHECK(term(r, "anger")->detail.find("投诉") != std::string::npos);
    CHECK(term(r, "urgency") != nullptr);
    CHECK(term(r, "vip") != nullptr);
    REQUIRE(term(r, "repeat") != nullptr);
    CHECK(term(r, "repeat")->raw == 4);  // 2 other open inquiries + 2 earlier messages
    CHECK(term(r, "difficulty") != nullptr);
    // Raw values stay within their caps.
    for (const auto& t : r.terms) {
        double cap = kefu::triage::raw_cap(t.name);
        if (cap >= 0) {
            CHECK(t.raw <= cap);
        }
    }
    CHECK(r.level == engine().level(r.static_score));
}

TEST_CASE("engine: an angry or threatening message ranks above a polite one") {
    auto polite = engine().classify({"", "您好，我的快递好几天没有更新了，麻烦帮忙查一下，谢谢"});
    auto angry = engine().classify({"", "快递几天都不动了，到底怎么回事？？太过分了，气死我了！"});
    CHECK(polite.category == Category::Logistics);
    CHECK(angry.category == Category::Logistics);
    CHECK(angry.static_score > polite.static_score);
    CHECK(term(angry, "anger") != nullptr);
    CHECK(term(polite, "anger") == nullptr);

    auto polite_en =
        engine().classify({"", "Hi, could you let me know where my parcel is? Thanks"});
    auto angry_en =
        engine().classify({"", "WHERE IS MY PARCEL?? THIS IS RIDICULOUS, I AM SICK OF WAITING"});
    CHECK(polite_en.category == Category::Logistics);
    CHECK(angry_en.category == Category::Logistics);
    CHECK(angry_en.static_score > polite_en.static_score);
    CHECK(term(angry_en, "shouting") != nullptr);

    // A threat to complain is an escalation: a complaint, and the most urgent of the three.
    auto threat = engine().classify({"", "快递几天都不动，再不处理我就投诉到平台，给差评！"});
    CHECK(threat.category == Category::Complaint);
    CHECK(threat.static_score > angry.static_score);
}

TEST_CASE("engine: VIP and repeat contact rank higher") {
    const char* text = "请问这个什么时候发货";
    auto plain = engine().classify({"", text});
    auto vip = engine().classify({"", text}, Signals{true, 0, 1});
    auto repeat = engine().classify({"", text}, Signals{false, 1, 2});
    CHECK(vip.static_score > plain.static_score);
    CHECK(repeat.static_score > plain.static_score);
    CHECK(term(plain, "vip") == nullptr);
}

TEST_CASE("engine: age rises toward the SLA and is bounded") {
    Config config = Config::parse("[sla]\nfirst_response = \"24h\"\n"
                                  "[sla.first_response_by_level]\nurgent = \"2h\"\n",
                                  "config.toml");
    Engine e = Engine::load(config);
    const kefu::TimePoint received = 1'700'000'000;
    const kefu::TimePoint hour = 3600;
    auto r = e.classify({"", "杯子碎了要退款"});
    double fresh = r.static_score + e.age_score(received, received, r.level);
    double waiting = r.static_score + e.age_score(received, received + 20 * hour, r.level);
    CHECK(waiting > fresh);
    CHECK(e.age_score(received, received + 10 * hour, "normal") <
          e.age_score(received, received + 20 * hour, "normal"));
    // The bound holds however long an inquiry waits, and is reached.
    double bound = e.max_age_contribution();
    CHECK(bound == kefu::triage::k_age_raw_max * 4.0);
    CHECK(e.age_score(received, received + 1000 * hour, "normal") == bound);
    CHECK(e.age_score(received, received - hour, "normal") == 0);
    // The SLA of the level: 2 hours for urgent, so an urgent inquiry ages faster.
    CHECK(e.age_score(received, received + 2 * hour, "urgent") >
          e.age_score(received, received + 2 * hour, "normal"));
    auto t = e.age_term(received, received + 20 * hour, "normal");
    CHECK(t.name == "age");
    CHECK(t.contribution == t.raw * t.coefficient);
    CHECK(t.contribution == e.age_score(received, received + 20 * hour, "normal"));
    CHECK(t.detail.find("20h") != std::string::npos);
    // A negative age coefficient never raises the score: the bound is 0.
    Engine negative = Engine::load(Config::parse("[priority]\nage = -1\n", "c"));
    CHECK(negative.max_age_contribution() == 0);
}

TEST_CASE("engine: coefficients come from config") {
    Engine e = Engine::load(Config::parse("[priority]\nvip = 10\ncategory_refund = 0\n", "c"));
    auto r = e.classify({"", "我要退款"}, Signals{true, 0, 1});
    REQUIRE(term(r, "vip") != nullptr);
    CHECK(term(r, "vip")->contribution == 10);
    // The category term is listed even with a coefficient of 0.
    REQUIRE(term(r, "category_refund") != nullptr);
    CHECK(term(r, "category_refund")->contribution == 0);
    auto coefficients = e.coefficients();
    CHECK(std::find(coefficients.begin(), coefficients.end(),
                    std::pair<std::string, double>{"vip", 10}) != coefficients.end());
}

TEST_CASE("engine: captures fill the order id and tracking number, keeping their case") {
    auto r = engine().classify({"", "订单号：E2024010400123，快递单号 SF1234567890 一直不动"});
    CHECK(r.captures["order_id"] == "E2024010400123");
    CHECK(r.captures["tracking_number"] == "SF1234567890");
    CHECK(r.category == Category::Logistics);
    auto en = engine().classify({"", "Hi, my order number is 1135426177 and it hasn't arrived"});
    CHECK(en.captures["order_id"] == "1135426177");
    auto full_width = engine().classify({"", "訂單號：１２３４５６７８"});
    CHECK(full_width.captures["order_id"] == "12345678");
    auto none = engine().classify({"", "我的订单什么时候发货"});
    CHECK_FALSE(none.captures.contains("order_id"));
}

TEST_CASE("engine: goods kind from the import wins over words") {
    auto words = engine().classify({"", "激活码用不了"});
    CHECK(words.goods_kind == GoodsKind::Virtual);
    CHECK(term(words, "goods_virtual") != nullptr);
    auto column = engine().classify({"", "激活码用不了", GoodsKind::Physical});
    CHECK(column.goods_kind == GoodsKind::Physical);
    CHECK(term(column, "goods_virtual") == nullptr);
    auto parcel = engine().classify({"", "包裹什么时候到"});
    CHECK(parcel.goods_kind == GoodsKind::Physical);
}

TEST_CASE("engine: fired rules name the words they fired on") {
    auto r = engine().classify({"", "退貨！ＲＥＦＵＮＤ please"});
    CHECK(r.category == Category::Refund);
    REQUIRE(fired(r, "refund.return"));
    REQUIRE(fired(r, "refund.money"));
    for (const auto& f : r.fired) {
        if (f.rule_id == "refund.return") {
            CHECK(f.matched == std::vector<std::string>{"退货"});
        }
        if (f.rule_id == "refund.money") {
            CHECK(f.matched == std::vector<std::string>{"refund*"});
        }
    }
    CHECK(r.language == "zh");
}

TEST_CASE("engine: tags from rules, sorted and unique") {
    auto r = engine().classify({"", "急急急！今天必须发货，不然我投诉"});
    CHECK(std::is_sorted(r.tags.begin(), r.tags.end()));
    CHECK(std::adjacent_find(r.tags.begin(), r.tags.end()) == r.tags.end());
    CHECK(std::find(r.tags.begin(), r.tags.end(), "urgent") != r.tags.end());
    CHECK(std::find(r.tags.begin(), r.tags.end(), "threat") != r.tags.end());
}

TEST_CASE("engine: odd input does not break it") {
    CHECK(engine().classify({"", ""}).category == Category::Other);
    CHECK(engine().classify({"", "\xFF\xFE\x80 退款 \xE4"}).category == Category::Refund);
    std::string huge(200000, 'a');
    huge += " refund";
    auto r = engine().classify({"", huge});
    CHECK(r.category == Category::Refund);
    REQUIRE(term(r, "difficulty") != nullptr);
    CHECK(term(r, "difficulty")->detail.find("long message") != std::string::npos);
}

TEST_CASE("engine: the captured values are stored and read back") {
    auto r = engine().classify({"急", "订单号 E123456789 运单号 SF1234567890 退款还没到账，我要投诉！！！"},
                               Signals{true, 1, 2});
    REQUIRE(r.captures.count("order_id") == 1);
    REQUIRE(r.captures.count("tracking_number") == 1);
    std::string record = kefu::captures_record(r.captures);
    auto back = kefu::captures_from_record(record);
    // order_id has a column of its own; every other capture comes back as it was.
    auto expected = r.captures;
    expected.erase("order_id");
    CHECK(back == expected);
    CHECK(back.at("tracking_number") == r.captures.at("tracking_number"));
    CHECK(kefu::captures_record({{"order_id", "E123456789"}}).empty());
    CHECK(kefu::captures_from_record("").empty());
    CHECK(kefu::captures_from_record("not json").empty());
    CHECK(kefu::captures_from_record("[1, 2]").empty());
}
