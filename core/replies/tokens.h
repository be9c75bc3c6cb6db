#pragma once
// Tokens for matching inquiries against templates and against each other. Chinese has no
// spaces between words, and a word segmenter would be a large dependency for little gain on
// short buyer messages: overlapping character bigrams match the words that matter (退款,
// 快递, 没收到 → 没收 收到) without one. Latin script is split into words.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::replies {

// The form in which inquiries, keywords and templates are compared: triage's normalized text
// (NFKC, case-folded, white space collapsed, traditional Chinese as simplified), so that a
// buyer writing 退貨 or ＲＥＦＵＮＤ meets the templates' 退货 and refund.
std::string match_form(std::string_view text);

// Tokens of text already in match form: for each run of Han characters its overlapping
// bigrams (a run of one character gives that character), for each run of letters and digits
// one word, with a light English suffix stripping so that "refunds", "refunded" and "refund"
// meet. Words with more than three digits (order and tracking numbers), English stop words,
// punctuation and other symbols give nothing. Text in `{placeholder}` braces is skipped, so
// that a template's placeholder names do not count.
//
// With `han_unigrams`, every Han character is also a token of its own. Comparing two short
// messages that say the same thing in other words (没有收到 / 没收到) needs them: they share
// characters more often than bigrams. Against the templates' longer texts bigrams alone are
// more precise.
std::vector<std::string> tokenize_folded(std::string_view folded, bool han_unigrams = false);

// Calls `emit` with each token tokenize_folded() would return, without building them.
void for_each_token(std::string_view folded, bool han_unigrams,
                    const std::function<void(std::string_view)>& emit);

// The kefu::hash64 of each token, in order: for comparing many texts quickly.
std::vector<uint64_t> token_hashes(std::string_view folded, bool han_unigrams);

// tokenize_folded(match_form(text), han_unigrams).
std::vector<std::string> tokenize(std::string_view text, bool han_unigrams = false);

// The language of a buyer's message, simply: "zh" when Han characters make up a fair share of
// its letters, "en" when it is Latin letters, "" when there is nothing to tell by. Used when
// the inquiry carries no language.
std::string detect_language(std::string_view text);

}  // namespace kefu::replies
