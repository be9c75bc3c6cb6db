#include "core/mail/convert.h"

#include <memory>
#include <unordered_map>

#include "core/encoding.h"
#include "core/mail/charset.h"

namespace kefu::mail::detail {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";
// Decoders kept open per thread; a message with many odd labels cannot make the cache grow
// without bound.
constexpr size_t k_max_cached_decoders = 64;
// uchardet sees at most this much of a text: enough to decide, and bounded in time.
constexpr size_t k_max_detect_bytes = 64 * 1024;

// Decoders to UTF-8, opened once per charset and thread (opening an iconv converter costs
// more than converting a header word). A failed open is remembered too, so an unknown label
// costs one lookup after the first.
class DecoderCache {
public:
    // The decoder for exactly `charset`, or null when iconv does not know it.
    encoding::Decoder* get(const std::string& charset) {
        auto it = m_decoders.find(charset);
        if (it != m_decoders.end()) {
            return it->second.get();
        }
        if (m_decoders.size() >= k_max_cached_decoders) {
            m_decoders.clear();
        }
        std::unique_ptr<encoding::Decoder> d = encoding::Decoder::open_exact(charset);
        encoding::Decoder* p = d.get();
        m_decoders.emplace(charset, std::move(d));
        return p;
    }

private:
    std::unordered_map<std::string, std::unique_ptr<encoding::Decoder>> m_decoders;
};

thread_local DecoderCache t_decoders;

size_t count_replacements(std::string_view s) {
    size_t n = 0;
    for (size_t pos = s.find(k_replacement); pos != std::string_view::npos;
         pos = s.find(k_replacement, pos + k_replacement.size())) {
        ++n;
    }
    return n;
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

bool convert(std::string_view bytes, const std::string& canon, bool lossy, std::string& out,
             size_t& bad) {
    bad = 0;
    out.clear();
    encoding::Decoder* decoder = t_decoders.get(canon == "HZ" ? "GB18030" : canon);
    if (decoder == nullptr) {
        return false;
    }
    std::string hz;
    if (canon == "HZ") {
        hz = hz_to_gb(bytes);
        bytes = hz;
    }
    out.reserve(bytes.size() * 2 + 16);
    if (!lossy) {
        return decoder->decode(bytes, out);
    }
    bad = decoder->decode_lossy(bytes, out);
    if (bad > 0 && decoder->is_utf8()) {
        // Damaged UTF-8 is judged by all of its U+FFFD, those an earlier program wrote too.
        bad = count_replacements(out);
    }
    return true;
}

std::string detect_charset(std::string_view bytes) {
    std::string guess = encoding::uchardet_guess(bytes.substr(0, k_max_detect_bytes));
    std::string canon = canonical_charset(guess);
    return canon == "US-ASCII" ? std::string() : canon;
}

}  // namespace kefu::mail::detail
