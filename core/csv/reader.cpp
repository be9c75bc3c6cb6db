#include "core/csv/reader.h"

#include <fmt/format.h>
#include <iconv.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include "core/error.h"

namespace kefu::csv {
namespace {

constexpr size_t k_chunk = size_t{1} << 20;

}  // namespace

size_t FdSource::read(char* buf, size_t capacity) {
    while (true) {
        ssize_t n = ::read(m_fd, buf, capacity);
        if (n >= 0) {
            return static_cast<size_t>(n);
        }
        if (errno != EINTR) {
            throw Error("cannot read", m_name, std::strerror(errno));
        }
    }
}

size_t MemorySource::read(char* buf, size_t capacity) {
    size_t n = std::min(capacity, m_data.size() - m_pos);
    std::memcpy(buf, m_data.data() + m_pos, n);
    m_pos += n;
    return n;
}

size_t PrefixedSource::read(char* buf, size_t capacity) {
    if (m_pos < m_prefix.size()) {
        size_t n = std::min(capacity, m_prefix.size() - m_pos);
        std::memcpy(buf, m_prefix.data() + m_pos, n);
        m_pos += n;
        return n;
    }
    return m_inner.read(buf, capacity);
}

TranscodingSource::TranscodingSource(Source& inner, const std::string& encoding)
    : m_inner(inner) {
    iconv_t cd = iconv_open("UTF-8", encoding::canonical_name(encoding).c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        throw Error("unknown encoding", encoding, "iconv cannot convert it",
                    "use --encoding with e.g. utf-8, gb18030, utf-16le");
    }
    m_cd = cd;
    std::string canon = encoding::canonical_name(encoding);
    if (canon.starts_with("UTF-16") || canon.starts_with("UCS-2")) {
        m_unit = 2;
    } else if (canon.starts_with("UTF-32") || canon.starts_with("UCS-4")) {
        m_unit = 4;
    }
}

TranscodingSource::~TranscodingSource() { iconv_close(static_cast<iconv_t>(m_cd)); }

size_t TranscodingSource::read(char* buf, size_t capacity) {
    while (m_out_pos >= m_out.size()) {
        m_out.clear();
        m_out_pos = 0;
        if (m_eof && m_in.empty()) {
            return 0;
        }
        if (!m_eof) {
            size_t old = m_in.size();
            m_in.resize(old + k_chunk);
            size_t n = m_inner.read(m_in.data() + old, k_chunk);
            m_in.resize(old + n);
            m_eof = n == 0;
        }
        char* src = m_in.data();
        size_t left = m_in.size();
        std::array<char, 16384> tmp{};
        while (left > 0) {
            char* dst = tmp.data();
            size_t room = tmp.size();
            size_t r = iconv(static_cast<iconv_t>(m_cd), &src, &left, &dst, &room);
            m_out.append(tmp.data(), static_cast<size_t>(dst - tmp.data()));
            if (r != static_cast<size_t>(-1)) {
                continue;
            }
            if (errno == E2BIG) {
                continue;
            }
            if (errno == EINVAL && !m_eof) {
                break;  // an incomplete sequence at the end of the chunk: wait for more
            }
            // Invalid (or incomplete at the very end): mark one code unit and go on.
            m_out += '\xFF';
            ++m_bad_units;
            size_t skip = std::min(m_unit, left);
            src += skip;
            left -= skip;
        }
        m_in.erase(0, static_cast<size_t>(src - m_in.data()));
    }
    size_t n = std::min(capacity, m_out.size() - m_out_pos);
    std::memcpy(buf, m_out.data() + m_out_pos, n);
    m_out_pos += n;
    return n;
}

char sniff_delimiter(std::string_view sample) {
    static constexpr char k_candidates[] = {',', '\t', ';'};
    // Count each candidate per line, outside quotes, over the first lines.
    std::vector<std::array<int, 3>> counts;
    std::array<int, 3> current{};
    bool quoted = false;
    bool any = false;
    for (char c : sample) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            if (any) {
                counts.push_back(current);
            }
            current = {};
            any = false;
            if (counts.size() >= 50) {
                break;
            }
        } else if (!quoted) {
            any = true;
            for (int k = 0; k < 3; ++k) {
                if (c == k_candidates[k]) {
                    ++current[k];
                }
            }
        }
    }
    if (any) {
        counts.push_back(current);
    }
    int best = 0;
    int best_score = 0;
    for (int k = 0; k < 3; ++k) {
        // Score: how many lines share the most common non-zero count of this candidate.
        std::map<int, int> freq;
        for (const auto& line : counts) {
            if (line[k] > 0) {
                ++freq[line[k]];
            }
        }
        int score = 0;
        for (auto [value, n] : freq) {
            score = std::max(score, n);
        }
        if (score > best_score) {
            best = k;
            best_score = score;
        }
    }
    return k_candidates[best];
}

Reader::Reader(Source& source, Options options)
    : m_source(source), m_options(options), m_delimiter(options.delimiter) {}

bool Reader::fill() {
    if (m_eof) {
        return false;
    }
    // Keep the unread bytes and those of the record being read (for its raw copy).
    size_t keep_from = std::min(m_pos, m_raw_start);
    if (keep_from > 0) {
        m_buf.erase(0, keep_from);
        m_pos -= keep_from;
        m_raw_start -= keep_from;
    }
    size_t old = m_buf.size();
    m_buf.resize(old + k_chunk);
    size_t n = m_source.read(m_buf.data() + old, k_chunk);
    m_buf.resize(old + n);
    if (n == 0) {
        m_eof = true;
        return false;
    }
    return true;
}

int Reader::peek() {
    if (m_pos >= m_buf.size() && !fill()) {
        return -1;
    }
    return static_cast<unsigned char>(m_buf[m_pos]);
}

int Reader::get() {
    if (m_pos >= m_buf.size() && !fill()) {
        return -1;
    }
    int c = static_cast<unsigned char>(m_buf[m_pos++]);
    ++m_col;
    if (c == '\n') {
        ++m_line;
        m_col = 0;
    } else if (c == '\r') {
        if (peek() != '\n') {
            ++m_line;  // a lone CR ends a line too (old Mac files)
            m_col = 0;
        }
    }
    return c;
}

void Reader::append_raw(Record& record, const char* from, size_t n) {
    size_t room = m_options.max_record_bytes > record.raw.size()
                      ? m_options.max_record_bytes - record.raw.size()
                      : 0;
    if (n > room) {
        record.raw_truncated = true;
        n = room;
    }
    record.raw.append(from, n);
}

void Reader::flush_raw(Record& record) {
    if (m_pos > m_raw_start) {
        append_raw(record, m_buf.data() + m_raw_start, m_pos - m_raw_start);
    }
    m_raw_start = m_pos;
}

bool Reader::next(Record& record) {
    record.fields.clear();
    record.raw.clear();
    record.raw_truncated = false;
    record.error.clear();
    if (m_delimiter == 0) {
        while (!m_eof && m_buf.size() - m_pos < 65536 && fill()) {
        }
        m_delimiter = sniff_delimiter(std::string_view(m_buf).substr(m_pos, 65536));
    }
    if (peek() == -1) {
        return false;
    }
    m_raw_start = m_pos;
    record.line = m_line;
    enum class State { FieldStart, Unquoted, Quoted, AfterQuote, Skipping };
    State state = State::FieldStart;
    std::string field;
    size_t record_bytes = 0;
    uint64_t quote_line = 0;
    const char delim = m_delimiter;
    auto fail = [&](std::string why) {
        if (record.error.empty()) {
            record.error = std::move(why);
        }
    };
    auto add = [&](char c) {
        if (++record_bytes <= m_options.max_record_bytes) {
            field += c;
        } else if (record.error.empty()) {
            fail(fmt::format("record longer than {} MiB", m_options.max_record_bytes >> 20));
        }
    };
    auto push_field = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
    };
    // Ends the record at a line end that get() just returned; the line end is not raw.
    auto end_at_line_end = [&](int c) {
        size_t line_end = (c == '\r' && peek() == '\n') ? 1 : 0;
        if (line_end == 1) {
            get();
        }
        size_t eol_bytes = 1 + line_end;
        if (m_pos - eol_bytes >= m_raw_start) {
            append_raw(record, m_buf.data() + m_raw_start, m_pos - eol_bytes - m_raw_start);
        }
        m_raw_start = m_pos;
        record.end_line = m_line - 1;
    };
    while (true) {
        // Copy runs of ordinary bytes at once; the state machine sees only special bytes.
        if (state == State::Unquoted || state == State::Quoted) {
            size_t start = m_pos;
            size_t end = m_buf.size();
            size_t i = start;
            if (state == State::Unquoted) {
                while (i < end && m_buf[i] != delim && m_buf[i] != '"' && m_buf[i] != '\n' &&
                       m_buf[i] != '\r') {
                    ++i;
                }
            } else {
                while (i < end && m_buf[i] != '"' && m_buf[i] != '\n' && m_buf[i] != '\r') {
                    ++i;
                }
            }
            if (i > start) {
                size_t n = i - start;
                if (record_bytes + n <= m_options.max_record_bytes) {
                    field.append(m_buf.data() + start, n);
                } else {
                    fail(fmt::format("record longer than {} MiB", m_options.max_record_bytes >> 20));
                }
                record_bytes += n;
                m_col += n;
                m_pos = i;
                if (m_raw_start < m_pos && m_pos - m_raw_start > (size_t{1} << 20)) {
                    flush_raw(record);
                }
            }
        }
        int c = get();
        if (c == -1) {
            if (state == State::Quoted) {
                fail(fmt::format("quote opened on line {} is never closed", quote_line));
            }
            flush_raw(record);
            push_field();
            record.end_line = m_line;
            return true;
        }
        switch (state) {
            case State::FieldStart:
                if (c == '"') {
                    field.clear();  // spaces before an opening quote are not data
                    state = State::Quoted;
                    quote_line = m_line;
                } else if (c == delim) {
                    push_field();
                } else if (c == '\n' || c == '\r') {
                    push_field();
                    end_at_line_end(c);
                    return true;
                } else if (c == ' ' || c == '\t') {
                    add(static_cast<char>(c));
                } else {
                    add(static_cast<char>(c));
                    state = State::Unquoted;
                }
                break;
            case State::Unquoted:
                if (c == delim) {
                    push_field();
                    state = State::FieldStart;
                } else if (c == '\n' || c == '\r') {
                    push_field();
                    end_at_line_end(c);
                    return true;
                } else if (c == '"') {
                    fail(fmt::format("a quote inside an unquoted field (line {}, column {}); "
                                     "quote the field and double the quote",
                                     m_line, m_col));
                    state = State::Skipping;
                } else {
                    add(static_cast<char>(c));  // an ordinary byte met at a buffer boundary
                }
                break;
            case State::Quoted:
                if (c == '"') {
                    state = State::AfterQuote;
                } else {
                    add(static_cast<char>(c));
                }
                break;
            case State::AfterQuote:
                if (c == '"') {
                    add('"');
                    state = State::Quoted;
                } else if (c == delim) {
                    push_field();
                    state = State::FieldStart;
                } else if (c == '\n' || c == '\r') {
                    push_field();
                    end_at_line_end(c);
                    return true;
                } else {
                    fail(fmt::format("text after a closing quote (line {}, column {}); "
                                     "a quote inside a quoted field must be doubled",
                                     m_line, m_col));
                    state = State::Skipping;
                }
                break;
            case State::Skipping:
                if (c == '\n' || c == '\r') {
                    push_field();
                    end_at_line_end(c);
                    return true;
                }
                break;
        }
    }
}

}  // namespace kefu::csv
