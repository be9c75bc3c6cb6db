#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/import/import.h"
#include "core/store/store.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    kefu_test::ZoneGuard zone{"Asia/Shanghai"};  // first: the zone outlives the store
    fs::path dir;
    std::unique_ptr<Store> store;
    Fixture() {
        char tmpl[] = "/tmp/kefu-import-XXXXXX";
        dir = fs::path(mkdtemp(tmpl));
        store = Store::open((dir / "kefu.db").string(), StoreMode::Write);
    }
    ~Fixture() { fs::remove_all(dir); }
    fs::path write(const std::string& name, const std::string& content) {
        fs::path p = dir / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }
    import::Summary run(const fs::path& p, import::Options opt = {}) {
        opt.rejects_dir = (dir / "rejects").string();
        return import::import_path(*store, p.string(), opt, {}, 1790000000, {});
    }
    int64_t count(const std::string& sql) { return store->db().execAndGet(sql).getInt64(); }
};

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("the sample CSVs import, and a second import changes nothing") {
    Fixture f;
    fs::path sample = fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries.csv";
    auto s = f.run(sample);
    CHECK(s.n_new == 66);
    CHECK(s.n_rejected == 0);
    CHECK(s.encoding == "UTF-8");
    int64_t rows = f.count("SELECT count(*) FROM inquiry");
    std::string before = f.store->db().execAndGet("SELECT group_concat(id || status || thread_id || is_head) FROM inquiry").getString();
    auto again = f.run(sample);
    CHECK(again.n_new == 0);
    CHECK(again.n_duplicate == 66);
    CHECK(f.count("SELECT count(*) FROM inquiry") == rows);
    CHECK(f.store->db().execAndGet("SELECT group_concat(id || status || thread_id || is_head) FROM inquiry").getString() == before);
    // The GBK copy with Chinese headers is the same records: all duplicates, no options needed.
    auto gbk = f.run(fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries-gbk.csv");
    CHECK(gbk.encoding == "GB18030");
    CHECK(gbk.n_duplicate == 66);
    CHECK(gbk.n_new == 0);
    CHECK(f.store->check().empty());
}

TEST_CASE("the GBK sample alone gives the same inquiries as the UTF-8 one") {
    Fixture a;
    Fixture b;
    a.run(fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries.csv");
    b.run(fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries-gbk.csv");
    const std::string q =
        "SELECT group_concat(external_id || '|' || received_at || '|' || channel || '|' || order_id || '|' || "
        "body || '|' || product, char(10)) FROM (SELECT * FROM inquiry ORDER BY id)";
    CHECK(a.store->db().execAndGet(q).getString() == b.store->db().execAndGet(q).getString());
}

TEST_CASE("bad records are rejected with line and reason; the rest imports") {
    Fixture f;
    auto p = f.write("bad.csv",
                     "time,buyer,message\n"
                     "2024-01-04 09:16,张伟,你好\n"
                     "2024-01-04 09:17,张伟\n"
                     "2024-13-40 09:18,张伟,坏日期\n"
                     "2024-01-04 09:19,张伟,\n"
                     "2024-01-04 09:20,张伟,\xFF\xFE broken\n"
                     "2024-01-04 09:21,\"unclosed,oops\n");
    auto s = f.run(p);
    CHECK(s.n_new == 1);
    CHECK(s.n_rejected == 5);
    REQUIRE_FALSE(s.rejects_path.empty());
    std::string rejects = read(s.rejects_path);
    CHECK(rejects.find(",3,\"2 field(s), but the header has 3\"") != std::string::npos);
    CHECK(rejects.find(",4,\"\\\"2024-13-40 09:18\\\" is not a valid date") == std::string::npos);
    CHECK(rejects.find(",4,") != std::string::npos);
    CHECK(rejects.find("is not a valid date") != std::string::npos);
    CHECK(rejects.find(",5,\"empty message") != std::string::npos);
    CHECK(rejects.find(",6,\"column \"\"message\"\" is not valid UTF-8 text") != std::string::npos);
    CHECK(rejects.find("\\xFF\\xFE broken") != std::string::npos);
    CHECK(rejects.find(",7,\"quote opened on line 7 is never closed") != std::string::npos);
    CHECK(f.count("SELECT n_rejected FROM import") == 5);
}

TEST_CASE("a file without a message column is refused before anything is written") {
    Fixture f;
    auto p = f.write("nobody.csv", "date,amount,buyer\n2024-01-01,3,x\n");
    CHECK_THROWS_WITH_AS(f.run(p), doctest::Contains("no message column"), Error);
    try {
        f.run(p);
    } catch (const Error& e) {
        CHECK(e.why().find("\"date\", \"amount\", \"buyer\"") != std::string::npos);
        CHECK(e.hint().find("--map body=") != std::string::npos);
    }
    CHECK(f.count("SELECT count(*) FROM import") == 0);
    import::Options opt;
    opt.map[import::Field::Body] = "amount";
    CHECK(f.run(p, opt).n_new == 1);
}

TEST_CASE("empty, header-only, missing and folder inputs") {
    Fixture f;
    CHECK_THROWS_WITH_AS(f.run(f.write("empty.csv", "")), doctest::Contains("empty"), Error);
    auto s = f.run(f.write("header.csv", "time,buyer,message\n"));
    CHECK(s.n_new == 0);
    CHECK(s.n_rejected == 0);
    CHECK_THROWS_WITH_AS(f.run(f.dir / "nope.csv"), doctest::Contains("No such file"), Error);
    fs::create_directories(f.dir / "folder");
    CHECK_THROWS_AS(f.run(f.dir / "folder"), Error);
}

TEST_CASE("export preambles are skipped and presets name the columns") {
    Fixture f;
    auto p = f.write("bill.csv",
                     "导出信息：\n姓名：xx\n---------\n"
                     "交易时间 ,交易对方 ,商品说明 ,交易订单号 ,\n"
                     "2023-02-12 21:32:14 ,小王 ,亲情卡 ,2023021200\t,\n");
    import::Options opt;
    opt.preset = import::load_preset("alipay", "");
    auto s = f.run(p, opt);
    CHECK(s.n_new == 1);
    CHECK(s.n_skipped >= 3);
    SQLite::Statement q(f.store->db(), "SELECT channel, order_id, body, received_at FROM inquiry");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "alipay");
    CHECK(q.getColumn(1).getString() == "2023021200");
    CHECK(q.getColumn(2).getString() == "亲情卡");
    CHECK(q.getColumn(3).getInt64() == 1676208734);  // 2023-02-12 21:32:14 +08:00
}

TEST_CASE("a buyer's messages about one order form one thread; the latest is its head") {
    Fixture f;
    auto p = f.write("t.csv",
                     "time,buyer,order,message\n"
                     "2024-01-04 09:00,张伟,A1,什么时候发货\n"
                     "2024-01-06 10:00,张伟,A1,怎么还没发货？？\n"
                     "2024-01-06 11:00,李娜,A1,我也买了\n"
                     "2024-01-09 12:00,张伟,B2,另一单的问题\n");
    CHECK(f.run(p).n_new == 4);
    CHECK(f.count("SELECT count(DISTINCT thread_id) FROM inquiry") == 3);
    CHECK(f.count("SELECT thread_id FROM inquiry WHERE id = 2") == 1);
    CHECK(f.count("SELECT is_head FROM inquiry WHERE id = 1") == 0);
    CHECK(f.count("SELECT is_head FROM inquiry WHERE id = 2") == 1);
    // A buyer writing again reopens a thread that was waiting for them.
    f.store->db().exec("UPDATE inquiry SET status = 2 WHERE thread_id = 1");
    auto p2 = f.write("t2.csv", "time,buyer,order,message\n2024-01-07 09:00,张伟,A1,还在吗\n");
    CHECK(f.run(p2).n_new == 1);
    CHECK(f.count("SELECT count(*) FROM inquiry WHERE thread_id = 1 AND status = 1") == 3);
    CHECK(f.count("SELECT count(*) FROM event WHERE kind = 'status' AND detail LIKE 'waiting → open%'") == 1);
    CHECK(f.store->check().empty());
}

TEST_CASE("dry run reads everything and writes nothing") {
    Fixture f;
    import::Options opt;
    opt.dry_run = true;
    auto s = f.run(fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries.csv", opt);
    CHECK(s.n_new == 66);
    CHECK(f.count("SELECT count(*) FROM inquiry") == 0);
    CHECK(f.count("SELECT count(*) FROM import") == 0);
}
