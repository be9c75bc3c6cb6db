#pragma once
// Text in mail arrives in many charsets, and the labels often lie. These functions turn bytes
// into UTF-8 the way mail clients do: the GB family (gb2312, gbk, x-gbk, cp936, euc-cn …) is read
// as GB18030, its superset, because senders label GBK and GB18030 text as gb2312; latin-1 is
// read as windows-1252 (WHATWG); a body that is valid UTF-8 under a legacy label is UTF-8; a
// missing or wrong label is replaced by detection (uchardet, with a check for GB-shaped byte
// pairs because uchardet is unreliable on short Chinese text). Bytes that no charset explains
// become U+FFFD and the caller is told, so that nothing is mangled silently.

#include <string>
#include <string_view>

namespace kefu::mail {

// The result of decode_charset().
struct Decoded {
    std::string text;         // UTF-8
    std::string charset;      // the charset the bytes were read as ("UTF-8", "GB18030", …)
    bool replaced = false;    // some bytes could not be decoded and became U+FFFD
    bool relabelled = false;  // the label was missing, unknown or wrong; `charset` was chosen
    bool widened = false;     // a gb2312/gbk label needed characters only GB18030 has
    bool damaged = false;     // the bytes already held U+FFFD, written by an earlier program
};

// The charset name kefu converts with for a label from a message ("GB2312" → "GB18030",
// "latin1" → "WINDOWS-1252", "utf8" → "UTF-8"), upper-cased; "" for an empty label or one
// that means "unknown" (x-unknown, unknown-8bit, default). Unknown names are returned
// upper-cased as given; whether iconv knows them is found out on use.
std::string canonical_charset(std::string_view label);

// Decodes `bytes` labelled `label` (may be empty) to UTF-8. `hint` is a second label to try
// before detection when `label` does not fit (for a header, the charset of the message body).
// Never throws; the text is always valid UTF-8.
Decoded decode_charset(std::string_view bytes, std::string_view label, std::string_view hint = {});

// decode_charset() reduced to its text; `replaced` (if given) is set when U+FFFD was needed.
std::string decode_to_utf8(std::string_view bytes, std::string_view charset_label,
                           bool* replaced = nullptr);

// True when the non-ASCII bytes of `bytes` pair up the way Chinese text in GB2312/GBK does
// (lead and trail byte both in 0xA1–0xFE for nearly every pair). Latin-1 and Big5 text do
// not; used to overrule a detector that guesses a single-byte charset for short GB text.
bool looks_like_gb(std::string_view bytes);

}  // namespace kefu::mail
