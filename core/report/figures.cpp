#include "core/report/figures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <thread>

#include "core/error.h"
#include "core/time.h"

namespace kefu::report {
namespace {

constexpr int64_t k_day = 86400;

int64_t local_day(TimePoint t) {
    int64_t local = t + timeutil::local_offset(t);
    return local >= 0 ? local / k_day : -((-local + k_day - 1) / k_day);
}

std::string day_name(int64_t day) {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    timeutil::civil_from_days(day, y, m, d);
    return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// Nearest rank: the value at rank ceil(p * n), 1-based.
std::optional<int64_t> percentile(std::vector<int64_t>& v, double p) {
    if (v.empty()) {
        return std::nullopt;
    }
    auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
    rank = std::clamp<size_t>(rank, 1, v.size());
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rank - 1), v.end());
    return v[rank - 1];
}

Times times_of(std::vector<int64_t>& v) {
    Times t;
    t.count = static_cast<int64_t>(v.size());
    t.median = percentile(v, 0.5);
    t.p90 = percentile(v, 0.9);
    return t;
}

std::vector<Count> sorted_counts(const std::map<std::string, int64_t>& m) {
    std::vector<Count> out;
    for (const auto& [k, n] : m) {
        out.push_back({k, n});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Count& a, const Count& b) { return a.n > b.n; });
    return out;
}

// The position of a category in all_categories() (the order of the stored values is not
// the order of that list); unknown values count as "other".
size_t position_of(Category c) {
    const auto& cats = all_categories();
    for (size_t i = 0; i < cats.size(); ++i) {
        if (cats[i] == c) {
            return i;
        }
    }
    return position_of(Category::Other);
}

// Spans of constant UTC offset of the local zone between `from` and `to`: the offset at the
// start, then each change (daylight saving time) with the second it takes effect. Sampled
// every six hours (zones change their offset months apart) and narrowed by bisection.
struct OffsetSpan {
    TimePoint from = 0;
    int offset = 0;
};

std::vector<OffsetSpan> offset_spans(TimePoint from, TimePoint to) {
    constexpr int64_t k_step = 6 * 3600;
    std::vector<OffsetSpan> spans{{from, timeutil::local_offset(from)}};
    for (TimePoint t = from + k_step; t - k_step < to; t += k_step) {
        TimePoint at = std::min(t, to);
        int off = timeutil::local_offset(at);
        if (off == spans.back().offset) {
            continue;
        }
        TimePoint lo = at - k_step, hi = at;  // offset(lo) is the old one, offset(hi) the new
        while (hi - lo > 1) {
            TimePoint mid = lo + (hi - lo) / 2;
            (timeutil::local_offset(mid) == spans.back().offset ? lo : hi) = mid;
        }
        spans.push_back({hi, off});
    }
    return spans;
}

void volume(Store& store, const Options& o, Figures& f) {
    // Local days are computed in SQL from the offsets in force (a CASE over the few spans of
    // the period), so that SQLite returns one row per day, category and channel.
    SQLite::Statement first(
        store.db(),
        "SELECT min(received_at), max(received_at) FROM inquiry WHERE received_at "
        "BETWEEN ?1 AND ?2 AND flags & 2 = 0");
    first.bind(1, o.since);
    first.bind(2, o.until);
    if (!first.executeStep() || first.getColumn(0).isNull()) {
        f.by_category.clear();
        for (Category c : all_categories()) {
            f.by_category.push_back({std::string(to_string(c)), 0});
        }
        return;
    }
    std::vector<OffsetSpan> spans =
        offset_spans(first.getColumn(0).getInt64(), first.getColumn(1).getInt64());
    first.reset();
    std::string offset_sql;
    if (spans.size() == 1) {
        offset_sql = "?3";
    } else {
        offset_sql = "CASE";
        for (size_t i = 1; i < spans.size(); ++i) {
            offset_sql +=
                fmt::format(" WHEN received_at < ?{} THEN ?{}", 2 + 2 * i, 3 + 2 * (i - 1));
        }
        offset_sql += fmt::format(" ELSE ?{} END", 3 + 2 * (spans.size() - 1));
    }
    SQLite::Statement q(store.db(), "SELECT (received_at + " + offset_sql +
                                        ") / 86400, category, channel, count(*), "
                                        "sum(rowid = thread_id) FROM inquiry WHERE received_at "
                                        "BETWEEN ?1 AND ?2 AND flags & 2 = 0 "
                                        "GROUP BY 1, 2, 3");
    q.bind(1, o.since);
    q.bind(2, o.until);
    for (size_t i = 0; i < spans.size(); ++i) {
        q.bind(static_cast<int>(3 + 2 * i), spans[i].offset);
        if (i + 1 < spans.size()) {
            q.bind(static_cast<int>(4 + 2 * i), spans[i + 1].from);
        }
    }
    const auto& cats = all_categories();
    std::vector<int64_t> cat_totals(cats.size(), 0);
    std::map<std::string, int64_t> channels;
    std::map<int64_t, std::vector<int64_t>> days;  // local day → counts per category
    while (q.executeStep()) {
        int64_t day = q.getColumn(0).getInt64();
        size_t ci = position_of(static_cast<Category>(q.getColumn(1).getInt()));
        std::string channel = q.getColumn(2).getString();
        int64_t n = q.getColumn(3).getInt64();
        f.inquiries += n;
        f.threads += q.getColumn(4).getInt64();
        cat_totals[ci] += n;
        channels[channel.empty() ? "(none)" : channel] += n;
        auto& counts = days[day];
        counts.resize(cats.size(), 0);
        counts[ci] += n;
    }
    for (size_t i = 0; i < cats.size(); ++i) {
        f.by_category.push_back({std::string(to_string(cats[i])), cat_totals[i]});
    }
    std::stable_sort(f.by_category.begin(), f.by_category.end(),
                     [](const Count& a, const Count& b) { return a.n > b.n; });
    f.by_channel = sorted_counts(channels);
    // Every day from the first with data to the end of the period, empty days included, so
    // that a chart shows the gaps.
    int64_t first_day = days.begin()->first;
    int64_t last_day = std::max(days.rbegin()->first, local_day(o.until));
    for (int64_t d = first_day; d <= last_day; ++d) {
        Day day;
        day.date = day_name(d);
        auto it = days.find(d);
        day.categories = it == days.end() ? std::vector<int64_t>(cats.size(), 0) : it->second;
        for (int64_t n : day.categories) {
            day.total += n;
        }
        f.days.push_back(std::move(day));
    }
}

void backlog(Store& store, const Options& o, Figures& f) {
    // The active threads through the queue index, grouped by what the level depends on (the
    // stored priority and the time waited): the model runs once per group, and the levels
    // are exactly those `kefu list` shows. The backlog is what is open now, never the whole
    // history, so its groups stay few.
    SQLite::Statement q(
        store.db(),
        "SELECT status, priority_static, received_at, first_response_at IS NOT NULL, "
        "count(*) FROM inquiry WHERE is_head = 1 AND status < 3 AND flags & 2 = 0 "
        "GROUP BY 1, 2, 3, 4");
    int64_t by_status[3] = {0, 0, 0};
    std::map<std::string, int64_t> levels;
    while (q.executeStep()) {
        int status = q.getColumn(0).getInt();
        int64_t n = q.getColumn(4).getInt64();
        f.backlog += n;
        if (status >= 0 && status < 3) {
            by_status[status] += n;
        }
        std::string level;
        if (o.model.level) {
            Inquiry r;
            r.status = static_cast<Status>(status);
            r.priority_static = q.getColumn(1).getDouble();
            r.received_at = q.getColumn(2).getInt64();
            if (q.getColumn(3).getInt() != 0) {
                r.first_response_at = r.received_at;
            }
            double total = r.priority_static + (o.model.age ? o.model.age(r, o.now) : 0.0);
            level = o.model.level(total);
        }
        levels[level.empty() ? "unscored" : level] += n;
    }
    for (int s = 0; s < 3; ++s) {
        f.backlog_status.push_back({std::string(to_string(static_cast<Status>(s))), by_status[s]});
    }
    for (const char* l : {"urgent", "high", "normal", "low"}) {
        auto it = levels.find(l);
        f.backlog_level.push_back({l, it == levels.end() ? 0 : it->second});
        if (it != levels.end()) {
            levels.erase(it);
        }
    }
    for (const auto& [l, n] : levels) {
        f.backlog_level.push_back({l, n});
    }
}

void response_times(Store& store, const Options& o, Figures& f) {
    // One row per conversation started in the period. first_response_at and resolved_at are
    // kept on every message of a thread (core/workflow/status.h); a seller's mail imported
    // into the thread is a reply without them, so the reply table is read for conversations
    // without a first_response_at only (coalesce() evaluates its arguments lazily).
    SQLite::Statement q(store.db(),
                        "SELECT t.received_at, t.status, "
                        "coalesce(t.first_response_at, (SELECT min(r.sent_at) FROM inquiry m JOIN "
                        "reply r ON r.inquiry_id = m.id "
                        " WHERE m.thread_id = t.id AND r.sent_at >= t.received_at)), "
                        "CASE WHEN t.status >= 3 THEN t.resolved_at END "
                        "FROM inquiry t WHERE t.received_at BETWEEN ?1 AND ?2 AND t.id = "
                        "t.thread_id AND t.flags & 2 = 0");
    q.bind(1, o.since);
    q.bind(2, o.until);
    const auto& buckets = response_buckets();
    f.response_histogram.assign(buckets.size(), 0);
    f.sla_seconds = o.sla_first_response;
    std::vector<int64_t> first, resolved;
    while (q.executeStep()) {
        int64_t received = q.getColumn(0).getInt64();
        int status = q.getColumn(1).getInt();
        if (q.getColumn(2).isNull()) {
            ++f.unanswered;
            if (status < 3 && o.now - received > o.sla_first_response) {
                ++f.sla_waiting;
            }
        } else {
            int64_t d = std::max<int64_t>(0, q.getColumn(2).getInt64() - received);
            first.push_back(d);
            size_t b = 0;
            while (b + 1 < buckets.size() && d >= buckets[b].second) {
                ++b;
            }
            ++f.response_histogram[b];
            if (d > o.sla_first_response) {
                ++f.sla_answered_late;
            } else {
                ++f.sla_met;
            }
        }
        if (!q.getColumn(3).isNull()) {
            resolved.push_back(std::max<int64_t>(0, q.getColumn(3).getInt64() - received));
        }
    }
    f.first_response = times_of(first);
    f.resolution = times_of(resolved);
}

// The figures about buyers and replies, computed apart from the rest (on a connection of
// their own when the store is a file).
struct BuyerPart {
    int64_t customers = 0;
    int64_t repeat = 0;
    std::vector<RepeatBuyer> top;
    int64_t replies = 0;
    std::vector<Count> templates;
};

void repeat_buyers(SQLite::Database& db, const Options& o, BuyerPart& part) {
    SQLite::Statement distinct(
        db,
        "SELECT count(DISTINCT customer_id) FROM inquiry WHERE received_at BETWEEN ?1 AND ?2 "
        "AND flags & 2 = 0");
    distinct.bind(1, o.since);
    distinct.bind(2, o.until);
    distinct.executeStep();
    part.customers = distinct.getColumn(0).getInt64();
    // The conversations of each buyer of the period up to its end, counted on the index of
    // conversation starts alone (inquiry_thread_start): the IN list is walked in customer
    // order, so the grouping needs no sort. The total comes with the top rows.
    SQLite::Statement q(
        db,
        "WITH w AS (SELECT customer_id AS id, count(*) AS n FROM inquiry s WHERE s.id = "
        "s.thread_id "
        "AND s.flags & 2 = 0 AND s.received_at <= ?2 AND s.customer_id IN (SELECT customer_id FROM "
        "inquiry WHERE received_at BETWEEN ?1 AND ?2 AND flags & 2 = 0) GROUP BY customer_id) "
        "SELECT id, n, sum(n >= 2) OVER () FROM w ORDER BY n DESC, id LIMIT ?3");
    q.bind(1, o.since);
    q.bind(2, o.until);
    q.bind(3, static_cast<int64_t>(std::max<size_t>(o.top, 1)));  // one row at least: the total
    SQLite::Statement who(
        db,
        "SELECT c.name, c.vip, (SELECT count(*) FROM inquiry m WHERE m.customer_id = c.id "
        "AND m.flags & 2 = 0 AND m.received_at <= ?2) FROM customer c WHERE c.id = ?1");
    while (q.executeStep()) {
        part.repeat = q.getColumn(2).getInt64();
        int64_t threads = q.getColumn(1).getInt64();
        if (threads < 2 || part.top.size() >= o.top) {
            break;
        }
        RepeatBuyer r;
        r.id = q.getColumn(0).getInt64();
        r.threads = threads;
        who.reset();
        who.bind(1, r.id);
        who.bind(2, o.until);
        if (who.executeStep()) {
            r.name = who.getColumn(0).getString();
            r.vip = who.getColumn(1).getInt() != 0;
            r.inquiries = who.getColumn(2).getInt64();
        }
        part.top.push_back(std::move(r));
    }
}

void templates(SQLite::Database& db, const Options& o, BuyerPart& f) {
    SQLite::Statement q(db,
                        "SELECT template_id, count(*) FROM reply WHERE sent_at BETWEEN ?1 AND ?2 "
                        "GROUP BY template_id ORDER BY 2 DESC, 1");
    q.bind(1, o.since);
    q.bind(2, o.until);
    while (q.executeStep()) {
        std::string id = q.getColumn(0).getString();
        int64_t n = q.getColumn(1).getInt64();
        f.replies += n;
        if (!id.empty() && f.templates.size() < o.top) {
            f.templates.push_back({id, n});
        }
    }
}

}  // namespace

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
    // The buyer figures (repeat buyers, templates) take about as long as the rest together:
    // on a database file they are computed on a second, read-only connection in a thread of
    // their own, so that a report uses both cores of a small machine. That connection reads
    // its own snapshot, taken at the same moment; a write committed in between can make the
    // two halves differ by that write.
    BuyerPart buyers;
    auto buyer_figures = [&o, &buyers](SQLite::Database& db) {
        repeat_buyers(db, o, buyers);
        templates(db, o, buyers);
    };
    std::exception_ptr failure;
    std::jthread worker;
    bool parallel = store.path() != ":memory:" && !store.path().empty();
    if (parallel) {
        worker = std::jthread([&] {
            try {
                SQLite::Database db(store.path(), SQLite::OPEN_READONLY, Store::k_busy_timeout_ms);
                SQLite::Transaction read(db, SQLite::TransactionBehavior::DEFERRED);
                buyer_figures(db);
                read.commit();
            } catch (...) {
                failure = std::current_exception();
            }
        });
    }
    {
        // One read transaction, so that every other figure describes the same state.
        SQLite::Transaction tx(store.db(), SQLite::TransactionBehavior::DEFERRED);
        volume(store, o, f);
        backlog(store, o, f);
        response_times(store, o, f);
        if (!parallel) {
            buyer_figures(store.db());
        }
        tx.commit();
    }
    if (worker.joinable()) {
        worker.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    f.customers = buyers.customers;
    f.repeat_customers = buyers.repeat;
    f.top_repeat = std::move(buyers.top);
    f.replies = buyers.replies;
    f.templates = std::move(buyers.templates);
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
