#include "core/customers/customers.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/queue.h"
#include "core/text.h"

namespace kefu::customers {

ListPage list_customers(Store& store, const ListFilter& filter) {
    // One aggregate over each customer's inquiries (index inquiry_customer), then the first
    // identity for the rows that are shown only.
    std::string order = filter.sort == ListSort::Inquiries ? "inquiries DESC, last_contact DESC, id"
                                                           : "last_contact DESC, id";
    std::string sql = fmt::format(
        "SELECT a.*, (SELECT display FROM identity d WHERE d.customer_id = a.id "
        "ORDER BY d.kind, d.id LIMIT 1) FROM ("
        "SELECT c.id AS id, c.name, c.vip, count(i.id) AS inquiries, count(DISTINCT i.thread_id), "
        "coalesce(sum(i.is_head = 1 AND i.status < 3), 0), coalesce(min(i.received_at), 0), "
        "coalesce(max(i.received_at), 0) AS last_contact, "
        "coalesce((SELECT group_concat(ch, ',') FROM (SELECT DISTINCT m.channel AS ch FROM inquiry "
        "m "
        "WHERE m.customer_id = c.id AND m.flags & 2 = 0 AND m.channel <> '' ORDER BY 1)), '') "
        "FROM customer c LEFT JOIN inquiry i ON i.customer_id = c.id AND i.flags & 2 = 0 "
        "WHERE (? = 0 OR c.vip = 1) GROUP BY c.id ORDER BY {} LIMIT ?) a ORDER BY {}",
        order, order);
    SQLite::Statement q(store.db(), sql);
    q.bind(1, filter.vip_only ? 1 : 0);
    q.bind(2, filter.limit == 0 ? int64_t{-1} : static_cast<int64_t>(filter.limit) + 1);
    ListPage page;
    while (q.executeStep()) {
        if (filter.limit != 0 && page.rows.size() == filter.limit) {
            page.more = true;
            break;
        }
        CustomerRow r;
        r.id = q.getColumn(0).getInt64();
        r.name = q.getColumn(1).getString();
        r.vip = q.getColumn(2).getInt() != 0;
        r.inquiries = q.getColumn(3).getInt64();
        r.threads = q.getColumn(4).getInt64();
        r.open_threads = q.getColumn(5).getInt64();
        r.first_contact = q.getColumn(6).getInt64();
        r.last_contact = q.getColumn(7).getInt64();
        const std::string channels = q.getColumn(8).getString();  // split() gives views into it
        for (auto ch : text::split(channels, ',')) {
            if (!ch.empty()) {
                r.channels.emplace_back(ch);
            }
        }
        r.contact = q.getColumn(9).isNull() ? "" : q.getColumn(9).getString();
        page.rows.push_back(std::move(r));
    }
    return page;
}

int64_t resolve_customer(Store& store, const std::string& who) {
    std::vector<int64_t> ids = find_customers(store, who);
    if (ids.empty()) {
        throw Error("no such customer", text::one_line(who),
                    "no customer has this id, email, phone, handle or name",
                    "`kefu customer list` shows the customers");
    }
    if (ids.size() > 1) {
        std::sort(ids.begin(), ids.end());
        std::string list;
        for (size_t k = 0; k < ids.size() && k < 10; ++k) {
            list += (list.empty() ? "#" : ", #") + std::to_string(ids[k]);
        }
        if (ids.size() > 10) {
            list += ", …";
        }
        throw Error("more than one customer matches", text::one_line(who),
                    fmt::format("{} customers do: {}", ids.size(), list),
                    "give the customer's id instead");
    }
    return ids.front();
}

std::optional<CustomerDetail> customer_detail(Store& store, int64_t customer_id) {
    SQLite::Statement c(
        store.db(),
        "SELECT id, name, salutation, note, vip, created_at FROM customer WHERE id = ?");
    c.bind(1, customer_id);
    if (!c.executeStep()) {
        return std::nullopt;
    }
    CustomerDetail d;
    d.id = c.getColumn(0).getInt64();
    d.name = c.getColumn(1).getString();
    d.salutation = c.getColumn(2).getString();
    d.note = c.getColumn(3).getString();
    d.vip = c.getColumn(4).getInt() != 0;
    d.created_at = c.getColumn(5).getInt64();

    SQLite::Statement ids(
        store.db(),
        "SELECT id, kind, channel, value, display FROM identity WHERE customer_id = ? "
        "ORDER BY kind, id");
    ids.bind(1, customer_id);
    while (ids.executeStep()) {
        d.identities.push_back({ids.getColumn(0).getInt64(),
                                static_cast<IdentityKind>(ids.getColumn(1).getInt()),
                                ids.getColumn(2).getString(), ids.getColumn(3).getString(),
                                ids.getColumn(4).getString()});
    }

    SQLite::Statement inq(
        store.db(),
        "SELECT i.id, i.thread_id, i.received_at, i.channel, i.status, i.category, i.subject, "
        "i.body, (SELECT count(*) FROM reply r WHERE r.inquiry_id = i.id) FROM inquiry i "
        "WHERE i.customer_id = ? AND i.flags & 2 = 0 ORDER BY i.received_at DESC, i.id DESC");
    inq.bind(1, customer_id);
    while (inq.executeStep()) {
        InquiryRow r;
        r.id = inq.getColumn(0).getInt64();
        r.thread_id = inq.getColumn(1).getInt64();
        r.received_at = inq.getColumn(2).getInt64();
        r.channel = inq.getColumn(3).getString();
        r.status = static_cast<Status>(inq.getColumn(4).getInt());
        r.category = static_cast<Category>(inq.getColumn(5).getInt());
        r.subject = inq.getColumn(6).getString();
        r.body = inq.getColumn(7).getString();
        r.replies = inq.getColumn(8).getInt64();
        d.inquiries.push_back(std::move(r));
    }
    if (!d.inquiries.empty()) {
        d.last_contact = d.inquiries.front().received_at;
        d.first_contact = d.inquiries.back().received_at;
    }

    // Threads, open threads and replies count whole threads: a reply recorded against a
    // seller mail of the thread is still an answer to this buyer.
    SQLite::Statement t(
        store.db(),
        "SELECT count(DISTINCT thread_id), "
        "count(DISTINCT CASE WHEN status < 3 THEN thread_id END), "
        "(SELECT count(*) FROM reply r JOIN inquiry m ON m.id = r.inquiry_id "
        " WHERE m.thread_id IN (SELECT thread_id FROM inquiry WHERE customer_id = ?1)) "
        "FROM inquiry WHERE customer_id = ?1 AND flags & 2 = 0");
    t.bind(1, customer_id);
    if (t.executeStep()) {
        d.threads = t.getColumn(0).getInt64();
        d.open_threads = t.getColumn(1).getInt64();
        d.replies = t.getColumn(2).getInt64();
    }

    SQLite::Statement f(
        store.db(),
        "SELECT f.id, f.inquiry_id, f.due_at, f.note FROM followup f JOIN inquiry i ON "
        "i.id = f.inquiry_id WHERE i.customer_id = ? AND f.done_at IS NULL "
        "ORDER BY f.due_at, f.id");
    f.bind(1, customer_id);
    while (f.executeStep()) {
        d.open_followups.push_back({f.getColumn(0).getInt64(), f.getColumn(1).getInt64(),
                                    f.getColumn(2).getInt64(), f.getColumn(3).getString()});
    }
    return d;
}

bool set_vip(Store& store, int64_t customer_id, bool vip, TimePoint now,
             std::vector<int64_t>* rescore) {
    WriteTx tx(store);
    SQLite::Statement cur(store.db(), "SELECT vip FROM customer WHERE id = ?");
    cur.bind(1, customer_id);
    if (!cur.executeStep()) {
        throw Error("no such customer", fmt::format("#{}", customer_id),
                    "there is no customer with this id");
    }
    if ((cur.getColumn(0).getInt() != 0) == vip) {
        return false;
    }
    cur.reset();
    SQLite::Statement up(store.db(), "UPDATE customer SET vip = ? WHERE id = ?");
    up.bind(1, vip ? 1 : 0);
    up.bind(2, customer_id);
    up.exec();
    SQLite::Statement ev(store.db(),
                         "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES "
                         "(NULL, ?, ?, 'vip', ?)");
    ev.bind(1, customer_id);
    ev.bind(2, now);
    ev.bind(3, vip ? "on" : "off");
    ev.exec();
    std::vector<int64_t> ids = on_customer_changed(store, customer_id);
    tx.commit();
    if (rescore != nullptr) {
        *rescore = std::move(ids);
    }
    return true;
}

std::vector<int64_t> on_customer_changed(Store& store, int64_t customer_id) {
    SQLite::Statement q(
        store.db(),
        "SELECT id FROM inquiry WHERE customer_id = ? AND is_head = 1 AND status < 3 "
        "AND flags & 2 = 0 ORDER BY id");
    q.bind(1, customer_id);
    std::vector<int64_t> ids;
    while (q.executeStep()) {
        ids.push_back(q.getColumn(0).getInt64());
    }
    return ids;
}

}  // namespace kefu::customers
