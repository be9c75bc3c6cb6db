#include "core/store/inquiry_writer.h"

#include <fmt/format.h>

#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include "core/hash.h"
#include "core/store/captures.h"
#include "core/text.h"

namespace kefu {
namespace {

constexpr int64_t k_thread_window = 30 * 86400;  // same order / subject: same thread
constexpr int64_t k_chat_window = 24 * 3600;     // chat rows of one buyer: one conversation
constexpr size_t k_buyer_cache_limit = 100000;
constexpr size_t k_latest_cache_limit = 200000;
// A batch is committed after batch_size records or this long, whichever comes first, so that
// other writers (kefu note, kefu due from cron) wait for the lock at most about this long
// however slow the machine is.
constexpr auto k_batch_time = std::chrono::milliseconds(1000);
// The full-text index keeps this much of a batch's new entries in memory before it writes
// them out as a segment (FTS5's default is 1 MiB). One segment per batch instead of one per
// megabyte leaves less for FTS5 to merge: with the longer batches above, a 1M-row import took
// about a fifth less time (48 s -> 38 s), for about 9 MB more peak memory.
constexpr int64_t k_fts_hash_bytes = 16 << 20;

}  // namespace

uint64_t dedupe_key(const NewInquiry& in) {
    thread_local FieldHash h;
    h.reset();
    if (!in.external_id.empty()) {
        h.add("x").add(in.channel).add(in.external_id);
    } else if (!in.message_id.empty()) {
        // A mail is the same mail whatever its Date says: the key is the Message-ID alone.
        h.add("m").add(in.message_id);
        return h.digest() & 0x7FFFFFFFFFFFFFFFULL;  // SQLite integers are signed
    } else {
        std::string who = normalize_email(in.buyer.email);
        if (who.empty()) {
            who = normalize_phone(in.buyer.phone);
        }
        if (who.empty()) {
            who = in.buyer.channel + "/" + std::string(text::trim(in.buyer.name));
        }
        if (in.time_from_import) {
            // No time in the source: the import's own time would make the same file new again
            // at every import, so the key is the buyer and the text alone (the same text from
            // the same buyer twice in such a file is one record).
            h.add("n").add(who).add(in.subject).add(in.body);
            return h.digest() & 0xFFFFFFFFULL;
        }
        h.add("h").add(who).add(std::to_string(in.received_at)).add(in.subject).add(in.body);
    }
    // The minute of the record in the high bits: exports come roughly in time order, so new
    // keys land near each other in the unique index instead of on random pages.
    uint64_t minute = in.received_at > 0 ? static_cast<uint64_t>(in.received_at) / 60 : 0;
    return ((minute & 0x7FFFFFFFULL) << 32) | (h.digest() & 0xFFFFFFFFULL);
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
    // Persistent FTS5 setting (kept in inquiry_fts_config); written by every import so that
    // databases made before it was chosen get it too.
    SQLite::Statement hash(store.db(),
                           "INSERT INTO inquiry_fts(inquiry_fts, rank) VALUES ('hashsize', ?)");
    hash.bind(1, k_fts_hash_bytes);
    hash.exec();
    SQLite::Statement ins(store.db(), "INSERT INTO import(source, kind, started_at) VALUES (?, ?, ?)");
    ins.bind(1, source);
    ins.bind(2, kind);
    ins.bind(3, now);
    ins.exec();
    int64_t id = store.db().getLastInsertRowid();
    tx.commit();
    return id;
}

// A buyer's latest message on a channel, as far as threading needs it.
struct Latest {
    bool known = false;
    int64_t id = 0;
    int64_t thread_id = 0;
    TimePoint received_at = 0;
    std::string order_id;
    Status status = Status::New;
    bool is_head = false;
    bool snooze_or_reply = false;
};

struct InquiryWriter::Impl {
    Store& store;
    int64_t import_id;
    Classifier classifier;
    TimePoint now;
    size_t batch_size;
    bool dry_run;
    std::unique_ptr<WriteTx> tx;
    std::chrono::steady_clock::time_point batch_start;
    size_t in_batch = 0;
    int64_t next_id = 0;
    CustomerResolver resolver;
    SQLite::Statement insert;
    SQLite::Statement existing;
    SQLite::Statement fts;
    SQLite::Statement tag;
    SQLite::Statement latest_any;
    SQLite::Statement latest_before;
    SQLite::Statement by_subject;
    SQLite::Statement by_order;
    SQLite::Statement head_of;
    SQLite::Statement unhead;
    SQLite::Statement set_thread_status;
    SQLite::Statement referring;
    SQLite::Statement add_ref;
    SQLite::Statement retarget;
    SQLite::Statement thread_heads;
    SQLite::Statement set_head;
    SQLite::Statement answered;
    SQLite::Statement wait;
    SQLite::Statement event;
    SQLite::Statement counts;
    SQLite::Statement buyer;
    SQLite::Statement thread_count;
    SQLite::Statement reply;
    std::unordered_map<int64_t, BuyerSignals> buyers;  // customer → signals (cached per run)
    std::unordered_map<uint64_t, Latest> latest;        // (customer, channel) → latest message
    Latest scratch;                                     // answer of latest_before
    std::optional<Latest> head_hint;                    // the head of the found thread, if known
    std::unordered_set<uint64_t> seen;                  // dry run: keys met in this run
    int64_t data_version = -1;  // PRAGMA data_version when the caches above were last valid

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
          latest_any(s.db(),
                     "SELECT id, thread_id, received_at, order_id, status, is_head, snooze_or_reply "
                     "FROM inquiry WHERE customer_id = ? AND channel = ? AND flags & 2 = 0 "
                     "ORDER BY received_at DESC, id DESC LIMIT 1"),
          latest_before(s.db(),
                        "SELECT id, thread_id, received_at, order_id, status, is_head, snooze_or_reply "
                        "FROM inquiry WHERE customer_id = ? AND channel = ? AND received_at <= ? "
                        "AND flags & 2 = 0 ORDER BY received_at DESC, id DESC LIMIT 1"),
          by_subject(s.db(),
                     "SELECT thread_id FROM inquiry WHERE customer_id = ? AND thread_subject = ? "
                     "AND received_at BETWEEN ? AND ? AND status <> 4 ORDER BY received_at DESC LIMIT 1"),
          by_order(s.db(),
                   "SELECT thread_id FROM inquiry WHERE customer_id = ?1 AND channel = ?2 AND "
                   "received_at BETWEEN ?3 AND ?4 AND order_id = ?5 AND flags & 2 = 0 AND status <> 4 "
                   "ORDER BY received_at DESC, id DESC LIMIT 1"),
          head_of(s.db(),
                  "SELECT id, status, received_at, snooze_until, snooze_or_reply FROM inquiry "
                  "WHERE thread_id = ? AND is_head = 1"),
          unhead(s.db(), "UPDATE inquiry SET is_head = 0 WHERE id = ?"),
          set_thread_status(s.db(),
                            "UPDATE inquiry SET status = ?, updated_at = ?, snooze_until = "
                            "CASE WHEN snooze_or_reply = 1 THEN NULL ELSE snooze_until END, "
                            "snooze_or_reply = CASE WHEN snooze_or_reply = 1 THEN 0 ELSE "
                            "snooze_or_reply END WHERE thread_id = ?"),
          referring(s.db(),
                    "SELECT i.thread_id FROM mail_ref r JOIN inquiry i ON i.id = r.inquiry_id "
                    "WHERE r.ref_key = ? ORDER BY i.received_at LIMIT 1"),
          add_ref(s.db(), "INSERT OR IGNORE INTO mail_ref(ref_key, inquiry_id) VALUES (?, ?)"),
          retarget(s.db(), "UPDATE inquiry SET thread_id = ?1, is_head = 0 WHERE thread_id = ?2"),
          thread_heads(s.db(),
                       "SELECT id FROM inquiry WHERE thread_id = ? AND flags & 2 = 0 "
                       "ORDER BY received_at DESC, id DESC LIMIT 1"),
          set_head(s.db(),
                   "UPDATE inquiry SET is_head = (id = ?1), status = (SELECT status FROM inquiry "
                   "WHERE id = ?1) WHERE thread_id = ?2"),
          answered(s.db(),
                   "UPDATE inquiry SET first_response_at = ?1, updated_at = ?2 WHERE thread_id = ?3 "
                   "AND first_response_at IS NULL AND received_at <= ?1 AND flags & 2 = 0"),
          wait(s.db(), "UPDATE inquiry SET status = 2, updated_at = ? WHERE thread_id = ?"),
          event(s.db(), "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES (?, ?, ?, ?, ?)"),
          counts(s.db(),
                 "UPDATE import SET n_new = ?, n_duplicate = ?, n_rejected = ?, n_flagged = ? "
                 "WHERE id = ?"),
          buyer(s.db(),
                "SELECT c.vip, (SELECT count(*) FROM inquiry i WHERE i.customer_id = c.id AND "
                "i.is_head = 1 AND i.status IN (0, 1, 2)) FROM customer c WHERE c.id = ?"),
          thread_count(s.db(), k_sql_thread_messages),
          reply(s.db(),
                "INSERT INTO reply(inquiry_id, template_id, language, text, sent_at, source, "
                "category) VALUES (?1, '', ?2, ?3, ?4, 'mail', "
                "(SELECT category FROM inquiry WHERE id = ?1))") {}

    void begin() {
        if (dry_run || tx) {
            return;
        }
        tx = std::make_unique<WriteTx>(store);
        batch_start = std::chrono::steady_clock::now();
        // Another process (a second import, kefu status, retag …) may have committed since the
        // last batch: then the cached latest messages and buyer signals are stale, and a
        // thread would get two heads. data_version changes only for other connections' commits.
        int64_t version = store.db().execAndGet("PRAGMA data_version").getInt64();
        if (version != data_version) {
            latest.clear();
            buyers.clear();
            data_version = version;
        }
        next_id = store.db().execAndGet("SELECT coalesce(max(id), 0) + 1 FROM inquiry").getInt64();
    }

    // The thread a new record joins (0: a thread of its own).
    // The Message-IDs a mail refers to, nearest first: In-Reply-To, then References backwards.
    static std::vector<std::string> mail_refs(const NewInquiry& in) {
        std::vector<std::string> ids;
        if (!in.in_reply_to.empty()) {
            ids.push_back(in.in_reply_to);
        }
        for (auto it = in.references.rbegin(); it != in.references.rend(); ++it) {
            if (*it != in.in_reply_to && *it != in.message_id) {
                ids.push_back(*it);
            }
        }
        return ids;
    }

    int64_t find_thread(const NewInquiry& in, int64_t customer) {
        std::vector<std::string> refs = mail_refs(in);
        // A message it answers or mentions; else another message that mentions the same one
        // (a parent that is missing, or not imported yet).
        for (const auto& id : refs) {
            existing.reset();
            existing.bind(1, static_cast<int64_t>(message_id_key(id)));
            if (existing.executeStep() && existing.getColumn(0).getString() == id) {
                return existing.getColumn(5).getInt64();
            }
        }
        for (const auto& id : refs) {
            referring.reset();
            referring.bind(1, static_cast<int64_t>(message_id_key(id)));
            if (referring.executeStep()) {
                return referring.getColumn(0).getInt64();
            }
        }
        if (customer == 0) {
            return 0;
        }
        // A mail without usable references joins by subject only when its subject says it is a
        // reply (a "Re:"/"回复：" that was taken off): a new subject starts a new conversation.
        bool reply_subject = !in.subject_normalized.empty() &&
                             in.subject_normalized.size() < text::trim(in.subject).size();
        if (!in.message_id.empty() || reply_subject) {
            if (!reply_subject) {
                return 0;
            }
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
        if (in.message_id.empty()) {
            // Exports of chats: a buyer's message joins the conversation of their previous
            // message on the same channel when it came within a day of it (and does not name
            // another order), or names the same order within 30 days.
            const Latest* prev = previous_message(customer, in.channel, in.received_at);
            if (prev == nullptr || prev->status == Status::Closed) {
                return 0;
            }
            int64_t gap = in.received_at - prev->received_at;
            bool same_order = !in.order_id.empty() && in.order_id == prev->order_id;
            bool other_order = !in.order_id.empty() && !prev->order_id.empty() && !same_order;
            if ((gap <= k_chat_window && !other_order) || (same_order && gap <= k_thread_window)) {
                if (prev->is_head) {
                    head_hint = *prev;
                }
                return prev->thread_id;
            }
            // A buyer who goes back and forth between two orders: a message about one joins
            // the conversation about it (within 30 days), not the other order's. (Looked up
            // only then: on every record with an order it cost an import about 8%.)
            if (other_order) {
                by_order.reset();
                by_order.bind(1, customer);
                by_order.bind(2, in.channel);
                by_order.bind(3, in.received_at - k_thread_window);
                by_order.bind(4, in.received_at);
                by_order.bind(5, in.order_id);
                if (by_order.executeStep()) {
                    return by_order.getColumn(0).getInt64();
                }
            }
        }
        return 0;
    }

    // The buyer's latest message on a channel received at or before `at` (nullptr: none).
    // The latest message overall is cached per buyer and channel, so that an export in time
    // order costs one query per buyer; a record older than the cached one asks the database.
    const Latest* previous_message(int64_t customer, const std::string& channel, TimePoint at) {
        uint64_t key = FieldHash().add(std::to_string(customer)).add(channel).digest();
        auto it = latest.find(key);
        if (it == latest.end()) {
            if (latest.size() >= k_latest_cache_limit) {
                latest.clear();
            }
            latest_any.reset();
            latest_any.bind(1, customer);
            latest_any.bind(2, channel);
            Latest l;
            if (latest_any.executeStep()) {
                l = read_latest(latest_any);
            }
            it = latest.emplace(key, l).first;
        }
        if (!it->second.known) {
            return nullptr;
        }
        if (it->second.received_at <= at) {
            return &it->second;
        }
        latest_before.reset();
        latest_before.bind(1, customer);
        latest_before.bind(2, channel);
        latest_before.bind(3, at);
        if (!latest_before.executeStep()) {
            return nullptr;
        }
        scratch = read_latest(latest_before);
        return &scratch;
    }

    static Latest read_latest(SQLite::Statement& q) {
        Latest l;
        l.known = true;
        l.id = q.getColumn(0).getInt64();
        l.thread_id = q.getColumn(1).getInt64();
        l.received_at = q.getColumn(2).getInt64();
        l.order_id = q.getColumn(3).getString();
        l.status = static_cast<Status>(q.getColumn(4).getInt());
        l.is_head = q.getColumn(5).getInt() != 0;
        l.snooze_or_reply = q.getColumn(6).getInt() != 0;
        return l;
    }

    // Keeps the Message-IDs a new mail refers to, and brings the threads of mails that referred
    // to this one (imported before it) into its thread: one conversation, one thread, whatever
    // the order the messages came in. The merged thread's latest buyer message is its head.
    void link_mail(const NewInquiry& in, int64_t id, int64_t thread) {
        for (const auto& ref : mail_refs(in)) {
            add_ref.reset();
            add_ref.bind(1, static_cast<int64_t>(message_id_key(ref)));
            add_ref.bind(2, id);
            add_ref.exec();
        }
        std::vector<int64_t> others;
        {
            SQLite::Statement q(store.db(),
                                "SELECT DISTINCT i.thread_id FROM mail_ref r JOIN inquiry i ON i.id = r.inquiry_id "
                                "WHERE r.ref_key = ? AND i.thread_id <> ?");
            q.bind(1, static_cast<int64_t>(message_id_key(in.message_id)));
            q.bind(2, thread);
            while (q.executeStep()) {
                others.push_back(q.getColumn(0).getInt64());
            }
        }
        if (others.empty()) {
            return;
        }
        for (int64_t other : others) {
            retarget.reset();
            retarget.bind(1, thread);
            retarget.bind(2, other);
            retarget.exec();
            log(id, 0, "thread", fmt::format("joined thread #{} (a reply had arrived first)", other));
        }
        thread_heads.reset();
        thread_heads.bind(1, thread);
        if (thread_heads.executeStep()) {
            int64_t head = thread_heads.getColumn(0).getInt64();
            set_head.reset();
            set_head.bind(1, head);
            set_head.bind(2, thread);
            set_head.exec();
        }
        latest.clear();  // thread ids moved: cached heads may be stale
    }

    // Records what was just written as the buyer's latest message when it is.
    void remember(int64_t customer, const NewInquiry& in, int64_t id, int64_t thread, Status status,
                  bool head) {
        if (customer == 0 || !in.message_id.empty()) {
            return;
        }
        uint64_t key = FieldHash().add(std::to_string(customer)).add(in.channel).digest();
        auto it = latest.find(key);
        if (it != latest.end() && it->second.known && it->second.received_at > in.received_at) {
            return;
        }
        Latest l;
        l.known = true;
        l.id = id;
        l.thread_id = thread;
        l.received_at = in.received_at;
        l.order_id = in.order_id;
        l.status = status;
        l.is_head = head;
        if (it == latest.end()) {
            if (latest.size() >= k_latest_cache_limit) {
                latest.clear();
            }
            latest.emplace(key, std::move(l));
        } else {
            it->second = std::move(l);
        }
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
        if (in.time_from_import) {
            return existing.getColumn(3).getString() == in.subject &&
                   existing.getColumn(4).getString() == in.body;
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

void prepare_record(const NewInquiry& in, const Classifier& classifier, PreparedRecord& out) {
    out.classification.reset();
    if (classifier && !in.from_seller) {
        out.classification = classifier.text(in);
    }
    fts::pretokenize(in.subject, out.subject_tokens);
    fts::pretokenize(in.body, out.body_tokens);
    out.subject_tokens.next = &out.body_tokens;
    out.tokenized = true;
}

WriteOutcome InquiryWriter::add(const NewInquiry& in, PreparedRecord* prepared) {
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
    w.head_hint.reset();
    int64_t thread = w.find_thread(in, customer);
    Status status = Status::New;
    bool is_head = true;
    int thread_messages = 1;
    bool joined_open = false;
    if (thread != 0) {
        std::optional<Latest> head = w.head_hint;
        if (!head) {
            w.head_of.reset();
            w.head_of.bind(1, thread);
            if (w.head_of.executeStep()) {
                head = Latest{};
                head->known = true;
                head->id = w.head_of.getColumn(0).getInt64();
                head->status = static_cast<Status>(w.head_of.getColumn(1).getInt());
                head->received_at = w.head_of.getColumn(2).getInt64();
                head->snooze_or_reply = w.head_of.getColumn(4).getInt() != 0;
            }
        }
        if (head) {
            // As retag counts them (core/triage/recompute.h): the buyer's messages of the
            // thread up to this one, and the customer's open threads other than this one.
            w.thread_count.reset();
            w.thread_count.bind(1, thread);
            w.thread_count.bind(2, in.received_at);
            w.thread_count.bind(3, id);
            thread_messages = 1 + (w.thread_count.executeStep() ? w.thread_count.getColumn(0).getInt() : 0);
            w.thread_count.reset();
            joined_open = head->status == Status::New || head->status == Status::Open ||
                          head->status == Status::Waiting;
            if (in.from_seller) {
                // The seller answered in the thread: the buyer's messages before it have their
                // first response, and a thread the seller owed an answer now waits for the buyer.
                is_head = false;
                status = head->status;
                w.answered.reset();
                w.answered.bind(1, in.received_at);
                w.answered.bind(2, w.now);
                w.answered.bind(3, thread);
                w.answered.exec();
                if ((head->status == Status::New || head->status == Status::Open) &&
                    head->received_at <= in.received_at) {
                    status = Status::Waiting;
                    w.wait.reset();
                    w.wait.bind(1, w.now);
                    w.wait.bind(2, thread);
                    w.wait.exec();
                    w.log(head->id, customer, "status",
                          fmt::format("{} → waiting: the seller replied by mail ({})", to_string(head->status),
                                      in.source));
                }
            } else if (head->received_at <= in.received_at) {
                w.unhead.reset();
                w.unhead.bind(1, head->id);
                w.unhead.exec();
                // A buyer writing again reopens a thread that waits for them or was resolved.
                status = head->status == Status::New ? Status::New : Status::Open;
                if (head->status != status || head->snooze_or_reply) {
                    w.set_thread_status.reset();
                    w.set_thread_status.bind(1, static_cast<int>(status));
                    w.set_thread_status.bind(2, w.now);
                    w.set_thread_status.bind(3, thread);
                    w.set_thread_status.exec();
                    if (head->status == Status::Waiting || head->status == Status::Resolved) {
                        w.log(head->id, customer, "status",
                              fmt::format("{} → open: the buyer wrote again ({})",
                                          to_string(head->status), in.source));
                    }
                    if (head->snooze_or_reply) {
                        w.log(head->id, customer, "snooze", "snooze ended: the buyer wrote again");
                    }
                }
            } else {
                is_head = false;  // an older message imported late: not the thread's latest
                status = head->status;
            }
        } else {
            thread = 0;
        }
    }
    if (thread == 0) {
        thread = id;
    }
    if (in.from_seller) {
        is_head = thread == id ? false : is_head;
    }

    BuyerSignals signals;
    if (customer != 0) {
        signals = w.signals_of(customer);
        if (joined_open && signals.open_from_customer > 0) {
            --signals.open_from_customer;
        }
    }
    signals.thread_messages = thread_messages;
    // A prepared classification is used where it is, not moved out: it then goes away with
    // the caller's record, on the thread that made it (see core/import/pipeline.h).
    Classification own;
    bool classify = w.classifier && !in.from_seller;
    bool ready = classify && prepared != nullptr && prepared->classification;
    Classification& cls = ready ? *prepared->classification : own;
    if (classify) {
        if (!ready) {
            own = w.classifier.text(in);
        }
        if (w.classifier.signals) {
            w.classifier.signals(cls, signals);
        }
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
    s.bindNoCopy(13, in.subject);
    s.bind(14, in.subject_normalized);
    s.bindNoCopy(15, in.body);
    s.bindNoCopy(16, in.body_full);
    s.bind(17, in.mail_to);
    s.bind(18, in.attachments_json);
    s.bind(19, thread);
    s.bind(20, is_head ? 1 : 0);
    s.bind(21, static_cast<int>(status));
    s.bind(22, static_cast<int>(cls.category));
    s.bind(23, cls.static_score);
    s.bind(24, captures_record(cls.captures));
    s.bind(25, cls.language);
    s.bind(26, flags);
    s.bind(27, w.now);
    s.exec();
    ++w.next_id;

    w.fts.reset();
    w.fts.bind(1, id);
    w.fts.bindNoCopy(2, in.subject);
    w.fts.bindNoCopy(3, in.body);
    if (prepared != nullptr && prepared->tokenized) {
        prepared->subject_tokens.next = &prepared->body_tokens;
        fts::use_pretokenized(&prepared->subject_tokens);
    }
    try {
        w.fts.exec();
    } catch (...) {
        fts::use_pretokenized(nullptr);
        throw;
    }
    fts::use_pretokenized(nullptr);
    for (const auto& t : cls.tags) {
        w.tag.reset();
        w.tag.bind(1, id);
        w.tag.bind(2, t);
        w.tag.exec();
    }

    if (!in.message_id.empty()) {
        w.link_mail(in, id, thread);
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
        w.remember(customer, in, id, thread, status, is_head);
        if (customer != 0 && is_head && thread == id) {
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
    if (w.dry_run) {
        return;
    }
    ++w.in_batch;
    // The clock is read every 64 records: a record takes tens of microseconds.
    bool full = w.in_batch >= w.batch_size ||
                (w.in_batch % 64 == 0 &&
                 std::chrono::steady_clock::now() - w.batch_start >= k_batch_time);
    if (!full) {
        return;
    }
    w.counts.reset();
    w.counts.bind(1, static_cast<int64_t>(m_new));
    w.counts.bind(2, static_cast<int64_t>(m_duplicate));
    w.counts.bind(3, static_cast<int64_t>(m_rejected));
    w.counts.bind(4, static_cast<int64_t>(m_flagged));
    w.counts.bind(5, w.import_id);
    w.counts.exec();
    w.store.release_statements();
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
    w.store.release_statements();
    w.tx->commit();
    w.tx.reset();
}

}  // namespace kefu
