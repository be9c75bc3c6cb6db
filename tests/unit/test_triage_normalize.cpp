// Normalization for matching (NFKC, case fold, t2s) and language detection.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "core/triage/language.h"
#include "core/triage/normalize.h"

using kefu::triage::detect_language;
using kefu::triage::normalize;
using kefu::triage::normalize_mapped;
using kefu::triage::normalize_reference;

TEST_CASE("normalize: traditional to simplified, full width and case") {
    CHECK(normalize("退貨") == "退货");
    CHECK(normalize("ＲＥＦＵＮＤ") == "refund");
    CHECK(normalize("Refund") == "refund");
    CHECK(normalize("我要退貨，ＲＥＦＵＮＤ！") == "我要退货,refund!");
    CHECK(normalize("發票什麼時候開？") == "发票什么时候开?");
}

TEST_CASE("normalize: white space and quotes") {
    CHECK(normalize("  where \t is\n\n my   parcel  ") == "where is my parcel");
    CHECK(normalize("在\u3000吗") == "在 吗");
    CHECK(normalize("don\u2019t") == "don't");
    CHECK(normalize("\u201Chello\u201D") == "\"hello\"");
    CHECK(normalize("") == "");
    CHECK(normalize(" \n ") == "");
}

TEST_CASE("normalize: t2s phrases are converted as OpenCC converts them") {
    // 乾 is 干 in 乾燥 but stays in 乾隆: per-character conversion would get one of them
    // wrong, so these go through OpenCC.
    CHECK(normalize("乾燥") == "干燥");
    CHECK(normalize("乾隆") == "乾隆");
    CHECK(normalize("頭髮") == "头发");
    // 什么 holds 么, which starts a t2s phrase (么麼): the fast path must still be right.
    CHECK(normalize("什么") == "什么");
    CHECK(normalize("什麼") == "什么");
}

TEST_CASE("normalize: the fast path equals the reference on hard cases") {
    const std::vector<std::string> cases{
        "e\u0301cole",                 // combining accent: composed by NFKC
        "\u1100\u1161 \u3131\u314F",   // Hangul jamo that compose
        "\uFF76\uFF9E",                // half-width katakana with a voiced mark
        "\u337F\u32FF",                // ㍿ and a square era name
        "\uFB01le \u2460 \u00BD",      // ligature, circled digit, fraction
        "\U0001F621\u200D\U0001F525 ok\uFE0F",  // emoji, ZWJ, variation selector
        "ß STRASSE İstanbul",          // case folding that changes length
        "bad \xFF\xFE bytes \xE4\xB8",  // invalid UTF-8
        "退貨\u200B退款",               // a zero-width space inside a word
        "彷彿 著名 乾隆 乾燥 么麼",
        "\U00020000\U0002F800 ext",    // CJK extension B, a compatibility ideograph
        "Mixed 中文 and ＥＮＧＬＩＳＨ 123",
    };
    for (const std::string& c : cases) {
        CAPTURE(c);
        CHECK(normalize(c) == normalize_reference(c));
    }
}

TEST_CASE("normalize: random text over the covered ranges equals the reference") {
    // Code points from the ranges the tables cover, plus some they do not, in random order:
    // whatever path a text takes, the result is the reference result.
    const std::vector<std::pair<char32_t, char32_t>> ranges{
        {0x20, 0x7E},     {0xA0, 0xFF},     {0x2000, 0x206F}, {0x3000, 0x30FF},
        {0x3200, 0x33FF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0xFF00, 0xFFEF},
        {0x0300, 0x036F}, {0x1100, 0x11FF}, {0x1F300, 0x1F64F},
    };
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        std::string text;
        int length = 1 + static_cast<int>(rng() % 40);
        for (int k = 0; k < length; ++k) {
            const auto& [first, last] = ranges[rng() % ranges.size()];
            char32_t cp = first + static_cast<char32_t>(rng() % (last - first + 1));
            // Encode by hand: surrogates are not in the ranges.
            if (cp < 0x80) {
                text += static_cast<char>(cp);
            } else if (cp < 0x800) {
                text += static_cast<char>(0xC0 | (cp >> 6));
                text += static_cast<char>(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                text += static_cast<char>(0xE0 | (cp >> 12));
                text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                text += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
                text += static_cast<char>(0xF0 | (cp >> 18));
                text += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                text += static_cast<char>(0x80 | (cp & 0x3F));
            }
        }
        CAPTURE(text);
        REQUIRE(normalize(text) == normalize_reference(text));
    }
}

TEST_CASE("normalize_mapped: offsets point back into the original text") {
    std::string original = "订单号：ＡＢ１２３ ok";
    std::string out;
    std::vector<uint32_t> source;
    REQUIRE(normalize_mapped(original, out, source));
    CHECK(out == "订单号:ab123 ok");
    REQUIRE(source.size() == out.size());
    size_t a = out.find("ab123");
    REQUIRE(a != std::string::npos);
    // "a" came from the full-width "Ａ" of the original.
    CHECK(original.substr(source[a], 3) == "Ａ");
    // A text that needs the slow path has no mapping.
    CHECK_FALSE(normalize_mapped("e\u0301", out, source));
    CHECK(out == "\u00E9");
    CHECK(source.empty());
}

TEST_CASE("detect_language") {
    CHECK(detect_language("请问这款还有货吗？") == "zh");
    CHECK(detect_language("iPhone 15 有货吗") == "zh");
    CHECK(detect_language("發票什麼時候可以開") == "zh");
    CHECK(detect_language("Where is my parcel? It was due yesterday.") == "en");
    CHECK(detect_language("refund?") == "en");
    CHECK(detect_language("I ordered the 红色 one but got blue, can you help") == "en");
    CHECK(detect_language("Bonjour, je voudrais un remboursement pour ma commande") == "");
    CHECK(detect_language("Hola, mi pedido no ha llegado todavía") == "");
    CHECK(detect_language("注文した商品がまだ届いていません") == "");
    CHECK(detect_language("12345 !!!") == "");
    CHECK(detect_language("") == "");
    CHECK(detect_language("\xFF\xFE\xE4") == "");
}
