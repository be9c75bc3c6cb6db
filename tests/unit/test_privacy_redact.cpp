// Personal data inside texts: what is found and masked, and what must be left alone (order
// numbers, tracking numbers, prices, dates).
#include <doctest/doctest.h>

#include "core/privacy/redact.h"

using namespace kefu::privacy;

namespace {
std::string masked(std::string_view s, const std::vector<std::string>& names = {}) {
    return Redactor(names).redact(s);
}
}  // namespace

TEST_CASE("redact: emails and phone numbers in their usual forms") {
    CHECK(masked("邮箱 lina.li@163.com 谢谢") == "邮箱 [email] 谢谢");
    CHECK(masked("mail me: Tom.Nguyen+shop@mail.example.co.uk.") == "mail me: [email].");
    CHECK(masked("电话13812345678") == "电话[phone]");
    CHECK(masked("电话 138-1234-5678，找我") == "电话 [phone]，找我");
    CHECK(masked("+86 138 1234 5678") == "[phone]");
    CHECK(masked("8613812345678") == "[phone]");
    CHECK(masked("座机 0571-88886666") == "座机 [phone]");
    CHECK(masked("call (503) 555-0123 or 503-555-0199") == "call [phone] or [phone]");
    CHECK(masked("UK: +44 20 7946 0958") == "UK: [phone]");
}

TEST_CASE("redact: numbers that are not personal stay") {
    for (std::string_view keep :
         {"订单号 2026110112345678。", "订单3412876501923746581", "订单号 261102-583920174650231",
          "顺丰单号SF1428765093321", "Tracking 9400 1118 9922 3344 5566 77", "item #186203459871",
          "order 10482, $48.00 twice", "11800能出吗", "2026-11-02 10:22",
          "税号：91330106MA2H3K5L7Q", "163cm 52kg", "11月1日在贵店买的", "原路退回", "我是国区账号",
          "十一号穿"}) {
        CHECK_MESSAGE(masked(keep) == keep, std::string(keep));
    }
}

TEST_CASE("redact: Chinese resident ID numbers") {
    CHECK(masked("身份证 11010519491231002X") == "身份证 [id number]");
    CHECK(masked("ID 440308199001011239 thanks") == "ID [id number] thanks");
    CHECK(masked("证件号码：330106198805201234") ==
          "证件号码：[id number]");  // check digit wrong, but named
    CHECK(masked("单号 330106198805201234") == "单号 330106198805201234");  // 18 digits, not an ID
    CHECK(masked("11010519491231002X5") == "11010519491231002X5");  // part of a longer number
}

TEST_CASE("redact: addresses, Chinese and English") {
    CHECK(
        masked("麻烦改成：\n浙江省杭州市西湖区文三路478号 华星时代广场B座1203，小鹿，手机号不变") ==
        "麻烦改成：\n[address]，小鹿，手机号不变");
    CHECK(masked("寄到上海市浦东新区世纪大道100号环球金融中心 58楼，谢谢") ==
          "寄到[address]，谢谢");
    CHECK(masked("地址：北京市朝阳区望京SOHO塔3，收件人王先生") == "地址：[address]，收件人王先生");
    CHECK(masked("送到广东省深圳市南山区科技园路1号") == "送到[address]");
    CHECK(masked("杭州市西湖区浙江路12号") == "[address]");
    CHECK(masked("Please ship to:\n1420 Maple Ave, Apt 3B\nPortland, OR 97205\nThanks") ==
          "Please ship to:\n[address]\n[address]\nThanks");
    CHECK(masked("LLC, 2150 Irving St, San Francisco, CA 94122") == "LLC, [address], [address]");
    CHECK(masked("flat 2, London SW1A 1AA") == "flat 2, London [address]");
    CHECK(masked("PO Box 4410, Austin") == "[address], Austin");
    CHECK(masked("I bought 2 of the speckled mugs") == "I bought 2 of the speckled mugs");
}

TEST_CASE("redact: the buyer's names and handles") {
    CHECK(masked("Thanks,\nEmma", {"Emma Wilson"}) == "Thanks,\n[name]");
    CHECK(masked("Emma Wilson here", {"Emma Wilson"}) == "[name] here");
    CHECK(masked("see you Tomorrow, Tom", {"Tom Nguyen"}) == "see you Tomorrow, [name]");
    CHECK(masked("李娜\n谢谢", {"李娜"}) == "[name]\n谢谢");
    CHECK(masked("I am olivia_m_uk on Vinted", {"olivia_m_uk"}) == "I am [name] on Vinted");
    // A name inside an email: one placeholder for the whole address.
    CHECK(masked("write to emma.wilson@outlook.com", {"Emma Wilson"}) == "write to [email]");
    // Too short to mask safely.
    CHECK(masked("王 is here", {"王"}) == "王 is here");
    size_t n = 0;
    CHECK(Redactor({"张伟"}).redact("张伟 13812345678 张伟", &n) == "[name] [phone] [name]");
    CHECK(n == 3);
    CHECK(Redactor().redact("nothing here", &n) == "nothing here");
    CHECK(n == 0);
}

TEST_CASE("redact: spans are found in order and never overlap") {
    std::string t = "a@b.cn 13812345678 浙江省杭州市西湖区文三路478号";
    auto spans = find_personal_data(t);
    REQUIRE(spans.size() == 3);
    CHECK(spans[0].kind == PiiKind::Email);
    CHECK(spans[1].kind == PiiKind::Phone);
    CHECK(spans[2].kind == PiiKind::Address);
    for (size_t i = 1; i < spans.size(); ++i) {
        CHECK(spans[i - 1].end <= spans[i].begin);
    }
    auto contacts = find_contacts(t);
    CHECK(contacts.size() == 2);
}
