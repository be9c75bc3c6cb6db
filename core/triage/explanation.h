#pragma once
// `kefu explain ID`: why an inquiry has its priority. Its text is classified again with the
// current rules and its current signals (recompute.h), and the age term is added as the
// queue adds it, so that every term is shown and they add up to the total:
//
//   total = Σ static terms (category, tone, urgency, VIP, repeat, …) + age
//
// When what is stored (priority_static, category, rule tags …) differs from this, the rules,
// config or the signals changed since it was stored, and `kefu retag` brings it up to date.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/store.h"
#include "core/triage/engine.h"
#include "core/triage/recompute.h"

namespace kefu::triage {

struct Explanation {
    StoredTriage stored;
    Result result;          // the classification now
    Recomputed recomputed;  // what retag would store
    Term age;               // raw 0 when the age does not count (see age_applies)
    bool age_counts = false;
    // Every term in order: the static ones of `result`, then age. Their contributions,
    // added up in this order, are `total` exactly.
    std::vector<Term> terms;
    double total = 0;
    std::string level;
    std::vector<std::string> tags;  // shown once retag has run (rule tags now + by hand)
    std::string changes;            // describe_changes(); empty when the store is current
    // The priority `kefu list` shows now: the stored static part plus the same age term.
    double listed = 0;
};

// Explains inquiry `id` at `now`; nullopt when there is no such inquiry. Throws kefu::Error
// for a message from the seller, which has no triage.
std::optional<Explanation> explain_inquiry(Store& store, const Engine& engine, int64_t id,
                                           TimePoint now);

}  // namespace kefu::triage
