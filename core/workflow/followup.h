#pragma once
// Follow-ups (a promise to come back to a buyer at a time: table followup) and snoozes (a
// thread hidden from the queue until a time: inquiry.snooze_until, kept on every message of
// the thread). Like status.h, nothing here opens a transaction: the caller's WriteTx holds
// the whole command. Every change is logged as an event on the inquiry given:
//   "followup"  "follow-up #3 due 2026-11-16 12:00 +08:00: ask the courier"
//               "follow-up #3 done (was due 2026-11-16 12:00 +08:00)"
//   "snooze"    "snoozed until 2026-11-20 09:00 +08:00, or until the buyer writes"
//               "snooze cleared"
// (the importer adds "snooze ended: the buyer wrote again" when --or-reply ends one).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/queue.h"
#include "core/store/store.h"

namespace kefu::workflow {

// Schedules a follow-up of `inquiry_id` due at `due_at` (after a reply, the reply command
// calls this with the template's delay). Returns the follow-up's id. Throws kefu::Error when
// the inquiry does not exist. Earlier open follow-ups of the thread stay open: a seller may
// promise two things.
int64_t record_followup(Store& store, int64_t inquiry_id, TimePoint due_at,
                        const std::string& note, TimePoint now);

// Completes every open follow-up of the thread of `inquiry_id` at `now` and returns them
// (empty when there was none). Throws kefu::Error when the inquiry does not exist.
std::vector<FollowupRecord> complete_followups(Store& store, int64_t inquiry_id,
                                               TimePoint now);

// Hides the thread of `inquiry_id` from the queue until `until`. With `or_reply`, a new
// message from the buyer ends the snooze early (the importer clears it). A new snooze
// replaces an earlier one.
void snooze(Store& store, int64_t inquiry_id, TimePoint until, bool or_reply, TimePoint now);

// Ends the thread's snooze now; false when it was not snoozed.
bool unsnooze(Store& store, int64_t inquiry_id, TimePoint now);

// A follow-up with what a list shows about its inquiry.
struct FollowupView {
    FollowupRecord followup;
    int64_t thread_id = 0;
    int64_t customer_id = 0;
    std::string customer;  // display name ("" when unknown)
    std::string contact;   // as given in the record (mask it for display)
    Status status = Status::New;
};

// Open follow-ups by due time (with `include_done`, done ones too).
std::vector<FollowupView> list_followups(Store& store, bool include_done);

}  // namespace kefu::workflow
