#include "core/triage/normalize.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "core/error.h"
#include "core/text.h"
#include "core/triage/normalize_tables.h"

namespace kefu::triage {
namespace {

using namespace normalization;

// How a pass ended. Phrase: a character of a t2s phrase occurred, so the folded text must be
// checked for such phrases; PhraseInInput: the same, and every non-ASCII character folded to
// itself, so the input can be checked as it is (phrase keys hold no ASCII).
enum class Pass { Done, Slow, Invalid, Phrase, PhraseInInput };

constexpr char32_t k_invalid = 0xFFFFFFFF;

// Decodes the code point at s[i] and advances i, or returns k_invalid when the bytes there
// are not well-formed UTF-8 (checked as text::valid_utf8 does, so that a text needs only
// one pass).
inline char32_t next_checked(std::string_view s, size_t& i) {
    const size_t n = s.size();
    auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
    auto cont = [&](size_t k) { return k < n && (b(k) & 0xC0) == 0x80; };
    char32_t c = b(i);
    if (c >= 0xC2 && c <= 0xDF) {
        if (!cont(i + 1)) {
            return k_invalid;
        }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(i + 1) || !cont(i + 2) || (c == 0xE0 && b(i + 1) < 0xA0) ||
            (c == 0xED && b(i + 1) > 0x9F)) {
            return k_invalid;
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3) || (c == 0xF0 && b(i + 1) < 0x90) ||
            (c == 0xF4 && b(i + 1) > 0x8F)) {
            return k_invalid;
        }
    } else {
        return k_invalid;
    }
    return next_valid(s, i);
}

// One pass over `in`. With `folded_input`, characters without a table entry are copied as
// they are (the input already went through text::fold) instead of ending the pass with
// Pass::Slow. With `fold_only`, the t2s mapping is not applied. With `WithSource`, `source`
// gets the input offset of every output byte.
//
// This loop runs over every byte of every message, so it is written for the compiler: all
// state lives in local variables whose address is never taken (a store through a char
// pointer may alias anything else, which would force reloads from memory), and the output
// is written through a raw pointer into a string grown ahead of need (no character expands
// to more than 255 bytes).
template <bool WithSource>
Pass run_impl(const Tables& t, std::string_view in, bool folded_input, bool fold_only,
              std::string& out, std::vector<uint32_t>* source) {
    const uint16_t* const blocks = t.block_of.data();
    const uint32_t* const table = fold_only ? t.fold.data() : t.out.data();
    const char* const pool = t.pool.data();
    const uint64_t* const plain = t.plain.data();
    const char* const p = in.data();
    const size_t n = in.size();
    constexpr size_t k_slack = 300;
    out.resize(n + 2 * k_slack);
    char* base = out.data();
    char* w = base;
    char* limit = base + out.size() - k_slack;
    bool pending_space = false;
    size_t space_at = 0;
    bool phrase = false;
    bool fold_same = true;
    if constexpr (WithSource) {
        source->clear();
        source->reserve(n + 16);
    }
    auto emit = [&](const char* bytes, size_t len, size_t from) {
        if (pending_space) {
            if (w != base) {
                *w++ = ' ';
                if constexpr (WithSource) {
                    source->push_back(static_cast<uint32_t>(space_at));
                }
            }
            pending_space = false;
        }
        for (size_t k = 0; k < len; ++k) {
            w[k] = bytes[k];
        }
        w += len;
        if constexpr (WithSource) {
            source->insert(source->end(), len, static_cast<uint32_t>(from));
        }
    };
    size_t i = 0;
    while (i < n) {
        if (w > limit) {
            size_t used = static_cast<size_t>(w - base);
            out.resize(out.size() * 2);
            base = out.data();
            w = base + used;
            limit = base + out.size() - k_slack;
        }
        auto c = static_cast<unsigned char>(p[i]);
        if (c < 0x80) {
            if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
                if (!pending_space) {
                    pending_space = true;
                    space_at = i;
                }
            } else {
                char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32)
                                                    : static_cast<char>(c);
                emit(&lower, 1, i);
            }
            ++i;
            continue;
        }
        const size_t start = i;
        if (c >= 0xE1 && c <= 0xEC && i + 2 < n) {
            // The common case, a three-byte character (all of CJK) that stays as it is.
            auto c1 = static_cast<unsigned char>(p[i + 1]);
            auto c2 = static_cast<unsigned char>(p[i + 2]);
            if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80) {
                char32_t cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
                if ((plain[cp >> 6] >> (cp & 63)) & 1) {
                    emit(p + i, 3, i);
                    i += 3;
                    continue;
                }
            }
        }
        const char32_t cp = next_checked(in, i);
        if (cp == k_invalid) {
            return Pass::Invalid;
        }
        uint32_t e = k_slow;
        if (cp < 0x10000) {
            uint16_t b = blocks[cp >> 8];
            e = b == 0 ? k_slow : table[(static_cast<size_t>(b) << 8) | (cp & 0xFF)];
        }
        phrase = phrase || (e & k_phrase_bit) != 0;
        fold_same = fold_same && (e & k_fold_same_bit) != 0;
        switch (e & 3) {
            case k_same:
                emit(p + start, i - start, start);
                continue;
            case k_pool:
                if (length_of(e) != 0) {
                    emit(pool + offset_of(e), length_of(e), start);
                }
                continue;
            case k_space:
                if (!pending_space) {
                    pending_space = true;
                    space_at = start;
                }
                continue;
            default:
                break;
        }
        bool emoji = cp >= k_emoji_first && cp <= k_emoji_last &&
                     t.emoji_plain[cp - k_emoji_first] != 0;
        if (!emoji && !folded_input) {
            return Pass::Slow;
        }
        if (!emoji && is_space(cp)) {
            if (!pending_space) {
                pending_space = true;
                space_at = start;
            }
            continue;
        }
        std::string_view bytes = in.substr(start, i - start);
        if (!emoji) {
            // A rare character outside the table that t2s may touch.
            phrase = phrase || t.phrase_refs.contains(cp);
            auto it = fold_only ? t.charmap.end() : t.charmap.find(cp);
            if (it != t.charmap.end()) {
                bytes = it->second;
            }
        }
        emit(bytes.data(), bytes.size(), start);
    }
    out.resize(static_cast<size_t>(w - base));
    if (!phrase) {
        return Pass::Done;
    }
    return fold_same ? Pass::PhraseInInput : Pass::Phrase;
}

Pass run(const Tables& t, std::string_view in, bool folded_input, bool fold_only,
         std::string& out, std::vector<uint32_t>* source) {
    return source != nullptr ? run_impl<true>(t, in, folded_input, fold_only, out, source)
                             : run_impl<false>(t, in, folded_input, fold_only, out, nullptr);
}

// True when `folded` (fold-only form) contains a t2s phrase that per-character conversion
// would get wrong, so that OpenCC must convert the text.
bool needs_opencc(const Tables& t, std::string_view folded) {
    size_t i = 0;
    while (i < folded.size()) {
        if (static_cast<unsigned char>(folded[i]) < 0x80) {
            ++i;
            continue;
        }
        size_t start = i;
        char32_t cp = next_valid(folded, i);
        if (cp < 0x10000 && !t.phrase_bmp[cp]) {
            continue;
        }
        auto it = t.phrase_refs.find(cp);
        if (it == t.phrase_refs.end()) {
            continue;
        }
        for (const PhraseRef& ref : it->second) {
            if (start >= ref.offset &&
                folded.substr(start - ref.offset).starts_with(ref.key)) {
                return true;
            }
        }
    }
    return false;
}

std::string normalize_impl(std::string_view text, std::vector<uint32_t>* source, bool& mapped) {
    const Tables& t = tables();
    mapped = false;
    if (text.empty()) {
        if (source != nullptr) {
            source->clear();
        }
        mapped = source != nullptr;
        return {};
    }
    if (t.always_opencc) {
        return normalize_reference(text);
    }
    std::string out;
    Pass pass = run(t, text, false, false, out, source);
    mapped = source != nullptr;
    std::string repaired;
    if (pass == Pass::Invalid) {
        repaired = text::repair_utf8(text);
        text = repaired;
        mapped = false;  // offsets would point into the repaired copy
        pass = run(t, text, false, false, out, nullptr);
    }
    std::string folded_text;
    std::string_view base = text;
    bool base_folded = false;
    if (pass == Pass::Slow) {
        folded_text = text::fold(text);
        base = folded_text;
        base_folded = true;
        mapped = false;
        pass = run(t, base, true, false, out, nullptr);
    }
    if (pass == Pass::PhraseInInput && t.phrase_keys_non_ascii) {
        if (needs_opencc(t, base)) {
            std::string fold_form;
            run(t, base, base_folded, true, fold_form, nullptr);
            out = t2s().Convert(fold_form);
            mapped = false;
        }
    } else if (pass == Pass::Phrase || pass == Pass::PhraseInInput) {
        std::string fold_form;
        run(t, base, base_folded, true, fold_form, nullptr);
        if (needs_opencc(t, fold_form)) {
            out = t2s().Convert(fold_form);
            mapped = false;
        }
    }
    if (!mapped && source != nullptr) {
        source->clear();
    }
    return out;
}

}  // namespace

std::string normalize(std::string_view text) {
    bool mapped = false;
    return normalize_impl(text, nullptr, mapped);
}

bool normalize_mapped(std::string_view text, std::string& out, std::vector<uint32_t>& source) {
    bool mapped = false;
    out = normalize_impl(text, &source, mapped);
    return mapped;
}

std::string normalize_reference(std::string_view text) {
    std::u32string folded = decode(text::fold(text));
    std::string collapsed;
    bool pending_space = false;
    for (char32_t cp : folded) {
        if (is_space(cp)) {
            pending_space = true;
            continue;
        }
        if (pending_space && !collapsed.empty()) {
            collapsed += ' ';
        }
        pending_space = false;
        text::append_utf8(collapsed, straighten_quote(cp));
    }
    return t2s().Convert(collapsed);
}

std::string nfkc(std::string_view text) {
    std::string in = text::repair_utf8(text);
    utf8proc_uint8_t* out = nullptr;
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                  UTF8PROC_COMPAT | UTF8PROC_IGNORE);
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(in.data()),
                                      static_cast<utf8proc_ssize_t>(in.size()), &out, options);
    if (n < 0) {
        return in;
    }
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(out, &std::free);
    return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

}  // namespace kefu::triage
