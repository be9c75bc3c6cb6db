#pragma once
// Reading inquiries back: the queue (list), one inquiry with everything around it (show),
// and full-text search. Read-only; every query uses bound parameters.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu {

// How the dynamic part of a priority is computed when listing (triage provides it).
// `age` must never return more than `max_age`: the queue relies on that bound to stop
// reading early when it sorts by priority.
struct PriorityModel {
    std::function<double(const Inquiry&, TimePoint now)> age;  // empty = no age term
    double max_age = 0;
    std::function<std::string(double total)> level;  // empty = ""
};

enum class QueueSort { Priority, Received, Due };

struct QueueFilter {
    std::vector<Status> statuses;         // empty = new and open
    std::optional<Category> category;
    std::string tag;
    std::string level;                    // urgent / high / normal / low
    std::vector<int64_t> customer_ids;    // empty = everyone
    bool customer_given = false;          // a --customer that matched nobody lists nothing
    std::optional<TimePoint> since;
    std::optional<TimePoint> until;
    bool due_only = false;                // with an open follow-up due by now
    bool include_snoozed = false;
    size_t limit = 50;                    // 0 = no limit
    QueueSort sort = QueueSort::Priority;
};

struct QueuePage {
    std::vector<Inquiry> items;
    bool more = false;  // more rows matched than the limit
};

// The queue: one row per thread (its latest buyer message), filtered and sorted.
QueuePage list_queue(Store& store, const QueueFilter& filter, const PriorityModel& model, TimePoint now);

// The rows of list_queue, handed to `visit` one at a time in the same order instead of being
// kept: memory does not grow with the queue. Without a limit, the priority order is found from
// the rows' priorities alone and each row is then read again by id. Returns whether more rows
// matched than the limit.
bool visit_queue(Store& store, const QueueFilter& filter, const PriorityModel& model, TimePoint now,
                 const std::function<void(const Inquiry&)>& visit);

// One inquiry by id (any message, head or not).
std::optional<Inquiry> get_inquiry(Store& store, int64_t id, const PriorityModel& model, TimePoint now);

// A file attached to a mail, as its import recorded it (never its content).
struct Attachment {
    std::string name;  // "" when the part had no file name
    std::string type;  // "image/jpeg"
    int64_t size = 0;  // decoded bytes
};

// The attachments of an inquiry (none for a CSV record). What cannot be read of the stored
// list is left out rather than failing.
std::vector<Attachment> inquiry_attachments(Store& store, int64_t id);

// The messages of a thread, oldest first.
std::vector<Inquiry> thread_messages(Store& store, int64_t thread_id);

// Customers whose id, identity (email / phone / handle) or name matches `who`.
std::vector<int64_t> find_customers(Store& store, const std::string& who);

struct SearchHit {
    Inquiry inquiry;
    std::string snippet;  // the matching text around the hit, with the hit in [brackets]
};

// Full-text search over subjects and bodies (see core/store/fts.h for what matches).
// Newest first. `total` (if given) gets the number of matches, counted up to 1001 (so a
// value above 1000 means "more than 1000"). Throws kefu::Error for a query with nothing
// searchable in it.
std::vector<SearchHit> search(Store& store, const std::string& query, size_t limit, size_t* total);

// An event of an inquiry's history (also imports and replies, for `kefu log`).
struct HistoryEntry {
    TimePoint at = 0;
    std::string kind;
    std::string detail;
};
std::vector<HistoryEntry> history(Store& store, int64_t inquiry_id);

struct ReplyRecord {
    int64_t id = 0;
    int64_t inquiry_id = 0;
    std::string template_id;
    std::string language;
    std::string text;
    TimePoint sent_at = 0;
    std::string source;  // kefu or mail
};
// Replies sent in a thread, oldest first.
std::vector<ReplyRecord> thread_replies(Store& store, int64_t thread_id);

struct FollowupRecord {
    int64_t id = 0;
    int64_t inquiry_id = 0;
    TimePoint due_at = 0;
    std::string note;
    TimePoint created_at = 0;
    std::optional<TimePoint> done_at;
};
// Follow-ups of a thread, by due time.
std::vector<FollowupRecord> thread_followups(Store& store, int64_t thread_id);

struct CustomerSummary {
    int64_t id = 0;
    std::string name;
    bool vip = false;
    int64_t inquiries = 0;
    int64_t open_threads = 0;
    TimePoint first_contact = 0;
    TimePoint last_contact = 0;
    std::vector<std::string> identities;  // "email: a@b.c", "phone: 138…", "handle (taobao): x"
};
std::optional<CustomerSummary> customer_summary(Store& store, int64_t customer_id);

}  // namespace kefu
