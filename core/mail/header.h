#pragma once
// Header text of mail: unfolding, RFC 2047 encoded-words, reply/forward prefixes.
//
// GMime parses the header structure (names, addresses, ids, dates, RFC 2231 parameters), but
// unstructured text (Subject, display names, To as shown) is decoded here: GMime's decoder
// reads gb2312 as GBK rather than GB18030, decodes unknown labels as Latin-1 and turns bytes it
// cannot convert into '?' without telling the caller, so a mangled subject could not be
// flagged. This decoder joins adjacent encoded-words of one charset before converting (a
// character split across two words comes out whole) and converts through decode_charset().

#include <string>
#include <string_view>

namespace kefu::mail {

// A header value as one line: CR/LF line breaks inside (folding) are removed, the white space
// after them kept; leading and trailing white space removed.
std::string unfold(std::string_view raw_value);

// Decodes unstructured header text to UTF-8: RFC 2047 encoded-words (B and Q, charset with an
// optional RFC 2231 "*language"), white space between adjacent encoded-words dropped, raw 8-bit
// text decoded as UTF-8 if valid, else as `hint` (the message's body charset) or detected.
// Line breaks are removed (unfolding), tabs become spaces, the result is trimmed. `replaced` is set
// (never cleared) when a byte could not be decoded; `note` (if given) receives a short remark when
// a label had to be overruled ("charset gb2312 read as GB18030").
std::string decode_header_text(std::string_view raw_value, std::string_view hint = {},
                               bool* replaced = nullptr, std::string* note = nullptr);

// The subject without reply/forward prefix chains, trimmed: "Re: RE: 回复：答复: 转发: Fwd: Fw:
// AW: WG: SV: 回覆: 轉寄: x" → "x". Counters ("Re[2]:", "Re(3):") and a full-width colon are
// allowed; a colon without a known word before it ("Note: x") is kept.
std::string normalize_subject(std::string_view subject);

}  // namespace kefu::mail
