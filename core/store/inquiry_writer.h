#pragma once
// Writes imported inquiries: dedupe, customer, thread, triage, full-text index, tags, all in
// batches of one transaction each. A batch also updates its import's counts, so that after a
// kill at any point the database holds whole batches and counts that match them; running the
// import again skips what is there (dedupe) and adds the rest in the same order, so the ids
// come out as an uninterrupted run would give them.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store/customers.h"
#include "core/store/fts.h"
#include "core/store/store.h"

namespace kefu {

// One record to import, from any format.
struct NewInquiry {
    std::string source;       // "orders.csv:17", "inbox.mbox:1234"
    std::string external_id;  // id column of an export ("" if none)
    std::string message_id;   // mail Message-ID ("" if none)
    TimePoint received_at = 0;
    std::string channel;
    BuyerInfo buyer;
    std::string contact;      // as given, for display
    std::string order_id;
    std::string product;
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::string subject;
    std::string subject_normalized;  // mail: reply prefixes removed (threading by subject)
    std::string body;
    std::string body_full;
    std::string mail_to;
    std::string attachments_json;
    std::string in_reply_to;
    std::vector<std::string> references;
    bool from_seller = false;     // mail from the seller's own address: a reply, not an inquiry
    bool had_replacement = false; // decoded with U+FFFD left in
    bool time_from_import = false; // the source gives no time: received_at is the import's
};

// What triage decided about a record.
struct Classification {
    Category category = Category::Other;
    std::vector<std::string> tags;
    double static_score = 0;
    std::string language;
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::map<std::string, std::string> captures;  // order_id, tracking, … from rules
    std::shared_ptr<void> detail;                 // the classifier's own record, for `signals`
};

// thread_messages below: ?1 thread, ?2 received_at, ?3 id → the buyer's messages of the
// thread up to this one (seller mail left out). Import and retag count it alike.
inline constexpr const char* k_sql_thread_messages =
    "SELECT count(*) FROM inquiry WHERE thread_id = ?1 AND flags & 2 = 0 AND "
    "(received_at < ?2 OR (received_at = ?2 AND id <= ?3))";

// Signals about the buyer that triage weighs, known only to the store.
struct BuyerSignals {
    bool vip = false;
    int open_from_customer = 0;  // other new/open/waiting threads of this buyer
    int thread_messages = 1;     // messages in this thread, this one included
};

// Triage in two steps: `text` looks only at the record (it must be safe to call from another
// thread, where an import prepares records); `signals` then adds what depends on the store.
struct Classifier {
    std::function<Classification(const NewInquiry&)> text;
    std::function<void(Classification&, const BuyerSignals&)> signals;
    explicit operator bool() const { return static_cast<bool>(text); }
};

// Work done on a record before it reaches the writer (possibly on another thread).
struct PreparedRecord {
    std::optional<Classification> classification;  // Classifier::text's answer
    fts::Pretokenized subject_tokens;              // the full-text tokens of subject and body
    fts::Pretokenized body_tokens;
    bool tokenized = false;
};

// Fills `out` for `in` (classification when a classifier is given, full-text tokens).
void prepare_record(const NewInquiry& in, const Classifier& classifier, PreparedRecord& out);

enum class WriteOutcome { New, Duplicate, SellerReply };

class InquiryWriter {
public:
    // `classifier` may be empty (everything "other", language unknown). With `dry_run`
    // nothing is written: duplicates are found against the database and within the run.
    InquiryWriter(Store& store, int64_t import_id, Classifier classifier, TimePoint now,
                  size_t batch_size, bool dry_run = false);
    ~InquiryWriter();

    // Writes one record. `prepared`, when given, holds work already done for it; its
    // classification is completed there (Classifier::signals) and left in it, so that it is
    // freed with the record, by whichever thread the caller frees records on.
    WriteOutcome add(const NewInquiry& in, PreparedRecord* prepared = nullptr);

    // Counts of this run, as also kept in the import row.
    uint64_t n_new() const { return m_new; }
    uint64_t n_duplicate() const { return m_duplicate; }
    uint64_t n_rejected() const { return m_rejected; }
    uint64_t n_flagged() const { return m_flagged; }
    uint64_t n_replies() const { return m_replies; }
    void count_rejected() { ++m_rejected; }

    // Commits the open batch and marks the import finished.
    void finish(const std::string& rejects_path);

private:
    void step();  // counts one record of the batch; commits when the batch is full

    struct Impl;
    std::unique_ptr<Impl> m;
    uint64_t m_new = 0, m_duplicate = 0, m_rejected = 0, m_flagged = 0, m_replies = 0;
};

// The dedupe key of a record: a Message-ID's XXH3; otherwise the record's minute in the high
// 32 bits and the XXH3 of what identifies it (external id per channel, else customer + time +
// text) in the low 32. Keys that collide are told apart by comparing the records, and the later
// one takes the next free key. Persistent: never change how a key is made.
uint64_t dedupe_key(const NewInquiry& in);

// Starts an import row; returns its id (0 with dry_run).
int64_t begin_import(Store& store, const std::string& source, const std::string& kind,
                     TimePoint now, bool dry_run);

}  // namespace kefu
