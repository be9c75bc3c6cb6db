#include "core/mail/convert.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "core/mail/charset.h"
#include "core/text.h"

namespace kefu::mail::detail {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";
// Converters kept open per thread; a message with many odd labels cannot make the cache grow
// without bound.
constexpr size_t k_max_cached_converters = 64;
// uchardet sees at most this much of a text: enough to decide, and bounded in time.
constexpr size_t k_max_detect_bytes = 64 * 1024;

bool is_ascii(std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

// iconv converters to UTF-8, opened once per charset and thread. A failed open is remembered
// too, so an unknown label costs one lookup after the first.
class ConverterCache {
public:
    ConverterCache() = default;
    ConverterCache(const ConverterCache&) = delete;
    ConverterCache& operator=(const ConverterCache&) = delete;
    ~ConverterCache() { close_all(); }

    // A converter from `charset` to UTF-8, or (iconv_t)-1 when iconv does not know it.
    iconv_t get(const std::string& charset) {
        auto it = m_converters.find(charset);
        if (it != m_converters.end()) {
            return it->second;
        }
        if (m_converters.size() >= k_max_cached_converters) {
            close_all();
        }
        iconv_t cd = iconv_open("UTF-8", charset.c_str());
        m_converters.emplace(charset, cd);
        return cd;
    }

private:
    void close_all() {
        for (auto& [name, cd] : m_converters) {
            if (cd != reinterpret_cast<iconv_t>(-1)) {
                iconv_close(cd);
            }
        }
        m_converters.clear();
    }

    std::unordered_map<std::string, iconv_t> m_converters;
};

thread_local ConverterCache t_converters;

class Detector {
public:
    Detector() : m_handle(uchardet_new()) {}
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;
    ~Detector() { uchardet_delete(m_handle); }

    // uchardet's guess, canonicalised; "" when it has none or says ASCII.
    std::string detect(std::string_view bytes) {
        uchardet_reset(m_handle);
        bytes = bytes.substr(0, k_max_detect_bytes);
        if (uchardet_handle_data(m_handle, bytes.data(), bytes.size()) != 0) {
            return {};
        }
        uchardet_data_end(m_handle);
        const char* name = uchardet_get_charset(m_handle);
        std::string canon = canonical_charset(name == nullptr ? "" : name);
        return canon == "US-ASCII" ? std::string() : canon;
    }

private:
    uchardet_t m_handle;
};

thread_local Detector t_detector;

// Runs iconv over `in`. Strict: false at the first byte that does not convert. Lossy: each
// such byte becomes U+FFFD and is counted in `bad`. False also when iconv lacks the charset.
bool run_iconv(std::string_view in, const std::string& charset, bool lossy, std::string& out,
               size_t& bad) {
    iconv_t cd = t_converters.get(charset);
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return false;
    }
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    out.assign(in.size() * 2 + 16, '\0');
    size_t used = 0;
    // iconv's interface takes char**; it does not write through the input pointer.
    char* in_ptr = const_cast<char*>(in.data());
    size_t in_left = in.size();
    bool flushing = false;
    while (true) {
        char* out_ptr = out.data() + used;
        size_t out_left = out.size() - used;
        size_t rc = flushing ? iconv(cd, nullptr, nullptr, &out_ptr, &out_left)
                             : iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
        int err = errno;
        used = out.size() - out_left;
        if (rc != static_cast<size_t>(-1)) {
            if (flushing) {
                break;
            }
            if (in_left == 0) {
                flushing = true;
            }
            continue;
        }
        if (err == E2BIG) {
            out.resize(out.size() * 2 + 16);
            continue;
        }
        if ((err == EILSEQ || err == EINVAL) && !flushing) {
            if (!lossy) {
                return false;
            }
            ++bad;
            if (out.size() - used < k_replacement.size()) {
                out.resize(out.size() * 2 + 16);
            }
            std::memcpy(out.data() + used, k_replacement.data(), k_replacement.size());
            used += k_replacement.size();
            ++in_ptr;
            --in_left;
            iconv(cd, nullptr, nullptr, nullptr, nullptr);
            continue;
        }
        return false;
    }
    out.resize(used);
    return true;
}

// HZ (RFC 1843) is 7-bit GB2312 between "~{" and "~}"; glibc has no converter for it, so it
// is rewritten into GB2312 bytes (high bit set) and converted as GB18030. A byte that breaks
// the HZ rules becomes 0xFF, which no GB charset accepts, so it is reported like any other.
std::string hz_to_gb(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    bool gb = false;
    size_t n = in.size();
    for (size_t i = 0; i < n;) {
        char c = in[i];
        if (!gb) {
            if (c == '~' && i + 1 < n) {
                char d = in[i + 1];
                if (d == '~') {
                    out += '~';
                    i += 2;
                } else if (d == '{') {
                    gb = true;
                    i += 2;
                } else if (d == '\n') {
                    i += 2;
                } else {
                    out += c;
                    ++i;
                }
            } else {
                out += c;
                ++i;
            }
            continue;
        }
        auto b = static_cast<unsigned char>(c);
        if (c == '~' && i + 1 < n && in[i + 1] == '}') {
            gb = false;
            i += 2;
        } else if (c == '\n' || c == '\r') {
            gb = false;
            out += c;
            ++i;
        } else if (i + 1 < n && b >= 0x21 && b <= 0x7E &&
                   static_cast<unsigned char>(in[i + 1]) >= 0x21 &&
                   static_cast<unsigned char>(in[i + 1]) <= 0x7E) {
            out += static_cast<char>(b | 0x80);
            out += static_cast<char>(static_cast<unsigned char>(in[i + 1]) | 0x80);
            i += 2;
        } else {
            out += '\xFF';
            ++i;
        }
    }
    return out;
}

}  // namespace

// Converts `bytes` from canonical charset `canon` to UTF-8. Strict: false when any byte does
// not convert (or the charset is unknown). Lossy: true unless the charset is unknown, with the
// number of U+FFFD written in `bad`.
bool convert(std::string_view bytes, const std::string& canon, bool lossy, std::string& out,
             size_t& bad) {
    bad = 0;
    if (canon == "UTF-8") {
        if (text::valid_utf8(bytes)) {
            out.assign(bytes);
            return true;
        }
        if (!lossy) {
            return false;
        }
        out = text::repair_utf8(bytes);
        for (size_t pos = out.find(k_replacement); pos != std::string::npos;
             pos = out.find(k_replacement, pos + k_replacement.size())) {
            ++bad;
        }
        return true;
    }
    if (canon == "US-ASCII") {
        if (is_ascii(bytes)) {
            out.assign(bytes);
            return true;
        }
        if (!lossy) {
            return false;
        }
        out.clear();
        for (char c : bytes) {
            if (static_cast<unsigned char>(c) < 0x80) {
                out += c;
            } else {
                out += k_replacement;
                ++bad;
            }
        }
        return true;
    }
    if (canon == "HZ") {
        return run_iconv(hz_to_gb(bytes), "GB18030", lossy, out, bad);
    }
    return run_iconv(bytes, canon, lossy, out, bad);
}

std::string detect_charset(std::string_view bytes) {
    return t_detector.detect(bytes);
}

}  // namespace kefu::mail::detail
