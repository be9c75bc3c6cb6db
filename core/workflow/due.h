#pragma once
// What is due: the list `kefu due` prints for cron. Four kinds of item:
//   followup           an open follow-up whose time has come (or comes within the window)
//   snooze             a snooze that ended (or ends within the window): the thread is back
//   first_response     a thread past (or within the window of) its first-response SLA
//   followup_response  a thread past its follow-up-response SLA (the buyer wrote again)
// late_by = now - due_at: positive when late, negative for an item that is not due yet but
// falls within the window. Items come most late first.
//
// Every query reads an index range that holds only what is due, so that `kefu due` stays
// fast on a database of millions of inquiries: followup_open (due_at) for follow-ups,
// inquiry_snooze (snooze_until) for snoozes, inquiry_unanswered (received_at) for the SLAs
// (see core/store/schema.sql: inquiry_unanswered, inquiry_snooze).
//
// Table notified remembers what `kefu due --mark-notified` has shown, so that cron does not
// repeat an item until it changes. Keys and stamps (an item is shown again when its stamp
// differs from the stored one):
//   "followup:<followup id>"  stamp = its due_at
//   "snooze:<thread id>"      stamp = snooze_until
//   "sla:<thread id>"         stamp = the SLA deadline (a new wait gives a new deadline)
//   "due:last-run"            stamp = the time of the last --mark-notified run; snoozes
//                             that ended since then are shown even if cron missed a day.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/model.h"
#include "core/queue.h"
#include "core/store/store.h"

namespace kefu::workflow {

enum class DueKind { Followup, Snooze, FirstResponse, FollowupResponse };

// "followup", "snooze", "first_response", "followup_response".
std::string_view to_string(DueKind kind);

struct DueItem {
    DueKind kind = DueKind::Followup;
    int64_t inquiry_id = 0;   // the follow-up's inquiry, else the thread's latest message
    int64_t thread_id = 0;
    int64_t followup_id = 0;  // followup only
    TimePoint due_at = 0;     // follow-up time, snooze end or SLA deadline
    int64_t late_by = 0;      // now - due_at, in seconds
    int64_t customer_id = 0;
    std::string customer;     // display name ("" when unknown)
    std::string contact;      // as given (mask it for display)
    std::string level;        // SLA items: the level that chose the limit
    int64_t limit = 0;        // SLA items: the limit in seconds
    std::string note;         // follow-ups: the seller's note
    std::string key;          // key in table notified
};

struct DueOptions {
    int64_t within = 0;              // also list what falls due within this many seconds
    bool unnotified_only = false;    // leave out what --mark-notified has shown already
    int64_t snooze_lookback = 86400; // snoozes that ended this long ago are still listed
    size_t limit = 0;                // at most this many items, the most late (0 = all)
};

struct DueList {
    std::vector<DueItem> items;  // most late first
    bool more = false;           // the limit left out items that are due
};

// Everything due at `now` (or within the window), most late first. Reads one snapshot of the
// database (a deferred read transaction unless the caller holds one), so that it never waits
// for a writer and never sees half of an import batch. With a limit it reads no more than it
// needs: each index range is read in due order and the SLA scan stops once no later message
// can make a deadline earlier than the limit-th one found.
DueList compute_due(Store& store, const DueOptions& options, const Config::Sla& sla,
                    const PriorityModel& model, TimePoint now);

// Remembers `items` as shown at `now` (and this run, see "due:last-run") and returns those
// that no other run had marked meanwhile with the same stamp: what this run must show. Runs
// inside the caller's WriteTx, which is short: compute first in a read snapshot, then mark,
// so that a cron run holds the write lock for milliseconds even beside a large import.
std::vector<DueItem> mark_notified(Store& store, const std::vector<DueItem>& items,
                                   TimePoint now);

// mark_notified in a write transaction of its own, waiting for the write lock as every write
// does (Store::set_busy_wait) but for `max_wait_ms` instead of the store's timeout. Returns
// std::nullopt, having marked nothing, when the lock stayed taken that long.
std::optional<std::vector<DueItem>> mark_notified_eagerly(Store& store,
                                                          const std::vector<DueItem>& items,
                                                          TimePoint now, int max_wait_ms);

}  // namespace kefu::workflow
