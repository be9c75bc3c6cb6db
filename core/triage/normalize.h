#pragma once
// The text form that triage rules match against. normalize() applies, in this order:
//   1. NFKC and Unicode case folding, default-ignorable characters removed (as text::fold);
//   2. curly quotes to straight ones (‘ ’ → ', “ ” → ");
//   3. every run of white space (including U+3000 and line breaks) to one ASCII space, and
//      none at either end;
//   4. traditional → simplified Chinese exactly as OpenCC's t2s conversion does it.
// So "退貨", "ＲＥＦＵＮＤ" and "Refund\n\n now" become "退货", "refund" and "refund now".
//
// Speed: running utf8proc and OpenCC over every message would cost several microseconds each,
// more than the whole budget of a classification. normalize() therefore works from tables
// built once from utf8proc and from OpenCC's own t2s dictionaries: one table lookup per
// character for ASCII, Latin-1, CJK ideographs and punctuation, full-width forms and emoji.
// It falls back to utf8proc for the whole text when a character outside those ranges appears
// (combining marks, other scripts), and to OpenCC itself only when the text holds one of the
// few t2s phrases whose conversion differs from converting their characters one by one (such
// as 乾隆 or 彷彿). The result is always byte-identical to normalize_reference(); the tests
// check that over whole corpora.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::triage {

// The matching form of `text` (steps above). Invalid UTF-8 is repaired first (U+FFFD).
// The tables are built on first use; if OpenCC's t2s data cannot be loaded this throws
// kefu::Error naming the missing file.
std::string normalize(std::string_view text);

// As normalize(), and fills `source` with one entry per byte of the result: the byte offset in
// `text` of the character that byte came from. Returns false (and leaves `source` empty) when
// the text needed the utf8proc or OpenCC fallback, where no such mapping exists; the
// normalized text is returned in `out` either way. Used to copy captured values (an order
// number) out of the original text with their case intact.
bool normalize_mapped(std::string_view text, std::string& out, std::vector<uint32_t>& source);

// The same result computed the slow, obviously correct way: text::fold, the quote and white
// space steps, then OpenCC over the whole text. For tests and measurements.
std::string normalize_reference(std::string_view text);

// Keeps the tables between runs in `path` (a cache file, see core/cache_file.h): building them
// from utf8proc and OpenCC's dictionaries costs several milliseconds, reading them back a
// fraction of one. Takes effect only before the first normalization; empty means no cache.
void set_normalize_cache(std::string path);

// NFKC of `text` without case folding, for values captured from the original text.
std::string nfkc(std::string_view text);

}  // namespace kefu::triage
