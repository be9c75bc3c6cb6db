// The CSV reader and importer against external conformance material (../shared/corpora).
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "core/csv/reader.h"
#include "core/error.h"
#include "core/import/import.h"
#include "core/store/store.h"
#include "tests/corpora/corpora.h"

using namespace kefu;
namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

namespace {

Rows parse(const fs::path& p) {
    std::string data = kefu_test::read_file(p);
    csv::MemorySource src(data);
    csv::Options opt;
    opt.delimiter = ',';
    csv::Reader r(src, opt);
    Rows rows;
    csv::Record rec;
    while (r.next(rec)) {
        CAPTURE(rec.error);
        REQUIRE(rec.error.empty());
        rows.push_back(rec.fields);
    }
    return rows;
}

struct TempDb {
    fs::path dir;
    std::unique_ptr<Store> store;
    TempDb() {
        char tmpl[] = "/tmp/kefu-corpora-XXXXXX";
        dir = mkdtemp(tmpl);
        store = Store::open((dir / "k.db").string(), StoreMode::Write);
    }
    ~TempDb() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("csv-spectrum: every file parses to its expected JSON") {
    fs::path root = kefu_test::corpora_dir() / "csv-spectrum";
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(root / "csvs")) {
        std::string name = entry.path().stem().string();
        if (name == "location_coordinates") {
            continue;  // its expected JSON is known to be wrong upstream
        }
        CAPTURE(name);
        Rows rows = parse(entry.path());
        auto expect = nlohmann::json::parse(kefu_test::read_file(root / "json" / (name + ".json")));
        REQUIRE(!rows.empty());
        const auto& header = rows[0];
        REQUIRE(rows.size() - 1 == expect.size());
        for (size_t i = 1; i < rows.size(); ++i) {
            REQUIRE(rows[i].size() == header.size());
            for (size_t c = 0; c < header.size(); ++c) {
                CHECK(rows[i][c] == expect[i - 1][header[c]].get<std::string>());
            }
        }
        ++checked;
    }
    CHECK(checked == 11);
}

TEST_CASE("csv-test-data: valid files give their rows, bad files are rejected with a line") {
    fs::path root = kefu_test::corpora_dir() / "csv-test-data-sineemore";
    int valid = 0;
    int bad = 0;
    for (const auto& entry : fs::directory_iterator(root / "csv")) {
        std::string name = entry.path().stem().string();
        CAPTURE(name);
        if (name.starts_with("bad-")) {
            // Read as an import with the documented header foo,bar,baz (text in baz).
            TempDb db;
            import::Options opt;
            opt.map[import::Field::Body] = "baz";
            opt.rejects_dir = (db.dir / "rejects").string();
            bool failed = false;
            std::string reason;
            try {
                auto s = import::import_path(*db.store, entry.path().string(), opt, {}, 0, {});
                failed = s.n_rejected > 0;
                if (failed) {
                    reason = kefu_test::read_file(s.rejects_path);
                    CHECK(std::regex_search(reason, std::regex(",[0-9]+,\"")));  // a line number
                }
            } catch (const Error& e) {
                failed = true;
                reason = e.what();
            }
            CHECK_MESSAGE(failed, "not rejected");
            MESSAGE(name << ": " << reason.substr(0, 160));
            ++bad;
            continue;
        }
        Rows rows = parse(entry.path());
        auto expect = nlohmann::json::parse(kefu_test::read_file(root / "json" / (name + ".json")));
        if (name.starts_with("header-")) {
            REQUIRE(rows.size() - 1 == expect.size());
            for (size_t i = 1; i < rows.size(); ++i) {
                CHECK(rows[i][0] == expect[i - 1]["foo"].get<std::string>());
                CHECK(rows[i][1] == expect[i - 1]["bar"].get<std::string>());
                CHECK(rows[i][2] == expect[i - 1]["baz"].get<std::string>());
            }
        } else {
            CHECK(rows == expect.get<Rows>());
        }
        ++valid;
    }
    CHECK(valid == 18);
    CHECK(bad == 7);
}

TEST_CASE("csv-evil: full-width punctuation is text, never a separator or a quote") {
    Rows rows = [] {
        std::string data = kefu_test::read_file(kefu_test::corpora_dir() / "csv-evil-gebi" / "evil.csv");
        csv::MemorySource src(data);
        csv::Reader r(src, {});
        Rows out;
        csv::Record rec;
        while (r.next(rec)) {
            out.push_back(rec.fields);
        }
        return out;
    }();
    REQUIRE(rows.size() >= 10);
    CHECK(rows[1] == std::vector<std::string>{"Inigo", "You killed my father\nDarth, I am your father"});
    CHECK(rows[4] == std::vector<std::string>{"Evil Guy", "\";drop table"});
    CHECK(rows[5] == std::vector<std::string>{"Expert", "Trust me, I'm an expert"});
    CHECK(rows[6] == std::vector<std::string>{"Balmer", "\"Developers, Developers\""});
    CHECK(rows[7] == std::vector<std::string>{"Yoda，Do，do not．do not try"});
    CHECK(rows[8] == std::vector<std::string>{"Me", "＂Do not"});
    CHECK(rows[9] == std::vector<std::string>{"quote me", " please＂"});
}

TEST_CASE("alipay GBK bill export imports with the values of its expected output") {
    fs::path dir = kefu_test::corpora_dir() / "gbk-csv-bill-exports" / "example" / "alipay";
    TempDb db;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    import::Options opt;
    opt.preset = import::load_preset("alipay", "");
    opt.rejects_dir = (db.dir / "rejects").string();
    auto s = import::import_path(*db.store, (dir / "example-alipay-records.csv").string(), opt, {}, 0, {});
    CHECK(s.encoding == "GB18030");
    CHECK(s.n_rejected == 0);
    CHECK(s.n_new == 10);
    // Each transaction of the expected file: date, payee, item, orderId, payTime.
    std::string expected = kefu_test::read_file(dir / "example-alipay-output.beancount");
    std::regex entry(R"re(\n(\d{4}-\d{2}-\d{2}) \* "([^"]*)" "([^"]*)"\n(?:\t[a-zA-Z]+: "[^"]*"\n)*?\torderId: "([^"]*)"\n\tpayTime: "([0-9: -]+) \+0800)re");
    int matched = 0;
    for (auto it = std::sregex_iterator(expected.begin(), expected.end(), entry); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        CAPTURE(m[0].str());
        SQLite::Statement q(db.store->db(),
                            "SELECT count(*) FROM inquiry i JOIN customer c ON c.id = i.customer_id "
                            "WHERE c.name = ? AND i.body = ? AND i.order_id = ? AND "
                            "strftime('%Y-%m-%d %H:%M:%S', i.received_at + 8 * 3600, 'unixepoch') = ?");
        q.bind(1, m[2].str());
        q.bind(2, m[3].str());
        q.bind(3, m[4].str());
        q.bind(4, m[5].str());
        q.executeStep();
        CHECK(q.getColumn(0).getInt() >= 1);
        ++matched;
    }
    CHECK(matched == 7);
}
