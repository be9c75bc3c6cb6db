#pragma once
// Service levels ([sla] in config.toml): how long a buyer may wait for the seller.
//
//  - first response: the thread has had no response at all; the clock starts at its first
//    unanswered message, the limit is first_response_by_level[level] or first_response;
//  - follow-up response: the seller had answered, then the buyer wrote again; the clock
//    starts at the buyer's first message after the seller's latest response, the limit is
//    followup_response.
//
// A thread waits for the seller only while its status is new or open (waiting means the
// ball is with the buyer; resolved and closed threads wait for nobody). A response is any
// of: first_response_at on a message (record_response), a reply in table reply, a seller's
// own message in the thread (imported mail). A thread past its deadline is "breached".
//
// The level that picks the first-response limit is the level of the thread's stored
// priority (what the inquiry is about), not of its total with the age term: the deadline
// must not move while the buyer waits, and the age term itself grows toward this deadline.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/model.h"
#include "core/queue.h"
#include "core/store/store.h"

namespace kefu::workflow {

enum class SlaKind { None, FirstResponse, FollowupResponse };

// "first_response", "followup_response", "" for None.
std::string_view to_string(SlaKind kind);

// The first-response limit for `level` (urgent / high / normal / low / ""), in seconds.
int64_t first_response_limit(const Config::Sla& sla, std::string_view level);

// The shortest limit any thread can have: no breach can start from a message received
// later than now - this.
int64_t shortest_limit(const Config::Sla& sla);

// What a thread waits for, read from its messages and replies.
struct ThreadWait {
    int64_t thread_id = 0;
    int64_t head_id = 0;  // the latest buyer message (is_head), 0 when the thread has none
    Status status = Status::New;
    double head_priority_static = 0;
    std::optional<TimePoint> snooze_until;  // of the latest message
    SlaKind kind = SlaKind::None;           // None: the seller owes nothing now
    TimePoint since = 0;                    // the first buyer message not answered yet
};
ThreadWait thread_wait(Store& store, int64_t thread_id);

// thread_wait for many threads, with its statements prepared once (kefu due reads hundreds).
class ThreadWaitReader {
public:
    explicit ThreadWaitReader(Store& store);
    ThreadWait read(int64_t thread_id);

private:
    SQLite::Statement m_messages;
    SQLite::Statement m_replies;
};

struct SlaState {
    SlaKind kind = SlaKind::None;  // None: not waiting for the seller
    std::string level;             // the level that chose the limit
    TimePoint since = 0;
    int64_t limit = 0;             // seconds
    TimePoint deadline = 0;
    bool breached = false;         // deadline <= now
};

// The SLA of a thread whose waiting state is `wait` and whose priority level is `level`.
SlaState sla_of(const ThreadWait& wait, const Config::Sla& sla, std::string_view level,
                TimePoint now);

// The SLA of the thread of `inquiry` (any of its messages), for `kefu list` and `kefu show`:
//   j["sla"] = std::string(workflow::sla_label(workflow::sla_state(store, r, cfg, model, now)));
SlaState sla_state(Store& store, const Inquiry& inquiry, const Config& config,
                   const PriorityModel& model, TimePoint now);
// The same with statements prepared once, for many inquiries (kefu list).
SlaState sla_state(ThreadWaitReader& reader, const Inquiry& inquiry, const Config& config,
                   const PriorityModel& model, TimePoint now);

// "breached" when past the deadline, else "".
std::string_view sla_label(const SlaState& state);

// The level of a stored priority under `model` ("" when the model has no levels).
std::string sla_level(const PriorityModel& model, double priority_static);

}  // namespace kefu::workflow
