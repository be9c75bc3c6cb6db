// Header text: RFC 2047 encoded-words, split characters, raw 8-bit text, subject prefixes.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/mail/header.h"

using kefu::mail::decode_header_text;
using kefu::mail::normalize_subject;
using kefu::mail::unfold;

TEST_CASE("mail header: encoded-words in B and Q, white space between them dropped") {
    CHECK(decode_header_text("=?UTF-8?B?5L2g5aW9?= world") == "你好 world");
    CHECK(decode_header_text("=?utf-8?q?caf=C3=A9_au_lait?=") == "café au lait");
    CHECK(decode_header_text("=?UTF-8?B?5L2g?=\r\n =?UTF-8?B?5aW9?=") == "你好");
    CHECK(decode_header_text("a =?UTF-8?Q?b?= c") == "a b c");
    CHECK(decode_header_text("=?UTF-8*zh?Q?=E4=BD=A0?=") == "你");
    // Not encoded-words: left as they are.
    CHECK(decode_header_text("=?UTF-8?X?abc?= =?broken") == "=?UTF-8?X?abc?= =?broken");
}

TEST_CASE("mail header: a multibyte character split across two encoded-words is joined") {
    // 你 = E4 BD A0, 好 = E5 A5 BD; the words split inside both characters.
    CHECK(decode_header_text("=?UTF-8?Q?=E4=BD?= =?UTF-8?Q?=A0=E5?= =?UTF-8?Q?=A5=BD?=") == "你好");
    // Base64 words split inside the bytes of a character ("5L2g" + "5aW9" cut after 6 bytes).
    CHECK(decode_header_text("=?utf-8?B?5L2g5a?= =?utf-8?B?W9?=") == "你好");
    // GB2312 split between the two bytes of 好 (C4E3 BAC3).
    CHECK(decode_header_text("=?gb2312?B?xOO6?= =?gb2312?B?ww==?=") == "你好");
    bool replaced = false;
    decode_header_text("=?UTF-8?Q?=E4=BD?= =?UTF-8?Q?=A0?=", {}, &replaced);
    CHECK_FALSE(replaced);
}

TEST_CASE("mail header: a gb2312 encoded-word with a GBK-only character") {
    std::string note;
    bool replaced = false;
    // "张喆" in GBK, base64.
    CHECK(decode_header_text("=?gb2312?B?1cWGtA==?=", {}, &replaced, &note) == "张喆");
    CHECK_FALSE(replaced);
    CHECK(note == "charset gb2312 read as GB18030");
}

TEST_CASE("mail header: raw 8-bit header text") {
    CHECK(decode_header_text("订单 123") == "订单 123");  // UTF-8 as is
    std::string note;
    // GBK bytes without any label, body charset as the hint.
    CHECK(decode_header_text("\xb6\xa9\xb5\xa5 123", "gbk", nullptr, &note) == "订单 123");
    CHECK(decode_header_text("\xb6\xa9\xb5\xa5", "") == "订单");
}

TEST_CASE("mail header: undecodable bytes are reported") {
    bool replaced = false;
    std::string s = decode_header_text("=?utf-8?B?5L2g/w==?=", {}, &replaced);
    CHECK(replaced);
    CHECK(s == "你\xEF\xBF\xBD");
}

TEST_CASE("mail header: a hostile header is decoded in linear time") {
    std::string open_words;
    std::string long_words = "=?utf-8?q?";
    for (int i = 0; i < 200000; ++i) {
        open_words += "=?a?q?x";
        long_words += "=?a?q?";
    }
    auto start = std::chrono::steady_clock::now();
    CHECK(decode_header_text(open_words).size() == open_words.size());
    CHECK(decode_header_text(long_words + "?=").size() > 0);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 1.0);
}

TEST_CASE("mail header: unfolding and white space") {
    CHECK(unfold(" Re: a\r\n\tlong\r\n subject\r\n") == "Re: a\tlong subject");
    CHECK(decode_header_text("  two   spaces\r\n\tfolded ") == "two   spaces folded");
}

TEST_CASE("mail header: subject prefix chains are removed") {
    CHECK(normalize_subject("Re: RE: 回复： 答复: 转发: Fwd: Fw: 退款进度") == "退款进度");
    CHECK(normalize_subject("回复：回复：回复：eros性能问题") == "eros性能问题");
    CHECK(normalize_subject("AW: WG: SV: 回覆: 轉寄: x") == "x");
    CHECK(normalize_subject("Re[2]: Re(3): RE : order 12") == "order 12");
    CHECK(normalize_subject("  Re:   ") == "");
    CHECK(normalize_subject("Note: Re: kept") == "Note: Re: kept");
    CHECK(normalize_subject("Report about returns") == "Report about returns");
    CHECK(normalize_subject("撤回: 订单") == "撤回: 订单");
    CHECK(normalize_subject("Fwd:[PATCH] x") == "[PATCH] x");
}
