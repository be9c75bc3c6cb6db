#pragma once
// Recomputing an inquiry's triage from what the store holds, for `kefu explain` (one
// inquiry) and `kefu retag` (one or all): the text and the signals an inquiry is classified
// with now, which of its stored fields are derived from the rules, and what retag would
// write.
//
// Derived data, recomputed from the current rules and signals: category, the rules' tags
// (tag.source 0), priority_static and language. Two fields may come from an import column
// or from the rules, and only the rules' part is derived:
//   - goods_kind: an empty one (unknown) is filled from the rules; one the rules filled
//     (flag k_flag_goods_from_rules) follows them; any other came from the import and is
//     kept, and the rules see it as given.
//   - order_id: an empty one is filled from a rule's capture; one a capture filled (flag
//     k_flag_order_captured) follows the captures; any other is kept.
// Tags added by hand (source 1) and removed by hand (source 2) are never touched: a rule
// does not add back a tag removed by hand, and a hand-added tag stays when no rule sets it.
//
// The signals (see Signals in engine.h) are those of the message's arrival as far as they
// still hold, which is what import computed when it stored the message; they change when a
// VIP flag is set or a thread is resolved:
//   vip                 customer.vip of the inquiry's customer
//   open_from_customer  the customer's other threads that had started when this message
//                       came (their earliest message received at or before it) and are
//                       still open: their head message has status new, open or waiting
//   thread_messages     buyer messages of the inquiry's thread received up to this one
//                       (received_at, then id), this one included

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/store/inquiry_writer.h"
#include "core/store/store.h"
#include "core/triage/engine.h"

namespace kefu::triage {

// Bits of inquiry.flags kept next to those of kefu::InquiryFlag (core/model.h), whose values
// they must not reuse: which derived fields the rules filled (set by import and retag).
inline constexpr int64_t k_flag_goods_from_rules = 4;
inline constexpr int64_t k_flag_order_captured = 8;

// tag.source values (core/store/schema.sql, table tag).
enum class TagSource : int { Rule = 0, Added = 1, Removed = 2 };

struct StoredTag {
    std::string name;
    TagSource source = TagSource::Rule;
};

// What triage reads of one inquiry, and what it last stored.
struct StoredTriage {
    int64_t id = 0;
    int64_t customer_id = 0;  // 0: none
    int64_t thread_id = 0;
    TimePoint received_at = 0;
    Status status = Status::New;
    std::optional<TimePoint> first_response_at;
    std::string subject;
    std::string body;
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::string order_id;
    int64_t flags = 0;
    Category category = Category::Other;
    double priority_static = 0;
    std::string language;
    std::string captures;         // captures_record() of what the rules captured
    std::vector<StoredTag> tags;  // by name
    Signals signals;
};

// The queries of the signals, shared by load_stored() and the bulk reader of retag.cpp so
// that both read them alike (import counts thread_messages with the same
// k_sql_thread_messages, core/store/inquiry_writer.h).
//   k_sql_open_threads     ?1 customer, ?2 thread, ?3 received_at → open_from_customer
//   k_sql_all_open_threads every open thread: customer (NULL for none), start, thread id;
//                          a scan of the table, which reads a million rows in a fraction of
//                          the time that looking each one up from an index takes
inline constexpr const char* k_sql_open_threads =
    "SELECT count(*) FROM inquiry h WHERE h.customer_id = ?1 AND h.is_head = 1 AND "
    "h.status < 3 AND h.flags & 2 = 0 AND h.thread_id <> ?2 AND "
    "(SELECT min(received_at) FROM inquiry t WHERE t.thread_id = h.thread_id) <= ?3";
inline constexpr const char* k_sql_all_open_threads =
    "SELECT h.customer_id, (SELECT min(received_at) FROM inquiry t WHERE t.thread_id = "
    "h.thread_id), h.thread_id FROM inquiry h NOT INDEXED WHERE h.is_head = 1 AND "
    "h.status < 3 AND h.flags & 2 = 0";

// The stored triage columns of an inquiry, as read_stored() reads them (both the one-inquiry
// and the bulk reader select them).
inline constexpr const char* k_sql_stored_columns =
    "id, coalesce(customer_id, 0), thread_id, received_at, status, first_response_at, subject, "
    "body, goods_kind, order_id, flags, category, priority_static, language, triage";
// Fills `s` (all but tags and signals) from a row of k_sql_stored_columns.
void read_stored(SQLite::Statement& row, StoredTriage& s);

// One inquiry with its tags and current signals; nullopt when there is no such inquiry.
std::optional<StoredTriage> load_stored(Store& store, int64_t id);

// The text of an inquiry as the rules see it: subject, body, and the goods kind when it came
// from the import (otherwise unknown, so that the rules decide).
Input triage_input(const StoredTriage& s);

// What retag stores for an inquiry, from a classification of triage_input(s) with s.signals.
struct Recomputed {
    Category category = Category::Other;
    double priority_static = 0;
    std::string language;
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::string order_id;
    int64_t flags = 0;
    std::string captures;                   // captures_record() of the captures now
    std::vector<std::string> tags_added;    // rule tags to add (source 0)
    std::vector<std::string> tags_removed;  // rule tags the rules no longer set
};
Recomputed recompute(const StoredTriage& s, const Result& r);

// What changed, as one line for people and for the event log ("category refund → complaint;
// priority 8.5 → 12.5; tags +angry -urgent"); empty when nothing did.
std::string describe_changes(const StoredTriage& s, const Recomputed& r);

// The tags an inquiry shows: its rule tags and those added by hand, sorted.
std::vector<std::string> visible_tags(const std::vector<StoredTag>& tags);
// The tags it shows once `r` is written.
std::vector<std::string> visible_tags(const StoredTriage& s, const Recomputed& r);

// Whether the age term counts: only while the buyer waits for a first answer (status new or
// open, no response yet). cmd/triage_setup.cpp (priority_model) applies the same rule to
// the queue; change both together.
bool age_applies(Status status, const std::optional<TimePoint>& first_response_at);

// Whether `name` can be a tag: not empty, at most 64 bytes, valid UTF-8, no white space,
// commas or control characters, and no leading '+' or '-' (the same as rules.cpp allows
// in a rule's tags, plus the length and control characters).
bool is_valid_tag(std::string_view name);

}  // namespace kefu::triage
