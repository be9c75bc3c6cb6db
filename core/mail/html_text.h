#pragma once
// Internal to core/mail: the text builder shared by html_to_text()'s two readers (gumbo's tree,
// and the linear tag stripper used for markup too deeply nested for gumbo).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.h"

namespace kefu::mail::detail {

// Collects text into lines: pending line breaks and spaces are only written when more text
// follows, so the result never ends in white space and has at most one blank line in a row.
class TextBuilder {
public:
    // Appends text; white space collapses unless `pre`, where line breaks are kept as such.
    void text(std::string_view t, bool pre) {
        size_t i = 0;
        while (i < t.size()) {
            size_t start = i;
            char32_t cp = text::next_code_point(t, i);
            if (pre && cp == '\n') {
                br();
                continue;
            }
            if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0) {
                if (pre) {
                    write(" ");
                } else {
                    m_space = true;
                }
                continue;
            }
            write(t.substr(start, i - start));
        }
    }

    // Asks for `n` line breaks (2 = a blank line) before the next text.
    void block(int n) {
        m_space = false;
        m_breaks = std::max(m_breaks, n);
    }

    // One more line break (<br>): consecutive ones make blank lines.
    void br() {
        m_space = false;
        m_breaks = std::min(m_breaks + 1, 2);
    }

    void space() { m_space = true; }
    void enter_quote() { ++m_quote; }
    void leave_quote() { m_quote = std::max(0, m_quote - 1); }
    size_t size() const { return m_out.size() + m_line.size(); }

    std::string finish() {
        end_line();
        while (!m_out.empty() && m_out.back() == '\n') {
            m_out.pop_back();
        }
        return std::move(m_out);
    }

private:
    void write(std::string_view s) {
        if (m_breaks > 0 && size() > 0) {
            end_line();
            if (m_breaks > 1) {
                m_out += '\n';
            }
        } else if (m_space && !m_line.empty()) {
            m_line += ' ';
        }
        m_breaks = 0;
        m_space = false;
        if (m_line.empty()) {
            m_line_quote = m_quote;
        }
        m_line += s;
    }

    void end_line() {
        if (m_line.empty()) {
            return;
        }
        for (int q = 0; q < m_line_quote; ++q) {
            m_out += "> ";
        }
        while (!m_line.empty() && m_line.back() == ' ') {
            m_line.pop_back();
        }
        m_out += m_line;
        m_out += '\n';
        m_line.clear();
    }

    std::string m_out;
    std::string m_line;
    int m_breaks = 0;
    bool m_space = false;
    int m_quote = 0;
    int m_line_quote = 0;
};

// Sum over the opening tags of `html` of their nesting depth, from a scan of the tags (void
// elements do not nest): what gumbo's work grows with.
uint64_t nesting_cost(std::string_view html, uint64_t stop_above);

// Reads HTML without building a tree: drops tags, comments, script and style, turns block
// tags into line breaks and decodes the common entities. Linear time.
std::string strip_tags(std::string_view html);

}  // namespace kefu::mail::detail
