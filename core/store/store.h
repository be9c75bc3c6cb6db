#pragma once
// The SQLite store: opening (path, permissions, pragmas), schema migrations, the kefu FTS
// tokenizer, write transactions, integrity check and online backup. What is stored is
// described at the top of core/store/schema.sql.

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <vector>

namespace kefu {

// What a command needs from the database.
enum class StoreMode {
    Read,    // must exist and be current; nothing is written
    Write,   // created if missing, migrated forward
};

class Store {
public:
    static constexpr int k_application_id = 0x6B656675;  // "kefu"
    static constexpr int k_busy_timeout_ms = 10000;

    // Opens (creating it in Write mode, with its folder 0700 and the file 0600) and migrates.
    // ":memory:" gives an in-memory store with every migration run (for tests).
    // Throws kefu::Error for a foreign file, a newer schema, or a missing file in Read mode.
    static std::unique_ptr<Store> open(const std::string& path, StoreMode mode);
    // Held by pointer only: the connection's busy handler points into the store.
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    SQLite::Database& db() { return *m_db; }
    const std::string& path() const { return m_path; }
    int schema_version() const;
    // The number of schema steps this binary knows.
    static int latest_version();

    // When opening it upgraded an existing database: the schema version it had, and the copy
    // of the file as it was (made before the first step). 0 and "" otherwise.
    int upgraded_from() const { return m_upgraded_from; }
    const std::string& upgrade_backup() const { return m_upgrade_backup; }

    // PRAGMA integrity_check, foreign_key_check and the FTS index check; empty when all is well.
    std::vector<std::string> check();

    // Copies the whole database to `file` with SQLite's online backup API (safe while others
    // read and write). Refuses to overwrite an existing file.
    void backup_to(const std::string& file);

    // How long a statement that finds the database locked by another connection waits for it,
    // trying every 0.2 ms, before it fails with SQLITE_BUSY: k_busy_timeout_ms unless changed;
    // 0 fails at once.
    void set_busy_wait(int max_ms);

    // Resets every statement of the connection that is left on a row. A statement left on a
    // row keeps its read snapshot after COMMIT, and the next BEGIN IMMEDIATE then fails at
    // once (not after the busy timeout) when another process wrote meanwhile. Call it only
    // when no statement of this connection is being iterated.
    void release_statements();

private:
    Store(std::string path, std::unique_ptr<SQLite::Database> db);
    void configure();
    void migrate(bool existing);

    std::string m_path;
    std::unique_ptr<SQLite::Database> m_db;
    int m_busy_wait_ms = k_busy_timeout_ms;  // read by the busy handler (set_busy_wait)
    int m_upgraded_from = 0;
    std::string m_upgrade_backup;
};

// An IMMEDIATE write transaction (takes the write lock at once, so that the busy handler
// applies and two writers never deadlock). Rolls back unless commit() was called.
class WriteTx {
public:
    explicit WriteTx(Store& store);
    ~WriteTx();
    WriteTx(const WriteTx&) = delete;
    WriteTx& operator=(const WriteTx&) = delete;
    void commit();

private:
    SQLite::Database& m_db;
    bool m_done = false;
};

}  // namespace kefu
