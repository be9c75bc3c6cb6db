#include "core/workflow/due.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <queue>
#include <unordered_set>

#include "core/error.h"
#include "core/time.h"
#include "core/workflow/sla.h"

namespace kefu::workflow {
namespace {

constexpr const char* k_last_run_key = "due:last-run";

// Order of kinds among items equally late: the buyer waiting beats a promise, which beats a
// snooze.
int kind_rank(DueKind k) {
    switch (k) {
        case DueKind::FirstResponse:
            return 0;
        case DueKind::FollowupResponse:
            return 1;
        case DueKind::Followup:
            return 2;
        case DueKind::Snooze:
            return 3;
    }
    return 4;
}

// The order of the list: most late (earliest due) first, then by kind, then by id.
bool before(const DueItem& a, const DueItem& b) {
    if (a.due_at != b.due_at) {
        return a.due_at < b.due_at;
    }
    if (kind_rank(a.kind) != kind_rank(b.kind)) {
        return kind_rank(a.kind) < kind_rank(b.kind);
    }
    return a.inquiry_id < b.inquiry_id;
}

class Notified {
public:
    Notified(Store& store, bool active)
        : m_active(active), m_q(store.db(), "SELECT stamp FROM notified WHERE key = ?") {}

    // True when `key` was shown before about the same `stamp`.
    bool seen(const std::string& key, int64_t stamp) {
        if (!m_active) {
            return false;
        }
        auto s = stamp_of(key);
        return s && *s == stamp;
    }

    std::optional<int64_t> stamp_of(const std::string& key) {
        m_q.reset();
        m_q.bind(1, key);
        std::optional<int64_t> stamp;
        if (m_q.executeStep()) {
            stamp = m_q.getColumn(0).getInt64();
        }
        // A statement left on a row keeps its read transaction open after COMMIT; a later
        // BEGIN IMMEDIATE would then fail at once with "database is locked" whenever another
        // process wrote meanwhile. Reset it now.
        m_q.reset();
        return stamp;
    }

private:
    bool m_active;
    SQLite::Statement m_q;
};

// Collects up to `limit` items of one kind that arrive in due order; notes whether more
// were left.
struct Collector {
    size_t limit;
    std::vector<DueItem>& out;
    bool& more;
    size_t taken = 0;

    // False when the limit is reached and the caller should stop reading.
    bool take(DueItem d) {
        if (limit != 0 && taken == limit) {
            more = true;
            return false;
        }
        out.push_back(std::move(d));
        ++taken;
        return true;
    }
};

void add_followups(Store& store, TimePoint until, Notified& notified, Collector c) {
    // The due ones from the index alone (id and due_at are in it); the rest only for those
    // not shown yet, so that a cron run with nothing new reads no rows at all.
    SQLite::Statement q(store.db(),
                        "SELECT id, due_at FROM followup WHERE done_at IS NULL AND due_at <= ? "
                        "ORDER BY due_at, id");
    SQLite::Statement more(store.db(),
                           "SELECT f.inquiry_id, f.note, i.thread_id, coalesce(i.customer_id, 0), "
                           "coalesce(c.name, ''), i.contact FROM followup f "
                           "JOIN inquiry i ON i.id = f.inquiry_id "
                           "LEFT JOIN customer c ON c.id = i.customer_id WHERE f.id = ?");
    q.bind(1, until);
    while (q.executeStep()) {
        DueItem d;
        d.kind = DueKind::Followup;
        d.followup_id = q.getColumn(0).getInt64();
        d.due_at = q.getColumn(1).getInt64();
        d.key = fmt::format("followup:{}", d.followup_id);
        if (notified.seen(d.key, d.due_at)) {
            continue;
        }
        more.reset();
        more.bind(1, d.followup_id);
        if (!more.executeStep()) {
            continue;
        }
        d.inquiry_id = more.getColumn(0).getInt64();
        d.note = more.getColumn(1).getString();
        d.thread_id = more.getColumn(2).getInt64();
        d.customer_id = more.getColumn(3).getInt64();
        d.customer = more.getColumn(4).getString();
        d.contact = more.getColumn(5).getString();
        more.reset();
        if (!c.take(std::move(d))) {
            break;
        }
    }
}

void add_snoozes(Store& store, TimePoint since, TimePoint until, Notified& notified,
                 Collector c) {
    SQLite::Statement q(store.db(),
                        "SELECT i.id, i.thread_id, i.snooze_until, coalesce(i.customer_id, 0), "
                        "coalesce(c.name, ''), i.contact FROM inquiry i "
                        "LEFT JOIN customer c ON c.id = i.customer_id "
                        "WHERE i.snooze_until > ? AND i.snooze_until <= ? AND i.is_head = 1 "
                        "AND i.status < 3 ORDER BY i.snooze_until, i.id");
    q.bind(1, since);
    q.bind(2, until);
    while (q.executeStep()) {
        DueItem d;
        d.kind = DueKind::Snooze;
        d.inquiry_id = q.getColumn(0).getInt64();
        d.thread_id = q.getColumn(1).getInt64();
        d.due_at = q.getColumn(2).getInt64();
        d.key = fmt::format("snooze:{}", d.thread_id);
        if (notified.seen(d.key, d.due_at)) {
            continue;
        }
        d.customer_id = q.getColumn(3).getInt64();
        d.customer = q.getColumn(4).getString();
        d.contact = q.getColumn(5).getString();
        if (!c.take(std::move(d))) {
            break;
        }
    }
}

void add_sla(Store& store, const Config::Sla& sla, const PriorityModel& model, TimePoint now,
             int64_t within, Notified& notified, size_t limit, std::vector<DueItem>& out,
             bool& more) {
    // Any breach within the window starts at an unanswered buyer message received no later
    // than this; the partial index inquiry_unanswered holds only such messages.
    int64_t shortest = shortest_limit(sla);
    TimePoint newest = now + within - shortest;
    SQLite::Statement q(store.db(),
                        "SELECT thread_id, received_at FROM inquiry WHERE first_response_at IS "
                        "NULL AND status < 2 AND received_at <= ? AND flags & 2 = 0 "
                        "ORDER BY received_at");
    q.bind(1, newest);
    SQLite::Statement who(store.db(),
                          "SELECT coalesce(i.customer_id, 0), coalesce(c.name, ''), i.contact "
                          "FROM inquiry i LEFT JOIN customer c ON c.id = i.customer_id "
                          "WHERE i.id = ?");
    // With a limit, the best `limit` items so far; the top is the one to drop first.
    std::priority_queue<DueItem, std::vector<DueItem>, decltype(&before)> best(&before);
    std::unordered_set<int64_t> threads;
    ThreadWaitReader waits(store);
    bool full_and_done = false;  // no later thread can enter the best; look for one more
    while (q.executeStep()) {
        int64_t thread = q.getColumn(0).getInt64();
        if (!threads.insert(thread).second) {
            continue;
        }
        // A thread first met at this message waits since this message or later (an earlier
        // waiting message would have been met first), so its deadline is at least this.
        TimePoint earliest_deadline = q.getColumn(1).getInt64() + shortest;
        if (limit != 0 && best.size() == limit && earliest_deadline > best.top().due_at) {
            full_and_done = true;
        }
        ThreadWait w = waits.read(thread);
        if (w.kind == SlaKind::None || (w.snooze_until && *w.snooze_until > now)) {
            continue;
        }
        SlaState s = sla_of(w, sla, sla_level(model, w.head_priority_static), now);
        if (s.deadline > now + within) {
            continue;
        }
        std::string key = fmt::format("sla:{}", thread);
        if (notified.seen(key, s.deadline)) {
            continue;
        }
        if (full_and_done) {
            more = true;  // one more is due beyond the limit: that is all we needed to know
            break;
        }
        DueItem d;
        d.kind = s.kind == SlaKind::FirstResponse ? DueKind::FirstResponse
                                                  : DueKind::FollowupResponse;
        d.inquiry_id = w.head_id;
        d.thread_id = thread;
        d.due_at = s.deadline;
        d.level = s.level;
        d.limit = s.limit;
        d.key = std::move(key);
        who.reset();
        who.bind(1, w.head_id);
        if (who.executeStep()) {
            d.customer_id = who.getColumn(0).getInt64();
            d.customer = who.getColumn(1).getString();
            d.contact = who.getColumn(2).getString();
        }
        who.reset();
        if (limit == 0) {
            out.push_back(std::move(d));
            continue;
        }
        best.push(std::move(d));
        if (best.size() > limit) {
            best.pop();
            more = true;
        }
    }
    while (!best.empty()) {
        out.push_back(best.top());
        best.pop();
    }
}

// The note of an item that has none of its own: what the seller is asked to do.
void describe(DueItem& d) {
    std::string level = d.level.empty() ? "" : ", " + d.level;
    switch (d.kind) {
        case DueKind::Followup:
            break;
        case DueKind::Snooze:
            d.note = d.late_by >= 0 ? "snooze ended, back in the queue" : "snooze ends";
            break;
        case DueKind::FirstResponse:
            d.note = fmt::format("no reply yet (SLA {}{})", timeutil::format_span(d.limit),
                                 level);
            break;
        case DueKind::FollowupResponse:
            d.note = fmt::format("the buyer wrote again (SLA {})",
                                 timeutil::format_span(d.limit));
            break;
    }
}

}  // namespace

std::string_view to_string(DueKind kind) {
    switch (kind) {
        case DueKind::Followup:
            return "followup";
        case DueKind::Snooze:
            return "snooze";
        case DueKind::FirstResponse:
            return "first_response";
        case DueKind::FollowupResponse:
            return "followup_response";
    }
    return "";
}

DueList compute_due(Store& store, const DueOptions& o, const Config::Sla& sla,
                    const PriorityModel& model, TimePoint now) {
    // One snapshot for all the reads (WAL: a reader never waits for a writer).
    std::unique_ptr<SQLite::Transaction> snapshot;
    if (sqlite3_get_autocommit(store.db().getHandle()) != 0) {
        snapshot = std::make_unique<SQLite::Transaction>(store.db(),
                                                         SQLite::TransactionBehavior::DEFERRED);
    }
    DueList list;
    Notified notified(store, o.unnotified_only);
    add_followups(store, now + o.within, notified, {o.limit, list.items, list.more});
    TimePoint snooze_since = now - o.snooze_lookback;
    if (o.unnotified_only) {
        if (auto last = notified.stamp_of(k_last_run_key)) {
            snooze_since = std::min(snooze_since, *last);
        }
    }
    add_snoozes(store, snooze_since, now + o.within, notified, {o.limit, list.items, list.more});
    add_sla(store, sla, model, now, o.within, notified, o.limit, list.items, list.more);
    if (snapshot) {
        snapshot->commit();  // nothing was written: this only ends the read
    }
    std::sort(list.items.begin(), list.items.end(), before);
    if (o.limit != 0 && list.items.size() > o.limit) {
        list.items.resize(o.limit);
        list.more = true;
    }
    for (DueItem& d : list.items) {
        d.late_by = now - d.due_at;
        describe(d);
    }
    return list;
}

std::vector<DueItem> mark_notified(Store& store, const std::vector<DueItem>& items,
                                   TimePoint now) {
    Notified notified(store, true);
    SQLite::Statement q(store.db(),
                        "INSERT INTO notified(key, stamp, at) VALUES (?, ?, ?) ON CONFLICT(key) "
                        "DO UPDATE SET stamp = excluded.stamp, at = excluded.at");
    SQLite::Statement f(store.db(), "UPDATE followup SET notified_at = ? WHERE id = ?");
    auto put = [&](const std::string& key, int64_t stamp) {
        q.reset();
        q.bind(1, key);
        q.bind(2, stamp);
        q.bind(3, now);
        q.exec();
    };
    std::vector<DueItem> fresh;
    for (const DueItem& d : items) {
        if (notified.seen(d.key, d.due_at)) {
            continue;  // an overlapping run showed it in the meantime
        }
        put(d.key, d.due_at);
        if (d.kind == DueKind::Followup) {
            f.reset();
            f.bind(1, now);
            f.bind(2, d.followup_id);
            f.exec();
        }
        fresh.push_back(d);
    }
    put(k_last_run_key, now);
    return fresh;
}

}  // namespace kefu::workflow

namespace kefu::workflow {

std::optional<std::vector<DueItem>> mark_notified_eagerly(Store& store,
                                                          const std::vector<DueItem>& items,
                                                          TimePoint now, int max_wait_ms) {
    sqlite3* db = store.db().getHandle();
    store.set_busy_wait(max_wait_ms);
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    store.set_busy_wait(Store::k_busy_timeout_ms);
    if (rc == SQLITE_BUSY) {
        return std::nullopt;
    }
    if (rc != SQLITE_OK) {
        throw SQLite::Exception(db, rc);
    }
    try {
        auto fresh = mark_notified(store, items, now);
        store.db().exec("COMMIT");
        return fresh;
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

}  // namespace kefu::workflow
