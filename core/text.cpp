#include "core/text.h"

#include <fmt/format.h>
#include <utf8proc.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace kefu::text {
namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when it is ill-formed.
size_t sequence_length(std::string_view s, size_t i) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    size_t n = s.size();
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return (i + 1 < n && (b(i + 1) & 0xC0) == 0x80) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (i + 2 >= n) {
            return 0;
        }
        unsigned char c1 = b(i + 1);
        if ((c1 & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80) {
            return 0;
        }
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) {
            return 0;  // overlong, or a surrogate
        }
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (i + 3 >= n) {
            return 0;
        }
        unsigned char c1 = b(i + 1);
        if ((c1 & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80 || (b(i + 3) & 0xC0) != 0x80) {
            return 0;
        }
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

}  // namespace

bool valid_utf8(std::string_view s, size_t* bad_offset) {
    size_t i = 0;
    while (i < s.size()) {
        // Fast path over ASCII, eight bytes at a time.
        while (i + 8 <= s.size()) {
            uint64_t w = 0;
            std::memcpy(&w, s.data() + i, 8);
            if ((w & 0x8080808080808080ULL) != 0) {
                break;
            }
            i += 8;
        }
        if (i >= s.size()) {
            break;
        }
        size_t len = sequence_length(s, i);
        if (len == 0) {
            if (bad_offset != nullptr) {
                *bad_offset = i;
            }
            return false;
        }
        i += len;
    }
    return true;
}

char32_t next_code_point(std::string_view s, size_t& i) {
    size_t len = sequence_length(s, i);
    auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
    char32_t cp = 0xFFFD;
    switch (len) {
        case 1:
            cp = b(i);
            break;
        case 2:
            cp = ((b(i) & 0x1F) << 6) | (b(i + 1) & 0x3F);
            break;
        case 3:
            cp = ((b(i) & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
            break;
        case 4:
            cp = ((b(i) & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) |
                 (b(i + 3) & 0x3F);
            break;
        default:
            len = 1;
            break;
    }
    i += len;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string repair_utf8(std::string_view s) {
    if (valid_utf8(s)) {
        return std::string(s);
    }
    std::string out;
    out.reserve(s.size() + 8);
    size_t i = 0;
    while (i < s.size()) {
        size_t len = sequence_length(s, i);
        if (len == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, len));
            i += len;
        }
    }
    return out;
}

namespace {
int cp_width(char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
        return 0;
    }
    int w = utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp));
    return w < 0 ? 0 : w;
}
}  // namespace

size_t display_width(std::string_view s) {
    size_t w = 0;
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F) {
            ++w;
            ++i;
            continue;
        }
        w += static_cast<size_t>(cp_width(next_code_point(s, i)));
    }
    return w;
}

std::string truncate_to_width(std::string_view s, size_t width) {
    if (display_width(s) <= width) {
        return std::string(s);
    }
    if (width == 0) {
        return {};
    }
    std::string out;
    size_t w = 0;
    size_t i = 0;
    while (i < s.size()) {
        size_t start = i;
        int cw = cp_width(next_code_point(s, i));
        if (w + static_cast<size_t>(cw) > width - 1) {
            break;
        }
        out.append(s.substr(start, i - start));
        w += static_cast<size_t>(cw);
    }
    out += "…";
    return out;
}

std::string pad_to_width(std::string_view s, size_t width, bool right_align) {
    size_t w = display_width(s);
    if (w >= width) {
        return std::string(s);
    }
    std::string pad(width - w, ' ');
    return right_align ? pad + std::string(s) : std::string(s) + pad;
}

std::string escape_controls(std::string_view s, bool keep_newlines) {
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != 0x7F && c < 0x80) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        size_t start = i;
        bool ok = sequence_length(s, i) != 0;
        char32_t cp = next_code_point(s, i);
        if (!ok) {
            out += fmt::format("\\x{:02x}", c);
        } else if (cp == '\n' && keep_newlines) {
            out += '\n';
        } else if (cp == '\t' && keep_newlines) {
            out += '\t';
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp == 0x1B) {
            out += "\\e";
        } else if (cp < 0x20 || cp == 0x7F) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
        } else if ((cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            // C1 controls (0x9B is a CSI on some terminals) and bidi overrides.
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
        } else {
            out.append(s.substr(start, i - start));
        }
    }
    return out;
}

std::string unix_newlines(std::string s) {
    if (s.find('\r') == std::string::npos) {
        return s;
    }
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\r') {
            out += s[i];
        } else if (i + 1 >= s.size() || s[i + 1] != '\n') {
            out += '\n';
        }
    }
    return out;
}

std::string one_line(std::string_view s) {
    std::string flat;
    flat.reserve(s.size());
    bool space = false;
    for (char ch : s) {
        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
            space = true;
            continue;
        }
        if (space && !flat.empty()) {
            flat += ' ';
        }
        space = false;
        flat += ch;
    }
    return escape_controls(flat, false);
}

std::string fold(std::string_view s) {
    std::string in = repair_utf8(s);
    utf8proc_uint8_t* out = nullptr;
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                  UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                  UTF8PROC_IGNORE);
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(in.data()),
                                      static_cast<utf8proc_ssize_t>(in.size()), &out, options);
    if (n < 0) {
        return in;
    }
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(out, &std::free);
    return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

std::string_view trim(std::string_view s) {
    static constexpr std::string_view k_ideographic_space = "\xE3\x80\x80";
    while (true) {
        if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                           s.front() == '\n' || s.front() == '\v' || s.front() == '\f')) {
            s.remove_prefix(1);
        } else if (s.starts_with(k_ideographic_space)) {
            s.remove_prefix(3);
        } else {
            break;
        }
    }
    while (true) {
        if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                           s.back() == '\n' || s.back() == '\v' || s.back() == '\f')) {
            s.remove_suffix(1);
        } else if (s.ends_with(k_ideographic_space)) {
            s.remove_suffix(3);
        } else {
            break;
        }
    }
    return s;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out) {
        if (ch >= 'A' && ch <= 'Z') {
            ch = static_cast<char>(ch - 'A' + 'a');
        }
    }
    return out;
}

bool is_han(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

bool is_cjk(char32_t cp) {
    return is_han(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
        size_t p = s.find(sep, start);
        if (p == std::string_view::npos) {
            out.push_back(s.substr(start));
            break;
        }
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
    return out;
}

}  // namespace kefu::text
