// Export: CSV that imports back as the same inquiries, Excel's BOM and CRLF, masking, JSON.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/export/export.h"
#include "core/import/import.h"
#include "core/time.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {

// The columns that make an inquiry what the buyer sent, in a comparable form.
constexpr const char* k_canonical =
    "SELECT i.external_id, i.received_at, i.channel, coalesce(c.name, ''), i.contact, i.order_id, "
    "i.product, "
    "i.goods_kind, i.subject, i.body FROM inquiry i LEFT JOIN customer c ON c.id = i.customer_id "
    "ORDER BY i.external_id";

struct Fixture {
    kefu_test::ZoneGuard zone{"Asia/Shanghai"};  // first: the zone outlives the store
    fs::path dir;
    std::unique_ptr<Store> store;
    TimePoint now = 1794715200;  // 2026-11-15 12:00 +08:00

    Fixture() {
        char tmpl[] = "/tmp/kefu-export-XXXXXX";
        dir = fs::path(mkdtemp(tmpl));
        store = Store::open(":memory:", StoreMode::Write);
        import_into(*store, (fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries.csv").string());
    }
    ~Fixture() { fs::remove_all(dir); }

    import::Summary import_into(Store& s, const std::string& path){import::Options opt;
    opt.rejects_dir = dir.string();
    return import::import_path(s, path, opt, {}, now, {});
} std::string run(const exporting::Options& o, uint64_t* n = nullptr) {
    std::ostringstream out;
    uint64_t written = exporting::export_inquiries(*store, o, out);
    if (n != nullptr) {
        *n = written;
    }
    return out.str();
}
fs::path write(const std::string& name, const std::string& data) {
    fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << data;
    return p;
}
};  // namespace

std::vector<std::vector<std::string>> rows_of(Store& s, const char* sql) {
    SQLite::Statement q(s.db(), sql);
    std::vector<std::vector<std::string>> rows;
    while (q.executeStep()) {
        std::vector<std::string> r;
        for (int c = 0; c < q.getColumnCount(); ++c) {
            r.push_back(q.getColumn(c).getString());
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

size_t count_of(const std::string& s, const std::string& what) {
    size_t n = 0;
    for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) {
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("export: the CSV imports back into an empty database as the same inquiries") {
    Fixture fx;
    exporting::Options o;
    o.mask = false;
    uint64_t n = 0;
    std::string csv = fx.run(o, &n);
    CHECK(n == 66);
    CHECK(csv.starts_with(
        "id,received_at,channel,customer,contact,order_id,product,goods_kind,subject,body,"));
    fs::path file = fx.write("export.csv", csv);

    auto copy = Store::open(":memory:", StoreMode::Write);
    auto sum = fx.import_into(*copy, file.string());
    CHECK(sum.n_new == 66);
    CHECK(sum.n_rejected == 0);
    auto original = rows_of(*fx.store, k_canonical);
    auto again = rows_of(*copy, k_canonical);
    REQUIRE(original.size() == 66);
    CHECK(again == original);
    // The same customers, by their identities.
    CHECK(rows_of(*copy, "SELECT kind, channel, value FROM identity ORDER BY 1, 2, 3") ==
          rows_of(*fx.store, "SELECT kind, channel, value FROM identity ORDER BY 1, 2, 3"));

    // Importing it a second time, or into the original, adds nothing: the id column dedupes.
    CHECK(fx.import_into(*copy, file.string()).n_new == 0);
    CHECK(fx.import_into(*fx.store, file.string()).n_new == 0);
}

TEST_CASE("export: --excel writes a BOM and CRLF, and still imports") {
    Fixture fx;
    exporting::Options o;
    o.mask = false;
    o.excel = true;
    std::string csv = fx.run(o);
    REQUIRE(csv.size() > 3);
    CHECK(csv.substr(0, 3) == "\xEF\xBB\xBF");
    // One CRLF per record plus the header; line breaks inside quoted bodies stay LF.
    CHECK(count_of(csv, "\r\n") == 67);
    CHECK(csv.ends_with("\r\n"));
    CHECK(csv.find("\r\n") == csv.find('\n') - 1);

    auto copy = Store::open(":memory:", StoreMode::Write);
    CHECK(fx.import_into(*copy, fx.write("excel.csv", csv).string()).n_new == 66);
    CHECK(rows_of(*copy, k_canonical) == rows_of(*fx.store, k_canonical));
}

TEST_CASE("export: contacts masked by default, in a column the importer does not read") {
    Fixture fx;
    std::string csv = fx.run({});
    CHECK(csv.find(",contact (masked),") != std::string::npos);
    CHECK(csv.find("138****5678") != std::string::npos);
    CHECK(csv.find("13812345678") == std::string::npos);
    CHECK(csv.find("m***@yahoo.com") != std::string::npos);
    CHECK(csv.find("mbrown.design@yahoo.com") == std::string::npos);

    auto copy = Store::open(":memory:", StoreMode::Write);
    CHECK(fx.import_into(*copy, fx.write("masked.csv", csv).string()).n_new == 66);
    CHECK(copy->db().execAndGet("SELECT count(*) FROM identity WHERE value LIKE '%*%'").getInt() ==
          0);
    CHECK(copy->db().execAndGet("SELECT count(*) FROM inquiry WHERE contact <> ''").getInt() == 0);
}

TEST_CASE("export: filters, JSON and JSONL, replies and tags") {
    Fixture fx;
    fx.store->db().exec(
        "UPDATE inquiry SET status = 3, category = 5 WHERE external_id IN ('Q1026', 'Q1051')");
    fx.store->db().exec(
        "INSERT INTO tag(inquiry_id, name, source) SELECT id, 'refund', 0 FROM inquiry WHERE "
        "external_id = 'Q1026'");
    fx.store->db().exec(
        "INSERT INTO reply(inquiry_id, template_id, language, text, sent_at) SELECT id, "
        "'refund_ack', "
        "'zh', '已退款', received_at + 60 FROM inquiry WHERE external_id = 'Q1026'");

    exporting::Options o;
    o.statuses = {Status::Resolved};
    uint64_t n = 0;
    std::string csv = fx.run(o, &n);
    CHECK(n == 2);
    CHECK(csv.find("Q1026") != std::string::npos);
    CHECK(csv.find("refund_ack") != std::string::npos);
    CHECK(csv.find(",refund,") != std::string::npos);  // the category, then the tag

    o = {};
    o.category = Category::Refund;
    o.format = exporting::Format::Json;
    auto j = nlohmann::json::parse(fx.run(o));
    REQUIRE(j.is_array());
    REQUIRE(j.size() == 2);
    CHECK(j[0]["external_id"] == "Q1026");
    CHECK(j[0]["tags"] == nlohmann::json::array({"refund"}));
    CHECK(j[0]["replies"][0]["template"] == "refund_ack");
    CHECK(j[0]["replies"][0]["text"] == "已退款");
    CHECK(j[0]["status"] == "resolved");
    CHECK(j[1]["replies"].empty());

    o = {};
    o.format = exporting::Format::Jsonl;
    o.since = *timeutil::parse_timestamp("2026-11-14 00:00", timeutil::Zone::local());
    std::string lines = fx.run(o, &n);
    CHECK(n == 2);
    CHECK(count_of(lines, "\n") == 2);
    for (auto line : {lines.substr(0, lines.find('\n'))}) {
        CHECK(nlohmann::json::parse(line)["received_at"].get<std::string>().starts_with(
            "2026-11-14"));
    }

    o = {};
    o.format = exporting::Format::Json;
    o.until = 0;
    CHECK(fx.run(o) == "[]\n");
}

TEST_CASE("export: CSV fields, and what a spreadsheet would run as a formula") {
    CHECK(exporting::csv_field("plain", false) == "plain");
    CHECK(exporting::csv_field("a,b", false) == "\"a,b\"");
    CHECK(exporting::csv_field("say \"hi\"", false) == "\"say \"\"hi\"\"\"");
    CHECK(exporting::csv_field("two\nlines", false) == "\"two\nlines\"");
    CHECK(exporting::csv_field(" edge", false) == "\" edge\"");
    CHECK(exporting::csv_field("=HYPERLINK(\"x\")", true) == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(exporting::csv_field("@SUM(A1)", true) == "'@SUM(A1)");
    CHECK(exporting::csv_field("=1+1", false) == "=1+1");  // plain CSV is not changed
    CHECK(exporting::csv_field("+86 138 1234 5678", true) == "+86 138 1234 5678");  // a number
    CHECK(exporting::csv_field("-5", true) == "-5");
    CHECK(exporting::csv_field("bad \xFF byte", false) == "bad \xEF\xBF\xBD byte");
}
