#pragma once
// One mail message parsed into what kefu stores: ids for threading, date, sender, subject,
// the buyer's text and the names of attachments. MIME structure, transfer encodings
// (quoted-printable, base64, uuencode), addresses, dates, Message-IDs and RFC 2231 parameters
// are read by GMime 3; charsets and unstructured header text by charset.h and header.h.
//
// Which text is the body: the "textBody" of RFC 8621 (JMAP) section 4.1.4, the parts a mail
// client shows as text: inline text/plain and text/html parts in order; of a
// multipart/alternative its text/plain parts, or its HTML parts when it has no plain one
// (converted by html_to_text()); of a multipart/related its root part; a text part with a
// file name that is not first in its multipart is an attachment. Two additions: only the
// signed content of a multipart/signed is read (not the signature), and when the plain text
// is blank but an HTML alternative is not, the HTML is the text. Everything else (attachment
// dispositions, images, other types, embedded message/rfc822) is listed as an attachment
// with its name, type and decoded size, never its content.
//
// Limits keep any input cheap (it is fuzzed): MIME nesting is followed 32 levels deep, at most
// 1000 parts are looked at, a text part contributes at most 1 MiB and the body at most 4 MiB
// (cut at a line end), a header is decoded up to 64 KiB, and a message over 64 MiB is
// refused. Each limit that was hit leaves a note.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace kefu::mail {

struct Attachment {
    std::string name;          // decoded file name; "" when the part has none
    std::string content_type;  // "application/pdf", lower case
    uint64_t size = 0;         // decoded size in bytes
};

struct Message {
    std::string message_id;               // without angle brackets; "" when absent
    std::string in_reply_to;              // first id, without brackets
    std::vector<std::string> references;  // in order, without brackets
    std::optional<TimePoint> date;        // UTC; nullopt when missing or unreadable
    std::string from_name;                // decoded display name; may be ""
    std::string from_address;             // lower-cased
    std::string to;                       // decoded display form of the To header
    std::string subject;                  // decoded, unfolded, trimmed
    std::string subject_normalized;       // reply/forward prefixes removed, trimmed
    std::string body;                     // preferred text, quoted history and signature cut
    std::string body_full;                // the whole decoded text body ("\n" line ends, no
                                          // blank lines or white space at either end)
    bool body_from_html = false;          // the text was converted from an HTML part
    std::vector<Attachment> attachments;
    bool had_replacement = false;    // U+FFFD remained after all decoding efforts
    std::vector<std::string> notes;  // oddities, e.g. "charset gb2312 read as GB18030"
};

// The largest message parse_message() accepts.
constexpr size_t k_max_message_bytes = 64u << 20;

// Parses one message (the bytes of an .eml file or of one mbox entry). A leading UTF-8 byte
// order mark and a leading mbox From_ line are skipped; a message without any header is read
// as all body. `where` (file and line, or file name) is only used in errors. Throws
// kefu::Error when the input is empty or larger than k_max_message_bytes; anything else that
// is odd about a message is recorded in `notes`, and whatever could be read is returned.
// Thread-safe; GMime is initialised on first use.
Message parse_message(std::string_view raw, const std::string& where);

}  // namespace kefu::mail
