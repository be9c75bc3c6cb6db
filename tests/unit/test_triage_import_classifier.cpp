// The classifier imports use (core/triage/import_classifier.h) stores exactly what a
// classifier built on Engine::classify stores.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/import/import.h"
#include "core/store/store.h"
#include "core/text.h"
#include "core/triage/engine.h"
#include "core/triage/import_classifier.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {

constexpr TimePoint k_now = 1'794'744'000;  // 2026-11-15 12:00 +08:00

// Triage through the explained classification, as imports did before import_classifier.
Classifier explained_classifier(std::shared_ptr<const triage::Engine> engine) {
    Classifier c;
    c.text = [engine](const NewInquiry& in) {
        auto r = std::make_shared<triage::Result>(
            engine->classify({in.subject, in.body, in.goods_kind}));
        Classification cls;
        cls.category = r->category;
        cls.tags = r->tags;
        cls.static_score = r->static_score;
        cls.language = r->language;
        cls.goods_kind = r->goods_kind;
        cls.captures = r->captures;
        cls.detail = r;
        return cls;
    };
    c.signals = [engine](Classification& cls, const BuyerSignals& s) {
        auto* r = static_cast<triage::Result*>(cls.detail.get());
        engine->apply_signals(*r, {s.vip, s.open_from_customer, s.thread_messages});
        cls.static_score = r->static_score;
    };
    return c;
}

std::string csv_field(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

// A CSV of the labelled inquiries from a few buyers, so that threads and open inquiries
// (the signals) vary; some rows have no order id, so that captures fill it.
std::string labelled_csv() {
    std::ifstream in(std::string(KEFU_SOURCE_DIR) + "/tests/data/labelled_inquiries.tsv");
    std::string line;
    std::getline(in, line);
    std::string csv = "id,received,channel,customer,order_id,goods_kind,subject,message\n";
    const char* goods[] = {"", "physical", "virtual"};
    int n = 0;
    while (std::getline(in, line)) {
        std::string text(text::split(line, '\t').back());
        bool as_subject = n % 5 == 4;
        // Every fifth text is a subject, with a body that names an order and a waybill.
        std::string numbers = "订单号 E20261104" + std::to_string(n) + " 运单号 SF88" +
                              std::to_string(100000 + n) + " 查不到";
        csv += "L" + std::to_string(n) + ",2026-11-" + std::to_string(1 + n % 14) + " " +
               std::to_string(10 + n % 12) + ":00:00,taobao,buyer" + std::to_string(n % 7) + "," +
               (n % 3 == 0 ? "" : "E2026" + std::to_string(1000 + n % 9)) + "," + goods[n % 3] +
               "," + csv_field(as_subject ? text : "") + "," +
               csv_field(as_subject ? numbers : text) + "\n";
        ++n;
    }
    return csv;
}

// What import stored of the triage, in one string; scores to the last bit.
std::string stored(Store& store) {
    std::string out;
    SQLite::Statement q(store.db(),
                        "SELECT id, category, printf('%.17g', priority_static), language, "
                        "goods_kind, order_id, flags, triage, (SELECT group_concat(name || ':' "
                        "|| source) FROM (SELECT * FROM tag t WHERE t.inquiry_id = i.id ORDER BY "
                        "name)) FROM inquiry i ORDER BY id");
    while (q.executeStep()) {
        for (int c = 0; c < 9; ++c) {
            out += q.getColumn(c).getString() + "|";
        }
        out += "\n";
    }
    return out;
}

struct Imported {
    std::string rows;
    int64_t tags = 0;
    int64_t captured = 0;  // rows with a value the rules captured
};

Imported import_all(const Classifier& classifier, const fs::path& labelled) {
    auto store = Store::open(":memory:", StoreMode::Write);
    import::Options options;
    options.zone = timeutil::Zone{8 * 3600};
    options.zone_given = true;
    options.rejects_dir = labelled.parent_path().string();
    for (const std::string& path :
         {std::string(KEFU_SOURCE_DIR) + "/data/samples/inquiries.csv", labelled.string()}) {
        import::Summary s = import::import_path(*store, path, options, classifier, k_now, nullptr);
        CHECK(s.n_rejected == 0);
    }
    Imported out;
    out.rows = stored(*store);
    out.tags = store->db().execAndGet("SELECT count(*) FROM tag").getInt64();
    // Tracking numbers (kept in inquiry.triage) and order ids the rules captured.
    out.captured = store->db()
                       .execAndGet("SELECT count(*) FROM inquiry WHERE triage <> '' OR "
                                   "order_id LIKE 'e20261104%'")
                       .getInt64();
    return out;
}

}  // namespace

TEST_CASE("import_classifier stores what the explained classification stores") {
    char tmpl[] = "/tmp/kefu-classifier-XXXXXX";
    fs::path dir(mkdtemp(tmpl));
    fs::path labelled = dir / "labelled.csv";
    std::ofstream(labelled, std::ios::binary) << labelled_csv();

    const std::string rules = R"(
[[rule]]
id = "user.rush"
category = "logistics"
weight = 2
any = ["快", "fast", "urgent"]
score = { rush = 1.5, urgency = 3 }
tags = ["rush"]
)";
    std::vector<std::shared_ptr<const triage::Engine>> engines = {
        std::make_shared<const triage::Engine>(triage::Engine::load(Config{})),
        std::make_shared<const triage::Engine>(triage::Engine::load(
            Config::parse("[priority]\nrush = 0.7\nvip = 3\n", "config.toml"),
            triage::RulesFile{"rules.toml", rules}))};
    for (const auto& engine : engines) {
        Imported lean = import_all(triage::import_classifier(engine), labelled);
        Imported explained = import_all(explained_classifier(engine), labelled);
        CHECK(lean.rows == explained.rows);
        CHECK(lean.tags == explained.tags);
        // The comparison covers rules that tag and capture.
        CHECK(lean.tags > 20);
        CHECK(lean.captured > 0);
    }
    fs::remove_all(dir);
}
