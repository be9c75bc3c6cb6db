#include "core/report/terminal.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "core/time.h"

namespace kefu::report {
namespace {

constexpr size_t k_max_width = 100;  // wider lines do not make bars easier to read
constexpr size_t k_min_width = 60;
constexpr size_t k_label_max = 18;
constexpr size_t k_max_day_rows = 45;

struct Row {
    std::string label;
    int64_t n = 0;
};

std::string percent(int64_t n, int64_t total) {
    if (total <= 0) {
        return "";
    }
    return fmt::format("{:>3}%", (n * 100 + total / 2) / total);
}

std::string span_or_dash(const std::optional<int64_t>& s) {
    return s ? timeutil::format_span(*s) : "-";
}

// A labelled bar chart: "  label  █████▍ 12  18%".
void chart(std::string& out, const std::string& title, const std::vector<Row>& rows, size_t width,
           int64_t total, bool show_percent) {
    out += title + '\n';
    if (rows.empty()) {
        out += "  (none)\n";
        return;
    }
    size_t label_w = 0;
    int64_t max = 0;
    size_t num_w = 1;
    for (const auto& r : rows) {
        label_w = std::max(label_w, text::display_width(text::one_line(r.label)));
        max = std::max(max, r.n);
        num_w = std::max(num_w, std::to_string(r.n).size());
    }
    label_w = std::min(label_w, k_label_max);
    size_t fixed = 2 + label_w + 2 + 1 + num_w + (show_percent ? 5 : 0);
    size_t cells = width > fixed + 10 ? width - fixed : 10;
    for (const auto& r : rows) {
        std::string label =
            text::pad_to_width(text::truncate_to_width(text::one_line(r.label), label_w), label_w);
        std::string b = bar(r.n, max, cells);
        std::string line = "  " + label + "  " + text::pad_to_width(b, cells) + " " +
                           text::pad_to_width(std::to_string(r.n), num_w, true);
        if (show_percent) {
            line += " " + percent(r.n, total);
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + '\n';
    }
}

std::string weekday(const std::string& date) {
    // 1970-01-01 was a Thursday.
    static constexpr const char* k_names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    int64_t y = std::stoll(date.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
    unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
    int64_t days = timeutil::days_from_civil(y, m, d);
    return k_names[((days % 7) + 7) % 7];
}

// Days, or weeks / 30-day spans when there are too many days for one row each.
std::vector<Row> day_rows(const std::vector<Day>& days, std::string& unit) {
    std::vector<Row> rows;
    size_t chunk = days.size() <= k_max_day_rows ? 1 : days.size() <= k_max_day_rows * 7 ? 7 : 30;
    unit = chunk == 1 ? "day" : chunk == 7 ? "week" : "30 days";
    for (size_t i = 0; i < days.size(); i += chunk) {
        Row r;
        const std::string& d = days[i].date;
        r.label = chunk == 1 ? d.substr(5) + " " + weekday(d) : "from " + d.substr(2);
        for (size_t k = i; k < std::min(days.size(), i + chunk); ++k) {
            r.n += days[k].total;
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<Row> rows_of(const std::vector<Count>& counts, bool skip_zero) {
    std::vector<Row> rows;
    for (const auto& c : counts) {
        if (!skip_zero || c.n != 0) {
            rows.push_back({c.key, c.n});
        }
    }
    return rows;
}

}  // namespace

std::string bar(int64_t value, int64_t max, size_t cells) {
    static constexpr const char* k_eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (value <= 0 || max <= 0 || cells == 0) {
        return {};
    }
    int64_t eighths = value * static_cast<int64_t>(cells) * 8 / max;
    eighths = std::max<int64_t>(eighths, 1);
    std::string out;
    for (int64_t k = 0; k < eighths / 8; ++k) {
        out += "█";
    }
    out += k_eighths[eighths % 8];
    return out;
}

std::string render_text(const Figures& f, size_t width) {
    // One column is left free: a line that fills the terminal exactly wraps in some of them.
    width = std::clamp(width, k_min_width, k_max_width) - 1;
    std::string out;
    int64_t period_days = (f.until - f.since + 86399) / 86400;
    out += fmt::format("kefu report: {} → {} ({} day{})\n\n", timeutil::format_local(f.since),
                       timeutil::format_local(f.until), period_days, period_days == 1 ? "" : "s");
    out += fmt::format("{} message{} in {} new conversation{}\n", f.inquiries,
                       f.inquiries == 1 ? "" : "s", f.threads, f.threads == 1 ? "" : "s");
    out += fmt::format("from {} customer{}; {} repl{} sent\n\n", f.customers,
                       f.customers == 1 ? "" : "s", f.replies, f.replies == 1 ? "y" : "ies");

    chart(out,
          fmt::format("Backlog now: {} conversation{} to answer", f.backlog,
                      f.backlog == 1 ? "" : "s"),
          rows_of(f.backlog_status, false), width, f.backlog, true);
    out += '\n';
    chart(out, "Backlog by priority level", rows_of(f.backlog_level, true), width, f.backlog, true);
    out += '\n';
    chart(out, "Messages by category", rows_of(f.by_category, true), width, f.inquiries, true);
    out += '\n';
    chart(out, "Messages by channel", rows_of(f.by_channel, false), width, f.inquiries, true);
    out += '\n';
    std::string unit;
    std::vector<Row> days = day_rows(f.days, unit);
    chart(out, fmt::format("Messages per {}", unit), days, width, f.inquiries, false);
    out += '\n';

    out += "Response times      conversations     median   90th pct\n";
    auto times_row = [&](const char* label, const Times& t) {
        out += fmt::format("  {:<16}  {:>13}  {:>9}  {:>9}\n", label, t.count,
                           span_or_dash(t.median), span_or_dash(t.p90));
    };
    times_row("first response", f.first_response);
    times_row("resolution", f.resolution);
    if (f.unanswered > 0) {
        out += fmt::format("  {} conversation{} of the period not answered yet\n", f.unanswered,
                           f.unanswered == 1 ? "" : "s");
    }
    out += '\n';
    std::vector<Row> hist;
    const auto& buckets = response_buckets();
    for (size_t i = 0; i < buckets.size() && i < f.response_histogram.size(); ++i) {
        hist.push_back({buckets[i].first, f.response_histogram[i]});
    }
    chart(out, "First response within", hist, width, f.first_response.count, true);
    out += '\n';

    out += fmt::format("SLA: first response within {}\n", timeutil::format_span(f.sla_seconds));
    out += fmt::format("  {} breached ({} answered late, {} still waiting), {} met\n\n",
                       f.sla_answered_late + f.sla_waiting, f.sla_answered_late, f.sla_waiting,
                       f.sla_met);

    std::string share;
    if (f.customers > 0) {
        share = fmt::format(" ({})", text::trim(percent(f.repeat_customers, f.customers)));
    }
    out += fmt::format("Repeat buyers: {} of {} customer{}{}\n", f.repeat_customers, f.customers,
                       f.customers == 1 ? "" : "s", share);
    if (!f.top_repeat.empty()) {
        size_t name_w = 8;
        for (const auto& r : f.top_repeat) {
            name_w = std::max(name_w, text::display_width(text::one_line(r.name)));
        }
        name_w = std::min<size_t>(name_w, 16);
        out += "  " + text::pad_to_width("customer", name_w) + "      id  convs  messages\n";
        for (const auto& r : f.top_repeat) {
            std::string name = text::one_line(r.name.empty() ? "?" : r.name);
            out += "  " + text::pad_to_width(text::truncate_to_width(name, name_w), name_w) +
                   fmt::format("  {:>6}  {:>5}  {:>8}{}\n", r.id, r.threads, r.inquiries,
                               r.vip ? "  VIP" : "");
        }
    }
    out += '\n';
    chart(out, "Templates used most", rows_of(f.templates, false), width, f.replies, true);
    return out;
}

}  // namespace kefu::report
