#include "core/store/store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "core/embedded.h"
#include "core/error.h"
#include "core/store/fts.h"

namespace kefu {
namespace fs = std::filesystem;
namespace {

struct Step {
    int number;
    std::string title;
    std::string sql;
};

// Splits schema.sql at its "-- step N: title" lines.
std::vector<Step> schema_steps() {
    auto text = embedded::find("core/store/schema.sql");
    if (!text) {
        throw std::logic_error("schema.sql is not embedded");
    }
    std::vector<Step> steps;
    size_t pos = 0;
    std::string_view s = *text;
    while (pos < s.size()) {
        size_t eol = s.find('\n', pos);
        if (eol == std::string_view::npos) {
            eol = s.size();
        }
        std::string_view line = s.substr(pos, eol - pos);
        if (line.starts_with("-- step ")) {
            Step st;
            st.number = std::atoi(std::string(line.substr(8)).c_str());
            size_t colon = line.find(':');
            st.title = colon == std::string_view::npos ? "" : std::string(line.substr(colon + 2));
            if (st.number != static_cast<int>(steps.size()) + 1) {
                throw std::logic_error("schema.sql steps must be numbered 1, 2, 3, …");
            }
            steps.push_back(std::move(st));
        } else if (!steps.empty()) {
            steps.back().sql.append(line);
            steps.back().sql += '\n';
        }
        pos = eol + 1;
    }
    return steps;
}

void make_private_dir(const fs::path& dir) {
    if (dir.empty() || fs::exists(dir)) {
        return;
    }
    make_private_dir(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        throw Error("cannot create folder", dir.string(), std::strerror(errno));
    }
}

// The busy handler of every connection: while another connection holds the lock, try again
// every 0.2 ms, for up to the milliseconds `max_ms` points to. SQLite's own handler
// (busy_timeout) sleeps up to 100 ms between tries, and so loses every race against an import
// that begins its next batch as soon as it commits the last one: `kefu note` or `kefu reply`
// beside a large import would wait out the whole timeout and fail with "database is locked".
int eager_busy_handler(void* max_ms, int tries) {
    using Clock = std::chrono::steady_clock;
    thread_local Clock::time_point started;
    if (tries == 0) {
        started = Clock::now();
    }
    if (Clock::now() - started >= std::chrono::milliseconds(*static_cast<const int*>(max_ms))) {
        return 0;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    return 1;
}

}  // namespace

int Store::latest_version() {
    static const int k_latest = static_cast<int>(schema_steps().size());
    return k_latest;
}

Store::Store(std::string path, std::unique_ptr<SQLite::Database> db)
    : m_path(std::move(path)), m_db(std::move(db)) {}

std::unique_ptr<Store> Store::open(const std::string& path, StoreMode mode) {
    bool memory = path == ":memory:";
    bool existed = memory ? false : fs::exists(path);
    if (!memory) {
        if (existed && fs::is_directory(path)) {
            throw Error("cannot open database", path, "it is a folder",
                        "give the database file itself, e.g. --db " + (fs::path(path) / "kefu.db").string());
        }
        if (!existed && mode == StoreMode::Read) {
            throw Error("no database", path, "it does not exist yet",
                        "run `kefu init` or `kefu import FILE` first, or give --db");
        }
        if (!existed) {
            fs::path parent = fs::absolute(path).parent_path();
            make_private_dir(parent);
            // Create the file ourselves so that it is 0600 from the first byte; SQLite gives
            // the -wal and -shm files the same mode.
            int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd < 0) {
                throw Error("cannot create database", path, std::strerror(errno));
            }
            ::close(fd);
        } else if (::access(path.c_str(), R_OK) != 0) {
            throw Error("cannot open database", path, std::strerror(errno));
        } else if (mode == StoreMode::Write && ::access(path.c_str(), W_OK) != 0) {
            // Said now, before a command does any work that it would then have to undo.
            throw Error("cannot write the database", path, std::strerror(errno),
                        "this command changes the database: check the file's permissions");
        }
    }
    std::unique_ptr<SQLite::Database> db;
    try {
        db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                k_busy_timeout_ms);
    } catch (const SQLite::Exception& e) {
        throw Error("cannot open database", path, e.what());
    }
    std::unique_ptr<Store> store(new Store(path, std::move(db)));
    try {
        store->configure();
        int app_id = store->m_db->execAndGet("PRAGMA application_id").getInt();
        int version = store->schema_version();
        int tables = store->m_db->execAndGet("SELECT count(*) FROM sqlite_schema").getInt();
        if (app_id != k_application_id && !(app_id == 0 && version == 0 && tables == 0)) {
            throw Error("not a kefu database", path,
                        "it is an SQLite file that another program made",
                        "give kefu its own file with --db or $KEFU_DB");
        }
        if (version > latest_version()) {
            throw Error("database is from a newer kefu", path,
                        fmt::format("its schema is version {}, this kefu knows up to {}", version,
                                    latest_version()),
                        "upgrade kefu; this one will not touch the file");
        }
        if (version < latest_version()) {
            if (mode == StoreMode::Read && version > 0) {
                throw Error("database needs an upgrade", path,
                            fmt::format("its schema is version {}, this kefu uses {}", version,
                                        latest_version()),
                            "run `kefu init` to upgrade it (a backup is made first)");
            }
            store->migrate(version > 0);
        }
    } catch (const SQLite::Exception& e) {
        std::string why = e.what();
        if (e.getErrorCode() == SQLITE_NOTADB) {
            throw Error("not a kefu database", path, "the file is not an SQLite database",
                        "give kefu its own file with --db or $KEFU_DB");
        }
        throw Error("cannot open database", path, why);
    }
    return store;
}

void Store::configure() {
    sqlite3_busy_handler(m_db->getHandle(), eager_busy_handler, &m_busy_wait_ms);
    fts::register_tokenizer(m_db->getHandle());
    // Reading the header also detects a file that is not SQLite at all.
    m_db->exec("PRAGMA foreign_keys = ON");
    if (m_path != ":memory:") {
        std::string jm = m_db->execAndGet("PRAGMA journal_mode = WAL").getString();
        (void)jm;
    }
    m_db->exec("PRAGMA synchronous = NORMAL");
    m_db->exec("PRAGMA temp_store = MEMORY");
    m_db->exec("PRAGMA cache_size = -32768");  // 32 MiB: the import's indexes stay in memory
    // Copy the WAL back into the database every 64 MiB instead of every 4 MiB (SQLite's
    // default): an import commits a batch every few MiB, and each checkpoint waits for the
    // disk twice; an index page that several batches change is written back once. The file is
    // cut back to 64 MiB after each checkpoint. A 1M-row import: 47-49 s -> 42 s.
    m_db->exec("PRAGMA wal_autocheckpoint = 16384");
    m_db->exec("PRAGMA journal_size_limit = 67108864");
}

void Store::set_busy_wait(int max_ms) {
    m_busy_wait_ms = max_ms;
}

int Store::schema_version() const { return m_db->execAndGet("PRAGMA user_version").getInt(); }

void Store::migrate(bool existing) {
    int version = schema_version();
    if (existing && m_path != ":memory:") {
        // A copy of the file as it was, before any step touches it.
        std::string backup = fmt::format("{}.v{}.bak", m_path, version);
        if (!fs::exists(backup)) {
            SQLite::Statement vac(*m_db, "VACUUM INTO ?");
            vac.bind(1, backup);
            vac.exec();
        }
        m_upgraded_from = version;
        m_upgrade_backup = backup;
    }
    for (const Step& step : schema_steps()) {
        if (step.number <= version) {
            continue;
        }
        WriteTx tx(*this);
        // Re-check inside the lock: another process may have migrated meanwhile.
        if (schema_version() >= step.number) {
            continue;
        }
        m_db->exec(step.sql);
        m_db->exec(fmt::format("PRAGMA application_id = {}", k_application_id));
        m_db->exec(fmt::format("PRAGMA user_version = {}", step.number));
        tx.commit();
    }
}

std::vector<std::string> Store::check() {
    std::vector<std::string> problems;
    SQLite::Statement ic(*m_db, "PRAGMA integrity_check");
    while (ic.executeStep()) {
        std::string line = ic.getColumn(0).getString();
        if (line != "ok") {
            problems.push_back(line);
        }
    }
    SQLite::Statement fk(*m_db, "PRAGMA foreign_key_check");
    while (fk.executeStep()) {
        problems.push_back(fmt::format("row {} of table {} refers to a missing row of {}",
                                       fk.getColumn(1).getInt64(), fk.getColumn(0).getString(),
                                       fk.getColumn(2).getString()));
    }
    try {
        m_db->exec("INSERT INTO inquiry_fts(inquiry_fts, rank) VALUES('integrity-check', 1)");
    } catch (const SQLite::Exception& e) {
        problems.push_back(fmt::format("full-text index does not match the inquiries ({})", e.what()));
    }
    int64_t orphans = m_db->execAndGet(
        "SELECT count(*) FROM inquiry i WHERE i.thread_id <> 0 AND NOT EXISTS "
        "(SELECT 1 FROM inquiry t WHERE t.id = i.thread_id)").getInt64();
    if (orphans > 0) {
        problems.push_back(fmt::format("{} inquiries point to a missing thread", orphans));
    }
    int64_t heads = m_db->execAndGet(
        "SELECT count(*) FROM (SELECT thread_id FROM inquiry GROUP BY thread_id "
        "HAVING sum(is_head) <> 1)").getInt64();
    if (heads > 0) {
        problems.push_back(fmt::format("{} threads do not have exactly one latest message", heads));
    }
    return problems;
}

void Store::backup_to(const std::string& file) {
    if (fs::exists(file)) {
        throw Error("cannot back up", file, "the file exists already", "give a new file name");
    }
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw Error("cannot back up", file, std::strerror(errno));
    }
    ::close(fd);
    sqlite3* dest = nullptr;
    int rc = sqlite3_open(file.c_str(), &dest);
    if (rc == SQLITE_OK) {
        sqlite3_backup* b = sqlite3_backup_init(dest, "main", m_db->getHandle(), "main");
        if (b == nullptr) {
            rc = sqlite3_errcode(dest);
        } else {
            do {
                rc = sqlite3_backup_step(b, 1024);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
                    sqlite3_sleep(50);
                }
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
    std::string why = rc == SQLITE_OK ? "" : sqlite3_errmsg(dest);
    sqlite3_close(dest);
    if (rc != SQLITE_OK) {
        fs::remove(file);
        throw Error("backup failed", file, why);
    }
}

void Store::release_statements() {
    sqlite3* db = m_db->getHandle();
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr; st = sqlite3_next_stmt(db, st)) {
        if (sqlite3_stmt_busy(st) != 0) {
            sqlite3_reset(st);
        }
    }
}

WriteTx::WriteTx(Store& store) : m_db(store.db()) { m_db.exec("BEGIN IMMEDIATE"); }

WriteTx::~WriteTx() {
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // Nothing more can be done; the connection rolls back when it closes.
        }
    }
}

void WriteTx::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

}  // namespace kefu
