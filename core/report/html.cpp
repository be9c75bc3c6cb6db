#include "core/report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "core/time.h"

namespace kefu::report {
namespace {

constexpr double k_chart_width = 720;

// Fill colours per category: the Okabe–Ito palette (told apart with the common kinds of colour
// blindness), a dark red for complaints and grey for "other".
const char* category_color(Category c) {
    switch (c) {
        case Category::Product:
            return "#0072b2";
        case Category::Order:
            return "#56b4e9";
        case Category::Logistics:
            return "#009e73";
        case Category::Payment:
            return "#e69f00";
        case Category::Refund:
            return "#d55e00";
        case Category::Account:
            return "#cc79a7";
        case Category::Technical:
            return "#f0e442";
        case Category::Complaint:
            return "#8c1c3b";
        case Category::Other:
            return "#9e9e9e";
    }
    return "#9e9e9e";
}

const char* level_color(const std::string& level) {
    if (level == "urgent") {
        return "#c62828";
    }
    if (level == "high") {
        return "#ef6c00";
    }
    if (level == "normal") {
        return "#1565c0";
    }
    return "#90a4ae";
}

const char* k_style = R"(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
       "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2328; background: #fff;
       margin: 0 auto; max-width: 780px; padding: 24px 16px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.period { color: #57606a; margin: 0 0 16px; }
section { margin: 0 0 22px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; }
.tile { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 10px;
        flex: 1 1 0; min-width: 96px; }
.tile b { display: block; font-size: 20px; }
.tile span { color: #57606a; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eaeef2; }
th { font-weight: 600; color: #57606a; font-size: 12px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.cols { display: flex; gap: 24px; }
.cols > div { flex: 1; min-width: 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-family: inherit; font-size: 11px; fill: #57606a; }
svg .value { fill: #1f2328; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; padding: 0;
          list-style: none; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px;
            border-radius: 2px; }
.note { color: #57606a; font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; }
  .tile { border-color: #999; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)";

std::string num(double v) {
    return fmt::format("{:.1f}", v);
}

// The smallest 1, 2 or 5 × 10^k at or above `v` (at least 1).
int64_t nice_max(int64_t v) {
    if (v <= 1) {
        return 1;
    }
    int64_t p = 1;
    while (p * 10 < v) {
        p *= 10;
    }
    for (int64_t m : {1, 2, 5, 10}) {
        if (m * p >= v) {
            return m * p;
        }
    }
    return 10 * p;
}

std::string no_data(double height) {
    return fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">No data in this period</text>",
        num(k_chart_width / 2), num(height / 2));
}

std::string svg_open(double height, const std::string& label) {
    return fmt::format(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
        "role=\"img\" aria-label=\"{}\"><title>{}</title>",
        num(k_chart_width), num(height), html_escape(label), html_escape(label));
}

std::string y_axis(double left, double top, double plot_w, double plot_h, int64_t max) {
    std::string s;
    // Gridlines at round steps: 10 → 0 2 4 6 8 10, 20 → 0 5 10 15 20, 50 → 0 10 … 50.
    int64_t lead = max;
    while (lead >= 10 && lead % 10 == 0) {
        lead /= 10;
    }
    int ticks = lead == 2 ? 4 : 5;
    if (max < ticks) {
        ticks = static_cast<int>(max);
    }
    for (int k = 0; k <= ticks; ++k) {
        double v = static_cast<double>(max) * k / ticks;
        double y = top + plot_h - plot_h * k / ticks;
        s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#eaeef2\"/>",
                         num(left), num(left + plot_w), num(y), num(y));
        s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(left - 6),
                         num(y + 4), static_cast<int64_t>(std::lround(v)));
    }
    return s;
}

std::string daily_chart(const Figures& f) {
    const double height = 280, left = 44, right = 10, top = 12, bottom = 30;
    std::string s = svg_open(height, "Messages per day, stacked by category");
    int64_t max = 0;
    for (const auto& d : f.days) {
        max = std::max(max, d.total);
    }
    if (f.days.empty() || max == 0) {
        return s + no_data(height) + "</svg>";
    }
    max = nice_max(max);
    double plot_w = k_chart_width - left - right, plot_h = height - top - bottom;
    s += y_axis(left, top, plot_w, plot_h, max);
    double slot = plot_w / static_cast<double>(f.days.size());
    double bar_w = std::max(1.0, slot * 0.78);
    size_t label_every = std::max<size_t>(1, (f.days.size() + 11) / 12);
    const auto& cats = all_categories();
    for (size_t i = 0; i < f.days.size(); ++i) {
        const Day& d = f.days[i];
        double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
        double y = top + plot_h;
        for (size_t c = 0; c < cats.size() && c < d.categories.size(); ++c) {
            int64_t n = d.categories[c];
            if (n == 0) {
                continue;
            }
            double h = plot_h * static_cast<double>(n) / static_cast<double>(max);
            y -= h;
            s += fmt::format(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}: {}"
                "</title></rect>",
                num(x), num(y), num(bar_w), num(h), category_color(cats[c]), d.date,
                to_string(cats[c]), n);
        }
        if (i % label_every == 0) {
            s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                             num(x + bar_w / 2), num(top + plot_h + 16), d.date.substr(5));
        }
    }
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#57606a\"/>",
                     num(left), num(left + plot_w), num(top + plot_h), num(top + plot_h));
    return s + "</svg>";
}

std::string category_legend(const Figures& f) {
    const auto& cats = all_categories();
    std::string s = "<ul class=\"legend\">";
    for (size_t c = 0; c < cats.size(); ++c) {
        bool present = std::any_of(f.days.begin(), f.days.end(), [&](const Day& d) {
            return c < d.categories.size() && d.categories[c] > 0;
        });
        if (present) {
            s += fmt::format("<li><i style=\"background:{}\"></i>{}</li>", category_color(cats[c]),
                             to_string(cats[c]));
        }
    }
    return s + "</ul>";
}

std::string histogram_chart(const Figures& f) {
    const double height = 220, left = 44, right = 10, top = 16, bottom = 30;
    std::string s = svg_open(height, "Distribution of first-response times");
    int64_t max = 0;
    for (int64_t n : f.response_histogram) {
        max = std::max(max, n);
    }
    if (max == 0) {
        return s + no_data(height) + "</svg>";
    }
    max = nice_max(max);
    double plot_w = k_chart_width - left - right, plot_h = height - top - bottom;
    s += y_axis(left, top, plot_w, plot_h, max);
    const auto& buckets = response_buckets();
    double slot = plot_w / static_cast<double>(buckets.size());
    for (size_t i = 0; i < buckets.size() && i < f.response_histogram.size(); ++i) {
        int64_t n = f.response_histogram[i];
        double h = plot_h * static_cast<double>(n) / static_cast<double>(max);
        double x = left + slot * static_cast<double>(i) + slot * 0.15;
        double w = slot * 0.7;
        double y = top + plot_h - h;
        bool late = i > 0 && buckets[i - 1].second >= f.sla_seconds && f.sla_seconds > 0;
        s += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: "
            "{}</title></rect>",
            num(x), num(y), num(w), num(h), late ? "#d55e00" : "#0072b2",
            html_escape(buckets[i].first), n);
        s += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                         num(x + w / 2), num(y - 4), n);
        s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(x + w / 2),
                         num(top + plot_h + 16), html_escape(buckets[i].first));
    }
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#57606a\"/>",
                     num(left), num(left + plot_w), num(top + plot_h), num(top + plot_h));
    return s + "</svg>";
}

std::string backlog_chart(const Figures& f) {
    std::vector<Count> rows;
    for (const auto& c : f.backlog_level) {
        if (c.n > 0 || c.key == "urgent" || c.key == "high" || c.key == "normal" ||
            c.key == "low") {
            rows.push_back(c);
        }
    }
    const double row_h = 30, top = 8, left = 80, right = 60;
    double height = top * 2 + row_h * static_cast<double>(rows.size());
    std::string s = svg_open(height, "Backlog by priority level");
    int64_t max = 0;
    for (const auto& c : rows) {
        max = std::max(max, c.n);
    }
    double plot_w = k_chart_width - left - right;
    for (size_t i = 0; i < rows.size(); ++i) {
        double y = top + row_h * static_cast<double>(i);
        double w = max > 0 ? plot_w * static_cast<double>(rows[i].n) / static_cast<double>(max) : 0;
        s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(left - 8),
                         num(y + row_h / 2 + 4), html_escape(rows[i].key));
        s += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: "
            "{}</title></rect>",
            num(left), num(y + 5), num(std::max(w, rows[i].n > 0 ? 2.0 : 0.0)), num(row_h - 10),
            level_color(rows[i].key), html_escape(rows[i].key), rows[i].n);
        s += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>", num(left + w + 6),
                         num(y + row_h / 2 + 4), rows[i].n);
    }
    return s + "</svg>";
}

std::string span_or_dash(const std::optional<int64_t>& s) {
    return s ? timeutil::format_span(*s) : "–";
}

std::string count_table(const std::string& head, const std::vector<Count>& rows, int64_t total,
                        bool skip_zero) {
    std::string s = fmt::format(
        "<table><tr><th>{}</th><th class=\"n\">messages</th><th class=\"n\">share</th></tr>",
        html_escape(head));
    for (const auto& c : rows) {
        if (skip_zero && c.n == 0) {
            continue;
        }
        s += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                         html_escape(c.key), c.n,
                         total > 0 ? fmt::format("{}%", (c.n * 100 + total / 2) / total) : "–");
    }
    return s + "</table>";
}

std::string tile(int64_t n, const std::string& label) {
    return fmt::format("<div class=\"tile\"><b>{}</b><span>{}</span></div>", n, html_escape(label));
}

}  // namespace

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::string clean = text::repair_utf8(s);
    for (char c : clean) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                // Control characters have no place in HTML text.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
                    out += ' ';
                } else {
                    out += c;
                }
        }
    }
    return out;
}

std::string render_html(const Figures& f, const std::string& shop) {
    std::string title = shop.empty() ? "kefu report" : "kefu report — " + shop;
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "<title>" + html_escape(title) + "</title>\n<style>" + k_style +
         "</style>\n</head>\n<body>\n";
    h += "<h1>" + html_escape(title) + "</h1>\n";
    h += fmt::format("<p class=\"period\">{} → {} · generated {}</p>\n",
                     timeutil::format_local(f.since), timeutil::format_local(f.until),
                     timeutil::format_local(f.now));

    h += "<section><div class=\"tiles\">";
    h += tile(f.inquiries, "messages") + tile(f.threads, "new conversations") +
         tile(f.customers, "customers") + tile(f.replies, "replies sent") +
         tile(f.backlog, "in the backlog now") +
         tile(f.sla_answered_late + f.sla_waiting, "SLA breaches");
    h += "</div></section>\n";

    h += "<section><h2>Messages per day, by category</h2>\n" + daily_chart(f) + category_legend(f) +
         "</section>\n";

    h += "<section class=\"cols\"><div><h2>By category</h2>" +
         count_table("category", f.by_category, f.inquiries, true) +
         "</div><div><h2>By channel</h2>" +
         count_table("channel", f.by_channel, f.inquiries, false) + "</div></section>\n";

    h += "<section><h2>First-response times</h2>\n" + histogram_chart(f);
    h += "<table><tr><th></th><th class=\"n\">conversations</th><th class=\"n\">median</th>"
         "<th class=\"n\">90th percentile</th></tr>";
    h += fmt::format(
        "<tr><td>first response</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td></tr>",
        f.first_response.count, span_or_dash(f.first_response.median),
        span_or_dash(f.first_response.p90));
    h += fmt::format(
        "<tr><td>resolution</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td></tr>",
        f.resolution.count, span_or_dash(f.resolution.median), span_or_dash(f.resolution.p90));
    h += "</table>\n";
    h += fmt::format(
        "<p class=\"note\">SLA: first response within {}. {} breached ({} answered late, {} still "
        "waiting), {} met; {} not answered yet. Bars past the SLA are drawn in "
        "orange.</p></section>\n",
        timeutil::format_span(f.sla_seconds), f.sla_answered_late + f.sla_waiting,
        f.sla_answered_late, f.sla_waiting, f.sla_met, f.unanswered);

    h += fmt::format("<section><h2>Backlog by priority ({} conversations now)</h2>\n", f.backlog) +
         backlog_chart(f);
    h += "<table><tr>";
    for (const auto& c : f.backlog_status) {
        h += "<th class=\"n\">" + html_escape(c.key) + "</th>";
    }
    h += "</tr><tr>";
    for (const auto& c : f.backlog_status) {
        h += fmt::format("<td class=\"n\">{}</td>", c.n);
    }
    h += "</tr></table></section>\n";

    h += fmt::format("<section class=\"cols\"><div><h2>Repeat buyers: {} of {}</h2>",
                     f.repeat_customers, f.customers);
    h += "<table><tr><th>customer</th><th class=\"n\">conversations</th><th "
         "class=\"n\">messages</th></tr>";
    for (const auto& r : f.top_repeat) {
        h += fmt::format("<tr><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                         html_escape(r.name.empty() ? "#" + std::to_string(r.id) : r.name),
                         r.vip ? " ★" : "", r.threads, r.inquiries);
    }
    h += "</table></div><div><h2>Templates used most</h2>";
    h += "<table><tr><th>template</th><th class=\"n\">replies</th></tr>";
    for (const auto& t : f.templates) {
        h += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>", html_escape(t.key), t.n);
    }
    if (f.templates.empty()) {
        h += "<tr><td colspan=\"2\" class=\"note\">no template replies in this period</td></tr>";
    }
    h += "</table></div></section>\n</body>\n</html>\n";
    return h;
}

}  // namespace kefu::report
