// The charset labels of mail and the charsets kefu reads them as.

#include <string>
#include <string_view>

#include "core/mail/charset.h"
#include "core/mail/convert.h"

namespace kefu::mail {

namespace detail {

std::string clean_label(std::string_view label) {
    std::string s;
    for (char c : label) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
            c == ':' || c == '+') {
            s += c;
        } else if (c >= 'A' && c <= 'Z') {
            s += static_cast<char>(c - 'A' + 'a');
        }
        if (s.size() > 64) {
            break;
        }
    }
    return s;
}

}  // namespace detail

namespace {

struct Alias {
    std::string_view label;
    std::string_view canon;
};

// Labels seen in mail and what they are read as. The GB family maps to GB18030 and latin-1 to
// windows-1252 on purpose (see the file comment of charset.h).
constexpr Alias k_aliases[] = {
    {"utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"x-unicode20utf8", "UTF-8"},
    {"us-ascii", "US-ASCII"},
    {"ascii", "US-ASCII"},
    {"us", "US-ASCII"},
    {"ansi_x3.4-1968", "US-ASCII"},
    {"ansi_x3.4-1986", "US-ASCII"},
    {"iso646-us", "US-ASCII"},
    {"csascii", "US-ASCII"},
    {"cp367", "US-ASCII"},
    {"ibm367", "US-ASCII"},
    {"gb2312", "GB18030"},
    {"gb_2312", "GB18030"},
    {"gb_2312-80", "GB18030"},
    {"gb2312-80", "GB18030"},
    {"csgb2312", "GB18030"},
    {"csiso58gb231280", "GB18030"},
    {"iso-ir-58", "GB18030"},
    {"chinese", "GB18030"},
    {"euc-cn", "GB18030"},
    {"euccn", "GB18030"},
    {"x-euc-cn", "GB18030"},
    {"cn-gb", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"cp936", "GB18030"},
    {"x-cp936", "GB18030"},
    {"ms936", "GB18030"},
    {"windows-936", "GB18030"},
    {"gb18030", "GB18030"},
    {"gb-18030", "GB18030"},
    {"x-gb18030", "GB18030"},
    {"hz-gb-2312", "HZ"},
    {"hz-gb2312", "HZ"},
    {"hz", "HZ"},
    {"x-hz", "HZ"},
    {"big5", "BIG5-HKSCS"},
    {"big-5", "BIG5-HKSCS"},
    {"x-big5", "BIG5-HKSCS"},
    {"x-x-big5", "BIG5-HKSCS"},
    {"cn-big5", "BIG5-HKSCS"},
    {"csbig5", "BIG5-HKSCS"},
    {"big5-hkscs", "BIG5-HKSCS"},
    {"big5hkscs", "BIG5-HKSCS"},
    {"cp950", "BIG5-HKSCS"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"iso8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"},
    {"iso_8859-1:1987", "WINDOWS-1252"},
    {"iso88591", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"latin-1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"cp819", "WINDOWS-1252"},
    {"ibm819", "WINDOWS-1252"},
    {"iso-ir-100", "WINDOWS-1252"},
    {"csisolatin1", "WINDOWS-1252"},
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
    {"euckr", "CP949"},
    {"x-euc-kr", "CP949"},
    {"cp949", "CP949"},
    {"windows-949", "CP949"},
    {"x-windows-949", "CP949"},
    {"uhc", "CP949"},
    {"shift_jis", "CP932"},
    {"shift-jis", "CP932"},
    {"sjis", "CP932"},
    {"x-sjis", "CP932"},
    {"ms_kanji", "CP932"},
    {"csshiftjis", "CP932"},
    {"windows-31j", "CP932"},
    {"cp932", "CP932"},
    {"ms932", "CP932"},
    {"euc-jp", "EUC-JP"},
    {"eucjp", "EUC-JP"},
    {"x-euc-jp", "EUC-JP"},
    {"iso-2022-jp", "ISO-2022-JP-2"},
    {"csiso2022jp", "ISO-2022-JP-2"},
    {"iso-2022-jp-1", "ISO-2022-JP-2"},
    {"iso-2022-jp-2", "ISO-2022-JP-2"},
    {"utf-7", "UTF-7"},
    {"utf7", "UTF-7"},
    {"unicode-1-1-utf-7", "UTF-7"},
    {"x-unicode-1-1-utf-7", "UTF-7"},
    {"csunicode11utf7", "UTF-7"},
    {"iso-8859-8-i", "ISO-8859-8"},
    {"macintosh", "MACINTOSH"},
    {"x-mac-roman", "MACINTOSH"},
    {"x-mac-cyrillic", "MAC-CYRILLIC"},
    {"tis-620", "TIS-620"},
    {"windows-874", "TIS-620"},
    // Labels that say nothing: treated as no label at all.
    {"unknown", ""},
    {"x-unknown", ""},
    {"unknown-8bit", ""},
    {"x-user-defined", ""},
    {"default", ""},
    {"none", ""},
    {"8bit", ""},
    {"7bit", ""},
    {"binary", ""},
    {"charset", ""},
    {"auto", ""},
    {"_autodetect_all", ""},
};

}  // namespace

std::string canonical_charset(std::string_view label) {
    std::string s = detail::clean_label(label);
    if (s.empty()) {
        return {};
    }
    for (const Alias& a : k_aliases) {
        if (a.label == s) {
            return std::string(a.canon);
        }
    }
    for (char& c : s) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return s;
}

}  // namespace kefu::mail
