#include "core/mail/header.h"

#include <algorithm>
#include <array>

#include "core/mail/charset.h"
#include "core/text.h"

namespace kefu::mail {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = lower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

// One encoded-word found in a header: =?charset?B|Q?text?=
struct EncodedWord {
    size_t end = 0;  // offset just past "?="
    std::string_view charset;
    char encoding = 'B';
    std::string_view text;
};

// Finds encoded-words in one header value. The positions of the next "?=" and the next white
// space are remembered, so that a value full of "=?" without an end is still read in linear
// time (a hostile header must not make the parser quadratic).
class WordScanner {
public:
    explicit WordScanner(std::string_view s) : m_s(s) {}

    // Parses an encoded-word starting at s[pos] ("=?"). Returns false when there is none.
    bool parse(size_t pos, EncodedWord& w) {
        std::string_view s = m_s;
        if (s.substr(pos, 2) != "=?") {
            return false;
        }
        size_t cs_begin = pos + 2;
        size_t q1 = s.substr(0, std::min(s.size(), cs_begin + 65)).find('?', cs_begin);
        if (q1 == std::string_view::npos || q1 == cs_begin || q1 + 2 >= s.size() ||
            s[q1 + 2] != '?') {
            return false;
        }
        for (size_t i = cs_begin; i < q1; ++i) {
            if (is_space(s[i])) {
                return false;
            }
        }
        char enc = static_cast<char>(s[q1 + 1] & ~0x20);
        if (enc != 'B' && enc != 'Q') {
            return false;
        }
        size_t text_begin = q1 + 3;
        size_t close = next(m_close, text_begin, [&](size_t from) { return s.find("?=", from); });
        if (close == std::string_view::npos) {
            return false;
        }
        size_t space = next(m_space, text_begin,
                            [&](size_t from) { return s.find_first_of(" \t\r\n", from); });
        if (space < close) {
            return false;
        }
        w.charset = s.substr(cs_begin, q1 - cs_begin);
        size_t star = w.charset.find('*');  // RFC 2231 language suffix
        if (star != std::string_view::npos) {
            w.charset = w.charset.substr(0, star);
        }
        w.encoding = enc;
        w.text = s.substr(text_begin, close - text_begin);
        w.end = close + 2;
        return true;
    }

private:
    struct Cached {
        bool known = false;
        size_t at = 0;
    };

    // The first match at or after `from`, from the cache while it is still ahead.
    template <typename Find>
    static size_t next(Cached& c, size_t from, Find find) {
        if (!c.known || (c.at != std::string_view::npos && c.at < from)) {
            c.at = find(from);
            c.known = true;
        }
        return c.at;
    }

    std::string_view m_s;
    Cached m_close;
    Cached m_space;
};

// Collects the decoded bytes of consecutive encoded-words of one charset. Base64 state runs on
// across words, so a word split in the middle of a 4-character group is still read; padding
// ends a group.
class WordRun {
public:
    bool empty() const { return m_charset.empty(); }
    std::string_view charset() const { return m_charset; }

    void start(std::string_view charset) {
        m_charset.assign(charset);
        m_bytes.clear();
        m_bits = 0;
        m_nbits = 0;
    }

    void add(const EncodedWord& w) {
        if (w.encoding == 'B') {
            for (char c : w.text) {
                if (c == '=') {
                    m_bits = 0;
                    m_nbits = 0;
                    continue;
                }
                int v = base64_value(c);
                if (v < 0) {
                    continue;
                }
                m_bits = (m_bits << 6) | static_cast<unsigned>(v);
                m_nbits += 6;
                if (m_nbits >= 8) {
                    m_nbits -= 8;
                    m_bytes += static_cast<char>((m_bits >> m_nbits) & 0xFF);
                }
            }
            return;
        }
        m_bits = 0;
        m_nbits = 0;
        std::string_view t = w.text;
        for (size_t i = 0; i < t.size(); ++i) {
            if (t[i] == '_') {
                m_bytes += ' ';
            } else if (t[i] == '=' && i + 2 < t.size() && hex_value(t[i + 1]) >= 0 &&
                       hex_value(t[i + 2]) >= 0) {
                m_bytes += static_cast<char>(hex_value(t[i + 1]) * 16 + hex_value(t[i + 2]));
                i += 2;
            } else {
                m_bytes += t[i];
            }
        }
    }

    // Converts the collected bytes and appends them to `out`.
    void flush(std::string& out, std::string_view hint, bool& replaced, std::string* note) {
        if (m_charset.empty()) {
            return;
        }
        Decoded d = decode_charset(m_bytes, m_charset, hint);
        out += d.text;
        replaced = replaced || d.replaced;
        if (note != nullptr && note->empty() && (d.relabelled || d.widened)) {
            *note = "charset " + text::ascii_lower(m_charset) + " read as " + d.charset;
        }
        m_charset.clear();
        m_bytes.clear();
    }

private:
    std::string m_charset;
    std::string m_bytes;
    unsigned m_bits = 0;
    int m_nbits = 0;
};

void append_plain(std::string& out, std::string_view plain, std::string_view hint, bool& replaced,
                  std::string* note) {
    bool ascii = true;
    for (char c : plain) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        out += plain;
        return;
    }
    Decoded d = decode_charset(plain, "", hint);
    out += d.text;
    replaced = replaced || d.replaced;
    if (note != nullptr && note->empty() && d.charset != "UTF-8") {
        *note = "unlabelled 8-bit header read as " + d.charset;
    }
}

// Unfolds (line breaks removed, RFC 5322 2.2.3), turns tabs and other control white space
// into spaces and trims. Runs of spaces are kept: they can be part of the text.
std::string clean_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\r' || c == '\n') {
            continue;
        }
        out += (c == '\t' || c == '\v' || c == '\f') ? ' ' : c;
    }
    return std::string(text::trim(out));
}

// Reply and forward words that may start a subject, compared case-insensitively (ASCII) or
// exactly (CJK).
constexpr std::array<std::string_view, 19> k_prefixes = {
    "re",   "fw",   "fwd",  "aw",   "wg",   "sv",   "vs",   "antw", "rif", "tr",
    "回复", "回覆", "答复", "答覆", "转发", "轉發", "转寄", "轉寄", "回復"};

// Length of the prefix at the start of `s` (word, optional counter, optional spaces, colon),
// or 0 when `s` does not start with one.
size_t prefix_length(std::string_view s) {
    for (std::string_view p : k_prefixes) {
        if (s.size() < p.size() || !iequals(s.substr(0, p.size()), p)) {
            continue;
        }
        size_t i = p.size();
        if (i < s.size() && (s[i] == '[' || s[i] == '(')) {
            char close = s[i] == '[' ? ']' : ')';
            size_t j = i + 1;
            while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
                ++j;
            }
            if (j > i + 1 && j < s.size() && s[j] == close) {
                i = j + 1;
            }
        }
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
            ++i;
        }
        if (i < s.size() && s[i] == ':') {
            return i + 1;
        }
        if (s.substr(i, 3) == "\xEF\xBC\x9A") {  // full-width colon
            return i + 3;
        }
    }
    return 0;
}

}  // namespace

std::string unfold(std::string_view raw_value) {
    std::string out;
    out.reserve(raw_value.size());
    for (char c : raw_value) {
        if (c != '\r' && c != '\n') {
            out += c;
        }
    }
    return std::string(text::trim(out));
}

std::string decode_header_text(std::string_view raw_value, std::string_view hint, bool* replaced,
                               std::string* note) {
    std::string out;
    out.reserve(raw_value.size());
    bool bad = false;
    WordRun run;
    size_t plain_begin = 0;
    size_t i = 0;
    size_t n = raw_value.size();
    WordScanner scanner(raw_value);
    while (i < n) {
        EncodedWord w;
        if (raw_value[i] != '=' || !scanner.parse(i, w)) {
            ++i;
            continue;
        }
        std::string_view between = raw_value.substr(plain_begin, i - plain_begin);
        bool only_space = true;
        for (char c : between) {
            if (!is_space(c)) {
                only_space = false;
                break;
            }
        }
        // White space between two encoded-words is not part of the text (RFC 2047 6.2).
        if (!(only_space && !run.empty())) {
            run.flush(out, hint, bad, note);
            append_plain(out, between, hint, bad, note);
        }
        if (!run.empty() && !iequals(run.charset(), w.charset)) {
            run.flush(out, hint, bad, note);
        }
        if (run.empty()) {
            run.start(w.charset);
        }
        run.add(w);
        i = w.end;
        plain_begin = i;
    }
    run.flush(out, hint, bad, note);
    append_plain(out, raw_value.substr(plain_begin), hint, bad, note);
    if (replaced != nullptr && bad) {
        *replaced = true;
    }
    return clean_spaces(out);
}

std::string normalize_subject(std::string_view subject) {
    std::string_view s = text::trim(subject);
    // Each round removes at least one byte, so this ends.
    while (true) {
        size_t n = prefix_length(s);
        if (n == 0) {
            break;
        }
        s = text::trim(s.substr(n));
    }
    return std::string(s);
}

}  // namespace kefu::mail
