// Charset decoding of mail text: labels that lie, missing labels, detection, and the
// replacement flag.
#include <doctest/doctest.h>

#include "core/encoding.h"
#include "core/mail/charset.h"

using kefu::mail::canonical_charset;
using kefu::mail::decode_charset;
using kefu::mail::decode_to_utf8;
using kefu::mail::looks_like_gb;

namespace {
// "请问什么时候发货" in GBK.
const std::string k_gbk_question =
    "\xc7\xeb\xce\xca\xca\xb2\xc3\xb4\xca\xb1\xba\xf2\xb7\xa2\xbb\xf5";
}  // namespace

TEST_CASE("mail charset: labels map to the charsets mail clients use") {
    CHECK(canonical_charset("gb2312") == "GB18030");
    CHECK(canonical_charset("\"GBK\"") == "GB18030");
    CHECK(canonical_charset("X-GBK") == "GB18030");
    CHECK(canonical_charset("cp936") == "GB18030");
    CHECK(canonical_charset("iso-8859-1") == "WINDOWS-1252");
    CHECK(canonical_charset("utf8") == "UTF-8");
    CHECK(canonical_charset("Big5") == "BIG5-HKSCS");
    CHECK(canonical_charset("ks_c_5601-1987") == "CP949");
    CHECK(canonical_charset("koi8-r") == "KOI8-R");
    CHECK(canonical_charset("x-unknown").empty());
    CHECK(canonical_charset("").empty());
}

TEST_CASE("mail charset: a gb2312 label with a GBK-only character is read as GB18030") {
    // "张喆": 喆 (0x86B4) is not in GB2312.
    kefu::mail::Decoded d = decode_charset("\xd5\xc5\x86\xb4", "gb2312");
    CHECK(d.text == "张喆");
    CHECK(d.charset == "GB18030");
    CHECK(d.widened);
    CHECK_FALSE(d.replaced);

    kefu::mail::Decoded plain = decode_charset("\xc4\xe3\xba\xc3", "gb2312");
    CHECK(plain.text == "你好");
    CHECK_FALSE(plain.widened);
}

TEST_CASE("mail charset: a four-byte GB18030 character under a gbk label") {
    // "𠮷" is 0x9534B235 in GB18030 and has no GBK code.
    kefu::mail::Decoded d = decode_charset("\x95\x34\xb2\x35", "gbk");
    CHECK(d.text == "𠮷");
    CHECK(d.widened);
}

TEST_CASE("mail charset: an unlabelled GBK body is detected") {
    kefu::mail::Decoded d = decode_charset(k_gbk_question, "");
    CHECK(d.text == "请问什么时候发货");
    CHECK(d.charset == "GB18030");
    CHECK(d.relabelled);
    CHECK_FALSE(d.replaced);
    // Too short for uchardet, still recognised by its shape.
    CHECK(decode_to_utf8("\xc4\xe3\xba\xc3", "") == "你好");
}

TEST_CASE("mail charset: UTF-8 under a legacy label is UTF-8") {
    kefu::mail::Decoded d = decode_charset("回复：退款", "GB2312");
    CHECK(d.text == "回复：退款");
    CHECK(d.charset == "UTF-8");
    CHECK(d.relabelled);
}

TEST_CASE("mail charset: GBK under a us-ascii or latin-1 label") {
    CHECK(decode_to_utf8(k_gbk_question, "us-ascii") == "请问什么时候发货");
    CHECK(decode_to_utf8(k_gbk_question, "iso-8859-1") == "请问什么时候发货");
    // Real Latin-1 stays Latin-1, and 0x93/0x94 are windows-1252 quotes.
    CHECK(decode_to_utf8("caf\xe9 \x93ok\x94", "iso-8859-1") == "café “ok”");
    CHECK(decode_to_utf8("Gr\xfc\xdf"
                         "e aus M\xfcnchen",
                         "") == "Grüße aus München");
}

TEST_CASE("mail charset: HZ and Big5") {
    CHECK(decode_to_utf8("GB: ~{<:Ky2;S{#,~} ok ~~", "hz-gb-2312") == "GB: 己所不欲， ok ~");
    CHECK(decode_to_utf8("\xa4\xa4\xa4\xe5", "big5") == "中文");
}

TEST_CASE("mail charset: bytes no charset explains become U+FFFD and are reported") {
    // UTF-8 with one broken byte keeps its UTF-8 reading.
    bool replaced = false;
    std::string text = decode_to_utf8("退款进度 \xff 请查一下", "utf-8", &replaced);
    CHECK(replaced);
    CHECK(text == "退款进度 \xEF\xBF\xBD 请查一下");
    // GB18030 with a byte that is never valid in it.
    kefu::mail::Decoded gb = decode_charset(k_gbk_question + "\xff" + k_gbk_question, "gbk");
    CHECK(gb.replaced);
    CHECK(gb.text == "请问什么时候发货\xEF\xBF\xBD请问什么时候发货");

    replaced = true;
    CHECK(decode_to_utf8("plain ascii", "no-such-charset", &replaced) == "plain ascii");
    CHECK_FALSE(replaced);
}

TEST_CASE("mail charset: Latin-1 text labelled UTF-8 is detected") {
    kefu::mail::Decoded d = decode_charset(
        "caf\xe9 cr\xe8me br\xfbl\xe9"
        "e, tr\xe8s bien",
        "utf-8");
    CHECK(d.text == "café crème brûlée, très bien");
    CHECK(d.relabelled);
    CHECK_FALSE(d.replaced);
}

TEST_CASE("mail charset: an unknown label with 8-bit text falls back to detection") {
    kefu::mail::Decoded d = decode_charset(k_gbk_question, "x-no-such-charset");
    CHECK(d.text == "请问什么时候发货");
    CHECK(d.relabelled);
}

TEST_CASE("mail charset: a UTF-8 byte order mark wins over the label") {
    CHECK(decode_to_utf8("\xEF\xBB\xBF"
                         "退款",
                         "gb2312") == "退款");
}

TEST_CASE("mail charset: the GB shape check") {
    CHECK(looks_like_gb(k_gbk_question));
    CHECK_FALSE(looks_like_gb("caf\xe9 tr\xe8s"));
    CHECK_FALSE(looks_like_gb("plain"));
}

TEST_CASE("mail charset: mail reads a few labels differently from a file import") {
    // An ASCII label is taken strictly in mail, and read as UTF-8 in a file.
    CHECK(canonical_charset("us-ascii") == "US-ASCII");
    CHECK(kefu::encoding::canonical_name("us-ascii") == "UTF-8");
    CHECK(canonical_charset("iso-2022-jp") == "ISO-2022-JP-2");
    CHECK(canonical_charset("hz-gb-2312") == "HZ");
    CHECK(canonical_charset("unknown-8bit").empty());
    // Everywhere else the two agree, whatever the label's quoting and case.
    // Mail reads these spellings as their family; a file import leaves them to iconv.
    CHECK(canonical_charset("euccn") == "GB18030");
    CHECK(canonical_charset("cp950") == "BIG5-HKSCS");
    CHECK(canonical_charset("csShiftJIS") == "CP932");
    CHECK(canonical_charset("l1") == "WINDOWS-1252");
    for (const char* label : {"GB_2312", "x-euc-kr", "utf7", "x-mac-cyrillic", "iso-8859-8-i",
                              "koi8-r", "utf-16le"}) {
        CAPTURE(label);
        CHECK(canonical_charset(std::string("\"") + label + "\";") ==
              kefu::encoding::canonical_name(label));
    }
}

TEST_CASE("mail charset: 8-bit bytes under a Latin-1 label that windows-1252 lacks") {
    // 0x8D has no windows-1252 character; the label is then read as true ISO-8859-1.
    kefu::mail::Decoded d = decode_charset("x \x8d y", "iso-8859-1");
    CHECK(d.text == "x \xC2\x8D y");
    CHECK(d.charset == "ISO-8859-1");
    CHECK_FALSE(d.replaced);
}

TEST_CASE("mail charset: a US-ASCII label is taken strictly") {
    kefu::mail::Decoded ascii = decode_charset("plain", "us-ascii");
    CHECK(ascii.charset == "US-ASCII");
    CHECK_FALSE(ascii.relabelled);
    // An 8-bit byte proves the label wrong (a file import would read it as UTF-8).
    kefu::mail::Decoded latin = decode_charset("caf\xe9 ok", "us-ascii");
    CHECK(latin.relabelled);
    CHECK(latin.charset != "US-ASCII");
    CHECK_FALSE(latin.replaced);
}
