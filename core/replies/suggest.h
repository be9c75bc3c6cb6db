#pragma once
// Ranking the templates of a library for one inquiry.
//
// A template's score is a sum of points, each with a reason a seller can read:
//   category   the inquiry's category (from triage) is the template's            +3.0
//   tags       each tag shared with the inquiry (up to two)                      +1.0 each
//   keywords   the template's keyword phrases found in the inquiry's text        +1.5, +0.5 …
//   text       BM25 similarity of the inquiry's tokens (Chinese character bigrams,
//              English words) to the template's keywords, title and bodies      up to +3.0
//   language   the template has a body in the buyer's language                  +1.0
//              (without it, the template is offered in another language          −2.0)
//   history    the seller chose this template before for similar inquiries      up to +7.0
//   VIP        a vip_only template for a VIP buyer                               +0.5
// vip_only templates are not offered to other buyers at all. The seller's own history weighs
// most: it says what this seller actually sends. Past inquiries similar to this one (TF-IDF
// cosine over the same tokens) vote for the template chosen for them, weighted by their
// similarity (half for another category); a template gets its share of the votes times a
// confidence that grows with the total similar history, so two or three similar past choices
// of one template outweigh the category and text of any other.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/replies/library.h"
#include "core/replies/placeholders.h"

namespace kefu::replies {

struct Query {
    std::string subject;
    std::string body;
    Category category = Category::Other;
    std::vector<std::string> tags;  // the inquiry's tags (from triage: "angry", "urgent" …)
    std::string language;           // "zh", "en" … or "" to detect it from the text
    bool vip = false;
};

// The tokens of a text (as the ranking splits it: match form, Chinese bigrams and unigrams,
// English words) as pairs of token hash and count, sorted by hash, one pair per token.
using TermCounts = std::vector<std::pair<uint64_t, double>>;
TermCounts term_counts(std::string_view text);

// One earlier reply: the inquiry it answered (the counts of its tokens, or when those are not
// known its text), that inquiry's category, and the template the seller sent.
struct PastChoice {
    std::string text;
    Category category = Category::Other;
    std::string template_id;
    TermCounts terms;  // term_counts(text); when empty, `text` is counted
};

struct Reason {
    std::string label;  // "category logistics", "keywords 没收到, 快递", "chosen 3× before …"
    double points = 0;
    // "+3.0 category logistics"
    std::string text() const;
};

struct Suggestion {
    const Template* tmpl = nullptr;  // points into the library passed to suggest()
    std::string language;            // the body that was rendered
    double score = 0;
    std::vector<Reason> why;  // largest contribution first
    Rendered rendered;        // text, or the missing placeholders
};

// The `n` best templates for `query`, best first; equal scores keep the library's order.
// `history` is the seller's past choices (a few hundred are plenty); choices of ids not in
// the library are ignored. Each suggestion is rendered with `values`. Runs in a few
// milliseconds for a library of 500 templates and 300 past choices.
std::vector<Suggestion> suggest(const Library& library, const Query& query,
                                const std::vector<PastChoice>& history, const Values& values,
                                size_t n);

}  // namespace kefu::replies
