#pragma once
// `kefu tag ID +t -t`: tags decided by hand. They are kept in table tag next to the rules'
// tags (source 0): source 1 is a tag added by hand, source 2 a tag removed by hand. Both
// survive `kefu retag`: a tag added by hand stays when no rule sets it, and a tag removed by
// hand stays removed when a rule sets it again (recompute.h). Adding a tag that a rule set
// makes it a hand-added one, so that it stays when the rule stops setting it.
//
// Each edit that changes something is logged as one event of kind "tag" ("+vip -urgent").

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu::triage {

struct TagEdit {
    std::vector<std::string> add;
    std::vector<std::string> remove;
};

struct TagEditResult {
    std::vector<std::string> added;    // shown now and not before
    std::vector<std::string> removed;  // shown before and not now
    std::vector<std::string> kept;     // a rule's tag that is now held by hand
    std::vector<std::string> absent;   // asked to remove, but the inquiry did not have it
    std::vector<std::string> tags;     // the tags shown after the edit, sorted
    std::string detail;                // the event's detail; empty when nothing changed
};

// Applies `edit` to inquiry `id` in one transaction (nothing is written with `dry_run`).
// Throws kefu::Error for an unknown id, and a usage error (exit 2) for a bad tag name or a
// tag both added and removed.
TagEditResult edit_tags(Store& store, int64_t id, const TagEdit& edit, TimePoint now,
                        bool dry_run = false);

}  // namespace kefu::triage
