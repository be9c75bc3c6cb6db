#pragma once
// Text encodings of imported files and mail: detection (BOM, valid UTF-8, uchardet) and
// conversion to UTF-8 (iconv). Labels that lie are read as mail clients and spreadsheets do:
// the GB family (gb2312, gbk, cp936, x-gbk, euc-cn …) is decoded as GB18030, its superset,
// Big5 as BIG5-HKSCS, the Korean labels as CP949, Shift_JIS as CP932 and Latin-1 as
// windows-1252. core/mail builds its charset handling on these functions.

#include <iconv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kefu::encoding {

// The iconv name kefu uses for a label (surrounding spaces and case do not matter):
// "GB18030" for the GB family, "BIG5-HKSCS" for Big5, "CP949" for the Korean labels, "CP932"
// for Shift_JIS, "WINDOWS-1252" for Latin-1, "UTF-8" for utf8/us-ascii, one name for the
// other aliases mail uses (eucjp, utf7, x-mac-roman …), otherwise the label upper-cased.
// "" for an empty label. core/mail reads a few labels differently (see
// mail::canonical_charset()); where both know a label they must agree.
std::string canonical_name(std::string_view label);

// True for the encodings whose text may be all bytes below 0x80 and still not be ASCII:
// UTF-7, HZ, ISO-2022-*, UTF-16*, UTF-32*, UCS-* (canonical names).
bool is_seven_bit(std::string_view name);

// uchardet's guess for the charset of `bytes`, spelt as uchardet spells it ("GB18030",
// "WINDOWS-1252", "ASCII", …; pass it through canonical_name() before use); "" when it has
// no answer. Looks at all of `bytes`: callers bound the sample. Thread-safe.
std::string uchardet_guess(std::string_view bytes);

struct Detected {
    std::string name;        // canonical name: "UTF-8", "GB18030", "UTF-16LE", …
    size_t bom_length = 0;   // bytes of byte-order mark at the start, to skip
    bool confident = false;  // BOM or valid UTF-8 or a clear uchardet answer
};

// Guesses the encoding of `sample` (the first bytes of a file). `complete` says the sample is
// the whole file, so that a multibyte character cut at its end is not held against UTF-8.
Detected detect(std::string_view sample, bool complete);

// Converts text in one encoding to UTF-8. Not thread-safe; one per reader.
class Decoder {
public:
    // A decoder for canonical_name(encoding). Throws kefu::Error when iconv does not know it.
    explicit Decoder(const std::string& encoding);
    // A decoder for exactly the iconv encoding `iconv_name` (not passed through
    // canonical_name(), so that e.g. "ISO-8859-1" stays ISO-8859-1), or null when iconv does
    // not know it. "UTF-8" is checked rather than converted, as with the constructor.
    static std::unique_ptr<Decoder> open_exact(const std::string& iconv_name);
    ~Decoder();
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    const std::string& name() const { return m_name; }
    bool is_utf8() const { return m_utf8; }

    // Appends the UTF-8 form of `in` to `out`. On an invalid or incomplete sequence, returns
    // false with `bad_offset` at the first bad byte (and `out` holding what came before it).
    // `bad_end`, when given, is set past the bad unit: the first bad byte alone, or the whole
    // of an unassigned pair, which glibc's CP949 reports only after it has read both bytes.
    // On false, bad_offset < bad_end <= in.size().
    bool decode(std::string_view in, std::string& out, size_t* bad_offset = nullptr,
                size_t* bad_end = nullptr);

    // Like decode(), but each bad unit (a byte, or an unassigned pair) becomes U+FFFD and
    // decoding goes on. Returns the number of replacements.
    size_t decode_lossy(std::string_view in, std::string& out);

private:
    struct Exact {};
    Decoder(Exact, std::string iconv_name);
    // Opens the converter for m_name; false when iconv does not know it.
    bool open();
    // Converts all of `in` into `out` with a reset converter. On an error, returns false
    // with `stop` (when given) where iconv stopped.
    bool convert(std::string_view in, std::string& out, size_t* stop);
    // Where the bad bytes start, when iconv stopped at `stop` in `in` after writing the
    // `produced` bytes of `output`: the end of the longest prefix, at most four bytes (one
    // character) before `stop`, that converts cleanly to exactly that output.
    size_t bad_start(std::string_view in, size_t stop, std::string_view output);

    std::string m_name;
    bool m_utf8 = false;
    // Pure ASCII input reads as itself, so iconv can be skipped for it (false for the 7-bit
    // encodings, UTF-16/32 and EBCDIC, whose ASCII-looking bytes mean something else).
    bool m_ascii_same = false;
    iconv_t m_cd = reinterpret_cast<iconv_t>(-1);
};

}  // namespace kefu::encoding
