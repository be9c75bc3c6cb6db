#include "core/privacy/purge.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/privacy/buyer_rows.h"

namespace kefu::privacy {

namespace detail {

void collect_buyer_rows(Store& store, int64_t customer_id) {
    store.db().exec("CREATE TEMP TABLE IF NOT EXISTS buyer_rows (id INTEGER PRIMARY KEY)");
    store.db().exec("DELETE FROM temp.buyer_rows");
    SQLite::Statement q(store.db(),
                        "INSERT OR IGNORE INTO temp.buyer_rows(id) "
                        "SELECT id FROM inquiry WHERE customer_id = ?1 UNION "
                        "SELECT id FROM inquiry WHERE flags & 2 = 2 AND thread_id IN "
                        "(SELECT thread_id FROM inquiry WHERE customer_id = ?1)");
    q.bind(1, customer_id);
    q.exec();
}

void fts_remove(Store& store, int64_t id, const std::string& subject, const std::string& body) {
    SQLite::Statement q(
        store.db(),
        "INSERT INTO inquiry_fts(inquiry_fts, rowid, subject, body) VALUES ('delete', ?, ?, ?)");
    q.bind(1, id);
    q.bind(2, subject);
    q.bind(3, body);
    q.exec();
}

void fts_add(Store& store, int64_t id, const std::string& subject, const std::string& body) {
    SQLite::Statement q(store.db(),
                        "INSERT INTO inquiry_fts(rowid, subject, body) VALUES (?, ?, ?)");
    q.bind(1, id);
    q.bind(2, subject);
    q.bind(3, body);
    q.exec();
}

}  // namespace detail

namespace {

int64_t count(Store& store, const char* sql, int64_t customer_id) {
    SQLite::Statement q(store.db(), sql);
    if (q.getBindParameterCount() > 0) {
        q.bind(1, customer_id);
    }
    q.executeStep();
    return q.getColumn(0).getInt64();
}

}  // namespace

namespace detail {

Footprint count_buyer(Store& store, int64_t customer_id) {
    SQLite::Statement c(store.db(), "SELECT name FROM customer WHERE id = ?");
    c.bind(1, customer_id);
    if (!c.executeStep()) {
        throw Error("no such customer", fmt::format("#{}", customer_id),
                    "there is no customer with this id");
    }
    Footprint f;
    f.customer_id = customer_id;
    f.name = c.getColumn(0).getString();
    f.identities = count(store, "SELECT count(*) FROM identity WHERE customer_id = ?", customer_id);
    f.inquiries = count(store, "SELECT count(*) FROM temp.buyer_rows", customer_id);
    f.replies =
        count(store, "SELECT count(*) FROM reply WHERE inquiry_id IN temp.buyer_rows", customer_id);
    f.followups = count(store, "SELECT count(*) FROM followup WHERE inquiry_id IN temp.buyer_rows",
                        customer_id);
    f.tags =
        count(store, "SELECT count(*) FROM tag WHERE inquiry_id IN temp.buyer_rows", customer_id);
    f.events = count(
        store, "SELECT count(*) FROM event WHERE customer_id = ?1 OR inquiry_id IN temp.buyer_rows",
        customer_id);
    return f;
}

}  // namespace detail

namespace {

void exec_with(Store& store, const char* sql, int64_t customer_id) {
    SQLite::Statement q(store.db(), sql);
    if (q.getBindParameterCount() > 0) {
        q.bind(1, customer_id);
    }
    q.exec();
}

}  // namespace

Footprint footprint(Store& store, int64_t customer_id) {
    SQLite::Transaction tx(store.db(), SQLite::TransactionBehavior::DEFERRED);
    detail::collect_buyer_rows(store, customer_id);
    Footprint f = detail::count_buyer(store, customer_id);
    tx.commit();
    return f;
}

Footprint purge_customer(Store& store, int64_t customer_id) {
    store.db().exec("PRAGMA secure_delete = ON");
    WriteTx tx(store);
    detail::collect_buyer_rows(store, customer_id);
    Footprint f = detail::count_buyer(store, customer_id);
    // The index first, while the rows still hold the text it was built from.
    exec_with(store,
              "INSERT INTO inquiry_fts(inquiry_fts, rowid, subject, body) "
              "SELECT 'delete', id, subject, body FROM inquiry WHERE id IN temp.buyer_rows",
              customer_id);
    exec_with(store,
              "DELETE FROM notified WHERE key IN (SELECT 'followup:' || id FROM followup WHERE "
              "inquiry_id IN "
              "temp.buyer_rows) OR key IN (SELECT 'sla:' || id FROM temp.buyer_rows) OR key IN "
              "(SELECT 'snooze:' || id FROM temp.buyer_rows)",
              customer_id);
    exec_with(store, "DELETE FROM reply WHERE inquiry_id IN temp.buyer_rows", customer_id);
    exec_with(store, "DELETE FROM followup WHERE inquiry_id IN temp.buyer_rows", customer_id);
    exec_with(store, "DELETE FROM tag WHERE inquiry_id IN temp.buyer_rows", customer_id);
    exec_with(store, "DELETE FROM event WHERE customer_id = ?1 OR inquiry_id IN temp.buyer_rows",
              customer_id);
    // Threads shared with other buyers (rare: a forwarded mail) keep a head.
    exec_with(store, "CREATE TEMP TABLE IF NOT EXISTS touched_threads (id INTEGER PRIMARY KEY)",
              customer_id);
    exec_with(store, "DELETE FROM temp.touched_threads", customer_id);
    exec_with(
        store,
        "INSERT OR IGNORE INTO temp.touched_threads SELECT thread_id FROM inquiry WHERE id IN "
        "temp.buyer_rows",
        customer_id);
    exec_with(store, "DELETE FROM inquiry WHERE id IN temp.buyer_rows", customer_id);
    exec_with(
        store,
        "UPDATE inquiry SET is_head = 1 WHERE id IN (SELECT (SELECT m.id FROM inquiry m WHERE "
        "m.thread_id = t.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1) FROM "
        "temp.touched_threads t) "
        "AND is_head = 0 AND NOT EXISTS (SELECT 1 FROM inquiry h WHERE h.thread_id = "
        "inquiry.thread_id "
        "AND h.is_head = 1)",
        customer_id);
    exec_with(store, "DELETE FROM identity WHERE customer_id = ?", customer_id);
    exec_with(store, "DELETE FROM customer WHERE id = ?", customer_id);
    exec_with(store, "DELETE FROM temp.buyer_rows", customer_id);
    exec_with(store, "DELETE FROM temp.touched_threads", customer_id);
    // Merge the index segments so that the deleted entries are dropped, not only marked.
    store.db().exec("INSERT INTO inquiry_fts(inquiry_fts) VALUES ('optimize')");
    tx.commit();
    return f;
}

bool scrub(Store& store) {
    store.db().exec("PRAGMA secure_delete = ON");
    if (store.path() == ":memory:") {
        store.db().exec("VACUUM");
        return true;
    }
    // Checkpoint first so that VACUUM starts from a file without the old pages in its WAL,
    // then VACUUM rewrites every page (nothing deleted survives on a free page), and a last
    // TRUNCATE checkpoint moves the new pages into the file and empties the WAL.
    store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    store.db().exec("VACUUM");
    SQLite::Statement cp(store.db(), "PRAGMA wal_checkpoint(TRUNCATE)");
    bool complete = true;
    if (cp.executeStep()) {
        complete = cp.getColumn(0).getInt() == 0;
    }
    return complete;
}

}  // namespace kefu::privacy
