#include "core/report/passes.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/report/fold.h"

namespace kefu::report {

void CustomerCounts::add_slow(int64_t id) {
    if (id >= 0 && id < k_dense_limit) {
        m_dense.resize(std::min<size_t>(static_cast<size_t>(k_dense_limit),
                                        std::max(static_cast<size_t>(id) + 1, 2 * m_dense.size())),
                       0);
        ++m_dense[static_cast<size_t>(id)];
        return;
    }
    ++m_sparse[id];
}

void CustomerSet::add_slow(int64_t id) {
    if (id >= 0 && id < k_dense_limit) {
        auto word = static_cast<size_t>(id >> 6);
        m_bits.resize(std::min<size_t>(static_cast<size_t>(k_dense_limit >> 6),
                                       std::max(word + 1, 2 * m_bits.size())),
                      0);
        add(id);
        return;
    }
    m_size += m_sparse.insert(id).second ? 1 : 0;
}

void CustomerSet::merge(const CustomerSet& other) {
    if (m_bits.size() < other.m_bits.size()) {
        m_bits.resize(other.m_bits.size(), 0);
    }
    m_size = 0;
    for (size_t w = 0; w < m_bits.size(); ++w) {
        if (w < other.m_bits.size()) {
            m_bits[w] |= other.m_bits[w];
        }
        m_size += std::popcount(m_bits[w]);
    }
    m_sparse.insert(other.m_sparse.begin(), other.m_sparse.end());
    m_size += static_cast<int64_t>(m_sparse.size());
}

int64_t CustomerCounts::get(int64_t id) const {
    if (id >= 0 && id < k_dense_limit) {
        auto i = static_cast<size_t>(id);
        return i < m_dense.size() ? static_cast<int64_t>(m_dense[i]) : 0;
    }
    auto it = m_sparse.find(id);
    return it == m_sparse.end() ? 0 : it->second;
}

namespace {

// Nearest rank: the rank ceil(p * n) among n values, counted from 0 here.
size_t nearest_rank(double p, size_t n) {
    auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(n)));
    return std::clamp<size_t>(rank, 1, n) - 1;
}

// The number, median and 90th percentile of v, whose order it changes. The second
// nth_element looks only from the median's rank on: the first left the larger values there.
Times times_of(std::vector<int64_t>& v) {
    Times t;
    t.count = static_cast<int64_t>(v.size());
    if (v.empty()) {
        return t;
    }
    auto at = [&v](size_t i) { return v.begin() + static_cast<std::ptrdiff_t>(i); };
    size_t median = nearest_rank(0.5, v.size());
    size_t p90 = nearest_rank(0.9, v.size());
    std::nth_element(v.begin(), at(median), v.end());
    t.median = v[median];
    std::nth_element(at(median), at(p90), v.end());
    t.p90 = v[p90];
    return t;
}

// A conversation of the period without first_response_at: its answer, if any, is a reply
// recorded in the thread (a seller's mail imported into it).
struct Unanswered {
    int64_t id = 0;  // the thread's id
    TimePoint received = 0;
    int status = 0;
};

// The first reply in each of these threads sent at or after the thread's first message, as
// the subquery `SELECT min(r.sent_at) FROM inquiry m JOIN reply r ON r.inquiry_id = m.id
// WHERE m.thread_id = t.id AND r.sent_at >= t.received_at` finds it. Both ways of finding
// them give that: from the replies sent since the period began (a thread of the period has
// none before), or thread by thread; the one with fewer lookups is taken (each costs about
// two searches of an index).
std::vector<std::optional<TimePoint>> first_replies(SQLite::Database& db, const Options& o,
                                                    const std::vector<Unanswered>& threads) {
    std::vector<std::optional<TimePoint>> out(threads.size());
    SQLite::Statement count(db, "SELECT count(*) FROM reply WHERE sent_at >= ?1");
    count.bind(1, o.since);
    count.executeStep();
    auto replies = static_cast<size_t>(count.getColumn(0).getInt64());
    if (replies == 0) {
        return out;
    }
    if (replies <= 2 * threads.size()) {
        // (thread, sent) of every reply since the start, sorted: a thread's replies are a run
        // of it, in the order they were sent.
        std::vector<std::pair<int64_t, TimePoint>> sent;
        sent.reserve(replies);
        SQLite::Statement q(db,
                            "SELECT m.thread_id, r.sent_at FROM reply r CROSS JOIN inquiry m "
                            "ON m.id = r.inquiry_id WHERE r.sent_at >= ?1");
        q.bind(1, o.since);
        while (q.executeStep()) {
            sent.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
        }
        std::sort(sent.begin(), sent.end());
        // Most threads have no reply: a bit per hashed thread id rules them out at once.
        size_t bits = 64;
        while (bits < 4 * sent.size()) {
            bits *= 2;
        }
        std::vector<bool> may_have(bits, false);
        for (const auto& [thread, at] : sent) {
            may_have[static_cast<size_t>(thread) & (bits - 1)] = true;
        }
        for (size_t i = 0; i < threads.size(); ++i) {
            if (!may_have[static_cast<size_t>(threads[i].id) & (bits - 1)]) {
                continue;
            }
            auto it = std::lower_bound(sent.begin(), sent.end(),
                                       std::make_pair(threads[i].id, threads[i].received));
            if (it != sent.end() && it->first == threads[i].id) {
                out[i] = it->second;
            }
        }
        return out;
    }
    SQLite::Statement q(db,
                        "SELECT min(r.sent_at) FROM inquiry m JOIN reply r ON r.inquiry_id = m.id "
                        "WHERE m.thread_id = ?1 AND r.sent_at >= ?2");
    for (size_t i = 0; i < threads.size(); ++i) {
        q.reset();
        q.bind(1, threads[i].id);
        q.bind(2, threads[i].received);
        if (q.executeStep() && !q.getColumn(0).isNull()) {
            out[i] = q.getColumn(0).getInt64();
        }
    }
    return out;
}

}  // namespace

void count_backlog(SQLite::Database& db, const Options& o, Figures& f) {
    // The active threads through the queue index. The level of each is that of `kefu list`:
    // the model runs on what it depends on (status, stored priority, received time, whether
    // answered), once per run of rows that agree on all four (the index keeps them together).
    int64_t total = 0;  // counted apart from f, next to which another thread writes
    int64_t by_status[3] = {0, 0, 0};
    std::vector<std::pair<std::string, int64_t>> levels;  // in the order met
    Inquiry r;
    bool have_last = false;
    int last_status = 0;
    double last_priority = 0;
    TimePoint last_received = 0;
    bool last_answered = false;
    size_t last_level = 0;
    fold(db,
         "SELECT kefu_fold(status, priority_static, received_at, first_response_at) "
         "FROM inquiry WHERE is_head = 1 AND status < 3 AND flags & 2 = 0",
         {}, [&](const FoldRow& row) {
             auto status = static_cast<int>(row.integer(0));
             double priority = row.real(1);
             TimePoint received = row.integer(2);
             bool answered = !row.null(3);
             ++total;
             if (status >= 0 && status < 3) {
                 ++by_status[status];
             }
             if (!have_last || status != last_status || priority != last_priority ||
                 received != last_received || answered != last_answered) {
                 std::string level;
                 if (o.model.level) {
                     r.status = static_cast<Status>(status);
                     r.priority_static = priority;
                     r.received_at = received;
                     r.first_response_at =
                         answered ? std::optional<TimePoint>(received) : std::nullopt;
                     double with_age =
                         r.priority_static + (o.model.age ? o.model.age(r, o.now) : 0.0);
                     level = o.model.level(with_age);
                 }
                 if (level.empty()) {
                     level = "unscored";
                 }
                 if (last_level >= levels.size() || levels[last_level].first != level) {
                     auto it = std::find_if(levels.begin(), levels.end(),
                                            [&](const auto& l) { return l.first == level; });
                     if (it == levels.end()) {
                         levels.emplace_back(std::move(level), 0);
                         it = levels.end() - 1;
                     }
                     last_level = static_cast<size_t>(it - levels.begin());
                 }
                 have_last = true;
                 last_status = status;
                 last_priority = priority;
                 last_received = received;
                 last_answered = answered;
             }
             ++levels[last_level].second;
         });
    f.backlog = total;
    for (int s = 0; s < 3; ++s) {
        f.backlog_status.push_back({std::string(to_string(static_cast<Status>(s))), by_status[s]});
    }
    std::map<std::string, int64_t> rest(levels.begin(), levels.end());
    for (const char* l : {"urgent", "high", "normal", "low"}) {
        auto it = rest.find(l);
        f.backlog_level.push_back({l, it == rest.end() ? 0 : it->second});
        if (it != rest.end()) {
            rest.erase(it);
        }
    }
    for (const auto& [l, n] : rest) {
        f.backlog_level.push_back({l, n});
    }
}

void count_conversations(SQLite::Database& db, const Options& o, Figures& f,
                         CustomerCounts& conversations) {
    // first_response_at and resolved_at are kept on every message of a thread
    // (core/workflow/status.h); a seller's mail imported into the thread is a reply without
    // them, so the reply table is read for the conversations without a first_response_at
    // only. Counted in a Figures of its own and copied at the end: another thread writes next
    // to the members of f (the same cache line), which would slow both down.
    Figures part;
    const auto& buckets = response_buckets();
    part.response_histogram.assign(buckets.size(), 0);
    std::vector<int64_t> first, resolved;
    std::vector<Unanswered> unanswered;
    auto answered_after = [&](int64_t seconds) {
        int64_t d = std::max<int64_t>(0, seconds);
        first.push_back(d);
        size_t b = 0;
        while (b + 1 < buckets.size() && d >= buckets[b].second) {
            ++b;
        }
        ++part.response_histogram[b];
        if (d > o.sla_first_response) {
            ++part.sla_answered_late;
        } else {
            ++part.sla_met;
        }
    };
    fold(db,
         "SELECT kefu_fold(received_at, customer_id, thread_id, status, first_response_at, "
         "resolved_at) FROM inquiry WHERE received_at BETWEEN ?1 AND ?2 AND id = thread_id "
         "AND flags & 2 = 0",
         {o.since, o.until}, [&](const FoldRow& row) {
             if (!row.null(1)) {
                 conversations.add(row.integer(1));
             }
             TimePoint received = row.integer(0);
             ++part.threads;
             auto status = static_cast<int>(row.integer(3));
             if (row.null(4)) {
                 unanswered.push_back({row.integer(2), received, status});
             } else {
                 answered_after(row.integer(4) - received);
             }
             if (status >= 3 && !row.null(5)) {
                 resolved.push_back(std::max<int64_t>(0, row.integer(5) - received));
             }
         });
    if (!unanswered.empty()) {
        std::vector<std::optional<TimePoint>> replies = first_replies(db, o, unanswered);
        for (size_t i = 0; i < unanswered.size(); ++i) {
            if (replies[i]) {
                answered_after(*replies[i] - unanswered[i].received);
                continue;
            }
            ++part.unanswered;
            if (unanswered[i].status < 3 && o.now - unanswered[i].received > o.sla_first_response) {
                ++part.sla_waiting;
            }
        }
    }
    f.threads = part.threads;
    f.response_histogram = std::move(part.response_histogram);
    f.unanswered = part.unanswered;
    f.sla_seconds = o.sla_first_response;
    f.sla_answered_late = part.sla_answered_late;
    f.sla_waiting = part.sla_waiting;
    f.sla_met = part.sla_met;
    f.first_response = times_of(first);
    f.resolution = times_of(resolved);
}

void count_earlier_conversations(SQLite::Database& db, const Options& o,
                                 CustomerCounts& conversations) {
    fold(db,
         "SELECT kefu_fold(customer_id) FROM inquiry WHERE received_at < ?1 AND id = thread_id "
         "AND flags & 2 = 0",
         {o.since}, [&](const FoldRow& row) {
             if (!row.null(0)) {
                 conversations.add(row.integer(0));
             }
         });
}

void count_templates(SQLite::Database& db, const Options& o, Figures& f) {
    NameCounts by_template;
    fold(db, "SELECT kefu_fold(template_id) FROM reply WHERE sent_at BETWEEN ?1 AND ?2",
         {o.since, o.until}, [&](const FoldRow& row) { by_template.add(row.text(0)); });
    // Most used first, then by name (the map's order, kept by a stable sort).
    std::vector<Count> all;
    for (const auto& [id, n] : by_template.by_name()) {
        all.push_back({id, n});
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const Count& a, const Count& b) { return a.n > b.n; });
    for (auto& c : all) {
        f.replies += c.n;
        if (!c.key.empty() && f.templates.size() < o.top) {
            f.templates.push_back(std::move(c));
        }
    }
}

void find_repeat_buyers(SQLite::Database& db, const Options& o, const CustomerSet& writers,
                        const CustomerCounts& in_period, const CustomerCounts& earlier,
                        Figures& f) {
    f.customers = writers.size();
    std::vector<std::pair<int64_t, int64_t>> repeat;  // (conversations, id)
    writers.each([&](int64_t id) {
        int64_t n = in_period.get(id) + earlier.get(id);
        if (n >= 2) {
            repeat.emplace_back(n, id);
        }
    });
    f.repeat_customers = static_cast<int64_t>(repeat.size());
    // Most conversations first, then by id.
    auto shown = static_cast<std::ptrdiff_t>(std::min(o.top, repeat.size()));
    std::partial_sort(repeat.begin(), repeat.begin() + shown, repeat.end(),
                      [](const auto& a, const auto& b) {
                          return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    SQLite::Statement who(
        db,
        "SELECT c.name, c.vip, (SELECT count(*) FROM inquiry m WHERE m.customer_id = c.id "
        "AND m.flags & 2 = 0 AND m.received_at <= ?2) FROM customer c WHERE c.id = ?1");
    for (std::ptrdiff_t i = 0; i < shown; ++i) {
        RepeatBuyer r;
        r.id = repeat[static_cast<size_t>(i)].second;
        r.threads = repeat[static_cast<size_t>(i)].first;
        who.reset();
        who.bind(1, r.id);
        who.bind(2, o.until);
        if (who.executeStep()) {
            r.name = who.getColumn(0).getString();
            r.vip = who.getColumn(1).getInt() != 0;
            r.inquiries = who.getColumn(2).getInt64();
        }
        f.top_repeat.push_back(std::move(r));
    }
}

}  // namespace kefu::report
