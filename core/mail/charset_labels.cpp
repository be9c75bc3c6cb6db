// The charset labels of mail and the charsets kefu reads them as.

#include <string>
#include <string_view>

#include "core/encoding.h"
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

// The labels mail reads differently from encoding::canonical_name(), which knows the rest
// (the GB family as GB18030, latin-1 as windows-1252 …; see the file comment of charset.h).
constexpr Alias k_mail_aliases[] = {
    // Read as their family in mail; a file import leaves these spellings to iconv as they are.
    {"euccn", "GB18030"},
    {"cn-gb", "GB18030"},
    {"big-5", "BIG5-HKSCS"},
    {"cp950", "BIG5-HKSCS"},
    {"iso8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"},
    {"iso_8859-1:1987", "WINDOWS-1252"},
    {"iso88591", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"cp819", "WINDOWS-1252"},
    {"ibm819", "WINDOWS-1252"},
    {"iso-ir-100", "WINDOWS-1252"},
    {"csisolatin1", "WINDOWS-1252"},
    {"euckr", "CP949"},
    {"ms_kanji", "CP932"},
    {"csshiftjis", "CP932"},
    // An ASCII label is taken at its word: 8-bit bytes under it mean the label is wrong, and
    // another reading is looked for (a file import reads ASCII labels as UTF-8 instead).
    {"us-ascii", "US-ASCII"},
    {"ascii", "US-ASCII"},
    {"us", "US-ASCII"},
    {"ansi_x3.4-1968", "US-ASCII"},
    {"ansi_x3.4-1986", "US-ASCII"},
    {"iso646-us", "US-ASCII"},
    {"csascii", "US-ASCII"},
    {"cp367", "US-ASCII"},
    {"ibm367", "US-ASCII"},
    // Read by the HZ reader of convert.cpp.
    {"hz-gb-2312", "HZ"},
    {"hz-gb2312", "HZ"},
    {"hz", "HZ"},
    {"x-hz", "HZ"},
    // ISO-2022-JP-2 is a superset that senders use under the plain label.
    {"iso-2022-jp", "ISO-2022-JP-2"},
    {"csiso2022jp", "ISO-2022-JP-2"},
    {"iso-2022-jp-1", "ISO-2022-JP-2"},
    {"iso-2022-jp-2", "ISO-2022-JP-2"},
    // windows-874 is read as TIS-620, its subset: its bytes 0x80-0xA0 are taken for a sign
    // of a wrong label.
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
    for (const Alias& a : k_mail_aliases) {
        if (a.label == s) {
            return std::string(a.canon);
        }
    }
    return encoding::canonical_name(s);
}

}  // namespace kefu::mail
