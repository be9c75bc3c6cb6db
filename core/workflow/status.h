#pragma once
// The workflow of a conversation after it arrives: its status, the seller's notes, and the
// record of the seller's responses. Status belongs to a thread: every function here changes
// every message of the thread of the inquiry it is given, and logs one event (table event)
// on that inquiry, so that `kefu log` shows who did what when.
//
// None of these functions opens a transaction: the caller holds one WriteTx for the whole
// command (a batch changes all of its inquiries or none), and may combine them, e.g. the
// reply command: insert the reply, then record_response, record_followup (followup.h) and
// set_status(waiting), then commit.
//
// Event kinds written here: "status" (detail "open → resolved" or "open → resolved: why")
// and "note" (detail: the note's text).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu::workflow {

// What `set_status` did to one thread.
struct StatusChange {
    int64_t inquiry_id = 0;  // the id as given
    int64_t thread_id = 0;
    Status from = Status::New;
    Status to = Status::New;
    int64_t same_thread_as = 0;  // another id given in the same thread, which carried it
    bool changed() const { return from != to && same_thread_as == 0; }
};

// Parses a status a user may set: open, waiting, resolved or closed (a thread never goes
// back to new). Throws a usage error naming the word otherwise.
Status parse_target_status(std::string_view word);

// Sets the status of the threads of `ids` to `status` at `now`. Unknown ids are an error
// naming them all, before anything is written. Returns one entry per id, in order. Each thread
// is changed once even when several of its messages are given (the later ones have
// same_thread_as set); a thread already in `status` is left alone (from == to, nothing
// logged). `reason`, when given, is added to the logged event.
//
// Side effects that keep the thread's record right:
//  - leaving new/open for waiting, resolved or closed counts as the seller's response
//    (record_response at `now`): the seller answered, or settled it without words;
//  - resolved sets resolved_at = now; closed sets it when it is not set yet.
std::vector<StatusChange> set_status(Store& store, const std::vector<int64_t>& ids,
                                     Status status, TimePoint now,
                                     const std::string& reason = {});

// Records that the seller responded to the thread of `inquiry_id` at `at` (a reply sent by
// kefu or elsewhere): every message of the thread received by then that has no response yet
// gets first_response_at = at. So the first message's first_response_at is the thread's
// first-response time, and a message without it is one the buyer still waits on (the SLAs,
// sla.h). Writes no event: the reply itself (table reply) or the status change is the record.
void record_response(Store& store, int64_t inquiry_id, TimePoint at);

// Appends a note to the inquiry's history (event kind "note"). Empty notes are a usage error.
void add_note(Store& store, int64_t inquiry_id, const std::string& note, TimePoint now);

// Appends an event to the history of `inquiry_id` (its customer is filled in).
void log_event(Store& store, int64_t inquiry_id, TimePoint at, std::string_view kind,
               const std::string& detail);

// The thread of an inquiry, or 0 when there is no such inquiry.
int64_t thread_of(Store& store, int64_t inquiry_id);

// "2026-11-16 12:00 +08:00": a time for event details, in local time with its offset so that
// it stays unambiguous when read in another zone.
std::string stamp_text(TimePoint t);

}  // namespace kefu::workflow
