#pragma once
// UTF-8 text helpers used everywhere: validation, code points, display width (a CJK
// character is two columns), normalization for matching (NFKC + case fold), and making
// untrusted text safe to show in a terminal.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::text {

// True when `s` is well-formed UTF-8. On false, `bad_offset` (if given) is the byte offset of
// the first byte that is not.
bool valid_utf8(std::string_view s, size_t* bad_offset = nullptr);

// Decodes one code point at s[i] and advances i. Ill-formed bytes yield U+FFFD and advance by one.
char32_t next_code_point(std::string_view s, size_t& i);
void append_utf8(std::string& out, char32_t cp);

// Replaces every ill-formed sequence with U+FFFD.
std::string repair_utf8(std::string_view s);

// Columns `s` takes in a terminal (utf8proc widths; controls count as 0).
size_t display_width(std::string_view s);

// Cuts `s` so that it takes at most `width` columns, ending in "…" when cut.
std::string truncate_to_width(std::string_view s, size_t width);

// Pads `s` with spaces on the right (or left) to `width` columns.
std::string pad_to_width(std::string_view s, size_t width, bool right_align = false);

// Makes untrusted text safe for a terminal: C0/C1 control characters other than newline and
// tab (and, when !keep_newlines, those too) are shown escaped as \e, \r, \x07, \u009b …;
// DEL and lone invalid bytes likewise. Nothing from input is written raw to a terminal.
std::string escape_controls(std::string_view s, bool keep_newlines = true);

// Line ends as stored: "\r\n" and a lone "\r" become "\n".
std::string unix_newlines(std::string s);

// The text as one line for a table cell: newlines and tabs become spaces, runs of white space
// collapse, controls are escaped.
std::string one_line(std::string_view s);

// NFKC, case-folded, with default-ignorable characters removed: the form used for matching
// (＂ＲＥＦＵＮＤ＂ → "refund"). Invalid UTF-8 is repaired first.
std::string fold(std::string_view s);

// Leading and trailing ASCII white space, and U+3000 (ideographic space), removed.
std::string_view trim(std::string_view s);

// Lowercases ASCII letters only.
std::string ascii_lower(std::string_view s);

// True for Han ideographs and the CJK symbol/punctuation blocks used with them.
bool is_cjk(char32_t cp);
// True for Han ideographs only (the letters of a Chinese word).
bool is_han(char32_t cp);

// Splits `s` on `sep` (empty pieces kept).
std::vector<std::string_view> split(std::string_view s, char sep);

}  // namespace kefu::text
