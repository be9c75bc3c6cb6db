#include "core/report/figures.h"

#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <thread>

#include "core/error.h"
#include "core/report/passes.h"
#include "core/time.h"

namespace kefu::report {

const std::vector<std::pair<std::string, int64_t>>& response_buckets() {
    static const std::vector<std::pair<std::string, int64_t>> k_buckets = {
        {"<1h", 3600},       {"1-4h", 4 * 3600},  {"4-12h", 12 * 3600}, {"12-24h", 24 * 3600},
        {"1-2d", 2 * 86400}, {"2-3d", 3 * 86400}, {">3d", 0},
    };
    return k_buckets;
}

Figures compute(Store& store, const Options& o) {
    if (o.since >= o.until) {
        throw usage_error("empty period", fmt::format("--since ({}) is not before --until ({})",
                                                      timeutil::format_local(o.since),
                                                      timeutil::format_local(o.until)));
    }
    Figures f;
    f.since = o.since;
    f.until = o.until;
    f.now = o.now;
    CustomerCounts conversations, earlier_conversations;
    constexpr int64_t k_slices = 4;
    std::vector<VolumePart> volume(static_cast<size_t>(k_slices));
    // The passes, each over one index and filling its own members of f (or a part of its
    // own). On a database file two threads take them in this order, each on its own
    // connection, so that a report uses both cores of a small machine: the conversations and
    // the backlog (every open conversation, whatever the period) first, then the volume in
    // slices of time (every message of the period), which the two threads share, so that they
    // end at about the same time. Each connection reads its own snapshot, taken at about the
    // same moment; a write committed in between can make the figures of the two differ by
    // that write.
    std::vector<std::function<void(SQLite::Database&)>> passes = {
        [&](SQLite::Database& db) { count_conversations(db, o, f, conversations); },
        [&](SQLite::Database& db) { count_backlog(db, o, f); },
        [&](SQLite::Database& db) { count_earlier_conversations(db, o, earlier_conversations); },
    };
    for (int64_t i = 0; i < k_slices; ++i) {
        TimePoint from = o.since + (o.until - o.since) * i / k_slices;
        TimePoint to =
            i + 1 < k_slices ? o.since + (o.until - o.since) * (i + 1) / k_slices - 1 : o.until;
        passes.emplace_back([&volume, i, from, to](SQLite::Database& db) {
            count_volume(db, from, to, volume[static_cast<size_t>(i)]);
        });
    }
    passes.emplace_back([&](SQLite::Database& db) { count_templates(db, o, f); });
    // After the passes: the volume from its slices, then the repeat buyers, who need the
    // counts of the volume and of the conversations.
    auto finish = [&](SQLite::Database& db) {
        CustomerSet writers;
        add_volume(o, volume, f, writers);
        find_repeat_buyers(db, o, writers, conversations, earlier_conversations, f);
    };
    std::atomic<size_t> next{0};
    auto run_passes = [&](SQLite::Database& db) {
        for (size_t i = next++; i < passes.size(); i = next++) {
            passes[i](db);
        }
    };
    if (store.path() == ":memory:" || store.path().empty()) {
        // One connection: the passes in turn, in one read transaction.
        SQLite::Transaction tx(store.db(), SQLite::TransactionBehavior::DEFERRED);
        run_passes(store.db());
        finish(store.db());
        tx.commit();
        return f;
    }
    // A file: two threads, each on a read-only connection of its own (in one read
    // transaction), so that neither waits for the other's lock and the store's connection,
    // whose page cache is made for imports, is left as it is.
    auto open = [&store] {
        return std::make_unique<SQLite::Database>(
            store.path(), SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, Store::k_busy_timeout_ms);
    };
    std::unique_ptr<SQLite::Database> db = open();
    SQLite::Transaction tx(*db, SQLite::TransactionBehavior::DEFERRED);
    std::exception_ptr failure;
    {
        std::jthread worker([&] {
            try {
                std::unique_ptr<SQLite::Database> own = open();
                SQLite::Transaction read(*own, SQLite::TransactionBehavior::DEFERRED);
                run_passes(*own);
                read.commit();
            } catch (...) {
                failure = std::current_exception();
            }
        });
        run_passes(*db);
    }  // the worker has joined
    if (failure) {
        std::rethrow_exception(failure);
    }
    finish(*db);
    tx.commit();
    return f;
}

namespace {

nlohmann::ordered_json counts_json(const std::vector<Count>& v) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& c : v) {
        j[c.key] = c.n;
    }
    return j;
}

nlohmann::ordered_json times_json(const Times& t) {
    nlohmann::ordered_json j;
    j["count"] = t.count;
    j["median_seconds"] = t.median ? nlohmann::ordered_json(*t.median) : nlohmann::ordered_json();
    j["p90_seconds"] = t.p90 ? nlohmann::ordered_json(*t.p90) : nlohmann::ordered_json();
    return j;
}

}  // namespace

nlohmann::ordered_json to_json(const Figures& f) {
    nlohmann::ordered_json j;
    j["period"] = {{"since", timeutil::format_iso(f.since)},
                   {"until", timeutil::format_iso(f.until)},
                   {"now", timeutil::format_iso(f.now)}};
    j["totals"] = {{"inquiries", f.inquiries},
                   {"threads", f.threads},
                   {"customers", f.customers},
                   {"replies", f.replies}};
    j["backlog"] = {{"total", f.backlog},
                    {"by_status", counts_json(f.backlog_status)},
                    {"by_level", counts_json(f.backlog_level)}};
    nlohmann::ordered_json days = nlohmann::ordered_json::array();
    const auto& cats = all_categories();
    for (const auto& d : f.days) {
        nlohmann::ordered_json c = nlohmann::ordered_json::object();
        for (size_t i = 0; i < cats.size() && i < d.categories.size(); ++i) {
            if (d.categories[i] != 0) {
                c[std::string(to_string(cats[i]))] = d.categories[i];
            }
        }
        days.push_back({{"date", d.date}, {"total", d.total}, {"by_category", c}});
    }
    j["volume"] = {{"by_category", counts_json(f.by_category)},
                   {"by_channel", counts_json(f.by_channel)},
                   {"by_day", days}};
    auto first = times_json(f.first_response);
    first["unanswered"] = f.unanswered;
    nlohmann::ordered_json hist = nlohmann::ordered_json::array();
    const auto& buckets = response_buckets();
    for (size_t i = 0; i < buckets.size() && i < f.response_histogram.size(); ++i) {
        hist.push_back({{"bucket", buckets[i].first}, {"count", f.response_histogram[i]}});
    }
    first["histogram"] = hist;
    j["first_response"] = first;
    j["resolution"] = times_json(f.resolution);
    j["sla"] = {{"first_response_seconds", f.sla_seconds},
                {"breached", f.sla_answered_late + f.sla_waiting},
                {"answered_late", f.sla_answered_late},
                {"waiting_past_sla", f.sla_waiting},
                {"met", f.sla_met}};
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const auto& r : f.top_repeat) {
        top.push_back({{"customer_id", r.id},
                       {"customer", r.name},
                       {"vip", r.vip},
                       {"threads", r.threads},
                       {"inquiries", r.inquiries}});
    }
    j["repeat_customers"] = {{"count", f.repeat_customers}, {"of", f.customers}, {"top", top}};
    nlohmann::ordered_json tpl = nlohmann::ordered_json::array();
    for (const auto& t : f.templates) {
        tpl.push_back({{"template", t.key}, {"count", t.n}});
    }
    j["templates"] = tpl;
    return j;
}

}  // namespace kefu::report
