#pragma once
// What the seller chose before (table reply): the strongest signal of the ranking in
// suggest.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/replies/suggest.h"
#include "core/store/store.h"

namespace kefu::replies {

// The seller's most recent choices of a template (table reply, source kefu), with the
// category and the token counts (else the text) of the inquiry each answered: the last
// k_history_scan replies by time (an index range, never a table scan), those for inquiries of
// `category` first, at most k_history_keep of them. Replies to `exclude_id` itself are left
// out: what was sent to this inquiry says nothing about inquiries like it. Only replies whose
// counts are not kept (see AnsweredInquiry) read their inquiry's text.
std::vector<PastChoice> past_choices(Store& store, int64_t exclude_id, Category category);
inline constexpr int k_history_scan = 2000;
inline constexpr int k_history_keep = 300;

// What a reply keeps of the inquiry it answers (columns reply.category and reply.terms), for
// past_choices: the inquiry's category and the stored form of the counts of its subject and
// body (term_counts). Read when a reply is recorded; nullopt when there is no such inquiry.
struct AnsweredInquiry {
    Category category = Category::Other;
    std::string terms;
};
std::optional<AnsweredInquiry> answered_inquiry(Store& store, int64_t inquiry_id);

// The stored form of term counts (column reply.terms): the byte k_terms_format, then for each
// token in increasing order of hash its hash (8 bytes) and count (4 bytes), little-endian.
// The format byte changes whenever term_counts() would count a text differently (match form,
// tokenizer, hash): counts in another format are ignored and the text is read instead.
inline constexpr uint8_t k_terms_format = 1;
std::string encode_terms(const TermCounts& terms);
// nullopt for a blob of another format, or one that is damaged.
std::optional<TermCounts> decode_terms(std::string_view blob);

}  // namespace kefu::replies
