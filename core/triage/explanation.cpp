#include "core/triage/explanation.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/time.h"

namespace kefu::triage {

std::optional<Explanation> explain_inquiry(Store& store, const Engine& engine, int64_t id,
                                           TimePoint now) {
    std::optional<StoredTriage> stored = load_stored(store, id);
    if (!stored) {
        return std::nullopt;
    }
    if ((stored->flags & k_flag_from_seller) != 0) {
        throw Error("nothing to explain", fmt::format("#{}", id),
                    "this is a message from the seller: it has no category or priority",
                    "explain the buyer's message of the thread instead (`kefu show " +
                        std::to_string(id) + "` lists them)");
    }
    Explanation e;
    e.stored = std::move(*stored);
    const StoredTriage& s = e.stored;
    e.result = engine.classify(triage_input(s), s.signals);
    e.recomputed = recompute(s, e.result);
    e.changes = describe_changes(s, e.recomputed);
    e.tags = visible_tags(s, e.recomputed);

    e.age_counts = age_applies(s.status, s.first_response_at);
    if (e.age_counts) {
        e.age = engine.age_term(s.received_at, now, e.result.level);
    } else {
        e.age.name = "age";
        e.age.raw = 0;
        for (const auto& [name, value] : engine.coefficients()) {
            if (name == "age") {
                e.age.coefficient = value;
            }
        }
        e.age.contribution = 0;
        if (s.first_response_at) {
            e.age.detail = "answered " + timeutil::format_local(*s.first_response_at) +
                           ": the age counts only until the first answer";
        } else {
            e.age.detail = fmt::format("status {}: the age counts only while the buyer waits",
                                       to_string(s.status));
        }
    }
    e.terms = e.result.terms;
    e.terms.push_back(e.age);
    // Added up in the listed order, as the engine adds the static terms, so that a sum of
    // the terms gives the total exactly.
    e.total = 0;
    for (const Term& t : e.terms) {
        e.total += t.contribution;
    }
    e.level = engine.level(e.total);
    // The queue computes the age term from the stored static part's level: the same here.
    double listed_age = e.age_counts ? engine.age_score(s.received_at, now,
                                                         engine.level(s.priority_static))
                                     : 0.0;
    e.listed = s.priority_static + listed_age;
    return e;
}

}  // namespace kefu::triage
