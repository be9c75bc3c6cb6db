#pragma once
// `kefu retag`: re-runs the rules over stored inquiries after the rules, the coefficients or
// the signals (a VIP flag) changed, and writes what changed of the derived data (see
// recompute.h for what is derived and what is kept).
//
// How it stays fast on a million inquiries: inquiries are read in id order in chunks (one
// prepared query, the signals of every customer read once up front), a second thread
// classifies a chunk while this one writes the previous chunk's changes and reads the next,
// and only rows that changed are written, a chunk per transaction.
//
// Crash safety: each chunk's changes (inquiry rows, their rule tags and their events) are
// one transaction, so a kill leaves whole chunks written and the rest as it was; retag only
// ever writes what the current rules compute, so running it again finds the rows that are
// still different and completes the work.
//
// Events (kind "retag"): an inquiry whose category, tags, language, goods kind or order id
// changed gets one, in the same transaction as the change, whose detail says what changed
// (describe_changes), so that `kefu show` and `kefu log` tell why its category moved. A change
// of the priority alone gets none: the score is a number derived from config and signals, a
// coefficient changed in config would log every inquiry (a million events for one edit), and
// `kefu explain` shows where the score comes from. Each run that changed something ends with
// one summary event of no inquiry, with the counts.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/store/store.h"
#include "core/triage/engine.h"
#include "core/triage/recompute.h"

namespace kefu::triage {

// Reads every buyer message (seller messages have no triage) in id order, chunk by chunk,
// with its tags and signals as load_stored() gives them.
class StoredReader {
public:
    explicit StoredReader(Store& store);
    ~StoredReader();
    StoredReader(const StoredReader&) = delete;
    StoredReader& operator=(const StoredReader&) = delete;

    // Up to `limit` inquiries after the last one returned; empty at the end.
    std::vector<StoredTriage> next(size_t limit);
    // Buyer messages in the store (for progress), counted when the reader is made.
    uint64_t total() const { return m_total; }

private:
    struct Impl;
    std::unique_ptr<Impl> m;
    uint64_t m_total = 0;
};

struct RetagOptions {
    std::vector<int64_t> ids;  // these inquiries, in one transaction; empty: every inquiry
    size_t batch_size = 10000;  // inquiries per chunk and transaction (all of them)
    bool dry_run = false;       // compute and report, write nothing
    bool collect = false;       // fill RetagSummary::changes (always done for `ids`)
    TimePoint now = 0;          // the time of the events and of updated_at
    // Called after each chunk with the inquiries checked so far and the total.
    std::function<void(uint64_t done, uint64_t total)> progress;
};

struct RetagChange {
    int64_t id = 0;
    std::string detail;  // describe_changes()
};

struct RetagSummary {
    uint64_t checked = 0;
    uint64_t changed = 0;
    // Changed inquiries by what changed (one inquiry may count in several).
    uint64_t category = 0;
    uint64_t tags = 0;
    uint64_t priority = 0;
    uint64_t other = 0;  // language, goods kind or order id
    std::vector<RetagChange> changes;  // with `ids` or `collect`
    std::vector<int64_t> skipped;      // ids given that are seller messages (no triage)
};

// Retags the inquiries of `options`. Throws kefu::Error naming every id given that is not an
// inquiry, before anything is written.
RetagSummary retag(Store& store, const Engine& engine, const RetagOptions& options);

}  // namespace kefu::triage
