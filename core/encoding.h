#pragma once
// Text encodings of imported files: detection (BOM, valid UTF-8, uchardet) and conversion
// to UTF-8 (iconv). Labels that lie are read as mail clients and spreadsheets do: the GB
// family (gb2312, gbk, cp936, x-gbk) is decoded as GB18030, its superset.

#include <iconv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kefu::encoding {

// The iconv name kefu uses for a label: "GB18030" for the GB family, "BIG5-HKSCS" for Big5,
// "UTF-8" for utf8/us-ascii, otherwise the label upper-cased. "" for an empty label.
std::string canonical_name(std::string_view label);

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
    // Throws kefu::Error when iconv does not know the encoding.
    explicit Decoder(const std::string& encoding);
    ~Decoder();
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    const std::string& name() const { return m_name; }
    bool is_utf8() const { return m_utf8; }

    // Appends the UTF-8 form of `in` to `out`. On an invalid or incomplete sequence, returns
    // false with `bad_offset` at the first bad byte (and `out` holding what came before it).
    bool decode(std::string_view in, std::string& out, size_t* bad_offset = nullptr);

    // Like decode(), but an invalid byte becomes U+FFFD and decoding goes on. Returns the
    // number of replacements.
    size_t decode_lossy(std::string_view in, std::string& out);

private:
    std::string m_name;
    bool m_utf8 = false;
    iconv_t m_cd = reinterpret_cast<iconv_t>(-1);
};

}  // namespace kefu::encoding
