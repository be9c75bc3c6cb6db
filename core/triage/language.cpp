#include "core/triage/language.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/text.h"

namespace kefu::triage {
namespace {

// A word of up to eight lower-case ASCII letters packed into an integer, so that the list
// below is checked with integer comparisons. (Its longest word has six letters.)
constexpr uint64_t pack(std::string_view w) {
    uint64_t v = 0;
    for (char c : w) {
        v = (v << 8) | static_cast<unsigned char>(c);
    }
    return v;
}

// Function words of English that the other Latin-script languages buyers write in (French,
// Spanish, German, Italian, Portuguese …) do not use as words of their own.
constexpr std::array<uint64_t, 36> k_english_words{
    pack("the"),  pack("i"),      pack("you"),    pack("my"),    pack("is"),    pack("are"),
    pack("was"),  pack("to"),     pack("of"),     pack("and"),   pack("it"),    pack("for"),
    pack("not"),  pack("can"),    pack("do"),     pack("have"),  pack("what"),  pack("when"),
    pack("where"), pack("why"),   pack("how"),    pack("please"), pack("thanks"), pack("thank"),
    pack("hi"),   pack("hello"),  pack("with"),   pack("this"),  pack("that"),  pack("will"),
    pack("your"), pack("did"),    pack("would"),  pack("get"),   pack("been"),  pack("has"),
};

// The list, sorted once, for a binary search (every word of every message is looked up).
const std::array<uint64_t, k_english_words.size()>& sorted_english_words() {
    static const auto k_sorted = [] {
        auto a = k_english_words;
        std::sort(a.begin(), a.end());
        return a;
    }();
    return k_sorted;
}

bool is_english_word(uint64_t packed) {
    const auto& words = sorted_english_words();
    return std::binary_search(words.begin(), words.end(), packed);
}

bool is_letter(char32_t cp) {
    auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO;
}

}  // namespace

void TextCounts::add(std::string_view text) {
    uint64_t packed = 0;
    size_t word_len = 0;
    size_t word_upper = 0;
    auto end_word = [&] {
        // A few English words settle it; the rest of a long text need not be looked up.
        if (word_len > 0 && word_len <= 6 && english_words < 3 && is_english_word(packed)) {
            ++english_words;
        }
        if (word_len >= 2 && word_upper == word_len) {
            ++caps_words;
        }
        packed = 0;
        word_len = 0;
        word_upper = 0;
    };
    size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            bool lower = c >= 'a' && c <= 'z';
            bool capital = c >= 'A' && c <= 'Z';
            if (lower || capital) {
                ++ascii_letters;
                if (word_len == 0) {
                    ++words;
                }
                if (capital) {
                    ++upper;
                    ++word_upper;
                }
                packed = (packed << 8) | (c | 0x20U);
                ++word_len;
            } else if (c != '\'') {
                end_word();
            }
            continue;
        }
        end_word();
        // CJK characters (three bytes, lead E3–E9) are decoded inline; this runs over every
        // character of every message.
        if (c >= 0xE3 && c <= 0xE9 && i + 2 < text.size()) {
            auto c1 = static_cast<unsigned char>(text[i + 1]);
            auto c2 = static_cast<unsigned char>(text[i + 2]);
            if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80) {
                char32_t cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
                i += 3;
                if (cp >= 0x4E00 || (cp >= 0x3400 && cp <= 0x4DBF)) {
                    ++han;
                } else if (cp >= 0x3040 && cp <= 0x30FF) {
                    ++kana_or_hangul;
                }
                continue;
            }
        }
        char32_t cp = text::next_code_point(text, i);
        if (text::is_han(cp)) {
            ++han;
        } else if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF)) {
            ++kana_or_hangul;
        } else if (cp >= 0xC0 && is_letter(cp)) {
            ++other_letters;
        }
    }
    end_word();
}

TextCounts& TextCounts::operator+=(const TextCounts& o) {
    han += o.han;
    kana_or_hangul += o.kana_or_hangul;
    words += o.words;
    english_words += o.english_words;
    ascii_letters += o.ascii_letters;
    other_letters += o.other_letters;
    upper += o.upper;
    caps_words += o.caps_words;
    return *this;
}

std::string language_of(const TextCounts& c) {
    if (c.kana_or_hangul >= 2 && c.kana_or_hangul * 4 > c.han) {
        return "";
    }
    if (c.han > 0 && c.han >= c.words) {
        return "zh";
    }
    if (c.words == 0 || c.other_letters * 10 > c.ascii_letters + c.other_letters) {
        return "";
    }
    if (c.english_words > 0 || (c.words <= 3 && c.han == 0)) {
        return "en";
    }
    return "";
}

bool is_shouting(const TextCounts& c) {
    size_t letters = c.ascii_letters + c.han;
    return c.upper >= 12 && c.caps_words >= 3 && c.upper * 10 >= letters * 7;
}

std::string detect_language(std::string_view text) {
    TextCounts counts;
    counts.add(text);
    return language_of(counts);
}

}  // namespace kefu::triage
