// Building the normalization tables (see normalize_tables.h and normalize.h), and keeping
// them in a cache file between runs.
//
// The cache is a file of core/cache_file.h with the magic "KEFUNT01". Its key holds the size,
// modification time and inode of the running executable (another build may build other
// tables), utf8proc's version, and the same stamp of OpenCC's t2s.json and of every
// dictionary file it names, in OpenCC's data folder. When OpenCC would read a t2s.json from the working
// folder instead (it looks there first), nothing is cached. The payload (integers and plain
// vectors in the machine's byte order, see cache::Writer):
//   block_of (u16s), out (u32s), fold (u32s), plain (u64s), pool (str), emoji_plain (u8s),
//   u64 n, then n charmap entries: code point (u64), text (str),
//   u64 m, then m phrase_refs entries: code point (u64), u64 k, then k (key str, offset u64),
//   always_opencc (u8), phrase_keys_non_ascii (u8).
// A payload whose sizes or pool offsets do not fit together is ignored, as a stale one is.
#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Dict.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/Lexicon.hpp>
#include <sys/stat.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/cache_file.h"
#include "core/error.h"
#include "core/files.h"
#include "core/triage/normalize.h"
#include "core/triage/normalize_tables.h"

#ifndef KEFU_OPENCC_DATADIR
#define KEFU_OPENCC_DATADIR "/usr/share/opencc"
#endif

namespace kefu::triage::normalization {
namespace {

// Code point blocks (of 256) that get table entries. Chosen because buyer messages are made
// of them and because no character in them composes with a neighbour under NFKC; anything
// else (combining marks, Hangul jamo, Indic scripts …) takes the utf8proc path.
constexpr std::array<std::pair<char32_t, char32_t>, 9> k_fast_ranges{{
    {0x0080, 0x00FF},  // Latin-1 (ASCII is handled inline)
    {0x2000, 0x27BF},  // punctuation, letterlike, number forms, arrows, symbols, dingbats
    {0x3000, 0x30FF},  // CJK punctuation, kana
    {0x3200, 0x33FF},  // enclosed CJK, compatibility units (㎏ → kg)
    {0x3400, 0x4DBF},  // CJK extension A
    {0x4E00, 0x9FFF},  // CJK unified ideographs
    {0xF900, 0xFAFF},  // CJK compatibility ideographs
    {0xFE00, 0xFE6F},  // variation selectors, vertical and small forms
    {0xFF00, 0xFF9F},  // full-width ASCII, half-width katakana (not half-width Hangul)
}};
bool is_hangul_part(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
           (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7FF);
}

constexpr std::string_view k_cache_magic = "KEFUNT01";

std::shared_ptr<opencc::Converter> load_converter() {
    try {
        opencc::Config config;
        return config.NewFromFile("t2s.json");
    } catch (const std::exception& e) {
        throw Error("cannot load OpenCC's t2s conversion", "t2s.json", e.what(),
                    "install OpenCC's data files (Debian: libopencc-data)");
    }
}

// The t2s dictionaries, read through OpenCC's own configuration so that the same files are
// used as by the converter.
void load_t2s(Tables& t) {
    const auto conversions = t2s().GetConversionChain()->GetConversions();
    if (conversions.size() != 1) {
        // A chain of conversions cannot be applied character by character: always use OpenCC.
        t.always_opencc = true;
        return;
    }
    std::vector<std::pair<std::u32string, std::string>> phrases;
    for (const auto& conversion : conversions) {
        // Hold the lexicon: it is returned by value and would not outlive the loop header.
        const auto lexicon = conversion->GetDict()->GetLexicon();
        for (const auto& e : *lexicon) {
            std::u32string key = decode(e->Key());
            if (key.size() == 1) {
                t.charmap.emplace(key[0], e->GetDefault());  // the first dictionary wins
            } else {
                phrases.emplace_back(std::move(key), e->GetDefault());
            }
        }
    }
    for (const auto& [key, value] : phrases) {
        std::string key_bytes;
        std::vector<std::string> per_char;
        std::string joined;
        for (char32_t cp : key) {
            key_bytes += encode(cp);
            auto it = t.charmap.find(cp);
            per_char.push_back(it == t.charmap.end() ? encode(cp) : it->second);
            joined += per_char.back();
        }
        if (joined == value && key.size() > 1) {
            continue;  // converting it character by character gives the same text
        }
        // The characters whose conversion the phrase changes carry the reference: when the
        // phrase occurs in a text, they occur too. If the value does not line up with the
        // key character by character, all of them do.
        std::u32string value_cps = decode(value);
        bool aligned = value_cps.size() == key.size();
        size_t offset = 0;
        for (size_t k = 0; k < key.size(); ++k) {
            char32_t cp = key[k];
            t.phrase_keys_non_ascii = t.phrase_keys_non_ascii && cp >= 0x80;
            if (!aligned || per_char[k] != encode(value_cps[k])) {
                t.phrase_refs[cp].push_back({key_bytes, offset});
                if (cp < 0x10000) {
                    t.phrase_bmp[cp] = true;
                }
            }
            offset += encode(cp).size();
        }
    }
}

// fold() of one code point, with quotes straightened, or nullopt when that code point must
// take the slow path. Uses utf8proc's properties to skip the work for the many code points
// that map to themselves.
std::optional<std::u32string> fold_one(char32_t cp) {
    const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
    if (p->combining_class != 0 || p->category == UTF8PROC_CATEGORY_CN ||
        p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC ||
        p->category == UTF8PROC_CATEGORY_ME || p->category == UTF8PROC_CATEGORY_CS) {
        return std::nullopt;
    }
    std::u32string folded;
    if (p->decomp_seqindex == UINT16_MAX && p->casefold_seqindex == UINT16_MAX && !p->ignorable) {
        folded = std::u32string(1, cp);
    } else {
        folded = decode(text::fold(encode(cp)));
    }
    for (char32_t& c : folded) {
        const utf8proc_property_t* q = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
        if (q->combining_class != 0 || is_hangul_part(c)) {
            return std::nullopt;
        }
        c = straighten_quote(c);
    }
    return folded;
}

// Adds `bytes` to the pool (reusing an equal tail of it) and returns the entry.
uint32_t pool_entry(Tables& t, const std::string& bytes, bool phrase) {
    size_t offset = t.pool.size();
    if (t.pool.size() >= bytes.size() &&
        t.pool.compare(t.pool.size() - bytes.size(), bytes.size(), bytes) == 0) {
        offset = t.pool.size() - bytes.size();
    } else {
        t.pool += bytes;
    }
    return pack(k_pool, phrase, bytes.size(), offset);
}

void build_entry(Tables& t, size_t index, char32_t cp) {
    std::optional<std::u32string> folded = fold_one(cp);
    if (!folded) {
        return;
    }
    size_t spaces = static_cast<size_t>(std::count_if(folded->begin(), folded->end(), is_space));
    if (spaces > 0) {
        if (spaces == folded->size()) {
            t.out[index] = t.fold[index] = pack(k_space, false, 0, 0);
        }
        return;  // white space mixed with other characters: rare, left to the slow path
    }
    std::string fold_bytes;
    std::string out_bytes;
    bool phrase = false;
    for (char32_t c : *folded) {
        fold_bytes += encode(c);
        auto it = t.charmap.find(c);
        out_bytes += it == t.charmap.end() ? encode(c) : it->second;
        phrase = phrase || t.phrase_refs.contains(c);
    }
    if (fold_bytes.size() > 255 || out_bytes.size() > 255) {
        return;
    }
    std::string self = encode(cp);
    t.fold[index] = fold_bytes == self ? pack(k_same, phrase, 0, 0)
                                       : pool_entry(t, fold_bytes, phrase);
    t.out[index] = out_bytes == self ? pack(k_same, phrase, 0, 0)
                                     : pool_entry(t, out_bytes, phrase);
    if (fold_bytes == self) {
        t.out[index] |= k_fold_same_bit;
    }
}

Tables build_tables() {
    Tables t;
    load_t2s(t);
    t.block_of.assign(0x100, 0);
    t.out.resize(256);  // block 0: never read
    for (const auto& [first, last] : k_fast_ranges) {
        for (char32_t b = first >> 8; b <= last >> 8; ++b) {
            if (t.block_of[b] == 0) {
                t.block_of[b] = static_cast<uint16_t>(t.out.size() >> 8);
                t.out.resize(t.out.size() + 256);
            }
        }
    }
    t.fold.resize(t.out.size());
    for (const auto& [first, last] : k_fast_ranges) {
        for (char32_t cp = first; cp <= last; ++cp) {
            build_entry(t, (static_cast<size_t>(t.block_of[cp >> 8]) << 8) | (cp & 0xFF), cp);
        }
    }
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
        uint32_t e = t.entry(t.out, cp);
        if (e == (k_same | k_fold_same_bit) && (t.entry(t.fold, cp) & 3) == k_same) {
            t.plain[cp >> 6] |= uint64_t{1} << (cp & 63);
        }
    }
    if (t.pool.size() >= k_pool_limit) {
        throw Error("normalization tables too large", "", "internal limit exceeded");
    }
    t.emoji_plain.assign(k_emoji_last - k_emoji_first + 1, 0);
    for (char32_t cp = k_emoji_first; cp <= k_emoji_last; ++cp) {
        std::optional<std::u32string> folded = fold_one(cp);
        bool plain = folded && folded->size() == 1 && (*folded)[0] == cp &&
                     !t.charmap.contains(cp) && !t.phrase_refs.contains(cp);
        t.emoji_plain[cp - k_emoji_first] = plain ? 1 : 0;
    }
    return t;
}

std::mutex& cache_mutex() {
    static std::mutex k_mutex;
    return k_mutex;
}

std::string& cache_path() {
    static std::string k_path;
    return k_path;
}

// Adds to `names` every "file" value of an OpenCC configuration (the dictionaries it loads).
void config_files(const nlohmann::json& config, std::vector<std::string>& names) {
    if (config.is_object()) {
        for (const auto& [key, value] : config.items()) {
            if (key == "file" && value.is_string()) {
                names.push_back(value.get<std::string>());
            } else {
                config_files(value, names);
            }
        }
    } else if (config.is_array()) {
        for (const auto& value : config) {
            config_files(value, names);
        }
    }
}

// The key described at the top of this file; empty when the tables must not be cached.
std::string cache_key() {
    cache::Writer w;
    if (!cache::add_file_stamp(w, "/proc/self/exe")) {
        return {};
    }
    w.str(utf8proc_version());
    struct stat st {};
    if (::stat("t2s.json", &st) == 0) {
        return {};
    }
    const std::string dir = KEFU_OPENCC_DATADIR;
    std::vector<std::string> names;
    try {
        config_files(nlohmann::json::parse(files::read_file(dir + "/t2s.json")), names);
    } catch (const std::exception&) {
        return {};  // unreadable: build the tables, and let OpenCC say what is wrong
    }
    names.insert(names.begin(), "t2s.json");
    for (const std::string& name : names) {
        if (name.find('/') != std::string::npos || !cache::add_file_stamp(w, dir + "/" + name)) {
            return {};
        }
    }
    return std::move(w.out());
}

std::string serialize(const Tables& t) {
    cache::Writer w;
    w.pods(t.block_of);
    w.pods(t.out);
    w.pods(t.fold);
    w.pods(t.plain);
    w.str(t.pool);
    w.pods(t.emoji_plain);
    w.u64(t.charmap.size());
    for (const auto& [cp, text] : t.charmap) {
        w.u64(cp);
        w.str(text);
    }
    w.u64(t.phrase_refs.size());
    for (const auto& [cp, refs] : t.phrase_refs) {
        w.u64(cp);
        w.u64(refs.size());
        for (const PhraseRef& ref : refs) {
            w.str(ref.key);
            w.u64(ref.offset);
        }
    }
    w.u8(t.always_opencc ? 1 : 0);
    w.u8(t.phrase_keys_non_ascii ? 1 : 0);
    return std::move(w.out());
}

// True when every entry of `table` that points into the pool points inside it.
bool pool_entries_fit(const std::vector<uint32_t>& table, size_t pool_size) {
    return std::all_of(table.begin(), table.end(), [&](uint32_t e) {
        return (e & 3) != k_pool || offset_of(e) + length_of(e) <= pool_size;
    });
}

std::optional<Tables> deserialize(std::string_view payload) {
    cache::Reader r(payload);
    Tables t;
    t.block_of = r.pods<uint16_t>();
    t.out = r.pods<uint32_t>();
    t.fold = r.pods<uint32_t>();
    t.plain = r.pods<uint64_t>();
    t.pool = r.str();
    t.emoji_plain = r.pods<uint8_t>();
    uint64_t chars = r.count(2 * sizeof(uint64_t));
    t.charmap.reserve(chars);
    for (uint64_t i = 0; i < chars && r.ok(); ++i) {
        auto cp = static_cast<char32_t>(r.u64());
        t.charmap.emplace(cp, r.str());
    }
    uint64_t refs = r.count(2 * sizeof(uint64_t));
    t.phrase_refs.reserve(refs);
    for (uint64_t i = 0; i < refs && r.ok(); ++i) {
        auto cp = static_cast<char32_t>(r.u64());
        std::vector<PhraseRef>& list = t.phrase_refs[cp];
        list.resize(r.count(2 * sizeof(uint64_t)));
        for (PhraseRef& ref : list) {
            ref.key = r.str();
            ref.offset = r.u64();
            if (ref.offset >= ref.key.size()) {
                r.fail();
            }
        }
        if (cp < 0x10000) {
            t.phrase_bmp[cp] = true;
        }
    }
    t.always_opencc = r.u8() != 0;
    t.phrase_keys_non_ascii = r.u8() != 0;
    size_t blocks = t.out.size() / 256;
    bool fits = r.ok() && r.at_end() && t.block_of.size() == 0x100 && t.out.size() % 256 == 0 &&
                t.fold.size() == t.out.size() && t.plain.size() == 0x10000 / 64 &&
                t.emoji_plain.size() == k_emoji_last - k_emoji_first + 1 &&
                std::all_of(t.block_of.begin(), t.block_of.end(),
                            [&](uint16_t b) { return b < blocks; }) &&
                pool_entries_fit(t.out, t.pool.size()) && pool_entries_fit(t.fold, t.pool.size());
    if (!fits) {
        return std::nullopt;
    }
    return t;
}

Tables load_tables() {
    std::string path;
    {
        std::lock_guard<std::mutex> lock(cache_mutex());
        path = cache_path();
    }
    std::string key = path.empty() ? std::string() : cache_key();
    if (!key.empty()) {
        if (auto payload = cache::read(path, k_cache_magic, key)) {
            if (auto t = deserialize(payload->view())) {
                return std::move(*t);
            }
        }
    }
    Tables t = build_tables();
    if (!key.empty()) {
        cache::write(path, k_cache_magic, key, serialize(t));
    }
    return t;
}

}  // namespace

const Tables& tables() {
    static const Tables k_tables = load_tables();
    return k_tables;
}

const opencc::Converter& t2s() {
    static const std::shared_ptr<opencc::Converter> k_converter = load_converter();
    return *k_converter;
}

}  // namespace kefu::triage::normalization

namespace kefu::triage {

void set_normalize_cache(std::string path) {
    std::lock_guard<std::mutex> lock(normalization::cache_mutex());
    normalization::cache_path() = std::move(path);
}

}  // namespace kefu::triage
