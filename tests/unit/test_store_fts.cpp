#include <doctest/doctest.h>

#include <random>
#include <set>

#include "core/queue.h"
#include "core/store/fts.h"
#include "core/store/store.h"

using namespace kefu;

TEST_CASE("tokenizer: words folded, CJK bigrams plus the run's last character") {
    auto toks = fts::tokenize("我要退款 REFUND！");
    std::vector<std::string> t;
    for (const auto& k : toks) {
        t.push_back(k.text);
    }
    CHECK(t == std::vector<std::string>{"我要", "要退", "退款", "款", "refund"});
    auto q = fts::tokenize("退款", true);
    REQUIRE(q.size() == 1);
    CHECK(q[0].text == "退款");
}

TEST_CASE("match queries: one phrase per term, a lone CJK character as a prefix") {
    CHECK(fts::build_match_query("退款") == "\"退款\"");
    CHECK(fts::build_match_query("退 ok") == "\"退\" * AND \"ok\"");
    CHECK(fts::build_match_query("say\"hi") == "\"say\"\"hi\"");
    CHECK(fts::build_match_query("，。！") == "");
}

// Search must find exactly the texts that contain the query (after case folding): checked
// against a plain substring scan over random Chinese and English texts.
TEST_CASE("search finds exactly the inquiries containing the query") {
    auto store = Store::open(":memory:", StoreMode::Write);
    const std::vector<std::string> chars = {"退", "款", "发", "货", "快", "递", "没", "收", "到", "我", "要",
                                            "，", " ", "a", "b", "ok", "。", "货"};
    std::mt19937 rng(7);
    std::vector<std::string> bodies;
    {
        WriteTx tx(*store);
        SQLite::Statement ins(store->db(),
                              "INSERT INTO inquiry(id, source, dedupe_key, received_at, body, thread_id) "
                              "VALUES (?, 'test', ?, 0, ?, ?)");
        SQLite::Statement fts(store->db(), "INSERT INTO inquiry_fts(rowid, subject, body) VALUES (?, '', ?)");
        for (int i = 1; i <= 400; ++i) {
            std::string body;
            int len = 1 + static_cast<int>(rng() % 12);
            for (int k = 0; k < len; ++k) {
                body += chars[rng() % chars.size()];
            }
            bodies.push_back(body);
            ins.reset();
            ins.bind(1, i);
            ins.bind(2, i);
            ins.bind(3, body);
            ins.bind(4, i);
            ins.exec();
            fts.reset();
            fts.bind(1, i);
            fts.bind(2, body);
            fts.exec();
        }
        tx.commit();
    }
    const std::vector<std::string> queries = {"退款", "退", "款", "发货", "快递", "没收到", "收到", "货",
                                              "我要退", "递没", "退款没"};
    for (const auto& q : queries) {
        std::set<int64_t> expect;
        for (size_t i = 0; i < bodies.size(); ++i) {
            if (bodies[i].find(q) != std::string::npos) {
                expect.insert(static_cast<int64_t>(i + 1));
            }
        }
        std::set<int64_t> got;
        for (const auto& hit : search(*store, q, 0, nullptr)) {
            got.insert(hit.inquiry.id);
        }
        CAPTURE(q);
        CHECK(got == expect);
    }
}
