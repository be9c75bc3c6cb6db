// parse_message over small messages written for these tests: MIME structure, transfer
// encodings, charsets, HTML bodies, quoted replies, attachments and broken input.
#include <doctest/doctest.h>

#include <string>

#include "core/error.h"
#include "core/mail/message.h"

using kefu::mail::Message;
using kefu::mail::parse_message;

namespace {

Message parse(const std::string& raw) {
    return parse_message(raw, "test.eml");
}

bool has_note(const Message& m, std::string_view part) {
    for (const std::string& n : m.notes) {
        if (n.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("mail message: headers, ids and threading") {
    Message m = parse(
        "Message-ID: <abc.123@shop.example>\n"
        "In-Reply-To: <parent@x.example> (sent earlier)\n"
        "References: <root@x.example>\n <parent@x.example>\n"
        "Date: Thu, 4 Jan 2024 09:16:06 +0800\n"
        "From: \"Wang, Li\" <Wang.Li@Example.COM>\n"
        "To: shop@example.com, =?UTF-8?B?5a6i5pyN?= <kf@example.com>\n"
        "Subject: Re: =?UTF-8?B?6YCA5qy+?=\n"
        "\n"
        "Hello\n");
    CHECK(m.message_id == "abc.123@shop.example");
    CHECK(m.in_reply_to == "parent@x.example");
    REQUIRE(m.references.size() == 2);
    CHECK(m.references[0] == "root@x.example");
    CHECK(m.references[1] == "parent@x.example");
    REQUIRE(m.date.has_value());
    CHECK(*m.date == 1704330966);  // 2024-01-04T01:16:06Z
    CHECK(m.from_name == "Wang, Li");
    CHECK(m.from_address == "wang.li@example.com");
    CHECK(m.to == "shop@example.com, 客服 <kf@example.com>");
    CHECK(m.subject == "Re: 退款");
    CHECK(m.subject_normalized == "退款");
    CHECK(m.body_full == "Hello");
    CHECK(m.body == "Hello");
    CHECK_FALSE(m.had_replacement);
}

TEST_CASE("mail message: quoted-printable body") {
    Message m = parse(
        "Subject: qp\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "\n"
        "caf=C3=A9 au lait, a very long line that was wrapped by the =\n"
        "sender =E9=80=80=E6=AC=BE\n");
    CHECK(m.body_full == "café au lait, a very long line that was wrapped by the sender 退款");
}

TEST_CASE("mail message: base64 body in GB2312 with a GBK-only character") {
    // "张喆：请问什么时候发货" in GBK, base64; 喆 is not in GB2312.
    Message m = parse(
        "Subject: =?gb2312?B?1cWGtA==?=\n"
        "Content-Type: text/plain; charset=\"gb2312\"\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "1cWGtKO6x+vOysqyw7TKsbry t6K79Q==\n");
    CHECK(m.subject == "张喆");
    CHECK(m.body_full == "张喆：请问什么时候发货");
    CHECK_FALSE(m.had_replacement);
    CHECK(has_note(m, "charset gb2312 read as GB18030"));
}

TEST_CASE("mail message: 8-bit GBK body without a charset label") {
    Message m = parse(
        "Subject: \xb6\xa9\xb5\xa5\n"
        "Content-Type: text/plain\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        "\xc7\xeb\xce\xca\xca\xb2\xc3\xb4\xca\xb1\xba\xf2\xb7\xa2\xbb\xf5\n");
    CHECK(m.body_full == "请问什么时候发货");
    CHECK(m.subject == "订单");
    CHECK_FALSE(m.had_replacement);
    CHECK(has_note(m, "read as GB18030"));
}

TEST_CASE("mail message: RFC 2231 and RFC 2047 attachment names, sizes not content") {
    Message m = parse(
        "Subject: files\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"XX\"\n"
        "\n"
        "--XX\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        "See attached.\n"
        "--XX\n"
        "Content-Type: application/pdf\n"
        "Content-Disposition: attachment;\n"
        " filename*0*=UTF-8''%E5%8F%91%E7%A5%A8;\n"
        " filename*1=\".pdf\"\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "JVBERi0xLjQK\n"
        "--XX\n"
        "Content-Type: image/png; name=\"=?UTF-8?B?5Zu+54mHLnBuZw==?=\"\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "iVBORw0KGgo=\n"
        "--XX--\n");
    CHECK(m.body_full == "See attached.");
    REQUIRE(m.attachments.size() == 2);
    CHECK(m.attachments[0].name == "发票.pdf");
    CHECK(m.attachments[0].content_type == "application/pdf");
    CHECK(m.attachments[0].size == 9);  // "%PDF-1.4\n"
    CHECK(m.attachments[1].name == "图片.png");
    CHECK(m.attachments[1].content_type == "image/png");
    CHECK(m.attachments[1].size == 8);
}

TEST_CASE("mail message: HTML-only body is converted to text") {
    Message m = parse(
        "Subject: html\n"
        "Content-Type: text/html; charset=utf-8\n"
        "\n"
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<p>Hello&nbsp;<b>buyer</b>,</p><p>Track it <a href=\"https://t.example/1\">here</a>."
        "<br>Thanks</p><script>alert(1)</script></body></html>\n");
    CHECK(m.body_from_html);
    CHECK(m.body_full == "Hello buyer,\n\nTrack it here.\nThanks");
}

TEST_CASE("mail message: nested multipart prefers text/plain and lists attachments") {
    Message m = parse(
        "Subject: nested\n"
        "Content-Type: multipart/mixed; boundary=\"outer\"\n"
        "\n"
        "--outer\n"
        "Content-Type: multipart/alternative; boundary=\"alt\"\n"
        "\n"
        "--alt\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        "Plain version\n"
        "--alt\n"
        "Content-Type: multipart/related; boundary=\"rel\"\n"
        "\n"
        "--rel\n"
        "Content-Type: text/html; charset=utf-8\n"
        "\n"
        "<p>HTML version <img src=\"cid:logo\"></p>\n"
        "--rel\n"
        "Content-Type: image/gif\n"
        "Content-ID: <logo>\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "R0lGODlh\n"
        "--rel--\n"
        "--alt--\n"
        "--outer\n"
        "Content-Type: message/rfc822\n"
        "\n"
        "Subject: inner\n"
        "\n"
        "Inner text\n"
        "--outer--\n");
    CHECK(m.body_full == "Plain version");
    CHECK_FALSE(m.body_from_html);
    REQUIRE(m.attachments.size() == 2);
    CHECK(m.attachments[0].content_type == "image/gif");
    CHECK(m.attachments[0].size == 6);
    CHECK(m.attachments[1].content_type == "message/rfc822");
    CHECK(m.attachments[1].size > 0);
}

TEST_CASE("mail message: an empty text/plain alternative falls back to the HTML one") {
    Message m = parse(
        "Content-Type: multipart/alternative; boundary=b\n"
        "\n"
        "--b\n"
        "Content-Type: text/plain\n"
        "\n"
        "\n"
        "--b\n"
        "Content-Type: text/html\n"
        "\n"
        "<div>only here</div>\n"
        "--b--\n");
    CHECK(m.body_full == "only here");
    CHECK(m.body_from_html);
}

TEST_CASE("mail message: a Chinese Outlook-style reply has its quoted part cut") {
    Message m = parse(
        "Subject: =?gb2312?B?u9i4tDog?= =?gb2312?B?tqm1pc7KzOI=?=\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        "好的，已经收到退款，谢谢！\n"
        "\n"
        "王先生\n"
        "\n"
        "发件人: 客服 <kf@shop.example>\n"
        "发送时间: 2024年1月4日 9:16\n"
        "收件人: 王先生 <wang@example.com>\n"
        "主题: 订单问题\n"
        "\n"
        "您好，退款已经处理。\n");
    CHECK(m.subject == "回复: 订单问题");
    CHECK(m.subject_normalized == "订单问题");
    CHECK(m.body == "好的，已经收到退款，谢谢！\n\n王先生");
    CHECK(m.body_full.find("退款已经处理") != std::string::npos);
}

TEST_CASE("mail message: a message with no headers at all") {
    Message m = parse("just some text\nfrom a buyer\n");
    CHECK(m.body_full == "just some text\nfrom a buyer");
    CHECK(m.message_id.empty());
    CHECK(m.subject.empty());
    CHECK_FALSE(m.date.has_value());
    CHECK(has_note(m, "no headers"));
}

TEST_CASE("mail message: a leading From_ line and byte order mark are skipped") {
    Message m = parse(
        "\xEF\xBB\xBF"
        "From someone@x Mon Jan  1 00:00:00 2024\n"
        "Subject: hi\n\nbody\n");
    CHECK(m.subject == "hi");
    CHECK(m.body_full == "body");
}

TEST_CASE("mail message: a headerless message starting with \"From \" keeps its first line") {
    Message m = parse("From now on please ship by EMS.\nThanks\n");
    CHECK(m.body_full == "From now on please ship by EMS.\nThanks");
}

TEST_CASE("mail message: empty input is an error with a reason") {
    CHECK_THROWS_AS(parse(""), kefu::Error);
    try {
        parse(" \r\n\n");
        FAIL("no error");
    } catch (const kefu::Error& e) {
        CHECK(e.where() == "test.eml");
        CHECK_FALSE(e.why().empty());
    }
}

TEST_CASE("mail message: undecodable bytes are flagged, not hidden") {
    Message m = parse(
        "Subject: bad\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        "退款 \xff\xfe 进度\n");
    CHECK(m.had_replacement);
    CHECK(m.body_full.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(has_note(m, "U+FFFD"));
}

TEST_CASE("mail message: deep MIME nesting is bounded") {
    std::string raw = "Subject: deep\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n";
    for (int i = 1; i < 200; ++i) {
        raw += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=\"b" +
               std::to_string(i) + "\"\n\n";
    }
    raw += "--b199\nContent-Type: text/plain\n\ndeep text\n";
    Message m = parse(raw);
    CHECK(m.subject == "deep");
    CHECK(m.body_full.empty());
    CHECK(has_note(m, "nested too deep"));
}

TEST_CASE("mail message: unreadable date") {
    Message m = parse("Date: yesterday-ish\nSubject: x\n\nbody\n");
    CHECK_FALSE(m.date.has_value());
    CHECK(has_note(m, "Date"));
}
