#include "core/mail/mbox.h"

#include <algorithm>
#include <cstring>

namespace kefu::mail {
namespace {

constexpr size_t k_read_chunk = 64 * 1024;
constexpr std::string_view k_bom = "\xEF\xBB\xBF";

std::string_view without_eol(std::string_view line) {
    if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
    }
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool has_time_of_day(std::string_view s) {
    for (size_t i = 0; i + 3 < s.size(); ++i) {
        if (is_digit(s[i]) && s[i + 1] == ':' && is_digit(s[i + 2]) && is_digit(s[i + 3])) {
            return true;
        }
    }
    return false;
}

// "From " + sender, then nothing or something with a time of day in it.
bool has_from_line_shape(std::string_view line) {
    std::string_view l = without_eol(line);
    if (!l.starts_with("From ")) {
        return false;
    }
    std::string_view rest = l.substr(5);
    size_t sender_end = rest.find_first_of(" \t");
    if (sender_end == std::string_view::npos) {
        return true;
    }
    std::string_view after = rest.substr(sender_end);
    size_t first = after.find_first_not_of(" \t");
    return first == std::string_view::npos || has_time_of_day(after);
}

// "Name:" or "Name :" with a field name of printable ASCII other than ':' (RFC 5322).
bool looks_like_header(std::string_view line) {
    size_t i = 0;
    while (i < line.size()) {
        auto c = static_cast<unsigned char>(line[i]);
        if (c < 33 || c > 126 || c == ':') {
            break;
        }
        ++i;
    }
    if (i == 0) {
        return false;
    }
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    return i < line.size() && line[i] == ':';
}

// mboxrd: ">From ", ">>From " … lose one '>'.
bool is_escaped_from(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && line[i] == '>') {
        ++i;
    }
    return i > 0 && line.substr(i).starts_with("From ");
}

bool is_blank_content(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void drop_separator_line(std::string& raw) {
    if (raw.ends_with("\r\n\r\n") || raw.ends_with("\n\r\n")) {
        raw.resize(raw.size() - 2);
    } else if (raw.ends_with("\n\n")) {
        raw.pop_back();
    }
}

}  // namespace

bool looks_like_mbox(std::string_view first_bytes) {
    if (first_bytes.starts_with(k_bom)) {
        first_bytes.remove_prefix(k_bom.size());
    }
    return first_bytes.starts_with("From ");
}

MboxReader::MboxReader(std::istream& in, size_t max_message_bytes)
    : m_in(in), m_max_message_bytes(max_message_bytes), m_buffer(k_read_chunk, '\0') {}

bool MboxReader::read_line(Line& line) {
    line.text.clear();
    line.valid = false;
    uint64_t offset = m_offset;
    // A line longer than a whole message is cut; the rest of it is read and dropped.
    size_t cap = m_max_message_bytes + 2;
    bool any = false;
    while (true) {
        if (m_buffer_pos == m_buffer_len) {
            if (m_eof) {
                break;
            }
            m_in.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
            m_buffer_len = static_cast<size_t>(m_in.gcount());
            m_buffer_pos = 0;
            if (m_buffer_len == 0) {
                m_eof = true;
                break;
            }
        }
        const char* start = m_buffer.data() + m_buffer_pos;
        size_t avail = m_buffer_len - m_buffer_pos;
        const void* nl = std::memchr(start, '\n', avail);
        size_t take =
            nl == nullptr ? avail : static_cast<size_t>(static_cast<const char*>(nl) - start) + 1;
        any = true;
        if (line.text.size() < cap) {
            line.text.append(start, std::min(take, cap - line.text.size()));
        }
        m_buffer_pos += take;
        m_offset += take;
        if (nl != nullptr) {
            break;
        }
    }
    if (!any) {
        return false;
    }
    line.number = ++m_line_number;
    line.offset = offset;
    line.valid = true;
    return true;
}

bool MboxReader::take_line(Line& line) {
    if (m_lookahead.valid) {
        std::swap(line, m_lookahead);
        m_lookahead.valid = false;
        return true;
    }
    return read_line(line);
}

bool MboxReader::next(std::string& raw, uint64_t& start_line) {
    Line line;
    while (true) {
        raw.clear();
        m_truncated = false;
        m_current_from.clear();
        bool started = false;
        if (m_next_from.valid) {
            m_current_from = without_eol(m_next_from.text);
            start_line = m_next_from.number;
            m_current_offset = m_next_from.offset;
            m_next_from.valid = false;
            started = true;
        }
        bool more = false;
        while (take_line(line)) {
            if (m_at_start) {
                m_at_start = false;
                if (std::string_view(line.text).starts_with(k_bom)) {
                    line.text.erase(0, k_bom.size());
                }
                start_line = line.number;
                m_current_offset = line.offset;
                started = true;
                if (std::string_view(line.text).starts_with("From ")) {
                    m_current_from = without_eol(line.text);
                    continue;
                }
            } else if (!started) {
                start_line = line.number;
                m_current_offset = line.offset;
                started = true;
            } else if (has_from_line_shape(line.text)) {
                // A From_ line only when a header follows (or the input ends).
                Line peek;
                bool have_peek = read_line(peek);
                bool separator = !have_peek || looks_like_header(peek.text);
                if (have_peek) {
                    m_lookahead = std::move(peek);
                }
                if (separator) {
                    m_next_from = std::move(line);
                    more = true;
                    break;
                }
            }
            std::string_view text = line.text;
            if (is_escaped_from(text)) {
                text.remove_prefix(1);
            }
            if (raw.size() + text.size() > m_max_message_bytes) {
                raw.append(text.substr(0, m_max_message_bytes - raw.size()));
                m_truncated = true;
            } else {
                raw.append(text);
            }
        }
        drop_separator_line(raw);
        if (!is_blank_content(raw)) {
            return true;
        }
        if (!more) {
            raw.clear();
            return false;
        }
    }
}

}  // namespace kefu::mail
