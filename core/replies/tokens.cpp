#include "core/replies/tokens.h"

#include <algorithm>
#include <array>

#include "core/hash.h"
#include "core/text.h"
#include "core/triage/normalize.h"

namespace kefu::replies {
namespace {

// English words that carry no topic. Chinese needs no such list: bigrams such as 您好 are
// frequent in every template and BM25's idf already gives them almost no weight.
constexpr std::array<std::string_view, 48> k_stop_words = {
    "a",    "an",   "and",  "are",   "as",  "at",     "be",  "but",  "by",  "can",  "do",   "for",
    "from", "have", "hi",   "hello", "i",   "if",     "in",  "is",   "it",  "me",   "my",   "no",
    "not",  "of",   "on",   "or",    "our", "please", "so",  "that", "the", "this", "to",   "was",
    "we",   "what", "will", "with",  "you", "your",   "yes", "just", "am",  "been", "dear", "thank",
};

constexpr size_t k_longest_stop_word = 6;

// Called for every word of every template when a library is indexed: most words are longer
// than any stop word or differ in their first letter, so those are ruled out before any
// comparison of whole words.
bool is_stop_word(std::string_view w) {
    if (w.empty() || w.size() > k_longest_stop_word) {
        return false;
    }
    for (std::string_view s : k_stop_words) {
        if (s.size() == w.size() && s.front() == w.front() && s == w) {
            return true;
        }
    }
    return false;
}

bool is_word_char(char32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

// Compared byte by byte: the suffixes are a few letters long, shorter than a call to memcmp.
bool ends_with(const std::string& s, std::string_view suffix) {
    if (s.size() < suffix.size()) {
        return false;
    }
    const char* tail = s.data() + (s.size() - suffix.size());
    for (size_t k = 0; k < suffix.size(); ++k) {
        if (tail[k] != suffix[k]) {
            return false;
        }
    }
    return true;
}

// A deliberately small English stemmer: the same cut is applied to templates and inquiries,
// so it only has to bring the common inflections of one word together, not produce words.
void stem(std::string& w) {
    if (w.size() <= 3) {
        return;
    }
    bool cut_verb = false;
    if (ends_with(w, "ies") && w.size() > 4) {
        w.replace(w.size() - 3, 3, "y");
    } else if (ends_with(w, "ing") && w.size() > 5) {
        w.resize(w.size() - 3);
        cut_verb = true;
    } else if (ends_with(w, "ed") && w.size() > 4) {
        w.resize(w.size() - 2);
        cut_verb = true;
    } else if (ends_with(w, "sses") || ends_with(w, "xes") || ends_with(w, "ches") ||
               ends_with(w, "shes")) {
        w.resize(w.size() - 2);
    } else if (ends_with(w, "s") && !ends_with(w, "ss") && !ends_with(w, "us")) {
        w.resize(w.size() - 1);
    }
    size_t n = w.size();
    if (cut_verb && n >= 3 && w[n - 1] == w[n - 2] && w[n - 1] != 'l' && w[n - 1] != 's' &&
        w[n - 1] != 'z') {
        w.resize(n - 1);  // shipped, shipping → ship
    }
    if (w.size() > 4 && w.back() == 'e') {
        w.pop_back();  // arrive, arrived → arriv
    }
}

// Order numbers, tracking numbers and phone numbers differ from one inquiry to the next and
// say nothing about its topic; a word with more than three digits is one of them.
bool is_identifier(std::string_view w) {
    return std::count_if(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }) > 3;
}

// Length of a "{name}" or "{name|fallback}" placeholder at s[i], or 0.
size_t placeholder_length(std::string_view s, size_t i) {
    size_t j = i + 1;
    while (j < s.size() &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9') || s[j] == '_')) {
        ++j;
    }
    if (j == i + 1 || j >= s.size()) {
        return 0;
    }
    if (s[j] == '|') {
        size_t close = s.find_first_of("{}\n", j + 1);
        if (close == std::string_view::npos || s[close] != '}') {
            return 0;
        }
        j = close;
    }
    return s[j] == '}' ? j - i + 1 : 0;
}

}  // namespace

void for_each_token(std::string_view s, bool han_unigrams,
                    const std::function<void(std::string_view)>& emit) {
    std::string word;       // reused: stemming changes it in place
    size_t word_start = 0;  // where the current word began, or npos
    size_t han_start = 0;   // where the previous Han character of the run began
    size_t han_run = 0;     // Han characters in the current run
    bool in_word = false;
    auto end_word = [&](size_t at) {
        if (!in_word) {
            return;
        }
        in_word = false;
        word.assign(s.substr(word_start, at - word_start));
        if (!is_identifier(word)) {
            stem(word);
            if (!is_stop_word(word)) {
                emit(word);
            }
        }
    };
    auto end_han = [&](size_t at) {
        if (han_run == 1 && !han_unigrams) {
            emit(s.substr(han_start, at - han_start));
        }
        han_run = 0;
    };
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] == '{') {
            if (size_t len = placeholder_length(s, i)) {
                end_word(i);
                end_han(i);
                i += len;
                continue;
            }
        }
        size_t start = i;
        char32_t cp = text::next_code_point(s, i);
        if (text::is_han(cp)) {
            end_word(start);
            if (han_run > 0) {
                emit(s.substr(han_start, i - han_start));  // the run is contiguous
            }
            if (han_unigrams) {
                emit(s.substr(start, i - start));
            }
            han_start = start;
            ++han_run;
        } else if (is_word_char(cp)) {
            end_han(start);
            if (!in_word) {
                in_word = true;
                word_start = start;
            }
        } else {
            end_word(start);
            end_han(start);
        }
    }
    end_word(s.size());
    end_han(s.size());
}

std::vector<std::string> tokenize_folded(std::string_view folded, bool han_unigrams) {
    std::vector<std::string> out;
    for_each_token(folded, han_unigrams, [&](std::string_view t) { out.emplace_back(t); });
    return out;
}

std::vector<uint64_t> token_hashes(std::string_view folded, bool han_unigrams) {
    std::vector<uint64_t> out;
    out.reserve(folded.size() / 2);
    for_each_token(folded, han_unigrams, [&](std::string_view t) { out.push_back(hash64(t)); });
    return out;
}

std::vector<std::string> tokenize(std::string_view text, bool han_unigrams) {
    return tokenize_folded(match_form(text), han_unigrams);
}

std::string match_form(std::string_view text) {
    return triage::normalize(text);
}

std::string detect_language(std::string_view s) {
    size_t han = 0;
    size_t latin = 0;
    size_t i = 0;
    while (i < s.size()) {
        char32_t cp = text::next_code_point(s, i);
        if (text::is_han(cp)) {
            ++han;
        } else if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
            ++latin;
        }
    }
    // A Han character is about one word; an English word about five letters. A Chinese
    // message quoting a model name, or an English one naming a Chinese product, still goes
    // to the language most of it is written in.
    if (han > 0 && han * 5 >= latin) {
        return "zh";
    }
    if (latin > 0) {
        return "en";
    }
    return "";
}

}  // namespace kefu::replies
