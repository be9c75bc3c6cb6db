#pragma once
// What the seller chose before (table reply): the strongest signal of the ranking in
// suggest.h.

#include <cstdint>
#include <vector>

#include "core/model.h"
#include "core/replies/suggest.h"
#include "core/store/store.h"

namespace kefu::replies {

// The seller's most recent choices of a template (table reply, source kefu), with the text
// and category of the inquiry each answered: the last k_history_scan replies by time (an
// index range, never a table scan), those for inquiries of `category` first, at most
// k_history_keep of them. Replies to `exclude_id` itself are left out: what was sent to this
// inquiry says nothing about inquiries like it.
std::vector<PastChoice> past_choices(Store& store, int64_t exclude_id, Category category);
inline constexpr int k_history_scan = 2000;
inline constexpr int k_history_keep = 300;

}  // namespace kefu::replies
