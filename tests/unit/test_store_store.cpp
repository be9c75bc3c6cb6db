#include <doctest/doctest.h>
#include <SQLiteCpp/Exception.h>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/error.h"
#include "core/store/customers.h"
#include "core/store/store.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
    char tmpl[] = "/tmp/kefu-test-XXXXXX";
    return fs::path(mkdtemp(tmpl));
}
int mode_of(const fs::path& p) {
    struct stat st {};
    stat(p.c_str(), &st);
    return static_cast<int>(st.st_mode & 0777);
}
}  // namespace

TEST_CASE("a new database is created private, at the latest schema") {
    fs::path dir = temp_dir();
    fs::path db = dir / "deep" / "er" / "kefu.db";
    {
        auto s = Store::open(db.string(), StoreMode::Write);
        CHECK(s->schema_version() == Store::latest_version());
        CHECK(s->db().execAndGet("PRAGMA application_id").getInt() == Store::k_application_id);
        CHECK(s->db().execAndGet("PRAGMA journal_mode").getString() == "wal");
        CHECK(s->db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
        CHECK(s->check().empty());
    }
    CHECK(mode_of(db) == 0600);
    CHECK(mode_of(db.parent_path()) == 0700);
    // Opening again is idempotent.
    auto again = Store::open(db.string(), StoreMode::Write);
    CHECK(again->schema_version() == Store::latest_version());
    fs::remove_all(dir);
}

TEST_CASE("foreign, newer and missing databases are refused") {
    fs::path dir = temp_dir();
    {
        SQLite::Database other((dir / "other.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        other.exec("CREATE TABLE notes(x)");
    }
    CHECK_THROWS_WITH_AS(Store::open((dir / "other.db").string(), StoreMode::Write),
                         doctest::Contains("not a kefu database"), Error);
    {
        std::ofstream junk(dir / "junk.db");
        junk << "this is not sqlite at all, just some text that is long enough to be a header......";
    }
    CHECK_THROWS_WITH_AS(Store::open((dir / "junk.db").string(), StoreMode::Write),
                         doctest::Contains("not a kefu database"), Error);
    {
        auto s = Store::open((dir / "new.db").string(), StoreMode::Write);
        s->db().exec("PRAGMA user_version = 999");
    }
    CHECK_THROWS_WITH_AS(Store::open((dir / "new.db").string(), StoreMode::Write),
                         doctest::Contains("newer kefu"), Error);
    CHECK_THROWS_WITH_AS(Store::open((dir / "missing.db").string(), StoreMode::Read),
                         doctest::Contains("no database"), Error);
    CHECK_FALSE(fs::exists(dir / "missing.db"));
    CHECK_THROWS_AS(Store::open(dir.string(), StoreMode::Write), Error);
    fs::remove_all(dir);
}

TEST_CASE("backup copies the database and refuses to overwrite") {
    fs::path dir = temp_dir();
    auto s = Store::open((dir / "a.db").string(), StoreMode::Write);
    s->db().exec("INSERT INTO customer(name, created_at) VALUES ('张伟', 1)");
    s->backup_to((dir / "b.db").string());
    auto b = Store::open((dir / "b.db").string(), StoreMode::Read);
    CHECK(b->db().execAndGet("SELECT name FROM customer").getString() == "张伟");
    CHECK(mode_of(dir / "b.db") == 0600);
    CHECK_THROWS_AS(s->backup_to((dir / "b.db").string()), Error);
    fs::remove_all(dir);
}

TEST_CASE("identities: the same contact written two ways is one customer") {
    CHECK(normalize_email(" Zhang.Wei@Example.COM ") == "zhang.wei@example.com");
    CHECK(normalize_email("not an email") == "");
    CHECK(normalize_phone("+86 138-1234-1234") == "13812341234");
    CHECK(normalize_phone("0086 13812341234") == "13812341234");
    CHECK(normalize_phone("(555) 010-9999") == "5550109999");
    CHECK(normalize_phone("abc123") == "");
    auto s = Store::open(":memory:", StoreMode::Write);
    WriteTx tx(*s);
    CustomerResolver r(*s, 100);
    int64_t a = r.resolve({"张伟", "taobao", "", "138 1234 1234", true});
    int64_t b = r.resolve({"张伟的小号", "xianyu", "", "+8613812341234", true});
    int64_t c = r.resolve({"张伟", "taobao", "zw@example.com", "", true});
    int64_t d = r.resolve({"张伟", "pinduoduo", "", "", true});
    CHECK(a == b);
    CHECK(a == c);
    CHECK(d != a);  // same name on another marketplace, nothing shared: another buyer
    CHECK(r.resolve({"", "", "", "", true}) == 0);
    tx.commit();
    CHECK(s->db().execAndGet("SELECT count(*) FROM identity WHERE customer_id = " + std::to_string(a)).getInt() == 4);
}

TEST_CASE("a writer gets in between the batches of another, or fails at once when told not to wait") {
    fs::path dir = temp_dir();
    std::string path = (dir / "kefu.db").string();
    auto a = Store::open(path, StoreMode::Write);
    auto b = Store::open(path, StoreMode::Write);
    a->db().exec("CREATE TABLE t(x)");

    // Not waiting: the lock is taken, BEGIN IMMEDIATE fails at once.
    {
        WriteTx held(*a);
        b->set_busy_wait(0);
        auto t0 = std::chrono::steady_clock::now();
        CHECK_THROWS_AS(WriteTx{*b}, SQLite::Exception);
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
        b->set_busy_wait(Store::k_busy_timeout_ms);
    }

    // Waiting: `a` writes like an import, batch after batch, each holding the lock for 20 ms
    // and beginning the next 0.25 ms after committing. `b` must get its turn in one of those
    // short gaps within a few batches; a waiter that slept 100 ms between tries (SQLite's own
    // busy handler) would hit one about once in 80 tries, seconds later.
    std::atomic<bool> stop{false};
    std::thread importer([&] {
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!stop && std::chrono::steady_clock::now() < until) {
            WriteTx tx(*a);
            a->db().exec("INSERT INTO t VALUES (1)");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            tx.commit();
            std::this_thread::sleep_for(std::chrono::microseconds(250));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    auto t0 = std::chrono::steady_clock::now();
    {
        WriteTx tx(*b);
        b->db().exec("INSERT INTO t VALUES (2)");
        tx.commit();
    }
    auto waited = std::chrono::steady_clock::now() - t0;
    stop = true;
    importer.join();
    MESSAGE("waited " << std::chrono::duration<double, std::milli>(waited).count() << " ms");
    CHECK(waited < std::chrono::seconds(1));
    CHECK(b->db().execAndGet("SELECT count(*) FROM t WHERE x = 2").getInt() == 1);
    fs::remove_all(dir);
}
