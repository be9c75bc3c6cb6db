#pragma once
// `kefu log`: the whole history of a conversation, oldest first: when each of its messages
// was imported, every event of every message (tags, status changes, notes, follow-ups,
// snoozes, merges), and each reply. Events are append-only (table event), so this is what
// happened and when, never a current state.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu::workflow {

struct LogEntry {
    TimePoint at = 0;
    int64_t inquiry_id = 0;  // the message it is about
    std::string kind;        // imported, status, note, tag, followup, snooze, reply, …
    std::string detail;      // human-readable; buyer text comes raw (escape it to show it)
};

// The history of the thread of `inquiry_id`; empty when there is no such inquiry. Without
// `with_replies` the replies are left out (for a caller that lists them itself).
std::vector<LogEntry> thread_log(Store& store, int64_t inquiry_id, bool with_replies = true);

}  // namespace kefu::workflow
