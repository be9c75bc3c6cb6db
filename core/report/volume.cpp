// The volume of a period: the buyers' messages by category, channel and local day.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>

#include "core/report/fold.h"
#include "core/report/passes.h"
#include "core/time.h"

namespace kefu::report {
namespace {

constexpr int64_t k_day = 86400;

// The number of the day of a local time in seconds (days before 1970 are negative).
int64_t day_of(int64_t local) {
    return local >= 0 ? local / k_day : -((-local + k_day - 1) / k_day);
}

int64_t local_day(TimePoint t) {
    return day_of(t + timeutil::local_offset(t));
}

std::string day_name(int64_t day) {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    timeutil::civil_from_days(day, y, m, d);
    return fmt::format("{:04}-{:02}-{:02}", y, m, d);
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

// The local day of each time, from the spans: rows come in time order, so the span of the
// previous row is tried first.
class LocalDays {
public:
    explicit LocalDays(std::vector<OffsetSpan> spans) : m_spans(std::move(spans)) {}
    int64_t day(TimePoint t) {
        if (t < m_spans[m_at].from || (m_at + 1 < m_spans.size() && t >= m_spans[m_at + 1].from)) {
            auto it = std::upper_bound(m_spans.begin(), m_spans.end(), t,
                                       [](TimePoint v, const OffsetSpan& s) { return v < s.from; });
            m_at = it == m_spans.begin() ? 0 : static_cast<size_t>(it - m_spans.begin()) - 1;
        }
        return day_of(t + m_spans[m_at].offset);
    }

private:
    std::vector<OffsetSpan> m_spans;
    size_t m_at = 0;
};

// The first or last time a buyer's message was received between from and to.
std::optional<TimePoint> edge(SQLite::Database& db, TimePoint from, TimePoint to, bool last) {
    SQLite::Statement q(db, last ? "SELECT received_at FROM inquiry WHERE received_at BETWEEN ?1 "
                                   "AND ?2 AND flags & 2 = 0 ORDER BY received_at DESC LIMIT 1"
                                 : "SELECT received_at FROM inquiry WHERE received_at BETWEEN ?1 "
                                   "AND ?2 AND flags & 2 = 0 ORDER BY received_at LIMIT 1");
    q.bind(1, from);
    q.bind(2, to);
    if (!q.executeStep()) {
        return std::nullopt;
    }
    return q.getColumn(0).getInt64();
}

std::vector<Count> sorted_counts(const std::map<std::string, int64_t, std::less<>>& m) {
    std::vector<Count> out;
    for (const auto& [k, n] : m) {
        out.push_back({k, n});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Count& a, const Count& b) { return a.n > b.n; });
    return out;
}

}  // namespace

void count_volume(SQLite::Database& db, TimePoint from, TimePoint to, VolumePart& part) {
    const auto& cats = all_categories();
    part.categories.assign(cats.size(), 0);
    std::optional<TimePoint> first = edge(db, from, to, false);
    std::optional<TimePoint> last = edge(db, from, to, true);
    if (!first || !last) {
        return;
    }
    LocalDays local(offset_spans(*first, *last));
    // The positions of the stored values a category can have, looked up once.
    std::array<size_t, 64> positions{};
    for (size_t v = 0; v < positions.size(); ++v) {
        positions[v] = position_of(static_cast<Category>(v));
    }
    // Counted here and moved into the part at the end: the parts lie next to each other and
    // another thread counts the next one (a shared cache line would slow both down).
    int64_t inquiries = 0;
    std::vector<int64_t> categories(cats.size(), 0);
    NameCounts channels;
    std::map<int64_t, std::vector<int64_t>> days;
    CustomerSet writers;
    int64_t current_day = std::numeric_limits<int64_t>::min();
    std::vector<int64_t>* day_counts = nullptr;
    // One pass over the index inquiry_period, in time order.
    fold(db,
         "SELECT kefu_fold(received_at, category, channel, customer_id) "
         "FROM inquiry WHERE received_at BETWEEN ?1 AND ?2 AND flags & 2 = 0",
         {from, to}, [&](const FoldRow& row) {
             int64_t day = local.day(row.integer(0));
             auto stored = static_cast<int>(row.integer(1));
             size_t ci = stored >= 0 && static_cast<size_t>(stored) < positions.size()
                             ? positions[static_cast<size_t>(stored)]
                             : position_of(static_cast<Category>(stored));
             channels.add(row.text(2));
             if (!row.null(3)) {
                 writers.add(row.integer(3));
             }
             ++inquiries;
             ++categories[ci];
             if (day != current_day) {
                 day_counts = &days[day];
                 day_counts->resize(cats.size(), 0);
                 current_day = day;
             }
             ++(*day_counts)[ci];
         });
    part.inquiries = inquiries;
    part.categories = std::move(categories);
    for (const auto& [name, n] : channels.by_name()) {
        part.channels[name.empty() ? "(none)" : name] += n;
    }
    part.days = std::move(days);
    part.writers = std::move(writers);
}

void add_volume(const Options& o, std::vector<VolumePart>& parts, Figures& f,
                CustomerSet& writers) {
    const auto& cats = all_categories();
    std::vector<int64_t> cat_totals(cats.size(), 0);
    std::map<std::string, int64_t, std::less<>> channels;
    std::map<int64_t, std::vector<int64_t>> days;  // local day → counts per category
    for (VolumePart& part : parts) {
        f.inquiries += part.inquiries;
        for (size_t i = 0; i < cats.size() && i < part.categories.size(); ++i) {
            cat_totals[i] += part.categories[i];
        }
        for (const auto& [name, n] : part.channels) {
            channels[name] += n;
        }
        for (const auto& [day, counts] : part.days) {
            auto& all = days[day];
            all.resize(cats.size(), 0);
            for (size_t i = 0; i < cats.size() && i < counts.size(); ++i) {
                all[i] += counts[i];
            }
        }
        writers.merge(part.writers);
    }
    for (size_t i = 0; i < cats.size(); ++i) {
        f.by_category.push_back(
            {std::string(to_string(cats[i])), days.empty() ? 0 : cat_totals[i]});
    }
    if (days.empty()) {
        return;
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

}  // namespace kefu::report
