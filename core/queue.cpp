#include "core/queue.h"

#include <fmt/format.h>
#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <optional>
#include <queue>
#include <variant>

#include "core/error.h"
#include "core/store/customers.h"
#include "core/store/fts.h"
#include "core/text.h"

namespace kefu {
namespace {

// Columns read for an Inquiry, in the order read_inquiry() expects; `i` is the inquiry,
// `c` its customer.
constexpr const char* k_columns =
    "i.id, i.source, i.external_id, i.received_at, i.channel, coalesce(i.customer_id, 0), "
    "coalesce(c.name, ''), i.contact, i.order_id, i.product, i.goods_kind, i.subject, i.body, "
    "i.body_full, i.thread_id, i.status, i.category, i.priority_static, i.language, i.flags, "
    "i.snooze_until, i.first_response_at, "
    "(SELECT group_concat(name, ',') FROM (SELECT name FROM tag t WHERE t.inquiry_id = i.id "
    "AND t.source <> 2 ORDER BY name))";

Inquiry read_inquiry(SQLite::Statement& q) {
    Inquiry r;
    r.id = q.getColumn(0).getInt64();
    r.source = q.getColumn(1).getString();
    r.external_id = q.getColumn(2).getString();
    r.received_at = q.getColumn(3).getInt64();
    r.channel = q.getColumn(4).getString();
    r.customer_id = q.getColumn(5).getInt64();
    r.customer = q.getColumn(6).getString();
    r.contact = q.getColumn(7).getString();
    r.order_id = q.getColumn(8).getString();
    r.product = q.getColumn(9).getString();
    r.goods_kind = static_cast<GoodsKind>(q.getColumn(10).getInt());
    r.subject = q.getColumn(11).getString();
    r.body = q.getColumn(12).getString();
    r.body_full = q.getColumn(13).getString();
    r.thread_id = q.getColumn(14).getInt64();
    r.status = static_cast<Status>(q.getColumn(15).getInt());
    r.category = static_cast<Category>(q.getColumn(16).getInt());
    r.priority_static = q.getColumn(17).getDouble();
    r.priority = r.priority_static;
    r.language = q.getColumn(18).getString();
    r.flags = q.getColumn(19).getInt64();
    if (!q.getColumn(20).isNull()) {
        r.snooze_until = q.getColumn(20).getInt64();
    }
    if (!q.getColumn(21).isNull()) {
        r.first_response_at = q.getColumn(21).getInt64();
    }
    std::string tags = q.getColumn(22).isNull() ? "" : q.getColumn(22).getString();
    if (!tags.empty()) {
        for (auto t : text::split(tags, ',')) {
            r.tags.emplace_back(t);
        }
    }
    return r;
}

void apply_model(Inquiry& r, const PriorityModel& model, TimePoint now) {
    r.priority = r.priority_static + (model.age ? model.age(r, now) : 0.0);
    r.level = model.level ? model.level(r.priority) : "";
}

// One inquiry by id, with the columns read_inquiry() reads.
std::string by_id_sql() {
    return fmt::format("SELECT {} FROM inquiry i LEFT JOIN customer c ON c.id = i.customer_id "
                       "WHERE i.id = ?",
                       k_columns);
}

// Binds values in order to the "?" placeholders a query was built with.
struct Binder {
    std::vector<std::variant<int64_t, double, std::string>> values;
    void bind(SQLite::Statement& q) const {
        int i = 1;
        for (const auto& v : values) {
            std::visit([&](const auto& x) { q.bind(i, x); }, v);
            ++i;
        }
    }
};

}  // namespace

bool visit_queue(Store& store, const QueueFilter& f, const PriorityModel& model, TimePoint now,
                 const std::function<void(const Inquiry&)>& visit) {
    if (f.customer_given && f.customer_ids.empty()) {
        return false;
    }
    std::vector<Status> statuses = f.statuses;
    if (statuses.empty()) {
        statuses = {Status::New, Status::Open};
    }
    bool all_active = std::all_of(statuses.begin(), statuses.end(), [](Status s) {
        return s == Status::New || s == Status::Open || s == Status::Waiting;
    });
    std::string where = "i.is_head = 1 AND i.flags & 2 = 0";
    Binder b;
    std::string in_list;
    for (Status s : statuses) {
        in_list += (in_list.empty() ? "" : ", ") + std::to_string(static_cast<int>(s));
    }
    where += " AND i.status IN (" + in_list + ")";  // enum values, never user text
    if (all_active) {
        where += " AND i.status < 3";  // lets SQLite read the queue index in priority order
    }
    if (!f.include_snoozed) {
        where += " AND (i.snooze_until IS NULL OR i.snooze_until <= ?)";
        b.values.emplace_back(now);
    }
    if (f.category) {
        where += " AND i.category = ?";
        b.values.emplace_back(static_cast<int64_t>(*f.category));
    }
    if (!f.tag.empty()) {
        // A conversation has a tag when any of its messages has it (not only the latest).
        where += " AND EXISTS (SELECT 1 FROM inquiry m JOIN tag t ON t.inquiry_id = m.id WHERE "
                 "m.thread_id = i.thread_id AND t.name = ? AND t.source <> 2)";
        b.values.emplace_back(f.tag);
    }
    if (!f.customer_ids.empty()) {
        std::string ids;
        for (int64_t id : f.customer_ids) {
            ids += (ids.empty() ? "?" : ", ?");
            b.values.emplace_back(id);
        }
        where += " AND i.customer_id IN (" + ids + ")";
    }
    if (f.since) {
        where += " AND i.received_at >= ?";
        b.values.emplace_back(*f.since);
    }
    if (f.until) {
        where += " AND i.received_at <= ?";
        b.values.emplace_back(*f.until);
    }
    if (f.due_only) {
        where += " AND EXISTS (SELECT 1 FROM followup fu JOIN inquiry m ON m.id = fu.inquiry_id "
                 "WHERE m.thread_id = i.thread_id AND fu.done_at IS NULL AND fu.due_at <= ?)";
        b.values.emplace_back(now);
    }
    std::string order;
    switch (f.sort) {
        case QueueSort::Priority:
            order = "i.priority_static DESC, i.received_at ASC";
            break;
        case QueueSort::Received:
            order = "i.received_at DESC, i.id DESC";
            break;
        case QueueSort::Due:
            // The next follow-up first; threads without one after them, most urgent first.
            order = "coalesce((SELECT min(fu.due_at) FROM followup fu JOIN inquiry m ON m.id = fu.inquiry_id "
                    "WHERE m.thread_id = i.thread_id AND fu.done_at IS NULL), 9223372036854775807) ASC, "
                    "i.priority_static DESC, i.received_at ASC, i.id";
            break;
    }
    std::string sql = fmt::format("SELECT {} FROM inquiry i LEFT JOIN customer c ON c.id = i.customer_id "
                                  "WHERE {} ORDER BY {}",
                                  k_columns, where, order);
    SQLite::Statement q(store.db(), sql);
    b.bind(q);

    size_t limit = f.limit == 0 ? SIZE_MAX : f.limit;
    bool want_level = !f.level.empty();
    auto keep = [&](Inquiry& r) {
        apply_model(r, model, now);
        return !want_level || r.level == f.level;
    };
    if (f.sort != QueueSort::Priority) {
        size_t shown = 0;
        while (q.executeStep()) {
            Inquiry r = read_inquiry(q);
            if (!keep(r)) {
                continue;
            }
            if (shown == limit) {
                return true;
            }
            visit(r);
            ++shown;
        }
        return false;
    }
    if (limit == SIZE_MAX) {
        // Every row, in order of its total priority (stored part plus age): the order is found
        // from the priorities alone, then each row is read again. Both reads see one snapshot.
        std::optional<SQLite::Transaction> snapshot;
        if (sqlite3_get_autocommit(store.db().getHandle()) != 0) {
            snapshot.emplace(store.db(), SQLite::TransactionBehavior::DEFERRED);
        }
        struct Key {
            double priority;
            TimePoint received_at;
            int64_t id;
        };
        std::vector<Key> keys;
        while (q.executeStep()) {
            Inquiry r = read_inquiry(q);
            if (keep(r)) {
                keys.push_back({r.priority, r.received_at, r.id});
            }
        }
        // Stable: rows that tie keep the query's order (stored priority, then received).
        std::stable_sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
            return x.priority != y.priority ? x.priority > y.priority : x.received_at < y.received_at;
        });
        SQLite::Statement one(store.db(), by_id_sql());
        for (const Key& k : keys) {
            one.reset();
            one.bind(1, k.id);
            if (one.executeStep()) {
                Inquiry r = read_inquiry(one);
                apply_model(r, model, now);
                visit(r);
            }
        }
        one.reset();
        q.reset();
        if (snapshot) {
            snapshot->commit();  // read only: ends the snapshot
        }
        return false;
    }
    // Rows come in order of their stored priority; the age term adds at most max_age. Once
    // the limit-th best total beats what any further row could reach, the rest can be left.
    auto worse = [](const Inquiry& a, const Inquiry& b2) {
        if (a.priority != b2.priority) {
            return a.priority > b2.priority;
        }
        return a.received_at < b2.received_at;
    };
    std::priority_queue<Inquiry, std::vector<Inquiry>, decltype(worse)> best(worse);
    bool more = false;
    while (q.executeStep()) {
        double stored = q.getColumn(17).getDouble();
        if (best.size() >= limit) {
            // No later row can beat the limit-th best: its total is at most stored + max_age,
            // and on a tie with the same stored part it was received later (rows come in
            // stored-priority, then received order), which ranks it lower.
            const Inquiry& kth = best.top();
            double reach = stored + model.max_age;
            if (reach < kth.priority ||
                (reach == kth.priority && stored == kth.priority_static &&
                 q.getColumn(3).getInt64() >= kth.received_at)) {
                more = true;
                break;
            }
        }
        Inquiry r = read_inquiry(q);
        if (!keep(r)) {
            continue;
        }
        best.push(std::move(r));
        if (best.size() > limit) {
            best.pop();
            more = true;
        }
    }
    std::vector<Inquiry> ordered;
    ordered.reserve(best.size());
    while (!best.empty()) {
        ordered.push_back(best.top());
        best.pop();
    }
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
        visit(*it);
    }
    return more;
}

QueuePage list_queue(Store& store, const QueueFilter& f, const PriorityModel& model, TimePoint now) {
    QueuePage page;
    page.more = visit_queue(store, f, model, now, [&](const Inquiry& r) { page.items.push_back(r); });
    return page;
}

std::optional<Inquiry> get_inquiry(Store& store, int64_t id, const PriorityModel& model, TimePoint now) {
    SQLite::Statement q(store.db(), by_id_sql());
    q.bind(1, id);
    if (!q.executeStep()) {
        return std::nullopt;
    }
    Inquiry r = read_inquiry(q);
    apply_model(r, model, now);
    return r;
}

std::vector<Attachment> inquiry_attachments(Store& store, int64_t id) {
    // inquiry.attachments: a JSON array of {name, type, size} (core/import/mail_import.cpp).
    SQLite::Statement q(store.db(), "SELECT attachments FROM inquiry WHERE id = ?");
    q.bind(1, id);
    std::vector<Attachment> out;
    if (!q.executeStep() || q.getColumn(0).isNull()) {
        return out;
    }
    auto list = nlohmann::json::parse(q.getColumn(0).getString(), nullptr, false);
    if (!list.is_array()) {
        return out;
    }
    for (const auto& a : list) {
        if (!a.is_object()) {
            continue;
        }
        Attachment info;
        if (auto n = a.find("name"); n != a.end() && n->is_string()) {
            info.name = n->get<std::string>();
        }
        if (auto t = a.find("type"); t != a.end() && t->is_string()) {
            info.type = t->get<std::string>();
        }
        if (auto z = a.find("size"); z != a.end() && z->is_number_integer()) {
            info.size = z->get<int64_t>();
        }
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<Inquiry> thread_messages(Store& store, int64_t thread_id) {
    SQLite::Statement q(store.db(), fmt::format("SELECT {} FROM inquiry i LEFT JOIN customer c ON "
                                                "c.id = i.customer_id WHERE i.thread_id = ? "
                                                "ORDER BY i.received_at, i.id",
                                                k_columns));
    q.bind(1, thread_id);
    std::vector<Inquiry> out;
    while (q.executeStep()) {
        out.push_back(read_inquiry(q));
    }
    return out;
}

std::vector<int64_t> find_customers(Store& store, const std::string& who_raw) {
    std::string who(text::trim(who_raw));
    std::vector<int64_t> ids;
    if (who.empty()) {
        return ids;
    }
    if (std::all_of(who.begin(), who.end(), [](char c) { return c >= '0' && c <= '9'; }) && who.size() < 7) {
        SQLite::Statement q(store.db(), "SELECT id FROM customer WHERE id = ?");
        q.bind(1, static_cast<int64_t>(std::stoll(who)));
        if (q.executeStep()) {
            ids.push_back(q.getColumn(0).getInt64());
            return ids;
        }
    }
    auto add_from = [&](SQLite::Statement& q) {
        while (q.executeStep()) {
            int64_t id = q.getColumn(0).getInt64();
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
                ids.push_back(id);
            }
        }
    };
    if (std::string e = normalize_email(who); !e.empty()) {
        SQLite::Statement q(store.db(), "SELECT customer_id FROM identity WHERE kind = 1 AND value = ?");
        q.bind(1, e);
        add_from(q);
    }
    if (std::string p = normalize_phone(who); !p.empty()) {
        SQLite::Statement q(store.db(), "SELECT customer_id FROM identity WHERE kind = 2 AND value = ?");
        q.bind(1, p);
        add_from(q);
    }
    if (ids.empty()) {
        SQLite::Statement q(store.db(),
                            "SELECT customer_id FROM identity WHERE kind = 3 AND value = ? "
                            "UNION SELECT id FROM customer WHERE name = ?");
        q.bind(1, who);
        q.bind(2, who);
        add_from(q);
    }
    return ids;
}

constexpr size_t k_count_cap = 1000;

std::vector<SearchHit> search(Store& store, const std::string& query, size_t limit, size_t* total) {
    std::string match = fts::build_match_query(query);
    if (match.empty()) {
        throw usage_error("nothing to search for", fmt::format("\"{}\" has no letters, digits or CJK characters", query));
    }
    if (total != nullptr) {
        // Counting every match of a common word would read them all: count up to a cap.
        SQLite::Statement c(store.db(),
                            "SELECT count(*) FROM (SELECT 1 FROM inquiry_fts WHERE inquiry_fts MATCH ? "
                            "LIMIT ?)");
        c.bind(1, match);
        c.bind(2, static_cast<int64_t>(k_count_cap + 1));
        c.executeStep();
        *total = static_cast<size_t>(c.getColumn(0).getInt64());
    }
    SQLite::Statement q(store.db(),
                        fmt::format("SELECT {}, snippet(inquiry_fts, -1, '[', ']', '…', 16) FROM "
                                    "inquiry_fts f JOIN inquiry i ON i.id = f.rowid LEFT JOIN customer c "
                                    "ON c.id = i.customer_id WHERE inquiry_fts MATCH ? AND i.flags & 2 = 0 "
                                    "ORDER BY f.rowid DESC LIMIT ?",
                                    k_columns));
    q.bind(1, match);
    q.bind(2, static_cast<int64_t>(limit == 0 ? INT64_MAX : static_cast<int64_t>(limit)));
    std::vector<SearchHit> hits;
    while (q.executeStep()) {
        SearchHit h;
        h.inquiry = read_inquiry(q);
        h.snippet = q.getColumn(23).getString();
        hits.push_back(std::move(h));
    }
    return hits;
}

std::vector<HistoryEntry> history(Store& store, int64_t inquiry_id) {
    std::vector<HistoryEntry> out;
    SQLite::Statement imp(store.db(),
                          "SELECT coalesce(im.started_at, i.updated_at), i.source, coalesce(im.id, 0) "
                          "FROM inquiry i LEFT JOIN import im ON im.id = i.import_id WHERE i.id = ?");
    imp.bind(1, inquiry_id);
    if (imp.executeStep()) {
        out.push_back({imp.getColumn(0).getInt64(), "imported",
                       fmt::format("from {} (import #{})", imp.getColumn(1).getString(), imp.getColumn(2).getInt64())});
    }
    SQLite::Statement ev(store.db(), "SELECT at, kind, detail FROM event WHERE inquiry_id = ? ORDER BY at, id");
    ev.bind(1, inquiry_id);
    while (ev.executeStep()) {
        out.push_back({ev.getColumn(0).getInt64(), ev.getColumn(1).getString(), ev.getColumn(2).getString()});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
}

std::vector<ReplyRecord> thread_replies(Store& store, int64_t thread_id) {
    SQLite::Statement q(store.db(),
                        "SELECT r.id, r.inquiry_id, r.template_id, r.language, r.text, r.sent_at, r.source "
                        "FROM reply r JOIN inquiry i ON i.id = r.inquiry_id WHERE i.thread_id = ? "
                        "ORDER BY r.sent_at, r.id");
    q.bind(1, thread_id);
    std::vector<ReplyRecord> out;
    while (q.executeStep()) {
        out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                       q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
                       q.getColumn(6).getString()});
    }
    return out;
}

std::vector<FollowupRecord> thread_followups(Store& store, int64_t thread_id) {
    SQLite::Statement q(store.db(),
                        "SELECT f.id, f.inquiry_id, f.due_at, f.note, f.created_at, f.done_at FROM followup f "
                        "JOIN inquiry i ON i.id = f.inquiry_id WHERE i.thread_id = ? ORDER BY f.due_at, f.id");
    q.bind(1, thread_id);
    std::vector<FollowupRecord> out;
    while (q.executeStep()) {
        FollowupRecord f{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                         q.getColumn(3).getString(), q.getColumn(4).getInt64(), std::nullopt};
        if (!q.getColumn(5).isNull()) {
            f.done_at = q.getColumn(5).getInt64();
        }
        out.push_back(std::move(f));
    }
    return out;
}

std::optional<CustomerSummary> customer_summary(Store& store, int64_t customer_id) {
    SQLite::Statement q(store.db(),
                        "SELECT c.id, c.name, c.vip, "
                        "(SELECT count(*) FROM inquiry i WHERE i.customer_id = c.id AND i.flags & 2 = 0), "
                        "(SELECT count(*) FROM inquiry i WHERE i.customer_id = c.id AND i.is_head = 1 "
                        " AND i.status < 3), "
                        "(SELECT coalesce(min(received_at), 0) FROM inquiry i WHERE i.customer_id = c.id), "
                        "(SELECT coalesce(max(received_at), 0) FROM inquiry i WHERE i.customer_id = c.id) "
                        "FROM customer c WHERE c.id = ?");
    q.bind(1, customer_id);
    if (!q.executeStep()) {
        return std::nullopt;
    }
    CustomerSummary c;
    c.id = q.getColumn(0).getInt64();
    c.name = q.getColumn(1).getString();
    c.vip = q.getColumn(2).getInt() != 0;
    c.inquiries = q.getColumn(3).getInt64();
    c.open_threads = q.getColumn(4).getInt64();
    c.first_contact = q.getColumn(5).getInt64();
    c.last_contact = q.getColumn(6).getInt64();
    SQLite::Statement ids(store.db(), "SELECT kind, channel, display FROM identity WHERE customer_id = ? ORDER BY kind, id");
    ids.bind(1, customer_id);
    while (ids.executeStep()) {
        auto kind = static_cast<IdentityKind>(ids.getColumn(0).getInt());
        std::string channel = ids.getColumn(1).getString();
        std::string label(to_string(kind));
        if (!channel.empty()) {
            label += " (" + channel + ")";
        }
        c.identities.push_back(label + ": " + ids.getColumn(2).getString());
    }
    return c;
}

}  // namespace kefu
