#pragma once
// A cheap guess of an inquiry's language, used to pick the language of reply suggestions,
// and the letter counts it is made from, which the engine also uses to tell whether a
// message is written in capitals.

#include <cstddef>
#include <string>
#include <string_view>

namespace kefu::triage {

// "zh" when Chinese characters carry the text, "en" when it is Latin-script text that reads
// as English, "" otherwise (other languages, Japanese, Korean, no letters at all).
// One pass over the text, no allocation but the result; safe on any bytes.
//
// Chinese wins when the text holds at least as many Han characters as Latin words, so that
// "iPhone 15 有货吗" is Chinese while an English message quoting one product name in Chinese is
// English. Latin text counts as English when it has almost no non-ASCII letters and either
// uses common English function words or is only a few words long ("refund?").
std::string detect_language(std::string_view text);

// Letter counts of a text, gathered in one pass.
struct TextCounts {
    size_t han = 0;             // Han ideographs
    size_t kana_or_hangul = 0;  // Japanese kana and Korean syllables
    size_t words = 0;           // runs of ASCII letters
    size_t english_words = 0;   // of which common English function words (counted up to 3)
    size_t ascii_letters = 0;
    size_t other_letters = 0;  // letters of other scripts (é, ж, ＡＢ …)
    size_t upper = 0;          // ASCII capitals
    size_t caps_words = 0;     // words of two or more letters, all in capitals

    void add(std::string_view text);
    TextCounts& operator+=(const TextCounts& o);
};

// The language decision of detect_language() from counts (of several fields together).
std::string language_of(const TextCounts& counts);

// True when a text is written in capitals: at least 12 capital letters in at least three
// all-capital words, making up 70% of its letters, Han characters counted as letters (so a
// Chinese message quoting a model name in capitals is not shouting).
bool is_shouting(const TextCounts& counts);

}  // namespace kefu::triage
