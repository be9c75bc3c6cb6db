#include "core/export/export.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/privacy.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::exporting {
namespace {

constexpr size_t k_flush_bytes = 1 << 16;

struct ReplyRow {
    TimePoint sent_at = 0;
    std::string template_id;
    std::string language;
    std::string text;
    std::string source;
};

// Rows of a side table (tags, replies) ordered by inquiry id, read alongside the inquiries,
// which come in id order too: a merge join, so that nothing is held beyond one inquiry's rows.
class SideCursor {
public:
    SideCursor(Store& store, const char* sql) : m_q(store.db(), sql) {}
    // Positions on the first row of inquiry `id` or later; true when a row of `id` is there.
    bool seek(int64_t id) {
        if (!m_started) {
            m_q.bind(1, id);
            m_started = true;
            m_valid = m_q.executeStep();
        }
        while (m_valid && m_q.getColumn(0).getInt64() < id) {
            m_valid = m_q.executeStep();
        }
        return m_valid && m_q.getColumn(0).getInt64() == id;
    }
    SQLite::Statement& row() { return m_q; }
    void next() { m_valid = m_q.executeStep(); }

private:
    SQLite::Statement m_q;
    bool m_started = false;
    bool m_valid = false;
};

bool plain_number(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    size_t digits = 0;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c != '+' && c != '-' && c != '.' && c != ' ' && c != '(' && c != ')') {
            return false;
        }
    }
    return digits > 0;
}

std::string reply_line(const ReplyRow& r) {
    std::string who = r.template_id.empty() ? r.source : r.template_id;
    return fmt::format("{} ({}): {}", timeutil::format_local(r.sent_at), who, r.text);
}

const char* k_headers[] = {
    "id",         "received_at", "channel", "customer",    "contact",   "order_id",    "product",
    "goods_kind", "subject",     "body",    "status",      "category",  "tags",        "priority",
    "level",      "language",    "kefu_id", "customer_id", "thread_id", "reply_count", "replies"};

}  // namespace

std::string csv_field(std::string_view value, bool excel) {
    std::string v = text::repair_utf8(value);
    if (excel && !v.empty() &&
        (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
         v[0] == '\r') &&
        !plain_number(v)) {
        v.insert(v.begin(), '\'');
    }
    bool quote = v.find_first_of(",\"\r\n") != std::string::npos ||
                 (!v.empty() && (v.front() == ' ' || v.back() == ' '));
    if (!quote) {
        return v;
    }
    std::string out = "\"";
    for (char c : v) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    out += '"';
    return out;
}

uint64_t export_inquiries(Store& store, const Options& o, std::ostream& out) {
    // The inquiries in rowid order with the filters applied row by row: "+received_at" keeps
    // SQLite from reading them through the time index and sorting them (which would hold
    // the whole result in a temporary table).
    std::string where = "i.flags & 2 = 0";
    if (o.since) {
        where += " AND +i.received_at >= :since";
    }
    if (o.until) {
        where += " AND +i.received_at <= :until";
    }
    if (!o.statuses.empty()) {
        std::string in;
        for (Status s : o.statuses) {
            in +=
                (in.empty() ? "" : ", ") + std::to_string(static_cast<int>(s));  // enum values only
        }
        where += " AND i.status IN (" + in + ")";
    }
    if (o.category) {
        where += " AND +i.category = :category";
    }
    SQLite::Statement q(
        store.db(),
        "SELECT i.id, i.external_id, i.received_at, i.channel, coalesce(c.name, ''), "
        "coalesce(i.customer_id, 0), i.contact, i.order_id, i.product, i.goods_kind, i.subject, "
        "i.body, i.status, i.category, i.priority_static, i.language, i.thread_id, "
        "i.first_response_at, i.snooze_until FROM inquiry i "
        "LEFT JOIN customer c ON c.id = i.customer_id WHERE " +
            where + " ORDER BY i.id");
    if (o.since) {
        q.bind(":since", *o.since);
    }
    if (o.until) {
        q.bind(":until", *o.until);
    }
    if (o.category) {
        q.bind(":category", static_cast<int>(*o.category));
    }
    SideCursor tags(store,
                    "SELECT inquiry_id, name FROM tag WHERE inquiry_id >= ? AND source <> 2 "
                    "ORDER BY inquiry_id, name");
    SideCursor replies(store,
                       "SELECT inquiry_id, sent_at, template_id, language, text, source FROM reply "
                       "WHERE inquiry_id >= ? ORDER BY inquiry_id, id");

    const char* eol = o.excel ? "\r\n" : "\n";
    std::string buf;
    auto flush = [&](bool force) {
        if (force || buf.size() >= k_flush_bytes) {
            out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
            buf.clear();
        }
    };
    if (o.format == Format::Csv) {
        if (o.excel) {
            buf += "\xEF\xBB\xBF";
        }
        for (size_t k = 0; k < std::size(k_headers); ++k) {
            std::string h = k_headers[k];
            if (h == "contact" && o.mask) {
                h = "contact (masked)";
            }
            buf += (k == 0 ? "" : ",") + h;
        }
        buf += eol;
    } else if (o.format == Format::Json) {
        buf += "[";
    }

    uint64_t n = 0;
    std::vector<std::string> tag_names;
    std::vector<ReplyRow> reps;
    while (q.executeStep()) {
        Inquiry r;
        r.id = q.getColumn(0).getInt64();
        r.external_id = q.getColumn(1).getString();
        r.received_at = q.getColumn(2).getInt64();
        r.channel = q.getColumn(3).getString();
        r.customer = q.getColumn(4).getString();
        r.customer_id = q.getColumn(5).getInt64();
        r.contact = q.getColumn(6).getString();
        r.order_id = q.getColumn(7).getString();
        r.product = q.getColumn(8).getString();
        r.goods_kind = static_cast<GoodsKind>(q.getColumn(9).getInt());
        r.subject = q.getColumn(10).getString();
        r.body = q.getColumn(11).getString();
        r.status = static_cast<Status>(q.getColumn(12).getInt());
        r.category = static_cast<Category>(q.getColumn(13).getInt());
        r.priority_static = q.getColumn(14).getDouble();
        r.language = q.getColumn(15).getString();
        r.thread_id = q.getColumn(16).getInt64();
        if (!q.getColumn(17).isNull()) {
            r.first_response_at = q.getColumn(17).getInt64();
        }
        if (!q.getColumn(18).isNull()) {
            r.snooze_until = q.getColumn(18).getInt64();
        }
        r.priority = r.priority_static + (o.model.age ? o.model.age(r, o.now) : 0.0);
        r.level = o.model.level ? o.model.level(r.priority) : "";
        tag_names.clear();
        if (tags.seek(r.id)) {
            do {
                tag_names.push_back(tags.row().getColumn(1).getString());
                tags.next();
            } while (tags.seek(r.id));
        }
        reps.clear();
        if (replies.seek(r.id)) {
            do {
                auto& row = replies.row();
                reps.push_back({row.getColumn(1).getInt64(), row.getColumn(2).getString(),
                                row.getColumn(3).getString(), row.getColumn(4).getString(),
                                row.getColumn(5).getString()});
                replies.next();
            } while (replies.seek(r.id));
        }
        std::string contact = o.mask ? mask_contact(r.contact) : r.contact;
        double priority = std::round(r.priority * 10) / 10;

        if (o.format == Format::Csv) {
            std::string tags_joined;
            for (const auto& t : tag_names) {
                tags_joined += (tags_joined.empty() ? "" : ",") + t;
            }
            std::string replies_joined;
            for (const auto& rep : reps) {
                replies_joined += (replies_joined.empty() ? "" : "\n\n") + reply_line(rep);
            }
            std::string fields[] = {r.external_id,
                                    timeutil::format_iso(r.received_at),
                                    r.channel,
                                    r.customer,
                                    contact,
                                    r.order_id,
                                    r.product,
                                    std::string(to_string(r.goods_kind)),
                                    r.subject,
                                    r.body,
                                    std::string(to_string(r.status)),
                                    std::string(to_string(r.category)),
                                    tags_joined,
                                    fmt::format("{:.1f}", priority),
                                    r.level,
                                    r.language,
                                    std::to_string(r.id),
                                    std::to_string(r.customer_id),
                                    std::to_string(r.thread_id),
                                    std::to_string(reps.size()),
                                    replies_joined};
            for (size_t k = 0; k < std::size(fields); ++k) {
                if (k > 0) {
                    buf += ',';
                }
                buf += csv_field(fields[k], o.excel);
            }
            buf += eol;
        } else {
            nlohmann::ordered_json j;
            j["id"] = r.id;
            j["external_id"] = r.external_id;
            j["received_at"] = timeutil::format_iso(r.received_at);
            j["channel"] = r.channel;
            j["customer"] = r.customer;
            j["customer_id"] = r.customer_id;
            j["contact"] = contact;
            j["order_id"] = r.order_id;
            j["product"] = r.product;
            j["goods_kind"] = std::string(to_string(r.goods_kind));
            j["subject"] = r.subject;
            j["body"] = r.body;
            j["status"] = std::string(to_string(r.status));
            j["category"] = std::string(to_string(r.category));
            j["tags"] = tag_names;
            j["priority"] = priority;
            j["level"] = r.level;
            j["language"] = r.language;
            j["thread_id"] = r.thread_id;
            nlohmann::ordered_json rj = nlohmann::ordered_json::array();
            for (const auto& rep : reps) {
                rj.push_back({{"sent_at", timeutil::format_iso(rep.sent_at)},
                              {"template", rep.template_id},
                              {"language", rep.language},
                              {"source", rep.source},
                              {"text", rep.text}});
            }
            j["replies"] = rj;
            std::string line =
                j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
            if (o.format == Format::Json) {
                buf += n == 0 ? "\n" : ",\n";
            }
            buf += line;
            if (o.format == Format::Jsonl) {
                buf += '\n';
            }
        }
        ++n;
        flush(false);
    }
    if (o.format == Format::Json) {
        buf += n == 0 ? "]\n" : "\n]\n";
    }
    flush(true);
    out.flush();
    return n;
}

}  // namespace kefu::exporting
