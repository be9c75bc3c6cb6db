#include "core/triage/term_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/text.h"

namespace kefu::triage {

std::string format_score(double v) {
    std::string s = fmt::format("{:.2f}", v);
    while (s.back() == '0') {
        s.pop_back();
    }
    if (s.back() == '.') {
        s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

std::string format_terms(const std::vector<Term>& terms, double total, std::string_view level) {
    std::vector<std::array<std::string, 5>> rows;
    rows.push_back({"TERM", "RAW", "COEFF", "SCORE", "WHY"});
    for (const Term& t : terms) {
        rows.push_back({text::one_line(t.name), format_score(t.raw), format_score(t.coefficient),
                        format_score(t.contribution), text::one_line(t.detail)});
    }
    std::string total_text = format_score(total);
    std::array<size_t, 4> width{};
    for (const auto& r : rows) {
        for (size_t c = 0; c < width.size(); ++c) {
            width[c] = std::max(width[c], text::display_width(r[c]));
        }
    }
    width[0] = std::max<size_t>(width[0], 5);  // "total"
    width[3] = std::max(width[3], total_text.size());
    std::string out;
    for (const auto& r : rows) {
        std::string line = text::pad_to_width(r[0], width[0]) + "  " +
                           text::pad_to_width(r[1], width[1], true) + "  " +
                           text::pad_to_width(r[2], width[2], true) + "  " +
                           text::pad_to_width(r[3], width[3], true) + "  " + r[4];
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + '\n';
    }
    size_t indent = width[0] + width[1] + width[2] + 6;
    out += std::string(indent, ' ') + std::string(width[3], '-') + '\n';
    out += text::pad_to_width("total", indent) + text::pad_to_width(total_text, width[3], true) +
           "  " + std::string(level) + '\n';
    return out;
}

std::string format_fired(const std::vector<Fired>& fired) {
    size_t width = 0;
    for (const Fired& f : fired) {
        width = std::max(width, text::display_width(f.rule_id));
    }
    std::string out;
    for (const Fired& f : fired) {
        std::string words;
        for (const auto& m : f.matched) {
            words += (words.empty() ? "" : ", ") + m;
        }
        std::string line = "  " + text::pad_to_width(text::one_line(f.rule_id), width) + "  " +
                           text::one_line(words.empty() ? "(regex)" : words);
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + '\n';
    }
    return out;
}

}  // namespace kefu::triage
