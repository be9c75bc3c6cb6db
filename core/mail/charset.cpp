#include "core/mail/charset.h"

#include <algorithm>
#include <array>
#include <limits>

#include "core/encoding.h"
#include "core/mail/convert.h"
#include "core/text.h"

namespace kefu::mail {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

size_t count_non_ascii(std::string_view s) {
    size_t n = 0;
    for (char c : s) {
        n += static_cast<unsigned char>(c) >= 0x80 ? 1 : 0;
    }
    return n;
}

bool is_ascii(std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

// Charsets that use more than one byte per character (a hint in one of them is worth more
// than the GB shape check).
bool is_multibyte(std::string_view canon) {
    static constexpr std::array<std::string_view, 8> k_names = {
        "GB18030", "BIG5-HKSCS", "CP932", "EUC-JP", "CP949", "EUC-TW", "HZ", "UTF-8"};
    return std::find(k_names.begin(), k_names.end(), canon) != k_names.end() ||
           canon.starts_with("ISO-2022");
}

bool is_latin_label(std::string_view canon) {
    return canon == "WINDOWS-1252" || canon == "US-ASCII" || canon.starts_with("ISO-8859-");
}

// How much of the GB family `bytes` needs: 0 = GB2312 is enough, 1 = GBK, 2 = GB18030
// (four-byte sequences). Only meaningful for bytes that decode as GB18030.
int gb_level(std::string_view bytes) {
    int level = 0;
    size_t n = bytes.size();
    for (size_t i = 0; i < n;) {
        auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80 || i + 1 >= n) {
            ++i;
            continue;
        }
        auto b2 = static_cast<unsigned char>(bytes[i + 1]);
        if (b2 >= 0x30 && b2 <= 0x39) {
            return 2;
        }
        if (!(b >= 0xA1 && b <= 0xF7 && b2 >= 0xA1 && b2 <= 0xFE)) {
            level = 1;
        }
        i += 2;
    }
    return level;
}

bool gb_shaped(std::string_view bytes, size_t min_core_pairs) {
    size_t core = 0;
    size_t other = 0;
    size_t n = bytes.size();
    for (size_t i = 0; i < n;) {
        auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        if (b == 0x80 || b == 0xFF || i + 1 >= n) {
            return false;
        }
        auto b2 = static_cast<unsigned char>(bytes[i + 1]);
        if (b >= 0xA1 && b <= 0xF7 && b2 >= 0xA1 && b2 <= 0xFE) {
            ++core;
            i += 2;
        } else if (b2 >= 0x30 && b2 <= 0x39 && i + 3 < n) {
            ++other;  // a four-byte GB18030 sequence
            i += 4;
        } else if ((b2 >= 0x40 && b2 <= 0x7E) || (b2 >= 0x80 && b2 <= 0xFE)) {
            ++other;
            i += 2;
        } else {
            return false;
        }
    }
    return core >= min_core_pairs && core * 10 >= (core + other) * 9;
}

bool try_strict(std::string_view bytes, const std::string& canon, Decoded& d) {
    if (canon.empty()) {
        return false;
    }
    size_t bad = 0;
    if (!detail::convert(bytes, canon, false, d.text, bad)) {
        return false;
    }
    d.charset = canon;
    return true;
}

}  // namespace

bool looks_like_gb(std::string_view bytes) {
    return gb_shaped(bytes, 1);
}

Decoded decode_charset(std::string_view bytes, std::string_view label, std::string_view hint) {
    Decoded d;
    std::string canon = canonical_charset(label);
    bool seven_bit = encoding::is_seven_bit(canon);

    // A UTF-8 byte order mark overrides any label (as in browsers).
    if (bytes.starts_with("\xEF\xBB\xBF") && !seven_bit) {
        bytes.remove_prefix(3);
        size_t bad = 0;
        detail::convert(bytes, "UTF-8", true, d.text, bad);
        d.charset = "UTF-8";
        d.replaced = bad > 0;
        d.relabelled = !canon.empty() && canon != "UTF-8";
        return d;
    }
    if (!seven_bit && is_ascii(bytes)) {
        // Pure ASCII is the same in every charset kefu reads, except the 7-bit encodings: an
        // unlabelled ISO-2022-JP text is recognised by its escape sequences.
        if (canon.empty() && (bytes.find("\x1B$B") != std::string_view::npos ||
                              bytes.find("\x1B$@") != std::string_view::npos)) {
            if (try_strict(bytes, "ISO-2022-JP-2", d)) {
                d.relabelled = true;
                return d;
            }
        }
        d.text.assign(bytes);
        d.charset = canon.empty() ? "US-ASCII" : canon;
        return d;
    }

    if (!canon.empty() && canon != "US-ASCII") {
        // Valid multi-byte UTF-8 under a legacy label is UTF-8: legacy text is practically
        // never valid UTF-8, while mislabelled UTF-8 is common. One exception: legacy text
        // into which a program wrote the UTF-8 bytes of U+FFFD for characters it could not
        // read can be valid UTF-8 by chance; when the label reads it, the label is right.
        if (canon != "UTF-8" && !seven_bit && text::valid_utf8(bytes)) {
            if (is_multibyte(canon) && bytes.find(k_replacement) != std::string_view::npos &&
                try_strict(bytes, canon, d)) {
                d.damaged = true;
                return d;
            }
            d.text.assign(bytes);
            d.charset = "UTF-8";
            d.relabelled = true;
            d.damaged = bytes.find(k_replacement) != std::string_view::npos;
            return d;
        }
        // GB text under a Latin label: Latin text almost never pairs up like GB2312 does.
        bool gb_under_latin = is_latin_label(canon) && gb_shaped(bytes, 4);
        if (!gb_under_latin && try_strict(bytes, canon, d)) {
            if (canon == "GB18030") {
                std::string l = detail::clean_label(label);
                int level = gb_level(bytes);
                d.widened = (l != "gb18030" && l != "gb-18030" && l != "x-gb18030" && level == 2) ||
                            ((l == "gb2312" || l == "euc-cn" || l == "csgb2312" ||
                              l == "gb_2312-80" || l == "x-euc-cn" || l == "chinese") &&
                             level >= 1);
            }
            return d;
        }
    } else if (text::valid_utf8(bytes)) {
        d.text.assign(bytes);
        d.charset = "UTF-8";
        d.relabelled = true;
        return d;
    }

    // The label is missing or wrong: what else is known first, then detection. Multi-byte
    // readings come before single-byte ones: a single-byte charset accepts nearly any bytes,
    // so its success proves nothing.
    d.relabelled = true;
    std::string hint_canon = canonical_charset(hint);
    if (hint_canon == canon || hint_canon == "US-ASCII" || hint_canon == "UTF-8") {
        hint_canon.clear();
    }
    if (is_multibyte(hint_canon) && try_strict(bytes, hint_canon, d)) {
        return d;
    }
    if (gb_shaped(bytes, 1) && try_strict(bytes, "GB18030", d)) {
        return d;
    }
    std::string detected = detail::detect_charset(bytes);
    if (detected == canon) {
        detected.clear();
    }
    if (is_multibyte(detected) && try_strict(bytes, detected, d)) {
        return d;
    }
    // Text that is nearly all good UTF-8 (or nearly all good in its multi-byte label) with a
    // few broken bytes keeps that reading, the broken bytes marked.
    size_t non_ascii = count_non_ascii(bytes);
    for (const std::string& c : {std::string("UTF-8"), is_multibyte(canon) ? canon : ""}) {
        size_t bad = 0;
        if (!c.empty() && detail::convert(bytes, c, true, d.text, bad) && bad * 10 <= non_ascii) {
            d.charset = c;
            d.replaced = bad > 0;
            return d;
        }
    }
    if (!hint_canon.empty() && try_strict(bytes, hint_canon, d)) {
        return d;
    }
    if (!detected.empty() && try_strict(bytes, detected, d)) {
        return d;
    }
    if (canon == "WINDOWS-1252" && try_strict(bytes, "ISO-8859-1", d)) {
        return d;
    }
    // Mostly ASCII with some 8-bit letters reads best as windows-1252, the most common
    // unlabelled Western charset.
    if (non_ascii * 10 < bytes.size() * 3 && try_strict(bytes, "WINDOWS-1252", d)) {
        return d;
    }

    // Nothing explains every byte: take the reading that needs the fewest U+FFFD.
    std::string candidates[] = {canon, detected, hint_canon, "GB18030", "UTF-8"};
    size_t best_bad = std::numeric_limits<size_t>::max();
    std::string out;
    for (const std::string& c : candidates) {
        size_t bad = 0;
        if (c.empty() || c == "US-ASCII" || !detail::convert(bytes, c, true, out, bad)) {
            continue;
        }
        if (bad < best_bad) {
            best_bad = bad;
            d.text = std::move(out);
            d.charset = c;
        }
    }
    d.replaced = best_bad > 0;
    return d;
}

std::string decode_to_utf8(std::string_view bytes, std::string_view charset_label, bool* replaced) {
    Decoded d = decode_charset(bytes, charset_label);
    if (replaced != nullptr) {
        *replaced = d.replaced;
    }
    return std::move(d.text);
}

}  // namespace kefu::mail
