#include "core/encoding.h"

#include <uchardet/uchardet.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "core/error.h"
#include "core/text.h"

namespace kefu::encoding {

namespace {

struct Alias {
    std::string_view label;  // lower case
    std::string_view name;   // the iconv name it is read as
};

// Labels and the encodings they are read as. The families are widened on purpose (see the file
// comment of encoding.h); core/mail/charset_labels.cpp lists the few labels mail reads
// differently, and the two lists must not contradict each other.
constexpr Alias k_aliases[] = {
    {"utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"x-unicode20utf8", "UTF-8"},
    // An ASCII label on a file is read as UTF-8, its superset (mail reads it strictly).
    {"us-ascii", "UTF-8"},
    {"ascii", "UTF-8"},
    {"ansi_x3.4-1968", "UTF-8"},
    {"gb2312", "GB18030"},
    {"gb_2312", "GB18030"},
    {"gb_2312-80", "GB18030"},
    {"gb2312-80", "GB18030"},
    {"csgb2312", "GB18030"},
    {"csiso58gb231280", "GB18030"},
    {"iso-ir-58", "GB18030"},
    {"chinese", "GB18030"},
    {"euc-cn", "GB18030"},
    {"x-euc-cn", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"cp936", "GB18030"},
    {"x-cp936", "GB18030"},
    {"ms936", "GB18030"},
    {"windows-936", "GB18030"},
    {"gb18030", "GB18030"},
    {"gb-18030", "GB18030"},
    {"x-gb18030", "GB18030"},
    {"big5", "BIG5-HKSCS"},
    {"x-big5", "BIG5-HKSCS"},
    {"x-x-big5", "BIG5-HKSCS"},
    {"cn-big5", "BIG5-HKSCS"},
    {"csbig5", "BIG5-HKSCS"},
    {"big5-hkscs", "BIG5-HKSCS"},
    {"big5hkscs", "BIG5-HKSCS"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"latin-1", "WINDOWS-1252"},
    {"windows-1252", "WINDOWS-1252"},
    {"cp1252", "WINDOWS-1252"},
    {"x-cp1252", "WINDOWS-1252"},
    {"ks_c_5601-1987", "CP949"},
    {"ks_c_5601-1989", "CP949"},
    {"ks_c_5601", "CP949"},
    {"ksc5601", "CP949"},
    {"ksc_5601", "CP949"},
    {"csksc56011987", "CP949"},
    {"iso-ir-149", "CP949"},
    {"korean", "CP949"},
    {"euc-kr", "CP949"},
    {"x-euc-kr", "CP949"},
    {"cp949", "CP949"},
    {"windows-949", "CP949"},
    {"x-windows-949", "CP949"},
    {"uhc", "CP949"},
    {"shift_jis", "CP932"},
    {"shift-jis", "CP932"},
    {"sjis", "CP932"},
    {"x-sjis", "CP932"},
    {"windows-31j", "CP932"},
    {"cp932", "CP932"},
    {"ms932", "CP932"},
    {"euc-jp", "EUC-JP"},
    {"eucjp", "EUC-JP"},
    {"x-euc-jp", "EUC-JP"},
    {"utf-7", "UTF-7"},
    {"utf7", "UTF-7"},
    {"unicode-1-1-utf-7", "UTF-7"},
    {"x-unicode-1-1-utf-7", "UTF-7"},
    {"csunicode11utf7", "UTF-7"},
    {"iso-8859-8-i", "ISO-8859-8"},
    {"macintosh", "MACINTOSH"},
    {"x-mac-roman", "MACINTOSH"},
    {"x-mac-cyrillic", "MAC-CYRILLIC"},
};

bool is_ascii(std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

// One uchardet handle per thread, reset for each text: creating a handle costs more than
// detecting a short mail part.
class Detector {
public:
    Detector() : m_handle(uchardet_new()) {}
    Detector(const Detector&) = delete;
    Detector& operator=(const Detector&) = delete;
    ~Detector() { uchardet_delete(m_handle); }

    std::string guess(std::string_view bytes) {
        uchardet_reset(m_handle);
        if (uchardet_handle_data(m_handle, bytes.data(), bytes.size()) != 0) {
            return {};
        }
        uchardet_data_end(m_handle);
        const char* name = uchardet_get_charset(m_handle);
        return name == nullptr ? std::string() : std::string(name);
    }

private:
    uchardet_t m_handle;
};

thread_local Detector t_detector;

}  // namespace

std::string canonical_name(std::string_view label) {
    std::string l = text::ascii_lower(text::trim(label));
    if (l.empty()) {
        return {};
    }
    for (const Alias& a : k_aliases) {
        if (a.label == l) {
            return std::string(a.name);
        }
    }
    std::string up(l);
    for (char& c : up) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return up;
}

bool is_seven_bit(std::string_view name) {
    return name == "UTF-7" || name == "HZ" || name.starts_with("ISO-2022") ||
           name.starts_with("UTF-16") || name.starts_with("UTF-32") || name.starts_with("UCS-");
}

std::string uchardet_guess(std::string_view bytes) {
    return t_detector.guess(bytes);
}

Detected detect(std::string_view sample, bool complete) {
    Detected d;
    if (sample.starts_with("\xEF\xBB\xBF")) {
        return {"UTF-8", 3, true};
    }
    if (sample.starts_with("\xFF\xFE")) {
        return {"UTF-16LE", 2, true};
    }
    if (sample.starts_with("\xFE\xFF")) {
        return {"UTF-16BE", 2, true};
    }
    size_t bad = 0;
    if (text::valid_utf8(sample, &bad) || (!complete && bad + 4 > sample.size())) {
        return {"UTF-8", 0, true};
    }
    // Mostly well-formed UTF-8 with a few bad bytes is a UTF-8 file with a few bad records:
    // read it as UTF-8 so that those records are rejected rather than the whole file misread.
    size_t valid_multibyte = 0;
    size_t invalid = 0;
    for (size_t i = 0; i < sample.size();) {
        unsigned char c = static_cast<unsigned char>(sample[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t j = i;
        char32_t cp = text::next_code_point(sample, j);
        if (cp == 0xFFFD && !(j - i == 3 && sample.substr(i, 3) == "\xEF\xBF\xBD")) {
            ++invalid;
        } else {
            ++valid_multibyte;
        }
        i = j;
    }
    if (valid_multibyte >= 8 && invalid * 3 <= valid_multibyte) {
        return {"UTF-8", 0, false};
    }
    std::string name = canonical_name(uchardet_guess(sample));
    if (name.empty() || name == "UTF-8") {
        // No answer, or "UTF-8" for bytes that are not: the everyday case of a Chinese export.
        return {"GB18030", 0, false};
    }
    d.name = name;
    d.confident = true;
    return d;
}

Decoder::Decoder(const std::string& encoding) : m_name(canonical_name(encoding)) {
    if (!open()) {
        throw Error("unknown encoding", encoding, "iconv cannot convert it",
                    "use --encoding with e.g. utf-8, gb18030, big5, utf-16le, windows-1252");
    }
}

Decoder::Decoder(Exact, std::string iconv_name) : m_name(std::move(iconv_name)) {}

std::unique_ptr<Decoder> Decoder::open_exact(const std::string& iconv_name) {
    std::unique_ptr<Decoder> d(new Decoder(Exact{}, iconv_name));
    if (!d->open()) {
        return nullptr;
    }
    return d;
}

bool Decoder::open() {
    m_utf8 = m_name == "UTF-8";
    if (m_utf8) {
        return true;
    }
    m_cd = iconv_open("UTF-8", m_name.c_str());
    if (m_cd == reinterpret_cast<iconv_t>(-1)) {
        return false;
    }
    // ASCII may skip iconv only where iconv would give it back unchanged; the probe catches
    // what the names do not say (EBCDIC, UCS-2 or UTF-7 under an alias).
    if (!is_seven_bit(m_name)) {
        std::string probe(128, '\0');
        for (size_t i = 0; i < probe.size(); ++i) {
            probe[i] = static_cast<char>(i);
        }
        std::string out;
        m_ascii_same = decode(probe, out) && out == probe;
    }
    return true;
}

Decoder::~Decoder() {
    if (m_cd != reinterpret_cast<iconv_t>(-1)) {
        iconv_close(m_cd);
    }
}

bool Decoder::decode(std::string_view in, std::string& out, size_t* bad_offset, size_t* bad_end) {
    if (m_utf8) {
        size_t bad = 0;
        if (!text::valid_utf8(in, &bad)) {
            out.append(in.substr(0, bad));
            if (bad_offset != nullptr) {
                *bad_offset = bad;
            }
            if (bad_end != nullptr) {
                *bad_end = bad + 1;
            }
            return false;
        }
        out.append(in);
        return true;
    }
    if (m_ascii_same && is_ascii(in)) {
        out.append(in);
        return true;
    }
    size_t out_start = out.size();
    size_t stop = 0;
    if (convert(in, out, &stop)) {
        return true;
    }
    // glibc's CP949 stops after an unassigned pair, so `stop` may be past the bad bytes.
    size_t start = std::min(bad_start(in, stop, std::string_view(out).substr(out_start)),
                            in.size() - 1);
    if (bad_offset != nullptr) {
        *bad_offset = start;
    }
    if (bad_end != nullptr) {
        *bad_end = std::min(in.size(), std::max(start + 1, stop));
    }
    return false;
}

bool Decoder::convert(std::string_view in, std::string& out, size_t* stop) {
    iconv(m_cd, nullptr, nullptr, nullptr, nullptr);
    char* src = const_cast<char*>(in.data());
    size_t src_left = in.size();
    char buf[4096];
    while (src_left > 0) {
        char* dst = buf;
        size_t dst_left = sizeof buf;
        size_t r = iconv(m_cd, &src, &src_left, &dst, &dst_left);
        out.append(buf, static_cast<size_t>(dst - buf));
        if (r == static_cast<size_t>(-1) && errno != E2BIG) {
            if (stop != nullptr) {
                *stop = static_cast<size_t>(src - in.data());
            }
            return false;
        }
    }
    char* dst = buf;
    size_t dst_left = sizeof buf;
    iconv(m_cd, nullptr, nullptr, &dst, &dst_left);
    out.append(buf, static_cast<size_t>(dst - buf));
    return true;
}

// Only called on an error, so the prefix is converted again: converters keep no state that
// would tell which bytes made the output.
size_t Decoder::bad_start(std::string_view in, size_t stop, std::string_view output) {
    size_t lowest = stop >= 4 ? stop - 4 : 0;
    for (size_t end = stop;; --end) {
        std::string again;
        if (convert(in.substr(0, end), again, nullptr) && again == output) {
            return end;
        }
        if (end == lowest) {
            return stop;
        }
    }
}

size_t Decoder::decode_lossy(std::string_view in, std::string& out) {
    if (m_utf8) {
        // repair_utf8() gives what the loop below would, in one pass: each bad byte becomes
        // U+FFFD (three bytes), so the growth counts the replacements.
        std::string repaired = text::repair_utf8(in);
        size_t replaced = (repaired.size() - in.size()) / 2;
        if (out.empty()) {
            out = std::move(repaired);
        } else {
            out += repaired;
        }
        return replaced;
    }
    size_t replaced = 0;
    while (!in.empty()) {
        size_t end = 0;
        if (decode(in, out, nullptr, &end)) {
            break;
        }
        out += "\xEF\xBF\xBD";
        ++replaced;
        in.remove_prefix(end);
    }
    return replaced;
}

}  // namespace kefu::encoding
