#include "core/mail/body.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "core/mail/charset.h"
#include "core/mail/gmime.h"
#include "core/mail/html.h"
#include "core/text.h"

namespace kefu::mail::detail {
namespace {

// Limits of message.h, kept in step with its file comment.
constexpr int k_max_depth = 32;
constexpr size_t k_max_parts = 1000;
constexpr size_t k_max_part_text_bytes = 1u << 20;
// Content is decoded in chunks of this size (on the stack).
constexpr size_t k_decode_chunk = 8 * 1024;
constexpr size_t k_max_body_bytes = 4u << 20;
// How far into an HTML part a <meta charset> is looked for.
constexpr size_t k_meta_charset_window = 4096;

bool is_blank(std::string_view bytes) {
    return bytes.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string lower_or_empty(const char* s) {
    return s == nullptr ? std::string() : text::ascii_lower(s);
}

// Cuts `bytes` to at most `cap`, at the last line end before it when there is one.
std::string_view cut_at_line(std::string_view bytes, size_t cap) {
    if (bytes.size() <= cap) {
        return bytes;
    }
    if (cap == 0) {
        return {};
    }
    size_t nl = bytes.rfind('\n', cap - 1);
    return bytes.substr(0, nl == std::string_view::npos || nl == 0 ? cap : nl + 1);
}

// The charset an HTML document declares in a <meta> tag, or "".
std::string meta_charset(std::string_view html) {
    std::string head = text::ascii_lower(html.substr(0, k_meta_charset_window));
    size_t pos = head.find("charset=");
    if (pos == std::string::npos) {
        return {};
    }
    pos += 8;
    while (pos < head.size() && (head[pos] == '"' || head[pos] == '\'' || head[pos] == ' ')) {
        ++pos;
    }
    size_t end = pos;
    while (end < head.size() && end - pos < 40 &&
           ((head[end] >= 'a' && head[end] <= 'z') || (head[end] >= '0' && head[end] <= '9') ||
            head[end] == '-' || head[end] == '_' || head[end] == '.' || head[end] == ':')) {
        ++end;
    }
    return head.substr(pos, end - pos);
}

// Decodes the transfer encoding of a part's content (base64, quoted-printable, uuencode, or
// none) with GMime's decoders, a chunk at a time, handing each decoded chunk to `sink` until it
// returns false. Reading the raw stream directly avoids the filter-stream objects of
// g_mime_data_wrapper_write_to_stream(), which cost more than the decoding of a short part.
template <typename Sink>
void decode_content(GMimePart* part, Sink sink) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    GMimeStream* raw = content == nullptr ? nullptr : g_mime_data_wrapper_get_stream(content);
    if (raw == nullptr) {
        return;
    }
    GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(content);
    bool transform = encoding == GMIME_CONTENT_ENCODING_BASE64 ||
                     encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
                     encoding == GMIME_CONTENT_ENCODING_UUENCODE;
    GMimeEncoding state;
    g_mime_encoding_init_decode(&state, encoding);
    // Decoding never makes data longer than the input plus a few bytes kept from the
    // previous chunk, which the margin covers (g_mime_encoding_outlen() says as much).
    std::array<char, k_decode_chunk> in;
    std::array<char, k_decode_chunk + 64> out;
    if (g_mime_encoding_outlen(&state, in.size()) > out.size()) {
        return;  // cannot happen for GMime's decoders; never write past `out`
    }
    g_mime_stream_reset(raw);
    while (true) {
        ssize_t n = g_mime_stream_read(raw, in.data(), in.size());
        if (n <= 0) {
            break;
        }
        auto len = static_cast<size_t>(n);
        if (!transform) {
            if (!sink(std::string_view(in.data(), len))) {
                return;
            }
            continue;
        }
        size_t produced = g_mime_encoding_step(&state, in.data(), len, out.data());
        if (!sink(std::string_view(out.data(), produced))) {
            return;
        }
    }
    if (transform) {
        size_t produced = g_mime_encoding_flush(&state, in.data(), 0, out.data());
        sink(std::string_view(out.data(), produced));
    }
}

bool is_inline_media(std::string_view type) {
    return type.starts_with("image/") || type.starts_with("audio/") || type.starts_with("video/");
}

// A text part of the body, not yet decoded: only the parts that end up in the text are.
struct BodyPart {
    GMimePart* part;  // owned by the message
    bool html;
};

using PartList = std::vector<BodyPart>;

// The text body and attachments by the algorithm of RFC 8621 (JMAP) section 4.1.4, which
// says which parts of a MIME tree a mail client shows as text: in an alternative the
// text/plain parts, else the HTML ones; in related only the root; a text part with a file
// name that is not first in its multipart is an attachment. kefu differs in two places: the
// signature of multipart/signed is skipped, and inline images, audio and video count as
// attachments (kefu keeps no binary content).
class Collector {
public:
    explicit Collector(Message& m) : m_message(m) {}

    void run(GMimeObject* root, PartList& text, PartList& html) {
        if (root != nullptr) {
            parse({root}, "mixed", false, &text, &html, 0);
        }
    }

    const std::string& first_charset() const { return m_first_charset; }

private:
    void parse(const std::vector<GMimeObject*>& parts, const std::string& multipart_type,
               bool in_alternative, PartList* text, PartList* html, int depth) {
        size_t text_length = text == nullptr ? 0 : text->size();
        size_t html_length = html == nullptr ? 0 : html->size();
        for (size_t i = 0; i < parts.size(); ++i) {
            GMimeObject* part = parts[i];
            if (++m_parts > k_max_parts) {
                add_note(m_message.notes, "more than 1000 MIME parts; the rest were not read");
                return;
            }
            GMimeContentType* ct = g_mime_object_get_content_type(part);
            std::string type =
                lower_or_empty(ct == nullptr ? nullptr : g_mime_content_type_get_media_type(ct));
            std::string subtype =
                lower_or_empty(ct == nullptr ? nullptr : g_mime_content_type_get_media_subtype(ct));
            std::string mime_type = type + "/" + subtype;
            if (GMIME_IS_MULTIPART(part)) {
                if (depth >= k_max_depth) {
                    add_note(m_message.notes, "MIME parts nested too deep were not read");
                    continue;
                }
                if (GMIME_IS_MULTIPART_ENCRYPTED(part)) {
                    add_note(m_message.notes, "encrypted part not read");
                    continue;
                }
                std::vector<GMimeObject*> children;
                GMimeMultipart* mp = GMIME_MULTIPART(part);
                int count = g_mime_multipart_get_count(mp);
                // Of a signed part only the content: the signature is nothing a person wrote.
                if (GMIME_IS_MULTIPART_SIGNED(part)) {
                    count = std::min(count, 1);
                }
                for (int k = 0; k < count; ++k) {
                    children.push_back(g_mime_multipart_get_part(mp, k));
                }
                parse(children, subtype, in_alternative || subtype == "alternative", text, html,
                      depth + 1);
                continue;
            }
            bool is_text = mime_type == "text/plain" || mime_type == "text/html";
            GMimeContentDisposition* disp = g_mime_object_get_content_disposition(part);
            bool attachment = disp != nullptr && g_mime_content_disposition_is_attachment(disp);
            const char* filename =
                GMIME_IS_PART(part) ? g_mime_part_get_filename(GMIME_PART(part)) : nullptr;
            bool named = filename != nullptr && filename[0] != '\0';
            bool is_inline =
                !attachment && (is_text || is_inline_media(mime_type)) &&
                (i == 0 || (multipart_type != "related" && (is_inline_media(mime_type) || !named)));
            if (!is_inline || !is_text || !GMIME_IS_PART(part)) {
                add_attachment(part, mime_type, named ? filename : "");
                continue;
            }
            BodyPart body{GMIME_PART(part), subtype == "html"};
            note_charset(part);
            if (multipart_type == "alternative") {
                PartList* list = body.html ? html : text;
                if (list != nullptr) {
                    list->push_back(body);
                }
                continue;
            }
            // Inside an alternative, a plain part makes the rest of this multipart plain-only
            // and an HTML part HTML-only (as in RFC 8621, for the remaining parts here).
            if (in_alternative) {
                (body.html ? text : html) = nullptr;
            }
            if (text != nullptr) {
                text->push_back(body);
            }
            if (html != nullptr) {
                html->push_back(body);
            }
        }
        if (multipart_type == "alternative" && text != nullptr && html != nullptr) {
            if (text_length == text->size() && html_length != html->size()) {
                // HTML only: it is the text too.
                text->insert(text->end(), html->begin() + static_cast<std::ptrdiff_t>(html_length),
                             html->end());
            } else if (html_length == html->size() && text_length != text->size()) {
                html->insert(html->end(), text->begin() + static_cast<std::ptrdiff_t>(text_length),
                             text->end());
            }
        }
    }

    void note_charset(GMimeObject* part) {
        if (m_first_charset.empty()) {
            const char* label = g_mime_object_get_content_type_parameter(part, "charset");
            m_first_charset = label == nullptr ? "" : label;
        }
    }

    void add_attachment(GMimeObject* part, const std::string& mime_type, const char* name) {
        Attachment a;
        a.content_type = mime_type;
        a.name = name;
        if (GMIME_IS_PART(part)) {
            decode_content(GMIME_PART(part), [&](std::string_view chunk) {
                a.size += chunk.size();
                return true;
            });
        } else if (GMIME_IS_MESSAGE_PART(part)) {
            const char* n = g_mime_object_get_content_disposition_parameter(part, "filename");
            if (n == nullptr) {
                n = g_mime_object_get_content_type_parameter(part, "name");
            }
            a.name = n == nullptr ? "" : n;
            GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
            if (inner != nullptr) {
                GPtr<GMimeStream> counter(g_mime_stream_null_new());
                g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, counter.get());
                a.size = GMIME_STREAM_NULL(counter.get())->written;
            }
        }
        a.name = text::repair_utf8(a.name);
        m_message.attachments.push_back(std::move(a));
    }

    Message& m_message;
    std::string m_first_charset;
    size_t m_parts = 0;
};

// The decoded text of one body part, its oddities noted in `m`.
std::string part_text(const BodyPart& body, Message& m) {
    std::string decoded;
    decode_content(body.part, [&](std::string_view chunk) {
        decoded += chunk;
        return decoded.size() <= k_max_part_text_bytes;  // no need to read further
    });
    std::string_view bytes = decoded;
    if (bytes.size() > k_max_part_text_bytes) {
        bytes = cut_at_line(bytes, k_max_part_text_bytes);
        add_note(m.notes, "text part longer than 1 MiB was cut");
    }
    const char* label_c =
        g_mime_object_get_content_type_parameter(GMIME_OBJECT(body.part), "charset");
    std::string label = label_c == nullptr ? std::string() : std::string(label_c);
    if (label.empty() && body.html) {
        label = meta_charset(bytes);
    }
    Decoded d = decode_charset(bytes, label);
    if (d.replaced) {
        m.had_replacement = true;
        add_note(m.notes,
                 "undecodable bytes in the body replaced by U+FFFD (read as " + d.charset + ")");
    }
    if (d.damaged) {
        add_note(m.notes,
                 "the text already held replacement characters (U+FFFD bytes) when it "
                 "was sent; read as " +
                     d.charset);
    }
    if (!d.replaced && (d.relabelled || d.widened)) {
        add_note(m.notes, "charset " +
                              (label.empty() ? std::string("(none)") : text::ascii_lower(label)) +
                              " read as " + d.charset);
    }
    // NUL is never text; it would cut the body short wherever C strings are used.
    d.text.erase(std::remove(d.text.begin(), d.text.end(), '\0'), d.text.end());
    if (!body.html) {
        return std::move(d.text);
    }
    m.body_from_html = true;
    return html_to_text(d.text);
}

std::string join_parts(const PartList& parts, Message& m) {
    std::string body;
    for (const BodyPart& p : parts) {
        std::string piece = part_text(p, m);
        if (piece.empty()) {
            continue;
        }
        if (!body.empty() && body.back() != '\n') {
            body += '\n';
        }
        if (body.size() + piece.size() > k_max_body_bytes) {
            body += cut_at_line(piece, k_max_body_bytes - body.size());
            add_note(m.notes, "body longer than 4 MiB was cut");
            break;
        }
        body += piece;
    }
    return body;
}

}  // namespace

std::string collect_body(GMimeMessage* message, Message& m) {
    Collector c(m);
    PartList text;
    PartList html;
    c.run(g_mime_message_get_mime_part(message), text, html);
    std::string body = join_parts(text, m);
    // An empty text/plain alternative next to a real HTML one: the HTML is the text.
    if (is_blank(body) && !html.empty()) {
        bool html_differs = html.size() != text.size();
        for (size_t i = 0; !html_differs && i < html.size(); ++i) {
            html_differs = html[i].part != text[i].part;
        }
        if (html_differs) {
            m.body_from_html = false;
            body = join_parts(html, m);
        }
    }
    // Stored text uses "\n" line ends and has no blank lines or white space at either end.
    std::string normalized = text::unix_newlines(std::move(body));
    while (!normalized.empty() &&
           (normalized.back() == '\n' || normalized.back() == ' ' || normalized.back() == '\t')) {
        normalized.pop_back();
    }
    size_t first = 0;
    for (size_t i = 0; i < normalized.size(); ++i) {
        if (normalized[i] == '\n') {
            first = i + 1;
        } else if (normalized[i] != ' ' && normalized[i] != '\t') {
            break;
        }
    }
    normalized.erase(0, first);
    m.body_full = std::move(normalized);
    return c.first_charset();
}

}  // namespace kefu::mail::detail
