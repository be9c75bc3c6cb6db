// core/encoding beyond the basics in test_core_text.cpp: the label table that mail shares,
// decoders opened by their exact iconv name, ASCII that is not ASCII, and uchardet's guess.
#include <doctest/doctest.h>

#include <string>

#include "core/encoding.h"
#include "core/error.h"

namespace encoding = kefu::encoding;

namespace {
constexpr std::string_view k_fffd = "\xEF\xBF\xBD";
}  // namespace

TEST_CASE("encodings: every label of a family is read like the family") {
    for (const char* label : {"gb_2312", "x-cp936", "GB-18030", "iso-ir-58"}) {
        CAPTURE(label);
        CHECK(encoding::canonical_name(label) == "GB18030");
    }
    for (const char* label : {"iso-8859-1", "cp1252"}) {
        CAPTURE(label);
        CHECK(encoding::canonical_name(label) == "WINDOWS-1252");
    }
    CHECK(encoding::canonical_name("x-big5") == "BIG5-HKSCS");
    CHECK(encoding::canonical_name("x-euc-jp") == "EUC-JP");
    CHECK(encoding::canonical_name("utf7") == "UTF-7");
    CHECK(encoding::canonical_name("x-mac-roman") == "MACINTOSH");
    CHECK(encoding::canonical_name(" GBK\t") == "GB18030");
    // An ASCII label on a file stays a UTF-8 reading; names outside the table are upper-cased.
    CHECK(encoding::canonical_name("us-ascii") == "UTF-8");
    CHECK(encoding::canonical_name("koi8-r") == "KOI8-R");
    CHECK(encoding::canonical_name("").empty());
    // Spellings a file import has always left to iconv as given (mail reads them as their
    // family: see test_mail_charset.cpp).
    CHECK(encoding::canonical_name("euccn") == "EUCCN");
    CHECK(encoding::canonical_name("cp950") == "CP950");
    CHECK(encoding::canonical_name("l1") == "L1");
    CHECK(encoding::canonical_name("euckr") == "EUCKR");
    CHECK(encoding::canonical_name("ms_kanji") == "MS_KANJI");
}

TEST_CASE("encodings: a decoder opened by its exact name keeps that name") {
    // The constructor reads a Latin-1 label as windows-1252; the exact name does not.
    std::unique_ptr<encoding::Decoder> latin1 = encoding::Decoder::open_exact("ISO-8859-1");
    REQUIRE(latin1 != nullptr);
    CHECK(latin1->name() == "ISO-8859-1");
    std::string out;
    CHECK(latin1->decode("\x80", out));
    CHECK(out == "\xC2\x80");
    encoding::Decoder cp1252("iso-8859-1");
    CHECK(cp1252.name() == "WINDOWS-1252");
    out.clear();
    CHECK(cp1252.decode("\x80", out));
    CHECK(out == "€");

    CHECK(encoding::Decoder::open_exact("NO-SUCH-ENCODING") == nullptr);
    CHECK_THROWS_AS(encoding::Decoder("no-such-encoding"), kefu::Error);

    std::unique_ptr<encoding::Decoder> utf8 = encoding::Decoder::open_exact("UTF-8");
    REQUIRE(utf8 != nullptr);
    CHECK(utf8->is_utf8());
}

TEST_CASE("encodings: bytes below 0x80 are converted where they are not ASCII") {
    // ISO-2022-JP-2 is all 7-bit bytes; "こんにちは".
    std::unique_ptr<encoding::Decoder> jp = encoding::Decoder::open_exact("ISO-2022-JP-2");
    REQUIRE(jp != nullptr);
    std::string out;
    CHECK(jp->decode("\x1B$B$3$s$K$A$O\x1B(B", out));
    CHECK(out == "こんにちは");
    // UTF-32LE and EBCDIC text can look like ASCII, and is not.
    encoding::Decoder utf32("utf-32le");
    out.clear();
    CHECK(utf32.decode(std::string("A\0\0\0", 4), out));
    CHECK(out == "A");
    encoding::Decoder ebcdic("ibm037");
    out.clear();
    CHECK(ebcdic.decode("\x40", out));
    CHECK(out == " ");
    // Plain ASCII in an ASCII-compatible encoding reads as itself.
    encoding::Decoder gb("gbk");
    out.clear();
    CHECK(gb.decode("order 42", out));
    CHECK(out == "order 42");
}

TEST_CASE("encodings: lossy decoding replaces what does not convert") {
    encoding::Decoder gb("gb18030");
    std::string out;
    CHECK(gb.decode_lossy("\xCD\xCB\xFF\xBF\xEE", out) == 1);
    CHECK(out == "退" + std::string(k_fffd) + "款");
    // glibc's CP949 reports an unassigned pair (A2 E8) only after reading both bytes: the bad
    // unit is still the pair, and what follows it is read.
    encoding::Decoder kr("euc-kr");
    out.clear();
    size_t bad = 0;
    size_t end = 0;
    CHECK_FALSE(kr.decode("\xB0\xA1\xA2\xE8", out, &bad, &end));
    CHECK(bad == 2);
    CHECK(end == 4);
    CHECK(out == "가");
    out.clear();
    CHECK_FALSE(kr.decode("\xB0\xA1\xA2\xE8\xB0\xA1OK", out, &bad, &end));
    CHECK(bad == 2);
    CHECK(end == 4);
    out.clear();
    CHECK(kr.decode_lossy("\xB0\xA1\xA2\xE8", out) == 1);
    CHECK(out == "가" + std::string(k_fffd));
    out.clear();
    CHECK(kr.decode_lossy("\xB0\xA1\xA2\xE8\xB0\xA1OK", out) == 1);
    CHECK(out == "가" + std::string(k_fffd) + "가OK");
    // A byte that cannot start a character is a unit of its own.
    out.clear();
    CHECK_FALSE(kr.decode("OK\xFF\xB0\xA1", out, &bad, &end));
    CHECK(bad == 2);
    CHECK(end == 3);
    out.clear();
    CHECK(gb.decode_lossy("\xCD\xCB\x80\xBF\xEE", out) == 1);
    CHECK(out == "退" + std::string(k_fffd) + "款");
    // UTF-8 is checked, not converted: one U+FFFD per bad byte.
    encoding::Decoder utf8("utf-8");
    out.clear();
    CHECK(utf8.decode_lossy("a\xC3\x28z", out) == 1);
    CHECK(out == "a" + std::string(k_fffd) + "(z");
}

TEST_CASE("encodings: uchardet's guess is given as uchardet spells it") {
    std::string gbk_text;
    for (int i = 0; i < 50; ++i) {
        gbk_text += "\xC7\xD7\xA3\xAC\xCE\xD2\xB5\xC4\xBF\xEC\xB5\xDD\xB5\xBD\xC4\xC4\xC0\xEF";
    }
    CHECK(encoding::uchardet_guess(gbk_text) == "GB18030");
    CHECK(encoding::uchardet_guess("plain words") == "ASCII");
    // One handle serves every call: a guess does not depend on the text before it.
    std::string latin = "Gr\xFC\xDF"
                        "e aus M\xFCnchen, sch\xF6ne Gr\xFC\xDF"
                        "e";
    std::string first = encoding::uchardet_guess(latin);
    encoding::uchardet_guess(gbk_text);
    CHECK(encoding::uchardet_guess(latin) == first);
    CHECK(encoding::canonical_name(encoding::uchardet_guess(gbk_text)) == "GB18030");
}
