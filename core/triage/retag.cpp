#include "core/triage/retag.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <atomic>
#include <cstdio>
#include <future>
#include <optional>
#include <unordered_set>

#include "core/error.h"

namespace kefu::triage {
namespace {

// An inquiry whose derived data changed, with what to write.
struct Change {
    StoredTriage before;
    Recomputed after;
    std::string detail;
};

// A chunk being classified, by both threads at once: each takes the next rows by an atomic
// counter, so that neither waits while the other has work left.
struct Chunk {
    std::vector<StoredTriage> rows;
    std::vector<std::optional<Change>> changes;  // parallel to rows; set where one changed
    std::atomic<size_t> next{0};

    explicit Chunk(std::vector<StoredTriage> r) : rows(std::move(r)), changes(rows.size()) {}
};

// Classifies rows of `chunk` until none is left and keeps those whose derived data changed.
// Touches no database.
void classify_rows(const Engine& engine, Chunk& chunk) {
    constexpr size_t k_step = 32;
    while (true) {
        size_t begin = chunk.next.fetch_add(k_step);
        if (begin >= chunk.rows.size()) {
            return;
        }
        size_t end = std::min(begin + k_step, chunk.rows.size());
        for (size_t i = begin; i < end; ++i) {
            StoredTriage& s = chunk.rows[i];
            Result r = engine.classify(triage_input(s), s.signals);
            Recomputed after = recompute(s, r);
            std::string detail = describe_changes(s, after);
            if (!detail.empty() || after.flags != s.flags) {
                chunk.changes[i] = Change{std::move(s), std::move(after), std::move(detail)};
            }
        }
    }
}

std::vector<Change> changes_of(Chunk& chunk) {
    std::vector<Change> out;
    for (auto& c : chunk.changes) {
        if (c) {
            out.push_back(std::move(*c));
        }
    }
    return out;
}

// Writes changes with statements prepared once.
class Writer {
public:
    Writer(Store& store, TimePoint now)
        : m_store(store),
          m_now(now),
          m_score(store.db(),
                  "UPDATE inquiry SET priority_static = ?2, language = ?3, updated_at = ?4 "
                  "WHERE id = ?1"),
          m_all(store.db(),
                "UPDATE inquiry SET priority_static = ?2, language = ?3, updated_at = ?4, "
                "category = ?5, goods_kind = ?6, order_id = ?7, flags = ?8, triage = ?9 "
                "WHERE id = ?1"),
          m_add_tag(store.db(),
                    "INSERT INTO tag(inquiry_id, name, source) VALUES (?, ?, 0) "
                    "ON CONFLICT DO NOTHING"),
          m_remove_tag(store.db(),
                       "DELETE FROM tag WHERE inquiry_id = ? AND name = ? AND source = 0"),
          m_event(store.db(),
                  "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) "
                  "VALUES (?, ?, ?, 'retag', ?)") {}

    // Writes `changes` in one transaction and counts them into `summary`.
    void write(const std::vector<Change>& changes, bool dry_run, bool collect,
               RetagSummary& summary) {
        std::unique_ptr<WriteTx> tx;
        if (!dry_run && !changes.empty()) {
            tx = std::make_unique<WriteTx>(m_store);
        }
        for (const Change& c : changes) {
            const StoredTriage& s = c.before;
            const Recomputed& a = c.after;
            bool other = a.language != s.language || a.goods_kind != s.goods_kind ||
                         a.order_id != s.order_id || a.captures != s.captures;
            ++summary.changed;
            summary.category += a.category != s.category;
            summary.tags += !a.tags_added.empty() || !a.tags_removed.empty();
            summary.priority += std::abs(a.priority_static - s.priority_static) > 1e-9;
            summary.other += other;
            if (collect) {
                summary.changes.push_back({s.id, c.detail});
            }
            if (!tx) {
                continue;
            }
            // Most changes are of the score alone: that statement leaves the indexes on
            // category and flags alone.
            bool full = a.category != s.category || a.goods_kind != s.goods_kind ||
                        a.order_id != s.order_id || a.flags != s.flags ||
                        a.captures != s.captures;
            SQLite::Statement& u = full ? m_all : m_score;
            u.reset();
            u.bind(1, s.id);
            u.bind(2, a.priority_static);
            u.bind(3, a.language);
            u.bind(4, m_now);
            if (full) {
                u.bind(5, static_cast<int>(a.category));
                u.bind(6, static_cast<int>(a.goods_kind));
                u.bind(7, a.order_id);
                u.bind(8, a.flags);
                u.bind(9, a.captures);
            }
            u.exec();
            for (const auto& name : a.tags_removed) {
                m_remove_tag.reset();
                m_remove_tag.bind(1, s.id);
                m_remove_tag.bind(2, name);
                m_remove_tag.exec();
            }
            for (const auto& name : a.tags_added) {
                m_add_tag.reset();
                m_add_tag.bind(1, s.id);
                m_add_tag.bind(2, name);
                m_add_tag.exec();
            }
            // A change of the score alone is not an event of the inquiry: the score is a
            // number derived from config and signals (the age part changes by the minute),
            // and a coefficient changed in config would log every inquiry. The run's summary
            // event counts them.
            bool visible = a.category != s.category || !a.tags_added.empty() ||
                           !a.tags_removed.empty() || other;
            if (visible) {
                m_event.reset();
                m_event.bind(1, s.id);
                if (s.customer_id != 0) {
                    m_event.bind(2, s.customer_id);
                } else {
                    m_event.bind(2);
                }
                m_event.bind(3, m_now);
                m_event.bind(4, "retag: " + c.detail);
                m_event.exec();
            }
        }
        if (tx) {
            tx->commit();
        }
    }

    // One event of no inquiry that sums up a run which changed something.
    void summarize(const RetagSummary& summary, bool all) {
        if (summary.changed == 0) {
            return;
        }
        WriteTx tx(m_store);
        SQLite::Statement q(m_store.db(), "INSERT INTO event(inquiry_id, customer_id, at, kind, "
                                          "detail) VALUES (NULL, NULL, ?, 'retag', ?)");
        q.bind(1, m_now);
        q.bind(2, fmt::format("retag{}: {} inquiries checked, {} changed (category {}, tags {}, "
                              "priority {}, other {})",
                              all ? " --all" : "", summary.checked, summary.changed,
                              summary.category, summary.tags, summary.priority, summary.other));
        q.exec();
        tx.commit();
    }

private:
    Store& m_store;
    TimePoint m_now;
    SQLite::Statement m_score;
    SQLite::Statement m_all;
    SQLite::Statement m_add_tag;
    SQLite::Statement m_remove_tag;
    SQLite::Statement m_event;
};

}  // namespace

struct StoredReader::Impl {
    SQLite::Statement rows;
    SQLite::Statement tags;
    SQLite::Statement position;
    int64_t after = 0;
    std::unordered_set<int64_t> vip;  // customers marked VIP
    // Open threads: (customer, received_at of its earliest message, thread), sorted.
    std::vector<std::array<int64_t, 3>> open;
    // Threads of more than one message: only their messages need thread_messages counted.
    std::unordered_set<int64_t> long_threads;

    explicit Impl(Store& store)
        : rows(store.db(), fmt::format("SELECT {} FROM inquiry WHERE id > ? AND flags & 2 = 0 "
                                       "ORDER BY id LIMIT ?",
                                       k_sql_stored_columns)),
          tags(store.db(),
               "SELECT inquiry_id, name, source FROM tag WHERE inquiry_id BETWEEN ? AND ? "
               "ORDER BY inquiry_id, name"),
          position(store.db(), k_sql_thread_messages) {
        SQLite::Statement v(store.db(), "SELECT id FROM customer WHERE vip <> 0");
        while (v.executeStep()) {
            vip.insert(v.getColumn(0).getInt64());
        }
        SQLite::Statement h(store.db(), k_sql_all_open_threads);
        while (h.executeStep()) {
            if (!h.getColumn(0).isNull()) {
                open.push_back({h.getColumn(0).getInt64(), h.getColumn(1).getInt64(),
                                h.getColumn(2).getInt64()});
            }
        }
        std::sort(open.begin(), open.end());
        SQLite::Statement t(store.db(), "SELECT thread_id FROM inquiry GROUP BY thread_id "
                                        "HAVING count(*) > 1");
        while (t.executeStep()) {
            long_threads.insert(t.getColumn(0).getInt64());
        }
    }

    // The signals of k_sql_open_threads and k_sql_thread_messages (recompute.h).
    void signals(StoredTriage& s) {
        if (long_threads.contains(s.thread_id)) {
            position.reset();
            position.bind(1, s.thread_id);
            position.bind(2, s.received_at);
            position.bind(3, s.id);
            position.executeStep();
            s.signals.thread_messages = std::max(1, position.getColumn(0).getInt());
        }
        if (s.customer_id == 0) {
            return;
        }
        s.signals.vip = vip.contains(s.customer_id);
        // The customer's open threads that started at or before this message, less its own.
        auto from = std::lower_bound(open.begin(), open.end(),
                                     std::array<int64_t, 3>{s.customer_id, INT64_MIN, INT64_MIN});
        auto to = std::upper_bound(from, open.end(),
                                   std::array<int64_t, 3>{s.customer_id, s.received_at,
                                                          INT64_MAX});
        int count = 0;
        for (auto it = from; it != to; ++it) {
            count += (*it)[2] != s.thread_id;
        }
        s.signals.open_from_customer = count;
    }
};

StoredReader::StoredReader(Store& store) : m(std::make_unique<Impl>(store)) {
    m_total = static_cast<uint64_t>(
        store.db().execAndGet("SELECT count(*) FROM inquiry WHERE flags & 2 = 0").getInt64());
}

StoredReader::~StoredReader() = default;

std::vector<StoredTriage> StoredReader::next(size_t limit) {
    std::vector<StoredTriage> out;
    out.reserve(limit);
    SQLite::Statement& q = m->rows;
    q.reset();
    q.bind(1, m->after);
    q.bind(2, static_cast<int64_t>(limit));
    while (q.executeStep()) {
        read_stored(q, out.emplace_back());
    }
    q.reset();
    for (StoredTriage& s : out) {
        m->signals(s);
    }
    if (out.empty()) {
        return out;
    }
    m->after = out.back().id;
    SQLite::Statement& t = m->tags;
    t.reset();
    t.bind(1, out.front().id);
    t.bind(2, out.back().id);
    size_t i = 0;
    while (t.executeStep()) {
        int64_t id = t.getColumn(0).getInt64();
        while (i < out.size() && out[i].id < id) {
            ++i;
        }
        if (i < out.size() && out[i].id == id) {
            out[i].tags.push_back({t.getColumn(1).getString(),
                                   static_cast<TagSource>(t.getColumn(2).getInt())});
        }
    }
    t.reset();
    return out;
}

RetagSummary retag(Store& store, const Engine& engine, const RetagOptions& options) {
    RetagSummary summary;
    Writer writer(store, options.now);
    if (!options.ids.empty()) {
        // Named inquiries: all of them or none, in one transaction.
        std::vector<StoredTriage> chunk;
        std::vector<int64_t> missing;
        for (int64_t id : options.ids) {
            auto s = load_stored(store, id);
            if (!s) {
                missing.push_back(id);
            } else if ((s->flags & k_flag_from_seller) != 0) {
                summary.skipped.push_back(id);
            } else {
                chunk.push_back(std::move(*s));
            }
        }
        if (!missing.empty()) {
            std::string list;
            for (int64_t id : missing) {
                list += fmt::format("{}#{}", list.empty() ? "" : ", ", id);
            }
            throw Error("no such inquiry", list,
                        missing.size() == 1 ? "there is no inquiry with this id"
                                            : "there are no inquiries with these ids",
                        "nothing was changed; `kefu list --status all` shows the ids");
        }
        summary.checked = chunk.size();
        Chunk named(std::move(chunk));
        classify_rows(engine, named);
        writer.write(changes_of(named), options.dry_run, true, summary);
        if (!options.dry_run) {
            writer.summarize(summary, false);
        }
        if (options.progress) {
            options.progress(summary.checked, summary.checked);
        }
        return summary;
    }

    StoredReader reader(store);
    size_t batch = std::max<size_t>(1, options.batch_size);
    // While a second thread classifies chunk k, this one writes the changes of chunk k-1 and
    // reads chunk k+1, then helps to classify what is left of chunk k.
    auto current = std::make_unique<Chunk>(reader.next(batch));
    std::unique_ptr<Chunk> done;
    auto write_done = [&] {
        if (done) {
            writer.write(changes_of(*done), options.dry_run, options.collect, summary);
            summary.checked += done->rows.size();
            if (options.progress) {
                options.progress(summary.checked, reader.total());
            }
            done.reset();
        }
    };
    while (!current->rows.empty()) {
        auto second = std::async(std::launch::async, classify_rows, std::cref(engine),
                                 std::ref(*current));
        try {
            write_done();
            auto following = std::make_unique<Chunk>(reader.next(batch));
            classify_rows(engine, *current);
            second.get();
            done = std::move(current);
            current = std::move(following);
        } catch (...) {
            // Let the second thread finish with the chunk it shares before the chunk goes away.
            current->next = current->rows.size();
            if (second.valid()) {
                second.wait();
            }
            throw;
        }
    }
    write_done();
    if (!options.dry_run) {
        writer.summarize(summary, true);
    }
    return summary;
}

}  // namespace kefu::triage
