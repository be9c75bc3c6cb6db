#include "cmd/printer.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "core/error.h"
#include "core/text.h"

namespace kefu::cli {

Format parse_format(const std::string& name) {
    if (name == "table") {
        return Format::Table;
    }
    if (name == "json") {
        return Format::Json;
    }
    if (name == "jsonl") {
        return Format::Jsonl;
    }
    if (name == "tsv") {
        return Format::Tsv;
    }
    if (name == "csv") {
        return Format::Csv;
    }
    throw usage_error("bad --format", fmt::format("\"{}\" is not one of table, json, jsonl, tsv, csv", name));
}

std::string escape_c1_json(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    for (size_t i = 0; i < json.size(); ++i) {
        auto c = static_cast<unsigned char>(json[i]);
        auto next = i + 1 < json.size() ? static_cast<unsigned char>(json[i + 1]) : 0;
        if (c == 0x7f) {
            out += "\\u007f";
        } else if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {
            out += fmt::format("\\u{:04x}", next);
            ++i;
        } else {
            out += json[i];
        }
    }
    return out;
}

std::string to_json_line(const nlohmann::ordered_json& value) {
    return escape_c1_json(
        value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string cell_text(const nlohmann::ordered_json& v) {
    if (v.is_null()) {
        return {};
    }
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_boolean()) {
        return v.get<bool>() ? "yes" : "no";
    }
    if (v.is_number_integer() || v.is_number_unsigned()) {
        return std::to_string(v.get<int64_t>());
    }
    if (v.is_number_float()) {
        return fmt::format("{:.1f}", v.get<double>());
    }
    if (v.is_array()) {
        std::string s;
        for (const auto& item : v) {
            if (!s.empty()) {
                s += ',';
            }
            s += cell_text(item);
        }
        return s;
    }
    return to_json_line(v);
}

RecordPrinter::RecordPrinter(std::ostream& out, Format format, std::vector<Column> table_columns,
                             Terminal term)
    : m_out(out), m_format(format), m_columns(std::move(table_columns)), m_term(term) {
    for (const auto& col : m_columns) {
        m_widths.push_back(text::display_width(col.header));
    }
}

void RecordPrinter::write_delimited(const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            line += m_format == Format::Tsv ? '\t' : ',';
        }
        const std::string& c = cells[i];
        if (m_format == Format::Tsv) {
            // TSV has no quoting: backslash-escape what would break a line or a column.
            for (char ch : c) {
                switch (ch) {
                    case '\t': line += "\\t"; break;
                    case '\n': line += "\\n"; break;
                    case '\r': line += "\\r"; break;
                    case '\\': line += "\\\\"; break;
                    default: line += ch;
                }
            }
        } else if (c.find_first_of(",\"\r\n") != std::string::npos || (!c.empty() && (c.front() == ' ' || c.back() == ' '))) {
            line += '"';
            for (char ch : c) {
                line += ch;
                if (ch == '"') {
                    line += '"';
                }
            }
            line += '"';
        } else {
            line += c;
        }
    }
    line += '\n';
    m_out << line;
}

void RecordPrinter::add(const nlohmann::ordered_json& record) {
    ++m_count;
    switch (m_format) {
        case Format::Table: {
            size_t n = m_columns.size();
            TableRow row;
            row.cells.resize(n);
            for (size_t c = 0; c < n; ++c) {
                const Column& col = m_columns[c];
                std::string v = record.contains(col.key) ? cell_text(record[col.key]) : "";
                std::string cell = text::one_line(v);
                // A column that may be cut is never shown wider than the terminal: a cell over
                // twice that is cut now (the table's layout comes out the same), so that a
                // long listing does not keep every whole text until the end.
                size_t width = text::display_width(cell);
                if (col.shrink && m_term.width > 0 && width > 2 * m_term.width) {
                    cell = text::truncate_to_width(cell, 2 * m_term.width);
                    width = text::display_width(cell);
                }
                m_widths[c] = std::max(m_widths[c], width);
                row.cells[c] = std::move(cell);
                if (m_term.color && col.color && record.contains(col.key)) {
                    row.colors.resize(n);
                    row.colors[c] = col.color(record[col.key]);
                }
            }
            m_rows.push_back(std::move(row));
            break;
        }
        case Format::Json:
            m_out << (m_count == 1 ? "[\n" : ",\n") << to_json_line(record);
            break;
        case Format::Jsonl:
            m_out << to_json_line(record) << '\n';
            break;
        case Format::Tsv:
        case Format::Csv: {
            if (m_count == 1) {
                for (const auto& [k, v] : record.items()) {
                    m_keys.push_back(k);
                }
                write_delimited(m_keys);
            }
            std::vector<std::string> cells;
            for (const auto& k : m_keys) {
                // Controls escaped as in a table: TSV and CSV often go to a terminal too.
                cells.push_back(record.contains(k)
                                    ? text::escape_controls(text::repair_utf8(cell_text(record[k])))
                                    : "");
            }
            write_delimited(cells);
            break;
        }
    }
}

void RecordPrinter::finish() {
    if (m_format == Format::Json) {
        m_out << (m_count == 0 ? "[]\n" : "\n]\n");
        return;
    }
    if (m_format != Format::Table || m_rows.empty()) {
        return;
    }
    size_t n = m_columns.size();
    std::vector<size_t> width = m_widths;
    // Shrink the shrinkable columns, widest first, until the table fits the terminal: first
    // down to a width that still reads well, then (a narrow terminal) leave out the columns
    // that may go, the least needed first, and only then cut further.
    size_t total = n > 0 ? (n - 1) * 2 : 0;
    for (size_t w : width) {
        total += w;
    }
    auto shrink_to = [&](size_t floor) {
        while (total > m_term.width) {
            size_t widest = n;
            for (size_t c = 0; c < n; ++c) {
                if (m_columns[c].shrink && width[c] > floor && (widest == n || width[c] > width[widest])) {
                    widest = c;
                }
            }
            if (widest == n) {
                return;
            }
            size_t cut = std::min(total - m_term.width, width[widest] - floor);
            width[widest] -= cut;
            total -= cut;
        }
    };
    constexpr size_t k_readable = 24;
    constexpr size_t k_min_shrunk = 12;
    shrink_to(k_readable);
    std::vector<bool> shown(n, true);
    while (total > m_term.width) {
        size_t next = n;
        for (size_t c = 0; c < n; ++c) {
            if (shown[c] && m_columns[c].drop > 0 && (next == n || m_columns[c].drop > m_columns[next].drop)) {
                next = c;
            }
        }
        if (next == n) {
            break;
        }
        shown[next] = false;
        total -= width[next] + 2;
    }
    shrink_to(k_min_shrunk);
    size_t last_shown = n;
    for (size_t c = 0; c < n; ++c) {
        if (shown[c]) {
            last_shown = c;
        }
    }
    auto line = [&](const std::vector<std::string>& row, const std::vector<std::string>* colors,
                    bool header) {
        std::string out;
        for (size_t c = 0; c < n; ++c) {
            if (!shown[c]) {
                continue;
            }
            std::string cell = text::truncate_to_width(row[c], width[c]);
            bool last = c == last_shown;
            std::string padded = last && !m_columns[c].right ? cell : text::pad_to_width(cell, width[c], m_columns[c].right);
            std::string color;
            if (m_term.color) {
                if (header) {
                    color = k_bold;
                } else if (colors != nullptr && c < colors->size()) {
                    color = (*colors)[c];
                }
            }
            out += color.empty() ? padded : color + padded + k_reset;
            if (!last) {
                out += "  ";
            }
        }
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
        m_out << out << '\n';
    };
    std::vector<std::string> headers;
    for (const auto& col : m_columns) {
        headers.push_back(col.header);
    }
    line(headers, nullptr, true);
    for (const TableRow& row : m_rows) {
        line(row.cells, &row.colors, false);
    }
}

}  // namespace kefu::cli
