// SLAs (core/workflow/sla.h) and what `kefu due` lists (core/workflow/due.h): follow-ups,
// ended snoozes and SLA breaches at the right moment, most late first, each shown once with
// --mark-notified until it changes, and found through indexes only.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sqlite3.h>

#include <random>
#include <set>
#include <string>

#include "core/workflow/due.h"
#include "core/workflow/followup.h"
#include "core/workflow/sla.h"
#include "core/workflow/status.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
using namespace kefu::workflow;

namespace {

constexpr TimePoint k_hour = 3600;
constexpr TimePoint k_day = 86400;
constexpr TimePoint k_t0 = 1'800'000'000;

// The shared chat fixture with the configuration and priority model that SLAs and `due` read.
struct Shop : kefu_test::ChatShop {
    Config config;
    PriorityModel model;

    std::vector<DueItem> due(TimePoint now, int64_t within = 0, bool unnotified = false) {
        DueOptions o;
        o.within = within;
        o.unnotified_only = unnotified;
        return compute_due(*store, o, config.sla, model, now).items;
    }

    // "kind:id" of each item, in order.
    std::vector<std::string> due_keys(TimePoint now, int64_t within = 0) {
        std::vector<std::string> out;
        for (const auto& d : due(now, within)) {
            out.push_back(fmt::format("{}:{}", to_string(d.kind), d.inquiry_id));
        }
        return out;
    }

    void answer(int64_t id, TimePoint at, Status status = Status::Waiting) {
        WriteTx tx(*store);
        set_status(*store, {id}, status, at);
        tx.commit();
    }

    SlaState sla(int64_t id, TimePoint now) {
        auto r = get_inquiry(*store, id, model, now);
        REQUIRE(r);
        return sla_state(*store, *r, config, model, now);
    }
};

using Keys = std::vector<std::string>;

}  // namespace

TEST_CASE("first-response SLA: by level, from the first unanswered message") {
    Shop s;
    s.config.sla.first_response = 24 * k_hour;
    s.config.sla.first_response_by_level = {{"urgent", 2 * k_hour}};
    s.model.level = [](double p) { return p >= 12 ? "urgent" : "normal"; };
    int64_t calm = s.message("小鹿", "O1", k_t0, {.priority = 1});
    int64_t calm2 = s.message("小鹿", "O1", k_t0 + 5 * k_hour, {.priority = 1});
    int64_t angry = s.message("王芳", "O2", k_t0, {.priority = 15});

    SlaState st = s.sla(calm2, k_t0 + 23 * k_hour);
    CHECK(st.kind == SlaKind::FirstResponse);
    CHECK(st.since == k_t0);
    CHECK(st.deadline == k_t0 + 24 * k_hour);
    CHECK(st.level == "normal");
    CHECK_FALSE(st.breached);
    CHECK(sla_label(st).empty());
    CHECK(s.sla(calm, k_t0 + 24 * k_hour).breached);
    CHECK(sla_label(s.sla(calm, k_t0 + 24 * k_hour)) == "breached");

    SlaState urgent = s.sla(angry, k_t0 + 2 * k_hour);
    CHECK(urgent.level == "urgent");
    CHECK(urgent.limit == 2 * k_hour);
    CHECK(urgent.breached);

    CHECK(s.due_keys(k_t0 + 2 * k_hour - 1).empty());
    CHECK(s.due_keys(k_t0 + 2 * k_hour) == Keys{fmt::format("first_response:{}", angry)});
    CHECK(s.due_keys(k_t0 + 25 * k_hour) ==
          Keys{fmt::format("first_response:{}", angry), fmt::format("first_response:{}", calm2)});
    // A look-ahead lists what breaches within the window, not yet late.
    auto ahead = s.due(k_t0 + 20 * k_hour, 5 * k_hour);
    REQUIRE(ahead.size() == 2);
    CHECK(ahead[1].inquiry_id == calm2);
    CHECK(ahead[1].late_by == -4 * k_hour);
    CHECK(ahead[1].note == "no reply yet (SLA 1d, normal)");

    // Answering (waiting) stops the clock; so do resolving and snoozing.
    s.answer(calm, k_t0 + 25 * k_hour);
    CHECK(s.sla(calm, k_t0 + 30 * k_hour).kind == SlaKind::None);
    WriteTx tx(*s.store);
    snooze(*s.store, angry, k_t0 + 40 * k_hour, false, k_t0 + 25 * k_hour);
    tx.commit();
    CHECK(s.due_keys(k_t0 + 30 * k_hour).empty());
}

TEST_CASE("follow-up-response SLA: the buyer wrote again after an answer") {
    Shop s;
    s.config.sla.first_response = 24 * k_hour;
    s.config.sla.followup_response = 8 * k_hour;
    int64_t a = s.message("小鹿", "O1", k_t0);
    s.answer(a, k_t0 + k_hour);
    int64_t b = s.message("小鹿", "O1", k_t0 + 2 * k_hour);
    int64_t c = s.message("小鹿", "O1", k_t0 + 4 * k_hour);
    (void)b;
    SlaState st = s.sla(c, k_t0 + 9 * k_hour);
    CHECK(st.kind == SlaKind::FollowupResponse);
    CHECK(st.since == k_t0 + 2 * k_hour);  // the first message after the answer
    CHECK(st.deadline == k_t0 + 10 * k_hour);
    CHECK(s.due_keys(k_t0 + 10 * k_hour) == Keys{fmt::format("followup_response:{}", c)});

    // A reply recorded in table reply (kefu reply, or mail) counts as the answer even where
    // first_response_at was not set.
    s.store->db().exec(fmt::format("INSERT INTO reply(inquiry_id, text, sent_at) VALUES ({}, "
                                   "'ok', {})",
                                   c, k_t0 + 5 * k_hour));
    CHECK(s.sla(c, k_t0 + 20 * k_hour).kind == SlaKind::None);
    int64_t d = s.message("小鹿", "O1", k_t0 + 6 * k_hour);
    CHECK(s.sla(d, k_t0 + 20 * k_hour).since == k_t0 + 6 * k_hour);
    // The seller's own message in the thread (imported mail) is an answer too.
    s.message("小鹿", "O1", k_t0 + 7 * k_hour, {.from_seller = true});
    CHECK(s.sla(d, k_t0 + 20 * k_hour).kind == SlaKind::None);
}

TEST_CASE("an older message imported late does not restart a wait that was answered") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    s.answer(a, k_t0 + k_hour);
    s.answer(a, k_t0 + k_hour + 1, Status::Open);  // the seller works on it again
    s.message("小鹿", "O1", k_t0 + 600);          // from before the answer
    CHECK(s.sla(a, k_t0 + 10 * k_day).kind == SlaKind::None);
    CHECK(s.due(k_t0 + 10 * k_day).empty());
}

TEST_CASE("follow-ups: silent before, due at their time, gone when done") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    s.answer(a, k_t0 + 60);
    int64_t f = 0;
    {
        WriteTx tx(*s.store);
        f = record_followup(*s.store, a, k_t0 + k_day, "ask the courier", k_t0 + 60);
        tx.commit();
    }
    CHECK(s.due(k_t0 + k_day - 1).empty());
    auto soon = s.due(k_t0 + k_day - k_hour, 2 * k_hour);
    REQUIRE(soon.size() == 1);
    CHECK(soon[0].late_by == -k_hour);
    auto items = s.due(k_t0 + k_day + 90);
    REQUIRE(items.size() == 1);
    CHECK(items[0].kind == DueKind::Followup);
    CHECK(items[0].followup_id == f);
    CHECK(items[0].inquiry_id == a);
    CHECK(items[0].late_by == 90);
    CHECK(items[0].customer == "小鹿");
    CHECK(items[0].note == "ask the courier");
    CHECK(items[0].key == fmt::format("followup:{}", f));
    {
        WriteTx tx(*s.store);
        complete_followups(*s.store, a, k_t0 + k_day + 100);
        tx.commit();
    }
    CHECK(s.due(k_t0 + k_day + 200).empty());
}

TEST_CASE("ended snoozes are listed for a day, or since the last marked run") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    s.answer(a, k_t0 + 60);
    {
        WriteTx tx(*s.store);
        snooze(*s.store, a, k_t0 + 2 * k_hour, false, k_t0 + 60);
        tx.commit();
    }
    CHECK(s.due(k_t0 + k_hour).empty());
    CHECK(s.due_keys(k_t0 + k_hour, k_hour) == Keys{fmt::format("snooze:{}", a)});
    CHECK(s.due_keys(k_t0 + 3 * k_hour) == Keys{fmt::format("snooze:{}", a)});
    CHECK(s.due(k_t0 + 3 * k_hour)[0].note == "snooze ended, back in the queue");
    CHECK(s.due(k_t0 + 2 * k_hour + k_day + 1).empty());
    // A cron that last ran before the snooze ended still hears of it, days later.
    {
        WriteTx tx(*s.store);
        mark_notified(*s.store, {}, k_t0 + k_hour);
        tx.commit();
    }
    CHECK(s.due(k_t0 + 3 * k_day, 0, true).size() == 1);
    CHECK(s.due(k_t0 + 3 * k_day, 0, false).empty());
}

TEST_CASE("--mark-notified shows each item once until it changes") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    int64_t b = s.message("王芳", "O2", k_t0 + 10);
    s.answer(a, k_t0 + 60);
    {
        WriteTx tx(*s.store);
        record_followup(*s.store, a, k_t0 + k_hour, "", k_t0 + 60);
        tx.commit();
    }
    auto run = [&](TimePoint now) {
        WriteTx tx(*s.store);
        auto items = mark_notified(*s.store, s.due(now, 0, true), now);
        tx.commit();
        std::vector<std::string> keys;
        for (const auto& d : items) {
            keys.push_back(d.key);
        }
        return keys;
    };
    std::string thread_of_b = fmt::format("SELECT thread_id FROM inquiry WHERE id = {}", b);
    int64_t thread_b = s.store->db().execAndGet(thread_of_b).getInt64();
    CHECK(run(k_t0 + 2 * k_day) == Keys{"followup:1", fmt::format("sla:{}", thread_b)});
    CHECK(run(k_t0 + 2 * k_day + 60).empty());
    // Without the flag everything current is listed again.
    CHECK(s.due(k_t0 + 2 * k_day + 60).size() == 2);
    // A new wait of b after an answer is a new deadline: shown again.
    s.answer(b, k_t0 + 2 * k_day + 100);
    s.message("王芳", "O2", k_t0 + 2 * k_day + 200);
    CHECK(run(k_t0 + 4 * k_day) == Keys{fmt::format("sla:{}", thread_b)});
    CHECK(s.store->db().execAndGet("SELECT notified_at FROM followup").getInt64() ==
          k_t0 + 2 * k_day);
}

TEST_CASE("most late first, ties by kind") {
    Shop s;
    s.config.sla.first_response = 10 * k_hour;
    int64_t a = s.message("a", "O1", k_t0);            // SLA breach at t0+10h
    int64_t b = s.message("b", "O2", k_t0 + k_hour);
    s.answer(b, k_t0 + k_hour);
    {
        WriteTx tx(*s.store);
        record_followup(*s.store, b, k_t0 + 10 * k_hour, "same time", k_t0 + k_hour);
        record_followup(*s.store, b, k_t0 + 5 * k_hour, "earlier", k_t0 + k_hour);
        tx.commit();
    }
    auto items = s.due(k_t0 + 12 * k_hour);
    REQUIRE(items.size() == 3);
    CHECK(items[0].note == "earlier");
    CHECK(items[1].kind == DueKind::FirstResponse);
    CHECK(items[1].inquiry_id == a);
    CHECK(items[2].note == "same time");
    CHECK(items[1].late_by == items[2].late_by);
}

TEST_CASE("due reads index ranges, never a whole table") {
    Shop s;
    int64_t a = s.message("a", "O1", k_t0);
    s.message("b", "O2", k_t0);
    {
        WriteTx tx(*s.store);
        record_followup(*s.store, a, k_t0 + k_hour, "", k_t0);
        snooze(*s.store, a, k_t0 + 2 * k_hour, false, k_t0);
        tx.commit();
    }
    // Every statement compute_due runs, caught as SQLite prepares it for a step.
    std::set<std::string> statements;
    auto trace = [](unsigned, void* ctx, void* p, void*) -> int {
        static_cast<std::set<std::string>*>(ctx)->insert(
            sqlite3_sql(static_cast<sqlite3_stmt*>(p)));
        return 0;
    };
    sqlite3_trace_v2(s.store->db().getHandle(), SQLITE_TRACE_STMT, trace, &statements);
    DueOptions o;
    o.unnotified_only = true;
    auto items = compute_due(*s.store, o, s.config.sla, s.model, k_t0 + 3 * k_day).items;
    sqlite3_trace_v2(s.store->db().getHandle(), 0, nullptr, nullptr);
    CHECK(items.size() == 3);  // the follow-up, the snooze, b's first response
    CHECK(statements.size() >= 5);
    std::string plans;
    for (const auto& sql : statements) {
        SQLite::Statement q(s.store->db(), "EXPLAIN QUERY PLAN " + sql);
        while (q.executeStep()) {
            std::string step = q.getColumn(3).getString();
            plans += step + "\n";
            // "SCAN x" without an index is a full table scan; SQLite says
            // "SCAN x USING INDEX" only for an index scan, which is what a range is not.
            INFO(sql);
            CHECK(step.rfind("SCAN", 0) != 0);
        }
    }
    CHECK(plans.find("USING INDEX inquiry_unanswered") != std::string::npos);
    CHECK(plans.find("USING INDEX inquiry_snooze") != std::string::npos);
    CHECK(plans.find("USING INDEX followup_open") != std::string::npos);
}

TEST_CASE("a limit gives the most late items of the full list, and reads little") {
    Shop s;
    s.config.sla.first_response = 24 * k_hour;
    s.config.sla.followup_response = 6 * k_hour;
    s.config.sla.first_response_by_level = {{"urgent", 2 * k_hour}, {"high", 8 * k_hour}};
    s.model.level = [](double p) { return p >= 12 ? "urgent" : p >= 8 ? "high" : "normal"; };
    std::mt19937 rng(5);
    for (int i = 0; i < 150; ++i) {
        TimePoint at = k_t0 + static_cast<TimePoint>(rng() % (10 * k_day));
        double priority = static_cast<double>(1 + rng() % 15);
        int64_t id = s.message(fmt::format("buyer{}", i), fmt::format("O{}", i), at,
                               {.priority = priority});
        if (i % 3 == 0) {
            WriteTx tx(*s.store);
            record_followup(*s.store, id, at + static_cast<TimePoint>(rng() % (5 * k_day)), "",
                            at);
            if (i % 2 == 0) {
                set_status(*s.store, {id}, Status::Waiting, at + 60);
                snooze(*s.store, id, at + static_cast<TimePoint>(rng() % (5 * k_day)), false,
                       at + 60);
            }
            tx.commit();
        }
    }
    TimePoint now = k_t0 + 12 * k_day;
    DueOptions all;
    all.snooze_lookback = 30 * k_day;
    DueList every = compute_due(*s.store, all, s.config.sla, s.model, now);
    REQUIRE(every.items.size() > 100);
    CHECK_FALSE(every.more);
    for (size_t i = 1; i < every.items.size(); ++i) {
        CHECK(every.items[i - 1].late_by >= every.items[i].late_by);
    }
    for (size_t limit : {1u, 7u, 40u}) {
        DueOptions o = all;
        o.limit = limit;
        DueList some = compute_due(*s.store, o, s.config.sla, s.model, now);
        REQUIRE(some.items.size() == limit);
        CHECK(some.more);
        for (size_t i = 0; i < limit; ++i) {
            CHECK(some.items[i].key == every.items[i].key);
        }
    }
    DueOptions o = all;
    o.limit = every.items.size();
    CHECK_FALSE(compute_due(*s.store, o, s.config.sla, s.model, now).more);

    // With one SLA for everyone, a limit of 3 looks at a handful of threads, not all.
    s.config.sla.first_response_by_level.clear();
    s.config.sla.followup_response = 24 * k_hour;
    int thread_reads = 0;
    auto trace = [](unsigned, void* ctx, void* p, void*) -> int {
        std::string sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
        if (sql.find("FROM inquiry WHERE thread_id = ?") != std::string::npos) {
            ++*static_cast<int*>(ctx);
        }
        return 0;
    };
    sqlite3_trace_v2(s.store->db().getHandle(), SQLITE_TRACE_STMT, trace, &thread_reads);
    o.limit = 3;
    DueList few = compute_due(*s.store, o, s.config.sla, s.model, now);
    sqlite3_trace_v2(s.store->db().getHandle(), 0, nullptr, nullptr);
    CHECK(few.items.size() == 3);
    CHECK(thread_reads > 0);
    CHECK(thread_reads <= 10);
}

TEST_CASE("marking returns only what no overlapping run marked meanwhile") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    (void)a;
    auto items = s.due(k_t0 + 2 * k_day, 0, true);
    REQUIRE(items.size() == 1);
    WriteTx tx(*s.store);
    CHECK(mark_notified(*s.store, items, k_t0 + 2 * k_day).size() == 1);
    CHECK(mark_notified(*s.store, items, k_t0 + 2 * k_day + 1).empty());
    tx.commit();
    CHECK(s.store->db().execAndGet("SELECT stamp FROM notified WHERE key = 'due:last-run'")
              .getInt64() == k_t0 + 2 * k_day + 1);
}
