// Retag, manual tags and explain over a store: what is derived and recomputed, what is kept,
// the signals read one by one and in bulk, interrupted runs, and terms that add up.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <stdexcept>

#include "core/config.h"
#include "core/error.h"
#include "core/import/import.h"
#include "core/store/store.h"
#include "core/triage/engine.h"
#include "core/triage/explanation.h"
#include "core/triage/import_classifier.h"
#include "core/triage/manual_tags.h"
#include "core/triage/recompute.h"
#include "core/triage/retag.h"

using namespace kefu;
using namespace kefu::triage;

namespace {

constexpr TimePoint k_now = 1'794'744'000;  // 2026-11-15 12:00 +08:00

std::shared_ptr<const Engine> shared_builtin_engine() {
    static const auto k_engine = std::make_shared<const Engine>(Engine::load(Config{}));
    return k_engine;
}

const Engine& builtin_engine() { return *shared_builtin_engine(); }

// A store with the 66 sample inquiries imported with the built-in rules.
std::unique_ptr<Store> sample_store() {
    auto store = Store::open(":memory:", StoreMode::Write);
    import::Options options;
    options.zone = timeutil::Zone{8 * 3600};
    options.zone_given = true;
    import::import_path(*store, std::string(KEFU_SOURCE_DIR) + "/data/samples/inquiries.csv",
                        options, triage::import_classifier(shared_builtin_engine()), k_now,
                        nullptr);
    return store;
}

int64_t count(Store& store, const std::string& sql) {
    return store.db().execAndGet(sql).getInt64();
}

// Everything retag may change, in one string, to compare databases.
std::string derived(Store& store) {
    std::string out;
    SQLite::Statement q(store.db(),
                        "SELECT id, category, priority_static, language, goods_kind, order_id, "
                        "flags, (SELECT group_concat(name || ':' || source) FROM (SELECT * FROM "
                        "tag t WHERE t.inquiry_id = i.id ORDER BY name)) FROM inquiry i "
                        "ORDER BY id");
    while (q.executeStep()) {
        for (int c = 0; c < 8; ++c) {
            out += q.getColumn(c).getString() + "|";
        }
        out += "\n";
    }
    return out;
}

Engine engine_with(const std::string& rules) {
    return Engine::load(Config{}, RulesFile{"test-rules.toml", rules});
}

RetagOptions all_options(size_t batch = 10000) {
    RetagOptions o;
    o.batch_size = batch;
    o.now = k_now;
    return o;
}

}  // namespace

TEST_CASE("retag: the signals read in bulk are those read one by one") {
    auto store = sample_store();
    // Some variety: a VIP, a resolved thread, an answered one.
    store->db().exec("UPDATE customer SET vip = 1 WHERE id IN (1, 8)");
    store->db().exec("UPDATE inquiry SET status = 3 WHERE thread_id = 23");
    store->db().exec("UPDATE inquiry SET first_response_at = received_at + 60 WHERE id = 5");
    StoredReader reader(*store);
    CHECK(reader.total() == 66);
    size_t seen = 0;
    int with_open = 0, with_thread = 0, vips = 0;
    for (auto chunk = reader.next(7); !chunk.empty(); chunk = reader.next(7)) {
        for (const StoredTriage& bulk : chunk) {
            CAPTURE(bulk.id);
            auto one = load_stored(*store, bulk.id);
            REQUIRE(one);
            CHECK(one->signals.vip == bulk.signals.vip);
            CHECK(one->signals.open_from_customer == bulk.signals.open_from_customer);
            CHECK(one->signals.thread_messages == bulk.signals.thread_messages);
            CHECK(one->priority_static == bulk.priority_static);
            CHECK(one->body == bulk.body);
            CHECK(one->tags.size() == bulk.tags.size());
            with_open += bulk.signals.open_from_customer > 0;
            with_thread += bulk.signals.thread_messages > 2;
            vips += bulk.signals.vip;
            ++seen;
        }
    }
    CHECK(seen == 66);
    // The sample exercises every signal.
    CHECK(with_open > 0);
    CHECK(with_thread > 0);
    CHECK(vips > 0);
}

TEST_CASE("retag: a second run changes nothing, and a VIP flag moves the priority by its "
          "coefficient") {
    auto store = sample_store();
    RetagSummary first = retag(*store, builtin_engine(), all_options());
    CHECK(first.checked == 66);
    std::string after_first = derived(*store);
    // Right after an import only scores change (import counts a few signals differently):
    // no event per inquiry, one summary.
    CHECK(first.changed == first.priority);
    CHECK(count(*store, "SELECT count(*) FROM event WHERE kind = 'retag' AND inquiry_id IS NOT "
                        "NULL") == 0);
    CHECK(count(*store, "SELECT count(*) FROM event WHERE kind = 'retag' AND inquiry_id IS "
                        "NULL") == (first.changed > 0 ? 1 : 0));

    RetagSummary second = retag(*store, builtin_engine(), all_options(5));
    CHECK(second.checked == 66);
    CHECK(second.changed == 0);
    CHECK(derived(*store) == after_first);

    int64_t customer = count(*store, "SELECT customer_id FROM inquiry WHERE id = 1");
    std::vector<std::pair<int64_t, double>> before;
    SQLite::Statement q(store->db(), "SELECT id, priority_static FROM inquiry WHERE "
                                     "customer_id = ? AND flags & 2 = 0");
    q.bind(1, customer);
    while (q.executeStep()) {
        before.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getDouble());
    }
    REQUIRE(!before.empty());
    store->db().exec("UPDATE customer SET vip = 1 WHERE id = " + std::to_string(customer));
    RetagSummary vip = retag(*store, builtin_engine(), all_options());
    CHECK(vip.changed == before.size());
    CHECK(vip.priority == before.size());
    for (const auto& [id, score] : before) {
        CAPTURE(id);
        double now = store->db()
                         .execAndGet("SELECT priority_static FROM inquiry WHERE id = " +
                                     std::to_string(id))
                         .getDouble();
        CHECK(now == doctest::Approx(score + 4.0));  // the default vip coefficient
    }
    std::string detail = store->db()
                             .execAndGet("SELECT detail FROM event WHERE kind = 'retag' AND "
                                         "inquiry_id IS NULL ORDER BY id DESC LIMIT 1")
                             .getString();
    CHECK(detail == fmt::format("retag --all: 66 inquiries checked, {} changed (category 0, "
                                "tags 0, priority {}, other 0)", before.size(), before.size()));
}

TEST_CASE("retag: changed rules change category and tags; hand tags survive") {
    auto store = sample_store();
    retag(*store, builtin_engine(), all_options());
    // #1 asks about a dress's size: tag it by hand, and remove a rule's tag from another.
    TagEditResult hand = edit_tags(*store, 1, {{"fitting"}, {}}, k_now);
    CHECK(hand.added == std::vector<std::string>{"fitting"});
    int64_t tagged = count(*store, "SELECT inquiry_id FROM tag WHERE source = 0 LIMIT 1");
    std::string rule_tag = store->db()
                               .execAndGet("SELECT name FROM tag WHERE source = 0 AND "
                                           "inquiry_id = " + std::to_string(tagged))
                               .getString();
    edit_tags(*store, tagged, {{}, {rule_tag}}, k_now);
    CHECK(count(*store, "SELECT count(*) FROM event WHERE kind = 'tag'") == 2);

    // A user rule that makes every mention of 尺码/码/size a "sizing" product question.
    Engine engine = engine_with(R"([[rule]]
id = "shop.sizing"
category = "product"
weight = 5
any = ["尺码", "码", "size"]
tags = ["sizing"]
score = { sizing = 2 }
)");
    auto categories = [&] {
        std::vector<int> out;
        SQLite::Statement q(store->db(), "SELECT category FROM inquiry ORDER BY id");
        while (q.executeStep()) {
            out.push_back(q.getColumn(0).getInt());
        }
        return out;
    };
    std::vector<int> before = categories();
    RetagSummary s = retag(*store, engine, all_options(4));
    CHECK(s.tags > 0);
    CHECK(s.category > 0);
    int64_t sizing = count(*store, "SELECT count(*) FROM tag WHERE name = 'sizing' AND source = 0");
    CHECK(sizing == static_cast<int64_t>(s.tags));
    // The only new vote is for "product": every category that moved, moved there.
    std::vector<int> after = categories();
    REQUIRE(after.size() == before.size());
    size_t moved = 0;
    for (size_t i = 0; i < after.size(); ++i) {
        if (after[i] != before[i]) {
            CHECK(after[i] == static_cast<int>(Category::Product));
            ++moved;
        }
    }
    CHECK(moved == s.category);
    // The hand tag is still there, the removed rule tag still removed.
    CHECK(count(*store, "SELECT count(*) FROM tag WHERE inquiry_id = 1 AND name = 'fitting' "
                        "AND source = 1") == 1);
    SQLite::Statement removed(store->db(),
                              "SELECT source FROM tag WHERE inquiry_id = ? AND name = ?");
    removed.bind(1, tagged);
    removed.bind(2, rule_tag);
    REQUIRE(removed.executeStep());
    CHECK(removed.getColumn(0).getInt() == 2);

    // Back to the built-in rules: the sizing tags go, the hand tags stay.
    retag(*store, builtin_engine(), all_options());
    CHECK(count(*store, "SELECT count(*) FROM tag WHERE name = 'sizing'") == 0);
    CHECK(count(*store, "SELECT count(*) FROM tag WHERE inquiry_id = 1 AND name = 'fitting'") ==
          1);
}

TEST_CASE("retag: an interrupted run leaves whole chunks, and a second run completes it") {
    auto reference = sample_store();
    auto store = sample_store();
    // First bring both up to date with the built-in rules, so that every change below is one
    // of the new rule's, each with its event.
    retag(*reference, builtin_engine(), all_options());
    retag(*store, builtin_engine(), all_options());
    Engine engine = engine_with(R"([[rule]]
id = "shop.any-question"
any = ["吗", "?", "？"]
tags = ["question"]
score = { question = 1 }
)");
    RetagSummary full = retag(*reference, engine, all_options());
    REQUIRE(full.changed > 20);

    RetagOptions o = all_options(5);
    int chunks = 0;
    o.progress = [&chunks](uint64_t, uint64_t) {
        if (++chunks == 3) {
            throw std::runtime_error("interrupted");
        }
    };
    CHECK_THROWS_AS(retag(*store, engine, o), std::runtime_error);
    // Three chunks of five were written, each with its events; the rest is as imported.
    int64_t events = count(*store, "SELECT count(*) FROM event WHERE kind = 'retag' AND "
                                   "inquiry_id IS NOT NULL");
    CHECK(events > 0);
    CHECK(count(*store, "SELECT count(*) FROM event WHERE kind = 'retag' AND inquiry_id > 15") ==
          0);
    CHECK(store->check().empty());

    RetagSummary rest = retag(*store, engine, all_options());
    CHECK(rest.changed + static_cast<uint64_t>(events) == full.changed);
    CHECK(derived(*store) == derived(*reference));
}

TEST_CASE("retag: named inquiries, unknown ids, seller messages, dry run") {
    auto store = sample_store();
    store->db().exec("UPDATE customer SET vip = 1");
    std::string before = derived(*store);
    RetagOptions o = all_options();
    o.ids = {1, 2};
    o.dry_run = true;
    RetagSummary dry = retag(*store, builtin_engine(), o);
    CHECK(dry.changed == 2);
    CHECK(dry.changes.size() == 2);
    CHECK(derived(*store) == before);

    o.ids = {1, 9999, 9998};
    o.dry_run = false;
    try {
        retag(*store, builtin_engine(), o);
        FAIL("an unknown id must be an error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("#9999, #9998") != std::string::npos);
    }
    CHECK(derived(*store) == before);

    o.ids = {2};
    RetagSummary one = retag(*store, builtin_engine(), o);
    CHECK(one.changed == 1);
    CHECK(one.changes.at(0).detail.find("priority") != std::string::npos);
    // A change of the score alone: the summary event, none of the inquiry.
    CHECK(count(*store, "SELECT count(*) FROM event WHERE kind = 'retag' AND inquiry_id = 2") ==
          0);
    CHECK(count(*store, "SELECT count(*) FROM event WHERE kind = 'retag'") == 1);
}

TEST_CASE("recompute: goods kind and order id follow the rules only where the rules set them") {
    StoredTriage s;
    Result r;
    r.goods_kind = GoodsKind::Virtual;
    r.captures["order_id"] = "778899001";

    // Empty fields are filled, and marked as the rules'.
    Recomputed a = recompute(s, r);
    CHECK(a.goods_kind == GoodsKind::Virtual);
    CHECK(a.order_id == "778899001");
    CHECK((a.flags & k_flag_goods_from_rules) != 0);
    CHECK((a.flags & k_flag_order_captured) != 0);
    CHECK(triage_input(s).goods_kind == GoodsKind::Unknown);

    // Values from the import are kept, and the rules see the import's goods kind.
    s.goods_kind = GoodsKind::Physical;
    s.order_id = "E2026-1";
    Recomputed b = recompute(s, r);
    CHECK(b.goods_kind == GoodsKind::Physical);
    CHECK(b.order_id == "E2026-1");
    CHECK(b.flags == 0);
    CHECK(triage_input(s).goods_kind == GoodsKind::Physical);
    CHECK(describe_changes(s, b).empty());

    // Values the rules filled follow them, and are cleared when no rule sets them.
    s.goods_kind = GoodsKind::Virtual;
    s.order_id = "123456";
    s.flags = k_flag_goods_from_rules | k_flag_order_captured | k_flag_replacement_chars;
    CHECK(triage_input(s).goods_kind == GoodsKind::Unknown);
    Result none;
    Recomputed c = recompute(s, none);
    CHECK(c.goods_kind == GoodsKind::Unknown);
    CHECK(c.order_id.empty());
    CHECK(c.flags == k_flag_replacement_chars);
    CHECK(describe_changes(s, c) == "goods virtual → unknown; order id 123456 → —");
    Recomputed d = recompute(s, r);
    CHECK(d.order_id == "778899001");
    CHECK(d.flags == s.flags);
}

TEST_CASE("recompute: rule tags change, hand-decided tags do not") {
    StoredTriage s;
    s.tags = {{"angry", TagSource::Rule},
              {"mine", TagSource::Added},
              {"urgent", TagSource::Removed},
              {"old", TagSource::Rule}};
    Result r;
    r.tags = {"angry", "mine", "new", "urgent"};
    Recomputed x = recompute(s, r);
    CHECK(x.tags_added == std::vector<std::string>{"new"});
    CHECK(x.tags_removed == std::vector<std::string>{"old"});
    CHECK(visible_tags(s, x) == std::vector<std::string>{"angry", "mine", "new"});
    CHECK(describe_changes(s, x) == "tags +new -old");
}

TEST_CASE("manual tags: add, remove, re-add, bad names, unknown inquiry") {
    auto store = sample_store();
    TagEditResult a = edit_tags(*store, 3, {{"vip-followup", "vip-followup"}, {}}, k_now);
    CHECK(a.added == std::vector<std::string>{"vip-followup"});
    CHECK(a.detail == "+vip-followup");
    TagEditResult b = edit_tags(*store, 3, {{}, {"vip-followup", "nothing"}}, k_now);
    CHECK(b.removed == std::vector<std::string>{"vip-followup"});
    CHECK(b.absent == std::vector<std::string>{"nothing"});
    CHECK(count(*store, "SELECT source FROM tag WHERE inquiry_id = 3 AND name = 'vip-followup'") ==
          2);
    TagEditResult c = edit_tags(*store, 3, {{"vip-followup"}, {}}, k_now);
    CHECK(c.added == std::vector<std::string>{"vip-followup"});
    CHECK(count(*store, "SELECT source FROM tag WHERE inquiry_id = 3 AND name = 'vip-followup'") ==
          1);
    // Nothing to change: no event.
    int64_t events = count(*store, "SELECT count(*) FROM event WHERE inquiry_id = 3");
    edit_tags(*store, 3, {{"vip-followup"}, {}}, k_now);
    CHECK(count(*store, "SELECT count(*) FROM event WHERE inquiry_id = 3") == events);

    for (const char* bad : {"", "two words", "a,b", "+x", "-x", "tab\there"}) {
        CAPTURE(bad);
        try {
            edit_tags(*store, 3, {{bad}, {}}, k_now);
            FAIL("a bad tag must be refused");
        } catch (const Error& e) {
            CHECK(e.exit_code() == k_exit_usage);
        }
    }
    CHECK_THROWS_AS(edit_tags(*store, 3, {{"x"}, {"x"}}, k_now), Error);
    CHECK_THROWS_AS(edit_tags(*store, 424242, {{"x"}, {}}, k_now), Error);
    CHECK(is_valid_tag("退款-跟进"));
}

TEST_CASE("explain: the terms add up to the total, age included, and staleness is told") {
    auto store = sample_store();
    retag(*store, builtin_engine(), all_options());
    int explained = 0;
    for (int64_t id = 1; id <= 66; ++id) {
        CAPTURE(id);
        std::optional<Explanation> e;
        try {
            e = explain_inquiry(*store, builtin_engine(), id, k_now);
        } catch (const Error&) {
            continue;  // a seller's message
        }
        REQUIRE(e);
        double sum = 0;
        for (const Term& t : e->terms) {
            sum += t.contribution;
            CHECK(t.contribution == doctest::Approx(t.raw * t.coefficient));
        }
        CHECK(sum == e->total);
        CHECK(e->terms.back().name == "age");
        CHECK(e->changes.empty());
        // What the queue shows equals the explanation once the store is current.
        CHECK(e->listed == doctest::Approx(e->total));
        ++explained;
    }
    CHECK(explained > 60);
    CHECK_FALSE(explain_inquiry(*store, builtin_engine(), 4242, k_now));

    // An answered inquiry has no age term; a changed VIP flag makes it stale.
    store->db().exec("UPDATE inquiry SET first_response_at = received_at + 60 WHERE id = 1");
    store->db().exec("UPDATE customer SET vip = 1 WHERE id = (SELECT customer_id FROM inquiry "
                     "WHERE id = 1)");
    auto e = explain_inquiry(*store, builtin_engine(), 1, k_now);
    REQUIRE(e);
    CHECK(e->age.contribution == 0);
    CHECK_FALSE(e->age_counts);
    CHECK(e->changes.find("priority") != std::string::npos);
    CHECK(e->total == doctest::Approx(e->stored.priority_static + 4.0));
}
