// forget (one buyer) and redact (everyone's old texts): personal data inside texts replaced
// by placeholders, the rows themselves kept so that the statistics do not change.
#include <fmt/format.h>

#include <memory>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/privacy/buyer_rows.h"
#include "core/privacy/purge.h"
#include "core/privacy/redact.h"
#include "core/store/customers.h"

namespace kefu::privacy {
namespace {

constexpr int64_t k_page = 1000;
constexpr size_t k_redactor_cache = 512;

std::string contact_placeholder(const std::string& contact) {
    if (contact.empty()) {
        return {};
    }
    if (!normalize_email(contact).empty()) {
        return std::string(placeholder(PiiKind::Email));
    }
    if (!normalize_phone(contact).empty()) {
        return std::string(placeholder(PiiKind::Phone));
    }
    return std::string(placeholder(PiiKind::Name));
}

// The texts of one inquiry that may hold personal data.
struct InquiryText {
    int64_t id = 0;
    int64_t customer_id = 0;
    std::string contact;
    std::string subject;
    std::string thread_subject;
    std::string body;
    std::string body_full;
    std::string mail_to;
    std::string attachments;
};

constexpr const char* k_select_texts =
    "SELECT id, coalesce(customer_id, 0), contact, subject, thread_subject, body, body_full, "
    "mail_to, "
    "attachments FROM inquiry ";

InquiryText read_text(SQLite::Statement& q) {
    InquiryText t;
    t.id = q.getColumn(0).getInt64();
    t.customer_id = q.getColumn(1).getInt64();
    t.contact = q.getColumn(2).getString();
    t.subject = q.getColumn(3).getString();
    t.thread_subject = q.getColumn(4).getString();
    t.body = q.getColumn(5).getString();
    t.body_full = q.getColumn(6).getString();
    t.mail_to = q.getColumn(7).getString();
    t.attachments = q.getColumn(8).getString();
    return t;
}

// Applies `r` to the texts of `t`; returns true when any changed. The contact is replaced
// only when `mask_contact_field`.
bool redact_inquiry(const Redactor& r, InquiryText& t, bool mask_contact_field,
                    int64_t& replacements) {
    bool changed = false;
    auto apply = [&](std::string& s) {
        size_t n = 0;
        std::string out = r.redact(s, &n);
        if (n > 0) {
            s = std::move(out);
            replacements += static_cast<int64_t>(n);
            changed = true;
        }
    };
    apply(t.subject);
    apply(t.thread_subject);
    apply(t.body);
    apply(t.body_full);
    apply(t.mail_to);
    apply(t.attachments);
    if (mask_contact_field && !t.contact.empty()) {
        std::string p = contact_placeholder(t.contact);
        if (p != t.contact) {
            t.contact = p;
            ++replacements;
            changed = true;
        }
    }
    return changed;
}

// Writes the changed texts of an inquiry, and its full-text index entry when the subject or
// body changed (the old values go out with 'delete' first).
void write_inquiry(Store& store, const InquiryText& old_text, const InquiryText& t) {
    bool text_changed = t.subject != old_text.subject || t.body != old_text.body;
    if (text_changed) {
        detail::fts_remove(store, t.id, old_text.subject, old_text.body);
        detail::fts_add(store, t.id, t.subject, t.body);
    }
    SQLite::Statement up(
        store.db(),
        "UPDATE inquiry SET contact = ?, subject = ?, thread_subject = ?, body = ?, body_full = ?, "
        "mail_to = ?, attachments = ? WHERE id = ?");
    up.bind(1, t.contact);
    up.bind(2, t.subject);
    up.bind(3, t.thread_subject);
    up.bind(4, t.body);
    up.bind(5, t.body_full);
    up.bind(6, t.mail_to);
    up.bind(7, t.attachments);
    up.bind(8, t.id);
    up.exec();
    if (text_changed) {
        // The replies' counts of the old text would still say what it said.
        SQLite::Statement terms(
            store.db(), "UPDATE reply SET terms = NULL WHERE inquiry_id = ? AND terms IS NOT NULL");
        terms.bind(1, t.id);
        terms.exec();
    }
}

// Redacts one text column of the rows a query selects (id, text), page by page in id order.
// `select` may use ?1 (bound to `bound`) and must end in a WHERE clause that "AND t.id > ?2"
// can extend; `update` is "UPDATE table SET column = ? WHERE id = ?". Returns the number of
// rows whose text changed.
int64_t redact_column(Store& store, const std::string& select, const char* update, int64_t bound,
                      const Redactor& redactor, int64_t& replacements, bool dry_run) {
    int64_t changed = 0;
    int64_t after = 0;
    for (;;) {
        std::vector<std::pair<int64_t, std::string>> rows;
        {
            SQLite::Statement q(store.db(), select + " AND t.id > ?2 ORDER BY t.id LIMIT ?3");
            q.bind(1, bound);
            q.bind(2, after);
            q.bind(3, k_page);
            while (q.executeStep()) {
                rows.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString());
            }
        }
        if (rows.empty()) {
            return changed;
        }
        after = rows.back().first;
        for (const auto& [id, text] : rows) {
            size_t n = 0;
            std::string out = redactor.redact(text, &n);
            if (n == 0) {
                continue;
            }
            ++changed;
            replacements += static_cast<int64_t>(n);
            if (!dry_run) {
                SQLite::Statement up(store.db(), update);
                up.bind(1, out);
                up.bind(2, id);
                up.exec();
            }
        }
    }
}

// The names a buyer goes by: their name and handles, and contacts that are neither an email
// nor a phone number (a handle written into the contact column).
std::vector<std::string> names_of(Store& store, int64_t customer_id) {
    std::vector<std::string> names;
    SQLite::Statement q(
        store.db(),
        "SELECT name FROM customer WHERE id = ?1 UNION "
        "SELECT display FROM identity WHERE customer_id = ?1 AND kind = 3 UNION "
        "SELECT value FROM identity WHERE customer_id = ?1 AND kind = 3 UNION "
        "SELECT DISTINCT contact FROM inquiry WHERE customer_id = ?1 AND contact <> ''");
    q.bind(1, customer_id);
    while (q.executeStep()) {
        std::string n = q.getColumn(0).getString();
        if (!n.empty() && normalize_email(n).empty() && normalize_phone(n).empty()) {
            names.push_back(n);
        }
    }
    return names;
}

}  // namespace

ForgetResult forget_customer(Store& store, int64_t customer_id, TimePoint now) {
    store.db().exec("PRAGMA secure_delete = ON");
    WriteTx tx(store);
    ForgetResult res;
    detail::collect_buyer_rows(store, customer_id);
    res.rows = detail::count_buyer(store, customer_id);
    Redactor redactor(names_of(store, customer_id));

    std::vector<InquiryText> texts;
    {
        SQLite::Statement q(
            store.db(), std::string(k_select_texts) + "WHERE id IN temp.buyer_rows ORDER BY id");
        while (q.executeStep()) {
            texts.push_back(read_text(q));
        }
    }
    for (const InquiryText& old_text : texts) {
        InquiryText t = old_text;
        // Seller mails keep their own (the seller's) contact.
        bool own = t.customer_id == customer_id;
        if (redact_inquiry(redactor, t, own, res.replacements)) {
            write_inquiry(store, old_text, t);
            ++res.texts_changed;
        }
    }
    res.texts_changed += redact_column(
        store, "SELECT t.id, t.text FROM reply t WHERE t.inquiry_id IN temp.buyer_rows",
        "UPDATE reply SET text = ? WHERE id = ?", 0, redactor, res.replacements, false);
    res.texts_changed += redact_column(
        store, "SELECT t.id, t.note FROM followup t WHERE t.inquiry_id IN temp.buyer_rows",
        "UPDATE followup SET note = ? WHERE id = ?", 0, redactor, res.replacements, false);
    res.texts_changed += redact_column(
        store,
        "SELECT t.id, t.detail FROM event t WHERE (t.customer_id = ?1 OR "
        "t.inquiry_id IN temp.buyer_rows)",
        "UPDATE event SET detail = ? WHERE id = ?", customer_id, redactor, res.replacements, false);

    SQLite::Statement ids(store.db(), "DELETE FROM identity WHERE customer_id = ?");
    ids.bind(1, customer_id);
    ids.exec();
    SQLite::Statement cust(store.db(),
                           "UPDATE customer SET name = ?, salutation = '', note = '' WHERE id = ?");
    cust.bind(1, std::string(placeholder(PiiKind::Name)));
    cust.bind(2, customer_id);
    cust.exec();
    SQLite::Statement ev(store.db(),
                         "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES "
                         "(NULL, ?, ?, 'forget', ?)");
    ev.bind(1, customer_id);
    ev.bind(2, now);
    ev.bind(3, fmt::format("personal data removed: {} identities, {} texts changed",
                           res.rows.identities, res.texts_changed));
    ev.exec();
    store.db().exec("DELETE FROM temp.buyer_rows");
    store.db().exec("INSERT INTO inquiry_fts(inquiry_fts) VALUES ('optimize')");
    tx.commit();
    return res;
}

RedactResult redact_older_than(Store& store, TimePoint cutoff, bool dry_run) {
    if (!dry_run) {
        store.db().exec("PRAGMA secure_delete = ON");
    }
    std::unique_ptr<WriteTx> tx;
    if (!dry_run) {
        tx = std::make_unique<WriteTx>(store);
    }
    RedactResult res;
    // Each buyer's own names are masked in their texts too; redactors are kept for the
    // customers met recently (the inquiries come in id order, a buyer's messages close
    // together).
    std::unordered_map<int64_t, Redactor> redactors;
    const Redactor plain;
    auto redactor_for = [&](int64_t customer) -> const Redactor& {
        auto it = redactors.find(customer);
        if (it == redactors.end()) {
            if (redactors.size() >= k_redactor_cache) {
                redactors.clear();
            }
            std::vector<std::string> names;
            if (customer != 0) {
                names = names_of(store, customer);
            }
            it = redactors.emplace(customer, Redactor(names)).first;
        }
        return it->second;
    };
    int64_t after = 0;
    for (;;) {
        std::vector<InquiryText> page;
        {
            SQLite::Statement q(store.db(),
                                std::string(k_select_texts) +
                                    "WHERE id > ? AND +received_at < ? ORDER BY id LIMIT ?");
            q.bind(1, after);
            q.bind(2, cutoff);
            q.bind(3, k_page);
            while (q.executeStep()) {
                page.push_back(read_text(q));
            }
        }
        if (page.empty()) {
            break;
        }
        after = page.back().id;
        for (const InquiryText& old_text : page) {
            ++res.inquiries;
            InquiryText t = old_text;
            if (redact_inquiry(redactor_for(t.customer_id), t, false, res.replacements)) {
                ++res.texts_changed;
                if (!dry_run) {
                    write_inquiry(store, old_text, t);
                }
            }
        }
    }
    res.texts_changed += redact_column(
        store, "SELECT t.id, t.text FROM reply t WHERE t.sent_at < ?1",
        "UPDATE reply SET text = ? WHERE id = ?", cutoff, plain, res.replacements, dry_run);
    res.texts_changed += redact_column(
        store, "SELECT t.id, t.note FROM followup t WHERE t.created_at < ?1",
        "UPDATE followup SET note = ? WHERE id = ?", cutoff, plain, res.replacements, dry_run);
    res.texts_changed += redact_column(store, "SELECT t.id, t.detail FROM event t WHERE t.at < ?1",
                                       "UPDATE event SET detail = ? WHERE id = ?", cutoff, plain,
                                       res.replacements, dry_run);
    if (!dry_run) {
        if (res.texts_changed > 0) {
            store.db().exec("INSERT INTO inquiry_fts(inquiry_fts) VALUES ('optimize')");
        }
        tx->commit();
    }
    return res;
}

}  // namespace kefu::privacy
