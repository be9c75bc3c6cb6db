// Placeholders and rendering, and the check of a template file's text.

#include <doctest/doctest.h>

#include <algorithm>

#include "core/config.h"
#include "core/error.h"
#include "core/replies/library.h"
#include "core/replies/placeholders.h"

using namespace kefu;
using namespace kefu::replies;

namespace {

Values values(std::initializer_list<std::pair<const char*, const char*>> list) {
    Values v;
    for (const auto& [k, val] : list) {
        v.set(k, val);
    }
    return v;
}

// The problems of one file's text, as "line:col message" strings without the file name.
std::vector<std::string> check(const std::string& toml) {
    std::vector<std::string> out;
    for (const Problem& p : Library::check_text(toml, "f.toml")) {
        REQUIRE(p.where.starts_with("f.toml:"));
        out.push_back(p.where.substr(7) + " " + p.message);
    }
    return out;
}

bool has(const std::vector<std::string>& problems, const std::string& start,
         const std::string& part) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
        return p.starts_with(start + " ") && p.find(part) != std::string::npos;
    });
}

}  // namespace

TEST_CASE("replies: placeholders, fallbacks and literal braces") {
    Values v = values({{"customer", "张伟"}, {"order_id", "E2024"}, {"empty", ""}});
    CHECK(render_body("{customer}，您好", v).text == "张伟，您好");
    CHECK(render_body("{salutation|亲}，您好", v).text == "亲，您好");
    CHECK(render_body("{customer|亲}，您好", v).text == "张伟，您好");
    CHECK(render_body("订单{order_id|}已发货", v).text == "订单E2024已发货");
    CHECK(render_body("订单{tracking_number|}已发货", v).text == "订单已发货");
    // An empty value counts as none: the fallback is used.
    CHECK(render_body("{empty|x}", v).text == "x");
    CHECK(render_body("{{customer}} is {customer}", v).text == "{customer} is 张伟");
    CHECK(render_body("{{}}", v).text == "{}");
    CHECK(render_body("a }} b {{ c", v).text == "a } b { c");

    Rendered r = render_body("单号{tracking_number}，{carrier}，再说一次{tracking_number}", v);
    CHECK(r.missing == std::vector<std::string>{"tracking_number", "carrier"});
    CHECK_FALSE(r.complete());
    CHECK(r.text == "单号{tracking_number}，{carrier}，再说一次{tracking_number}");

    // Malformed brace text is shown as it is.
    CHECK(render_body("a } b { c {Name} {x", v).text == "a } b { c {Name} {x");
}

TEST_CASE("replies: body syntax problems carry their offsets") {
    std::vector<SyntaxProblem> problems;
    parse_body("ok {name} } {{ {Bad} {x|y{z}", &problems);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].offset == 10);
    CHECK(problems[0].message.find("lone \"}\"") != std::string::npos);
    CHECK(problems[1].offset == 15);
    CHECK(problems[2].offset == 21);
    std::vector<SyntaxProblem> none;
    parse_body("{a} {b|} {c|fall back} {{ }}", &none);
    CHECK(none.empty());
}

TEST_CASE("replies: values come from config and the inquiry; names are used whole") {
    Config config;
    config.shop.name = "小米的店";
    config.shop.agent = "小米";
    config.placeholders["return_address"] = "上海市某路1号";
    config.placeholders["order_id"] = "from-config";
    Inquiry inquiry;
    inquiry.id = 42;
    inquiry.customer = "张伟";
    inquiry.order_id = "E20240104001";
    inquiry.product = "保温杯";
    Values v = values_for(config, &inquiry);
    CHECK(*v.get("shop") == "小米的店");
    CHECK(*v.get("signature") == "小米的店");  // the shop name when no signature is set
    CHECK(*v.get("agent") == "小米");
    CHECK(*v.get("return_address") == "上海市某路1号");
    CHECK(*v.get("order_id") == "E20240104001");  // the inquiry beats config
    CHECK(*v.get("inquiry_id") == "42");
    CHECK(*v.get("salutation") == "张伟");  // never cut to "伟" or "张"
    CHECK(v.get("received_date") == nullptr);

    Values with_salutation = values_for(config, &inquiry, "张老师");
    CHECK(*with_salutation.get("salutation") == "张老师");
    CHECK(*with_salutation.get("customer") == "张伟");

    Inquiry anonymous;
    Values nobody = values_for(Config{}, &anonymous);
    CHECK(nobody.get("salutation") == nullptr);
    CHECK(render_body("{salutation|亲}，您好！", nobody).text == "亲，您好！");
    config.shop.signature = "小米的店 客服小米";
    CHECK(*values_for(config, nullptr).get("signature") == "小米的店 客服小米");
}

TEST_CASE("replies: --set assignments and the missing-placeholder error") {
    CHECK(parse_assignment("tracking_number=SF123") ==
          std::pair<std::string, std::string>{"tracking_number", "SF123"});
    CHECK(parse_assignment("note=a=b") == std::pair<std::string, std::string>{"note", "a=b"});
    CHECK(parse_assignment("coupon_code=").second.empty());
    CHECK_THROWS_AS(parse_assignment("tracking_number"), Error);
    CHECK_THROWS_AS(parse_assignment("Bad-Name=1"), Error);
    try {
        parse_assignment("x");
    } catch (const Error& e) {
        CHECK(e.exit_code() == k_exit_usage);
    }

    Error e = missing_error("shipped-tracking", {"tracking_number", "shop"});
    CHECK(std::string(e.what()).find("{tracking_number}, {shop}") != std::string::npos);
    CHECK(e.where() == "template shipped-tracking");
    CHECK(e.hint().find("--set tracking_number=") != std::string::npos);
    CHECK(e.hint().find("[shop] name") != std::string::npos);
    CHECK(how_to_set("gift").find("[placeholders] gift") != std::string::npos);
}

TEST_CASE("replies: render refuses a language the template does not have") {
    Template t;
    t.id = "zh-only";
    t.bodies["zh"] = "好的";
    CHECK(render(t, "zh", Values{}).text == "好的");
    try {
        render(t, "en", Values{});
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.where() == "template zh-only");
        CHECK(e.why().find("zh") != std::string::npos);
    }
}

TEST_CASE("replies: the check reports every problem of a file with line and column") {
    std::vector<std::string> p = check(R"([[template]]
id = "Bad Id"
titel = "typo"
category = "shipping"
followup = "two days"
status_after = "closed"
vip_only = "yes"
[template.body]
zh = """
亲，您的订单{ordre_id}已经发货 } 啦
"""
cn = "x"

[[template]]
id = "ok"
title = "OK"
category = "other"
tags = "not-a-list"
[template.body]
zh = "中文{{ {shop} }}"
)");
    for (const std::string& s : p) {
        MESSAGE(s);
    }
    CHECK(has(p, "1:1", "has no \"title\""));
    CHECK(has(p, "2:6", "bad id \"Bad Id\""));
    CHECK(has(p, "3:1", "unknown key \"titel\""));
    CHECK(has(p, "4:12", "unknown category \"shipping\""));
    CHECK(has(p, "5:12", "bad followup \"two days\""));
    CHECK(has(p, "6:16", "bad status_after \"closed\""));
    CHECK(has(p, "7:12", "\"vip_only\" must be true or false"));
    CHECK(has(p, "8:1", "has no \"en\" body"));
    CHECK(has(p, "10:7", "unknown placeholder {ordre_id} (did you mean {order_id}?)"));
    CHECK(has(p, "10:22", "lone \"}\""));
    CHECK(has(p, "12:1", "body language \"cn\""));
    CHECK(has(p, "18:8", "\"tags\" must be a list of strings"));
    CHECK(has(p, "19:1", "has no \"en\" body"));
    CHECK(p.size() == 13);

    // Positions are in characters, and escapes in basic strings are followed.
    std::vector<std::string> q = check(
        "[[template]]\nid = \"x\"\ntitle = \"t\"\ncategory = \"other\"\n[template.body]\n"
        "zh = \"中文\\n\\u4e2d{nope}\"\nen = 'ok'\n");
    REQUIRE(q.size() == 1);
    CHECK(has(q, "6:17", "unknown placeholder {nope}"));

    // A syntax error is reported where the parser stopped.
    std::vector<std::string> r = check("[[template]]\nid = \"x\nx\"\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].starts_with("2:"));

    CHECK(has(check("title = \"t\"\n"), "1:1", "unknown key \"title\""));
    CHECK(has(check(""), "1:1", "no [[template]] entries"));
    CHECK(has(check("[template]\nid = \"x\"\n"), "1:1", "[[template]] entries"));
}

TEST_CASE("replies: a file declares its languages and may use names of its own") {
    std::string zh_only = R"(languages = ["zh"]
[[template]]
id = "gift"
title = "送小礼物"
category = "other"
placeholders = ["gift"]
[template.body]
zh = "送您一个{gift}，{shop|小店}感谢您！"
)";
    CHECK(check(zh_only).empty());
    std::vector<std::string> p = check(R"(languages = ["zh", "EN"]
[[template]]
id = "gift"
title = "送小礼物"
category = "other"
placeholders = ["Gift"]
[template.body]
zh = "送您一个{gift}"
EN = "x"
)");
    CHECK(has(p, "1:13", "bad language \"EN\""));
    CHECK(has(p, "6:16", "\"Gift\" is not a placeholder name"));
    CHECK(has(p, "8:11", "unknown placeholder {gift}"));
}
