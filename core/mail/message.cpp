#include "core/mail/message.h"

#include <gmime/gmime.h>

#include "core/error.h"
#include "core/mail/body.h"
#include "core/mail/gmime.h"
#include "core/mail/header.h"
#include "core/mail/quote.h"
#include "core/text.h"

namespace kefu::mail {
namespace {

using detail::add_note;
using detail::GPtr;

// Threading needs the first reference (the thread's root) and the last ones (the parents);
// a longer list keeps its first entry and the most recent others.
constexpr size_t k_max_references = 500;
constexpr size_t k_max_id_bytes = 998;  // the longest line RFC 5322 allows
// Headers are decoded up to this length; no real Subject, From or To comes near it.
constexpr size_t k_max_header_bytes = 64 * 1024;

// "Name:" at the start of `line`: a field name of printable ASCII other than ':'.
bool starts_with_header(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 33 || c > 126 || c == ':') {
            break;
        }
        ++i;
    }
    while (i > 0 && i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
        ++i;
    }
    return i > 0 && i < s.size() && s[i] == ':';
}

std::string_view skip_leading_line(std::string_view s) {
    size_t nl = s.find('\n');
    return nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
}

// The raw value of the first header `name`, cut to k_max_header_bytes.
std::string raw_header(GMimeObject* obj, const char* name, Message& m) {
    GMimeHeaderList* list = g_mime_object_get_header_list(obj);
    GMimeHeader* header = list == nullptr ? nullptr : g_mime_header_list_get_header(list, name);
    const char* raw = header == nullptr ? nullptr : g_mime_header_get_raw_value(header);
    std::string value = raw == nullptr ? std::string() : std::string(raw);
    if (value.size() > k_max_header_bytes) {
        value.resize(k_max_header_bytes);
        add_note(m.notes, std::string(name) + " header longer than 64 KiB was cut");
    }
    return value;
}

std::string clip_id(const char* id) {
    std::string s = id == nullptr ? std::string() : std::string(text::trim(id));
    if (s.size() > k_max_id_bytes) {
        s.resize(k_max_id_bytes);
    }
    return text::repair_utf8(s);
}

std::vector<std::string> parse_ids(const std::string& raw) {
    std::vector<std::string> ids;
    if (raw.empty()) {
        return ids;
    }
    GMimeReferences* refs = g_mime_references_parse(detail::parser_options(), raw.c_str());
    if (refs == nullptr) {
        return ids;
    }
    int n = g_mime_references_length(refs);
    for (int i = 0; i < n; ++i) {
        std::string id = clip_id(g_mime_references_get_message_id(refs, i));
        if (!id.empty()) {
            ids.push_back(std::move(id));
        }
    }
    g_mime_references_free(refs);
    if (ids.size() > k_max_references) {
        ids.erase(ids.begin() + 1, ids.end() - static_cast<std::ptrdiff_t>(k_max_references - 1));
    }
    return ids;
}

// The first mailbox of an address list, looking into groups.
InternetAddressMailbox* first_mailbox(InternetAddressList* list, int depth = 0) {
    if (list == nullptr || depth > 4) {
        return nullptr;
    }
    int n = internet_address_list_length(list);
    for (int i = 0; i < n; ++i) {
        InternetAddress* ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            return INTERNET_ADDRESS_MAILBOX(ia);
        }
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            InternetAddressList* members =
                internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
            if (InternetAddressMailbox* mb = first_mailbox(members, depth + 1)) {
                return mb;
            }
        }
    }
    return nullptr;
}

// The display name of the From header's first mailbox, decoded from the raw header so that
// its charset is handled like the subject's: the phrase before '<', unquoted.
std::string raw_display_name(std::string_view raw_from) {
    size_t lt = raw_from.find('<');
    if (lt == std::string_view::npos) {
        return {};
    }
    std::string_view phrase = text::trim(raw_from.substr(0, lt));
    if (phrase.size() >= 2 && phrase.front() == '"' && phrase.back() == '"') {
        phrase = phrase.substr(1, phrase.size() - 2);
    }
    std::string unescaped;
    for (size_t i = 0; i < phrase.size(); ++i) {
        if (phrase[i] == '\\' && i + 1 < phrase.size()) {
            ++i;
        } else if (phrase[i] == '"') {
            continue;
        }
        unescaped += phrase[i];
    }
    return unescaped;
}

void read_from(GMimeMessage* message, Message& m, const std::string& hint, bool& replaced,
               std::string& note) {
    InternetAddressMailbox* mb = first_mailbox(g_mime_message_get_from(message));
    if (mb != nullptr) {
        const char* addr = internet_address_mailbox_get_addr(mb);
        m.from_address = text::repair_utf8(text::ascii_lower(addr == nullptr ? "" : addr));
    }
    std::string raw = unfold(raw_header(GMIME_OBJECT(message), "From", m));
    m.from_name = decode_header_text(raw_display_name(raw), hint, &replaced, &note);
    if (m.from_name.empty() && mb != nullptr) {
        const char* name = internet_address_get_name(INTERNET_ADDRESS(mb));
        m.from_name = text::repair_utf8(name == nullptr ? "" : name);
    }
    if (m.from_name == m.from_address) {
        m.from_name.clear();
    }
}

GMimeMessage* construct(std::string_view bytes) {
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    return g_mime_parser_construct_message(parser.get(), detail::parser_options());
}

}  // namespace

Message parse_message(std::string_view raw, const std::string& where) {
    detail::parser_options();  // initialises GMime
    if (raw.size() > k_max_message_bytes) {
        throw Error("message too large", where,
                    "it has " + std::to_string(raw.size()) + " bytes; at most " +
                        std::to_string(k_max_message_bytes) + " are read");
    }
    Message m;
    if (raw.starts_with("\xEF\xBB\xBF")) {
        raw.remove_prefix(3);
    }
    // An mbox From_ line left on a single message (only when a header follows it: "From now
    // on …" may be the first line of a message without headers).
    if (raw.starts_with("From ") && starts_with_header(skip_leading_line(raw))) {
        raw = skip_leading_line(raw);
    }
    if (raw.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        throw Error("empty message", where, "it has no headers and no text");
    }
    // Without a header line at the start, the whole input is the body: a blank line first
    // tells GMime that the (empty) header ends there.
    std::string headerless;
    if (!starts_with_header(raw)) {
        headerless.reserve(raw.size() + 1);
        headerless += '\n';
        headerless += raw;
        add_note(m.notes, "no headers");
    }
    GPtr<GMimeMessage> message(construct(headerless.empty() ? raw : headerless));
    if (!message) {
        throw Error("unreadable message", where, "GMime could not read its header");
    }

    std::string hint = detail::collect_body(message.get(), m);
    GMimeObject* obj = GMIME_OBJECT(message.get());

    bool replaced = false;
    std::string note;
    m.message_id = clip_id(g_mime_message_get_message_id(message.get()));
    std::vector<std::string> in_reply_to = parse_ids(raw_header(obj, "In-Reply-To", m));
    if (!in_reply_to.empty()) {
        m.in_reply_to = in_reply_to.front();
    }
    m.references = parse_ids(raw_header(obj, "References", m));
    if (GDateTime* date = g_mime_message_get_date(message.get())) {
        m.date = g_date_time_to_unix(date);
    } else if (!raw_header(obj, "Date", m).empty()) {
        add_note(m.notes, "unreadable Date header");
    }
    read_from(message.get(), m, hint, replaced, note);
    m.to = decode_header_text(raw_header(obj, "To", m), hint, &replaced, &note);
    m.subject = decode_header_text(raw_header(obj, "Subject", m), hint, &replaced, &note);
    m.subject_normalized = normalize_subject(m.subject);
    if (!note.empty()) {
        add_note(m.notes, note);
    }
    if (replaced) {
        add_note(m.notes, "undecodable bytes in a header replaced by U+FFFD");
    }
    m.body = strip_quoted(m.body_full);

    constexpr std::string_view k_replacement = "\xEF\xBF\xBD";
    m.had_replacement = m.had_replacement || replaced ||
                        m.subject.find(k_replacement) != std::string::npos ||
                        m.from_name.find(k_replacement) != std::string::npos ||
                        m.body_full.find(k_replacement) != std::string::npos;
    return m;
}

}  // namespace kefu::mail
