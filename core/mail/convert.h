#pragma once
// Internal to core/mail: the converters under decode_charset(). Conversion and detection are
// core/encoding's (a Decoder per charset and thread, kept open, and uchardet); what is left
// here is mail's: the HZ reader (glibc has none), the cache, and the label cleaning.

#include <string>
#include <string_view>

namespace kefu::mail::detail {

// Converts `bytes` from the canonical charset `canon` (see canonical_charset()) to UTF-8 in
// `out`. Strict (lossy = false): false when any byte does not convert. Lossy: every byte that
// does not convert becomes U+FFFD and is counted in `bad` (for UTF-8, U+FFFD already in the
// bytes counts too once any byte needed replacing). False in both modes when the charset is
// unknown.
bool convert(std::string_view bytes, const std::string& canon, bool lossy, std::string& out,
             size_t& bad);

// uchardet's guess for `bytes` (at most the first 64 KiB are looked at), canonicalised; ""
// when it has none or says ASCII.
std::string detect_charset(std::string_view bytes);

// A charset label lower-cased, with only the characters charset names are made of (labels
// arrive quoted, or with trailing semicolons and spaces).
std::string clean_label(std::string_view label);

}  // namespace kefu::mail::detail
