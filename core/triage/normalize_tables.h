#pragma once
// Internals of normalize.cpp: the tables that normalize() works from, built once from
// utf8proc and from OpenCC's t2s dictionaries (normalize_tables.cpp). Not part of the public
// interface: include core/triage/normalize.h.

#include <opencc/Converter.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"

namespace kefu::triage::normalization {

// What one code point becomes, packed into 32 bits so that the table (about 30,000 code
// points) stays in cache: bits 0–1 the kind, bit 2 "holds a character of a t2s phrase that
// may need OpenCC", bit 3 "folding leaves it unchanged", bits 4–11 the length and bits 12–31
// the offset of the output in the pool. Two tables: the full normalized form (fold, quotes,
// t2s per character) and the form without t2s (what OpenCC must be given when needed).
enum Kind : uint32_t {
    k_slow = 0,   // not covered: utf8proc must fold the whole text
    k_same = 1,   // the code point stays as it is (most CJK ideographs)
    k_pool = 2,   // replaced by the bytes in the pool
    k_space = 3,  // white space
};
inline constexpr uint32_t k_phrase_bit = 4;
inline constexpr uint32_t k_fold_same_bit = 8;
inline constexpr size_t k_pool_limit = size_t{1} << 20;

inline uint32_t pack(Kind kind, bool phrase, size_t length, size_t offset) {
    return static_cast<uint32_t>(kind) | (phrase ? k_phrase_bit : 0) |
           static_cast<uint32_t>(length << 4) | static_cast<uint32_t>(offset << 12);
}
inline size_t length_of(uint32_t e) { return (e >> 4) & 0xFF; }
inline size_t offset_of(uint32_t e) { return e >> 12; }

// A traditional phrase whose t2s conversion differs from converting its characters one by
// one, seen from one of its characters: the phrase's bytes and where that character sits in
// them.
struct PhraseRef {
    std::string key;
    size_t offset = 0;
};

inline constexpr char32_t k_emoji_first = 0x1F000;
inline constexpr char32_t k_emoji_last = 0x1FAFF;

// White space after folding: these collapse into one ASCII space.
inline bool is_space(char32_t cp) {
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0x1680 ||
           cp == 0x2028 || cp == 0x2029;
}

inline char32_t straighten_quote(char32_t cp) {
    if (cp >= 0x2018 && cp <= 0x201B) {
        return '\'';
    }
    if (cp >= 0x201C && cp <= 0x201F) {
        return '"';
    }
    return cp;
}

// Decodes the code point at s[i] of valid UTF-8 and advances i; inlined because it runs
// once per character of every message.
inline char32_t next_valid(std::string_view s, size_t& i) {
    auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
    char32_t c = b(i);
    if (c < 0xE0) {
        c = ((c & 0x1F) << 6) | (b(i + 1) & 0x3F);
        i += 2;
    } else if (c < 0xF0) {
        c = ((c & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
        i += 3;
    } else {
        c = ((c & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) |
            (b(i + 3) & 0x3F);
        i += 4;
    }
    return c;
}

inline std::u32string decode(std::string_view s) {
    std::u32string out;
    size_t i = 0;
    while (i < s.size()) {
        out += text::next_code_point(s, i);
    }
    return out;
}

inline std::string encode(char32_t cp) {
    std::string s;
    text::append_utf8(s, cp);
    return s;
}

struct Tables {
    std::vector<uint16_t> block_of;  // (cp >> 8) → block index; 0 is the all-slow block
    std::vector<uint32_t> out;       // 256 entries per block, see pack()
    std::vector<uint32_t> fold;      // the same without t2s
    // One bit per BMP code point: it is copied as it is in every pass (most of CJK). Small
    // enough (8 KB) to stay in the first-level cache, unlike the tables.
    std::vector<uint64_t> plain = std::vector<uint64_t>(0x10000 / 64, 0);
    std::string pool;
    std::vector<uint8_t> emoji_plain;  // 1 when the emoji code point normalizes to itself
    std::unordered_map<char32_t, std::string> charmap;                // t2s per character
    std::unordered_map<char32_t, std::vector<PhraseRef>> phrase_refs;  // see PhraseRef
    std::vector<bool> phrase_bmp = std::vector<bool>(0x10000, false);  // keys of phrase_refs
    bool always_opencc = false;
    bool phrase_keys_non_ascii = true;  // no key of phrase_refs holds an ASCII byte

    // The entry of `cp` in `table` (out or fold); 0 (k_slow) when it has none.
    uint32_t entry(const std::vector<uint32_t>& table, char32_t cp) const {
        if (cp >= 0x10000) {
            return k_slow;
        }
        uint16_t b = block_of[cp >> 8];
        return b == 0 ? k_slow : table[(static_cast<size_t>(b) << 8) | (cp & 0xFF)];
    }
};

// The tables, built on first use (thread-safe), or read from the cache file set with
// set_normalize_cache() when it holds them; throws kefu::Error when OpenCC's t2s data cannot
// be loaded.
const Tables& tables();

// OpenCC's t2s converter, loaded on first use (thread-safe): most texts never need it, and
// tables read from the cache do not either.
const opencc::Converter& t2s();

}  // namespace kefu::triage::normalization
