#include "core/encoding.h"

#include <uchardet/uchardet.h>

#include <cerrno>

#include "core/error.h"
#include "core/text.h"

namespace kefu::encoding {

std::string canonical_name(std::string_view label) {
    std::string l = text::ascii_lower(text::trim(label));
    if (l.empty()) {
        return {};
    }
    if (l == "gb2312" || l == "gbk" || l == "cp936" || l == "x-gbk" || l == "gb18030" ||
        l == "euc-cn" || l == "x-euc-cn" || l == "csgb2312" || l == "gb_2312-80" ||
        l == "chinese" || l == "ms936" || l == "windows-936") {
        return "GB18030";
    }
    if (l == "big5" || l == "big5-hkscs" || l == "x-x-big5" || l == "cn-big5") {
        return "BIG5-HKSCS";
    }
    if (l == "utf8" || l == "utf-8" || l == "us-ascii" || l == "ascii" || l == "ansi_x3.4-1968") {
        return "UTF-8";
    }
    if (l == "ks_c_5601-1987" || l == "ks_c_5601" || l == "euc-kr" || l == "x-windows-949") {
        return "CP949";
    }
    if (l == "shift_jis" || l == "x-sjis" || l == "sjis" || l == "shift-jis") {
        return "CP932";
    }
    if (l == "iso-8859-1" || l == "latin1" || l == "latin-1") {
        return "WINDOWS-1252";  // what every client does with a Latin-1 label
    }
    std::string up(l);
    for (char& c : up) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return up;
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
    uchardet_t ud = uchardet_new();
    uchardet_handle_data(ud, sample.data(), sample.size());
    uchardet_data_end(ud);
    std::string guess = uchardet_get_charset(ud);
    uchardet_delete(ud);
    std::string name = canonical_name(guess);
    if (name.empty() || name == "UTF-8") {
        // No answer, or "UTF-8" for bytes that are not: the everyday case of a Chinese export.
        return {"GB18030", 0, false};
    }
    d.name = name;
    d.confident = true;
    return d;
}

Decoder::Decoder(const std::string& encoding) : m_name(canonical_name(encoding)) {
    m_utf8 = m_name == "UTF-8";
    if (!m_utf8) {
        m_cd = iconv_open("UTF-8", m_name.c_str());
        if (m_cd == reinterpret_cast<iconv_t>(-1)) {
            throw Error("unknown encoding", encoding, "iconv cannot convert it",
                        "use --encoding with e.g. utf-8, gb18030, big5, utf-16le, windows-1252");
        }
    }
}

Decoder::~Decoder() {
    if (m_cd != reinterpret_cast<iconv_t>(-1)) {
        iconv_close(m_cd);
    }
}

bool Decoder::decode(std::string_view in, std::string& out, size_t* bad_offset) {
    if (m_utf8) {
        size_t bad = 0;
        if (!text::valid_utf8(in, &bad)) {
            out.append(in.substr(0, bad));
            if (bad_offset != nullptr) {
                *bad_offset = bad;
            }
            return false;
        }
        out.append(in);
        return true;
    }
    // Pure ASCII is the same in every encoding kefu reads this way.
    bool ascii = true;
    for (char c : in) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii && m_name != "UTF-16LE" && m_name != "UTF-16BE" && m_name != "UTF-16" &&
        m_name != "UTF-32" && m_name != "HZ-GB-2312" && m_name != "ISO-2022-JP" &&
        m_name != "UTF-7") {
        out.append(in);
        return true;
    }
    iconv(m_cd, nullptr, nullptr, nullptr, nullptr);
    char* src = const_cast<char*>(in.data());
    size_t src_left = in.size();
    char buf[4096];
    while (src_left > 0) {
        char* dst = buf;
        size_t dst_left = sizeof buf;
        size_t r = iconv(m_cd, &src, &src_left, &dst, &dst_left);
        out.append(buf, static_cast<size_t>(dst - buf));
        if (r == static_cast<size_t>(-1)) {
            if (errno == E2BIG) {
                continue;
            }
            if (bad_offset != nullptr) {
                *bad_offset = static_cast<size_t>(src - in.data());
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

size_t Decoder::decode_lossy(std::string_view in, std::string& out) {
    size_t replaced = 0;
    while (!in.empty()) {
        size_t bad = 0;
        if (decode(in, out, &bad)) {
            break;
        }
        out += "\xEF\xBF\xBD";
        ++replaced;
        in.remove_prefix(std::min(in.size(), bad + 1));
    }
    return replaced;
}

}  // namespace kefu::encoding
