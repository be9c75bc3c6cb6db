#include "core/store/inquiry_writer.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "core/hash.h"
#include "core/text.h"

namespace kefu {
namespace {

constexpr int64_t k_thread_window = 30 * 86400;  // same order / subject: same thread
constexpr int64_t k_chat_window = 24 * 3600;     // chat rows of one buyer: one conversation
constexpr size_t k_buyer_cache_limit = 50000;

}  // namespace

uint64_t dedupe_key(const NewInquiry& in) {
    Hasher h;
    if (!in.external_id.empty()) {
        h.add("x").add(in.channel).add(in.external_id);
    } else if (!in.message_id.empty()) {
        h.add("m").add(in.message_id);
    } else {
        std::string who = normalize_email(in.buyer.email);
        if (who.empty()) {
            who = normalize_phone(in.buyer.phone);
        }
        if (who.empty()) {
            who = in.buyer.channel + "/" + std::string(text::trim(in.buyer.name));
        }
        h.add("h").add(who).add(std::to_string(in.received_at)).add(in.subject).add(in.body);
    }
    uint64_t k = h.digest();
    return k & 0x7FFFFFFFFFFFFFFFULL;  // SQLite integers are signed
}

namespace {
uint64_t message_id_key(const std::string& id) {
    NewInquiry probe;
    probe.message_id = id;
    return dedupe_key(probe);
}
}  // namespace

int64_t begin_import(Store& store, const std::string& source, const std::string& kind,
                     TimePoint now, bool dry_run) {
    if (dry_run) {
        return 0;
    }
    WriteTx tx(store);
    SQLite::Statement ins(store.db(), "INSERT INTO import(source, kind, started_at) VALUES (?, ?, ?)");
    ins.bind(1, source);
    ins.bind(2, kind);
    ins.bind(3, now);
    ins.exec();
    int64_t id = store.db().getLastInsertRowid();
    tx.commit();
    return id;
}

struct InquiryWriter::Impl {
    Store& store;
    int64_t import_id;
    Classifier classifier;
    TimePoint now;
    size_t batch_size;
    bool dry_run;
    std::unique_ptr<WriteTx> tx;
    size_t in_batch = 0;
    int64_t next_id = 0;
    CustomerResolver resolver;
    SQLite::Statement insert;
    SQLite::Statement existing;
    SQLite::Statement fts;
    SQLite::Statement tag;
    SQLite::Statement by_order;
    SQLite::Statement by_chat;
    SQLite::Statement by_subject;
    SQLite::Statement head_of;
    SQLite::Statement unhead;
    SQLite::Statement set_thread_status;
    SQLite::Statement event;
    SQLite::Statement counts;
    SQLite::Statement buyer;
    SQLite::Statement reply;
    std::unordered_map<int64_t, BuyerSignals> buyers;  // customer → signals (cached per run)
    std::unordered_set<uint64_t> seen;                  // dry run: keys met in this run

    Impl(Store& s, int64_t import, Classifier c, TimePoint t, size_t batch, bool dry)
        : store(s),
          import_id(import),
          classifier(std::move(c)),
          now(t),
          batch_size(batch),
          dry_run(dry),
          resolver(s, t),
          insert(s.db(),
                 "INSERT INTO inquiry(id, import_id, source, external_id, dedupe_key, received_at, "
                 "channel, customer_id, contact, order_id, product, goods_kind, subject, "
                 "thread_subject, body, body_full, mail_to, attachments, thread_id, is_head, status, "
                 "category, priority_static, triage, language, flags, updated_at) VALUES "
                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                 "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27) ON CONFLICT(dedupe_key) DO NOTHING"),
          existing(s.db(),
                   "SELECT external_id, channel, received_at, subject, body, thread_id, customer_id "
                   "FROM inquiry WHERE dedupe_key = ?"),
          fts(s.db(), "INSERT INTO inquiry_fts(rowid, subject, body) VALUES (?, ?, ?)"),
          tag(s.db(), "INSERT OR IGNORE INTO tag(inquiry_id, name, source) VALUES (?, ?, 0)"),
          by_order(s.db(),
                   "SELECT thread_id FROM inquiry WHERE order_id = ? AND customer_id = ? "
                   "AND received_at BETWEEN ? AND ? AND status <> 4 ORDER BY received_at DESC LIMIT 1"),
          by_chat(s.db(),
                  "SELECT thread_id, order_id FROM inquiry WHERE customer_id = ? AND channel = ? "
                  "AND received_at BETWEEN ? AND ? AND status <> 4 AND flags & 2 = 0 "
                  "ORDER BY received_at DESC LIMIT 1"),
          by_subject(s.db(),
                     "SELECT thread_id FROM inquiry WHERE customer_id = ? AND thread_subject = ? "
                     "AND received_at BETWEEN ? AND ? AND status <> 4 ORDER BY received_at DESC LIMIT 1"),
          head_of(s.db(),
                  "SELECT id, status, received_at, snooze_until, snooze_or_reply FROM inquiry "
                  "WHERE thread_id = ? AND is_head = 1"),
          unhead(s.db(), "UPDATE inquiry SET is_head = 0 WHERE id = ?"),
          set_thread_status(s.db(),
                            "UPDATE inquiry SET status = ?, updated_at = ?, snooze_until = "
                            "CASE WHEN snooze_or_reply = 1 THEN NULL ELSE snooze_until END, "
                            "snooze_or_reply = CASE WHEN snooze_or_reply = 1 THEN 0 ELSE "
                            "snooze_or_reply END WHERE thread_id = ?"),
          event(s.db(), "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES (?, ?, ?, ?, ?)"),
          counts(s.db(),
                 "UPDATE import SET n_new = ?, n_duplicate = ?, n_rejected = ?, n_flagged = ? "
                 "WHERE id = ?"),
          buyer(s.db(),
                "SELECT c.vip, (SELECT count(*) FROM inquiry i WHERE i.customer_id = c.id AND "
                "i.is_head = 1 AND i.status IN (0, 1, 2)) FROM customer c WHERE c.id = ?"),
          reply(s.db(),
                "INSERT INTO reply(inquiry_id, template_id, language, text, sent_at, source) "
                "VALUES (?, '', ?, ?, ?, 'mail')") {}

    void begin() {
        if (dry_run || tx) {
            return;
        }
        tx = std::make_unique<WriteTx>(store);
        next_id = store.db().execAndGet("SELECT coalesce(max(id), 0) + 1 FROM inquiry").getInt64();
    }

    // The thread a new record joins (0: a thread of its own).
    int64_t find_thread(const NewInquiry& in, int64_t customer) {
        if (!in.in_reply_to.empty() || !in.references.empty()) {
            std::vector<std::string> ids;
            if (!in.in_reply_to.empty()) {
                ids.push_back(in.in_reply_to);
            }
            for (auto it = in.references.rbegin(); it != in.references.rend(); ++it) {
                ids.push_back(*it);
            }
            for (const auto& id : ids) {
                existing.reset();
                existing.bind(1, static_cast<int64_t>(message_id_key(id)));
                if (existing.executeStep() && existing.getColumn(0).getString() == id) {
                    return existing.getColumn(5).getInt64();
                }
            }
        }
        if (customer == 0) {
            return 0;
        }
        if (!in.subject_normalized.empty()) {
            by_subject.reset();
            by_subject.bind(1, customer);
            by_subject.bind(2, in.subject_normalized);
            by_subject.bind(3, in.received_at - k_thread_window);
            by_subject.bind(4, in.received_at + k_thread_window);
            if (by_subject.executeStep()) {
                return by_subject.getColumn(0).getInt64();
            }
            return 0;
        }
        if (!in.order_id.empty()) {
            by_order.reset();
            by_order.bind(1, in.order_id);
            by_order.bind(2, customer);
            by_order.bind(3, in.received_at - k_thread_window);
            by_order.bind(4, in.received_at + k_thread_window);
            if (by_order.executeStep()) {
                return by_order.getColumn(0).getInt64();
            }
        }
        if (in.message_id.empty()) {
            // Chat exports: a buyer's messages on one channel within a day are one
            // conversation, unless they name different orders.
            by_chat.reset();
            by_chat.bind(1, customer);
            by_chat.bind(2, in.channel);
            by_chat.bind(3, in.received_at - k_chat_window);
            by_chat.bind(4, in.received_at + k_chat_window);
            if (by_chat.executeStep()) {
                std::string other_order = by_chat.getColumn(1).getString();
                if (in.order_id.empty() || other_order.empty() || other_order == in.order_id) {
                    return by_chat.getColumn(0).getInt64();
                }
            }
        }
        return 0;
    }

    BuyerSignals& signals_of(int64_t customer) {
        auto it = buyers.find(customer);
        if (it != buyers.end()) {
            return it->second;
        }
        if (buyers.size() >= k_buyer_cache_limit) {
            buyers.clear();
        }
        BuyerSignals s;
        buyer.reset();
        buyer.bind(1, customer);
        if (buyer.executeStep()) {
            s.vip = buyer.getColumn(0).getInt() != 0;
            s.open_from_customer = buyer.getColumn(1).getInt();
        }
        return buyers.emplace(customer, s).first->second;
    }

    // Whether the row `existing` just stepped onto is the record `in` (see dedupe_key).
    // The same Message-ID is the same mail. The same export id at another time is another
    // record (ids anonymised to "xxxx" in an export must not swallow each other).
    bool same_record(const NewInquiry& in) {
        if (!in.external_id.empty()) {
            return existing.getColumn(0).getString() == in.external_id &&
                   existing.getColumn(1).getString() == in.channel &&
                   existing.getColumn(2).getInt64() == in.received_at;
        }
        if (!in.message_id.empty()) {
            return existing.getColumn(0).getString() == in.message_id;
        }
        return existing.getColumn(2).getInt64() == in.received_at &&
               existing.getColumn(3).getString() == in.subject &&
               existing.getColumn(4).getString() == in.body;
    }

    void log(int64_t inquiry, int64_t customer, const char* kind, const std::string& detail) {
        event.reset();
        event.bind(1, inquiry);
        if (customer != 0) {
            event.bind(2, customer);
        } else {
            event.bind(2);
        }
        event.bind(3, now);
        event.bind(4, kind);
        event.bind(5, detail);
        event.exec();
    }
};

InquiryWriter::InquiryWriter(Store& store, int64_t import_id, Classifier classifier, TimePoint now,
                             size_t batch_size, bool dry_run)
    : m(std::make_unique<Impl>(store, import_id, std::move(classifier), now,
                               std::max<size_t>(1, batch_size), dry_run)) {}

InquiryWriter::~InquiryWriter() = default;

WriteOutcome InquiryWriter::add(const NewInquiry& in) {
    Impl& w = *m;
    uint64_t key = dedupe_key(in);
    if (!w.dry_run) {
        w.begin();
    }
    // A different record with the same 64-bit key is possible in theory: probe onwards until
    // the key is free or holds this very record.
    while (true) {
        w.existing.reset();
        w.existing.bind(1, static_cast<int64_t>(key));
        if (!w.existing.executeStep()) {
            break;
        }
        if (w.same_record(in)) {
            ++m_duplicate;
            step();
            return WriteOutcome::Duplicate;
        }
        key = (key + 1) & 0x7FFFFFFFFFFFFFFFULL;
    }
    if (w.dry_run) {
        if (!w.seen.insert(key).second) {
            ++m_duplicate;
            return WriteOutcome::Duplicate;
        }
        ++m_new;
        return WriteOutcome::New;
    }

    int64_t customer = w.resolver.resolve(in.buyer);
    int64_t id = w.next_id;
    int64_t thread = w.find_thread(in, customer);
    Status status = Status::New;
    bool head = true;
    int thread_messages = 1;
    if (thread != 0) {
        w.head_of.reset();
        w.head_of.bind(1, thread);
        if (w.head_of.executeStep()) {
            int64_t head_id = w.head_of.getColumn(0).getInt64();
            auto head_status = static_cast<Status>(w.head_of.getColumn(1).getInt());
            TimePoint head_at = w.head_of.getColumn(2).getInt64();
            thread_messages = 2;
            if (in.from_seller) {
                head = false;
                status = head_status;
            } else if (head_at <= in.received_at) {
                w.unhead.reset();
                w.unhead.bind(1, head_id);
                w.unhead.exec();
                // A buyer writing again reopens a thread that waits for them or was resolved.
                status = head_status == Status::New ? Status::New : Status::Open;
                if (head_status != status || w.head_of.getColumn(4).getInt() != 0) {
                    w.set_thread_status.reset();
                    w.set_thread_status.bind(1, static_cast<int>(status));
                    w.set_thread_status.bind(2, w.now);
                    w.set_thread_status.bind(3, thread);
                    w.set_thread_status.exec();
                    if (head_status == Status::Waiting || head_status == Status::Resolved) {
                        w.log(head_id, customer, "status",
                              fmt::format("{} → open: the buyer wrote again ({})",
                                          to_string(head_status), in.source));
                    }
                    if (w.head_of.getColumn(4).getInt() != 0) {
                        w.log(head_id, customer, "snooze", "snooze ended: the buyer wrote again");
                    }
                }
            } else {
                head = false;  // an older message imported late: not the thread's latest
                status = head_status;
            }
        } else {
            thread = 0;
        }
    }
    if (thread == 0) {
        thread = id;
    }
    if (in.from_seller) {
        head = thread == id ? false : head;
    }

    BuyerSignals signals;
    if (customer != 0) {
        signals = w.signals_of(customer);
    }
    signals.thread_messages = thread_messages;
    Classification cls;
    if (w.classifier && !in.from_seller) {
        cls = w.classifier(in, signals);
    }
    std::string order_id = in.order_id;
    if (order_id.empty()) {
        if (auto it = cls.captures.find("order_id"); it != cls.captures.end()) {
            order_id = it->second;
        }
    }
    GoodsKind goods = in.goods_kind != GoodsKind::Unknown ? in.goods_kind : cls.goods_kind;
    int64_t flags = (in.had_replacement ? int64_t{k_flag_replacement_chars} : 0) |
                    (in.from_seller ? int64_t{k_flag_from_seller} : 0);

    SQLite::Statement& s = w.insert;
    s.reset();
    s.bind(1, id);
    if (w.import_id != 0) {
        s.bind(2, w.import_id);
    } else {
        s.bind(2);
    }
    s.bind(3, in.source);
    s.bind(4, in.external_id.empty() ? in.message_id : in.external_id);
    s.bind(5, static_cast<int64_t>(key));
    s.bind(6, in.received_at);
    s.bind(7, in.channel);
    if (customer != 0) {
        s.bind(8, customer);
    } else {
        s.bind(8);
    }
    s.bind(9, in.contact);
    s.bind(10, order_id);
    s.bind(11, in.product);
    s.bind(12, static_cast<int>(goods));
    s.bind(13, in.subject);
    s.bind(14, in.subject_normalized);
    s.bind(15, in.body);
    s.bind(16, in.body_full);
    s.bind(17, in.mail_to);
    s.bind(18, in.attachments_json);
    s.bind(19, thread);
    s.bind(20, head ? 1 : 0);
    s.bind(21, static_cast<int>(status));
    s.bind(22, static_cast<int>(cls.category));
    s.bind(23, cls.static_score);
    s.bind(24, cls.triage_json);
    s.bind(25, cls.language);
    s.bind(26, flags);
    s.bind(27, w.now);
    s.exec();
    ++w.next_id;

    w.fts.reset();
    w.fts.bind(1, id);
    w.fts.bind(2, in.subject);
    w.fts.bind(3, in.body);
    w.fts.exec();
    for (const auto& t : cls.tags) {
        w.tag.reset();
        w.tag.bind(1, id);
        w.tag.bind(2, t);
        w.tag.exec();
    }

    WriteOutcome outcome = WriteOutcome::New;
    if (in.from_seller) {
        w.reply.reset();
        w.reply.bind(1, thread);
        w.reply.bind(2, cls.language);
        w.reply.bind(3, in.body);
        w.reply.bind(4, in.received_at);
        w.reply.exec();
        ++m_replies;
        outcome = WriteOutcome::SellerReply;
    } else {
        ++m_new;
        if (customer != 0 && head && thread == id) {
            ++w.signals_of(customer).open_from_customer;
        }
    }
    if (in.had_replacement) {
        ++m_flagged;
    }
    step();
    return outcome;
}

void InquiryWriter::step() {
    Impl& w = *m;
    if (w.dry_run || ++w.in_batch < w.batch_size) {
        return;
    }
    w.counts.reset();
    w.counts.bind(1, static_cast<int64_t>(m_new));
    w.counts.bind(2, static_cast<int64_t>(m_duplicate));
    w.counts.bind(3, static_cast<int64_t>(m_rejected));
    w.counts.bind(4, static_cast<int64_t>(m_flagged));
    w.counts.bind(5, w.import_id);
    w.counts.exec();
    w.tx->commit();
    w.tx.reset();
    w.in_batch = 0;
}

void InquiryWriter::finish(const std::string& rejects_path) {
    Impl& w = *m;
    if (w.dry_run) {
        return;
    }
    w.begin();
    SQLite::Statement fin(w.store.db(),
                          "UPDATE import SET n_new = ?, n_duplicate = ?, n_rejected = ?, "
                          "n_flagged = ?, finished_at = ?, rejects_path = ? WHERE id = ?");
    fin.bind(1, static_cast<int64_t>(m_new));
    fin.bind(2, static_cast<int64_t>(m_duplicate));
    fin.bind(3, static_cast<int64_t>(m_rejected));
    fin.bind(4, static_cast<int64_t>(m_flagged));
    fin.bind(5, w.now);
    fin.bind(6, rejects_path);
    fin.bind(7, w.import_id);
    fin.exec();
    w.tx->commit();
    w.tx.reset();
}

}  // namespace kefu
