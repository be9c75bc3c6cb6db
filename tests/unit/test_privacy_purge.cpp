// Privacy requests on a database file: purge leaves no trace of the buyer in any table, the
// full-text index or the file's bytes; forget keeps every figure of the report.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/customers/customers.h"
#include "core/error.h"
#include "core/import/import.h"
#include "core/privacy/purge.h"
#include "core/queue.h"
#include "core/report/figures.h"
#include "core/store/fts.h"
#include "core/time.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    kefu_test::ZoneGuard zone{"Asia/Shanghai"};  // first: the zone outlives the store
    fs::path dir;
    fs::path db;
    std::unique_ptr<Store> store;
    TimePoint now = 1794715200;  // 2026-11-15 12:00 +08:00

    Fixture() {
        char tmpl[] = "/tmp/kefu-privacy-XXXXXX";
        dir = fs::path(mkdtemp(tmpl));
        db = dir / "kefu.db";
        store = Store::open(db.string(), StoreMode::Write);
        import::Options opt;
        opt.rejects_dir = dir.string();
        auto s = import::import_path(
            *store, (fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries.csv").string(), opt, {},
            now, {});
        REQUIRE(s.n_new == 66);
    }
    ~Fixture() { fs::remove_all(dir); }

    int64_t one(const std::string& sql) { return store->db().execAndGet(sql).getInt64(); }
    int64_t customer_of(const std::string& external_id) {
        SQLite::Statement q(store->db(), "SELECT customer_id FROM inquiry WHERE external_id = ?");
        q.bind(1, external_id);
        REQUIRE(q.executeStep());
        return q.getColumn(0).getInt64();
    }
    // Everything around one buyer's thread: a reply naming them, a follow-up, a note, a tag,
    // and a seller mail in the thread that quotes their phone number.
    void surround(int64_t customer, const std::string& name, const std::string& phone) {
        std::string c = std::to_string(customer);
        int64_t first = one("SELECT min(id) FROM inquiry WHERE customer_id = " + c);
        std::string f = std::to_string(first);
        int64_t thread = one("SELECT thread_id FROM inquiry WHERE id = " + f);
        store->db().exec("INSERT INTO reply(inquiry_id, template_id, text, sent_at) VALUES (" + f +
                         ", 'ack', '" + name + "您好，已收到', " + std::to_string(now - 3600) +
                         ")");
        store->db().exec("INSERT INTO followup(inquiry_id, due_at, note, created_at) VALUES (" + f +
                         ", " + std::to_string(now + 86400) + ", '回电 " + phone + "', " +
                         std::to_string(now - 60) + ")");
        store->db().exec("INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES (" +
                         f + ", " + c + ", " + std::to_string(now - 30) + ", 'note', '" + name +
                         " 说下午在家')");
        store->db().exec("INSERT INTO tag(inquiry_id, name, source) VALUES (" + f +
                         ", 'vip-gift', 1)");
        store->db().exec("INSERT INTO notified(key, stamp, at) VALUES ('sla:" + f + "', 1, 1)");
        store->db().exec(
            "INSERT INTO inquiry(source, dedupe_key, received_at, channel, customer_id, contact, "
            "body, "
            "thread_id, is_head, status, flags) VALUES ('seller', 4242, " +
            std::to_string(now - 100) + ", 'email', NULL, 'shop@example.com', '回复" + name +
            "：已致电 " + phone + "', " + std::to_string(thread) + ", 0, 0, 2)");
        int64_t seller = store->db().getLastInsertRowid();
        store->db().exec(
            "INSERT INTO inquiry_fts(rowid, subject, body) SELECT id, subject, body FROM inquiry "
            "WHERE id = " +
            std::to_string(seller));
    }
    // The database file and its WAL, as bytes.
    std::string file_bytes() {
        std::string all;
        for (const fs::path& p : {db, fs::path(db.string() + "-wal")}) {
            std::ifstream in(p, std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            all += ss.str();
        }
        return all;
    }
    // Rows of the full-text index that match, seller mails included (search() leaves those out).
    int64_t hits(const std::string& q) {
        SQLite::Statement s(store->db(),
                            "SELECT count(*) FROM inquiry_fts WHERE inquiry_fts MATCH ?");
        s.bind(1, fts::build_match_query(q));
        s.executeStep();
        return s.getColumn(0).getInt64();
    }
};

int mode_of(const fs::path& p) {
    struct stat st {};
    stat(p.c_str(), &st);
    return static_cast<int>(st.st_mode & 0777);
}

}  // namespace

TEST_CASE("purge: no table, no search and no byte of the file keeps the buyer") {
    Fixture fx;
    int64_t zhang = fx.customer_of("Q1006");
    fx.surround(zhang, "张伟", "13812345678");
    REQUIRE(fx.hits("合并一个包裹") == 1);  // Q1016, one of his messages
    REQUIRE(fx.hits("已致电") == 1);        // the seller mail in his thread
    REQUIRE(fx.file_bytes().find("合并一个包裹") != std::string::npos);

    auto before = privacy::footprint(*fx.store, zhang);
    CHECK(before.name == "张伟");
    CHECK(before.identities == 2);
    CHECK(before.inquiries == 7);  // six messages and the seller mail
    CHECK(before.replies == 1);
    CHECK(before.followups == 1);
    CHECK(before.tags == 1);
    CHECK(before.events == 1);
    int64_t others = fx.one("SELECT count(*) FROM inquiry") - before.inquiries;

    // The data on disk as after days of use, and a SQLite that does not zero deleted content
    // by default (Debian's does): purge must see to it itself.
    fx.store->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    fx.store->db().exec("PRAGMA secure_delete = OFF");
    auto done = privacy::purge_customer(*fx.store, zhang);
    CHECK(done.inquiries == 7);
    CHECK(privacy::scrub(*fx.store));

    std::string c = std::to_string(zhang);
    CHECK(fx.one("SELECT count(*) FROM customer WHERE id = " + c) == 0);
    CHECK(fx.one("SELECT count(*) FROM identity WHERE customer_id = " + c) == 0);
    CHECK(fx.one("SELECT count(*) FROM inquiry WHERE customer_id = " + c) == 0);
    CHECK(fx.one("SELECT count(*) FROM inquiry") == others);
    CHECK(fx.one("SELECT count(*) FROM reply") == 0);
    CHECK(fx.one("SELECT count(*) FROM followup") == 0);
    CHECK(fx.one("SELECT count(*) FROM event") == 0);
    CHECK(fx.one("SELECT count(*) FROM tag") == 0);
    CHECK(fx.one("SELECT count(*) FROM notified") == 0);
    // Every text column of every table, and the index.
    for (const char* needle : {"张伟", "13812345678", "合并一个包裹", "儿童电话手表", "已致电"}) {
        std::string n = needle;
        CHECK_MESSAGE(fx.one("SELECT count(*) FROM inquiry WHERE instr(subject || body || "
                             "body_full || contact || "
                             "product || source, '" +
                             n + "')") == 0,
                      n);
        CHECK_MESSAGE(fx.one("SELECT count(*) FROM customer WHERE instr(name, '" + n + "')") == 0,
                      n);
        CHECK_MESSAGE(
            fx.one("SELECT count(*) FROM identity WHERE instr(value || display, '" + n + "')") == 0,
            n);
    }
    CHECK(fx.hits("合并一个包裹") == 0);
    CHECK(fx.hits("已致电") == 0);
    CHECK(fx.hits("13812345678") == 0);
    CHECK(fx.hits("退款") > 0);  // everyone else is still found
    CHECK(fx.store->check().empty());
    CHECK(find_customers(*fx.store, "13812345678").empty());

    fx.store.reset();  // closes: the WAL is checkpointed and removed
    std::string bytes = fx.file_bytes();
    for (const char* needle :
         {"张伟", "13812345678", "合并一个包裹", "儿童电话手表", "已致电", "说下午在家"}) {
        CHECK_MESSAGE(bytes.find(needle) == std::string::npos, std::string(needle));
    }
    CHECK(bytes.find("小鹿爱购物") != std::string::npos);  // someone else's data is still there
    CHECK(mode_of(fx.db) == 0600);
    CHECK_THROWS_AS(privacy::footprint(*Store::open(fx.db.string(), StoreMode::Read), zhang),
                    Error);
}

TEST_CASE("forget: every figure of the report stays, the personal data goes") {
    Fixture fx;
    int64_t lina = fx.customer_of("Q1014");
    fx.surround(lina, "李娜", "13655556666");
    fx.store->db().exec(
        "UPDATE inquiry SET first_response_at = received_at + 7200, status = 2 WHERE id IN (1, "
        "14)");
    report::Options o;
    o.now = fx.now;
    o.since = fx.now - 30 * 86400;
    o.until = fx.now;
    auto before = report::to_json(report::compute(*fx.store, o));

    fx.store->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    fx.store->db().exec("PRAGMA secure_delete = OFF");
    auto r = privacy::forget_customer(*fx.store, lina, fx.now);
    CHECK(r.rows.identities == 2);
    CHECK(r.texts_changed >= 5);
    CHECK(privacy::scrub(*fx.store));

    auto after = report::to_json(report::compute(*fx.store, o));
    // The repeat buyers' list names customers; every count is the same.
    for (auto* j : {&before, &after}) {
        for (auto& row : (*j)["repeat_customers"]["top"]) {
            row.erase("customer");
        }
    }
    CHECK(before == after);

    std::string c = std::to_string(lina);
    CHECK(fx.one("SELECT count(*) FROM inquiry WHERE customer_id = " + c) == 2);
    CHECK(fx.one("SELECT count(*) FROM identity WHERE customer_id = " + c) == 0);
    CHECK(fx.store->db().execAndGet("SELECT name FROM customer WHERE id = " + c).getString() ==
          "[name]");
    CHECK(fx.store->db()
              .execAndGet("SELECT group_concat(contact) FROM inquiry WHERE customer_id = " + c)
              .getString() == "[email],[email]");
    std::string body = fx.store->db()
                           .execAndGet("SELECT body FROM inquiry WHERE external_id = 'Q1014'")
                           .getString();
    CHECK(body.find("[name]") != std::string::npos);                   // the signature
    CHECK(body.find("订单号 2026110112345678") != std::string::npos);  // the order number stays
    CHECK(fx.hits("李娜") == 0);
    CHECK(fx.hits("激活码") > 0);  // the rest of her text is still searchable
    CHECK(fx.store->check().empty());

    fx.store.reset();
    std::string bytes = fx.file_bytes();
    for (const char* needle : {"李娜", "lina.li@163.com", "13655556666"}) {
        CHECK_MESSAGE(bytes.find(needle) == std::string::npos, std::string(needle));
    }
}

TEST_CASE("redact older than a cutoff: old texts masked, newer ones and contacts kept") {
    Fixture fx;
    TimePoint cutoff = *timeutil::parse_timestamp("2026-11-02 00:00", timeutil::Zone::local());
    auto dry = privacy::redact_older_than(*fx.store, cutoff, true);
    CHECK(dry.texts_changed == 1);  // Q1009's address; Q1014 (11-02) and Q1021 are newer
    std::string q1009 = fx.store->db()
                            .execAndGet("SELECT body FROM inquiry WHERE external_id = 'Q1009'")
                            .getString();
    CHECK(q1009.find("文三路478号") != std::string::npos);  // the dry run changed nothing

    auto done = privacy::redact_older_than(*fx.store, cutoff, false);
    CHECK(done.texts_changed == 1);
    CHECK(done.replacements == 1);
    q1009 = fx.store->db()
                .execAndGet("SELECT body FROM inquiry WHERE external_id = 'Q1009'")
                .getString();
    CHECK(q1009.find("[address]") != std::string::npos);
    CHECK(q1009.find("文三路") == std::string::npos);
    std::string q1021 = fx.store->db()
                            .execAndGet("SELECT body FROM inquiry WHERE external_id = 'Q1021'")
                            .getString();
    CHECK(q1021.find("1420 Maple Ave") != std::string::npos);
    CHECK(fx.hits("文三路") == 0);
    CHECK(fx.hits("华星时代广场") == 0);
    CHECK(fx.store->check().empty());
    // Contacts stay: the buyer is still recognised.
    CHECK(!find_customers(*fx.store, "13812345678").empty());
}
