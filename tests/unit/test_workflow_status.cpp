// Status changes, responses and notes (core/workflow/status.h) and the history that records
// them (core/workflow/log.h), over messages written by the real importer.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "core/error.h"
#include "core/workflow/log.h"
#include "core/workflow/status.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
using namespace kefu::workflow;

namespace {

constexpr TimePoint k_day = 86400;
constexpr TimePoint k_t0 = 1'800'000'000;

using Shop = kefu_test::ChatShop;

}  // namespace

TEST_CASE("a status is the thread's: set on every message, logged once on the id given") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    int64_t b = s.message("小鹿", "O1", k_t0 + 600);
    int64_t other = s.message("王芳", "O2", k_t0 + 700);
    REQUIRE(s.value(fmt::format("SELECT thread_id FROM inquiry WHERE id = {}", b)) == a);

    WriteTx tx(*s.store);
    auto changes = set_status(*s.store, {b, a, other}, Status::Open, k_t0 + k_day, "on it");
    tx.commit();
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].changed());
    CHECK(changes[0].from == Status::New);
    CHECK(changes[1].same_thread_as == b);
    CHECK_FALSE(changes[1].changed());
    CHECK(changes[2].changed());
    CHECK(s.value("SELECT count(*) FROM inquiry WHERE status = 1") == 3);
    CHECK(s.value(fmt::format("SELECT count(*) FROM event WHERE kind = 'status' AND "
                              "inquiry_id = {}", b)) == 1);
    CHECK(s.value(fmt::format("SELECT count(*) FROM event WHERE inquiry_id = {}", a)) == 0);
    // Opening is not a response.
    CHECK(s.value("SELECT count(*) FROM inquiry WHERE first_response_at IS NOT NULL") == 0);

    auto log = thread_log(*s.store, a);
    REQUIRE(log.size() == 3);  // two imports, one status change
    CHECK(log[2].kind == "status");
    CHECK(log[2].detail == "new → open: on it");
    CHECK(log[2].at == k_t0 + k_day);
    CHECK(log[2].inquiry_id == b);
    CHECK(log[0].kind == "imported");
}

TEST_CASE("unknown ids change nothing, and are all named") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    std::string msg;
    {
        WriteTx tx(*s.store);
        try {
            set_status(*s.store, {a, 777, 778}, Status::Resolved, k_t0 + 10);
            tx.commit();
        } catch (const Error& e) {
            msg = e.what();
        }
    }
    CHECK(msg.find("#777, #778") != std::string::npos);
    CHECK(s.value("SELECT status FROM inquiry") == 0);
    CHECK(s.value("SELECT count(*) FROM event") == 0);
}

TEST_CASE("answering records the first response; resolving and closing record resolution") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    int64_t b = s.message("小鹿", "O1", k_t0 + 600);
    {
        WriteTx tx(*s.store);
        set_status(*s.store, {a}, Status::Waiting, k_t0 + 3600);
        tx.commit();
    }
    CHECK(s.value("SELECT count(*) FROM inquiry WHERE first_response_at = " +
                  std::to_string(k_t0 + 3600)) == 2);
    CHECK(s.is_null("SELECT resolved_at FROM inquiry WHERE id = " + std::to_string(a)));

    // The buyer writes again: the importer reopens the thread; the new message has no
    // response yet, the earlier ones keep theirs.
    int64_t c = s.message("小鹿", "O1", k_t0 + 7200);
    CHECK(s.value("SELECT status FROM inquiry WHERE id = " + std::to_string(b)) == 1);
    CHECK(s.is_null("SELECT first_response_at FROM inquiry WHERE id = " + std::to_string(c)));
    {
        WriteTx tx(*s.store);
        set_status(*s.store, {c}, Status::Resolved, k_t0 + 9000);
        tx.commit();
    }
    CHECK(s.value("SELECT first_response_at FROM inquiry WHERE id = " + std::to_string(c)) ==
          k_t0 + 9000);
    CHECK(s.value("SELECT first_response_at FROM inquiry WHERE id = " + std::to_string(a)) ==
          k_t0 + 3600);
    CHECK(s.value("SELECT count(*) FROM inquiry WHERE resolved_at = " +
                  std::to_string(k_t0 + 9000)) == 3);
    {
        WriteTx tx(*s.store);
        set_status(*s.store, {a}, Status::Closed, k_t0 + 20000);
        tx.commit();
    }
    // Closing keeps the time it was resolved.
    CHECK(s.value("SELECT resolved_at FROM inquiry WHERE id = " + std::to_string(a)) ==
          k_t0 + 9000);
    CHECK(s.value("SELECT count(*) FROM inquiry WHERE status = 4") == 3);
    // Setting the same status again is no change and no event.
    int64_t events = s.value("SELECT count(*) FROM event");
    {
        WriteTx tx(*s.store);
        auto ch = set_status(*s.store, {b}, Status::Closed, k_t0 + 30000);
        CHECK_FALSE(ch.at(0).changed());
        tx.commit();
    }
    CHECK(s.value("SELECT count(*) FROM event") == events);

    auto log = thread_log(*s.store, b);
    std::vector<std::string> status_details;
    for (const auto& e : log) {
        if (e.kind == "status") {
            status_details.push_back(e.detail);
        }
    }
    CHECK(status_details == std::vector<std::string>{"new → waiting",
                                                     "waiting → open: the buyer wrote again "
                                                     "(test.csv:3)",
                                                     "open → resolved", "resolved → closed"});
}

TEST_CASE("a response marks only messages received by then") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    int64_t late = s.message("小鹿", "O1", k_t0 + 5000);
    WriteTx tx(*s.store);
    record_response(*s.store, late, k_t0 + 1000);
    tx.commit();
    CHECK(s.value("SELECT first_response_at FROM inquiry WHERE id = " + std::to_string(a)) ==
          k_t0 + 1000);
    CHECK(s.is_null("SELECT first_response_at FROM inquiry WHERE id = " + std::to_string(late)));
}

TEST_CASE("target statuses and notes") {
    CHECK(parse_target_status("resolved") == Status::Resolved);
    CHECK(parse_target_status(" open ") == Status::Open);
    for (const char* bad : {"new", "done", ""}) {
        try {
            parse_target_status(bad);
            FAIL("accepted " << bad);
        } catch (const Error& e) {
            CHECK(e.exit_code() == k_exit_usage);
        }
    }
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    WriteTx tx(*s.store);
    add_note(*s.store, a, "  called the courier  ", k_t0 + 60);
    CHECK_THROWS_AS(add_note(*s.store, a, "   ", k_t0 + 60), Error);
    CHECK_THROWS_AS(add_note(*s.store, 999, "x", k_t0 + 60), Error);
    tx.commit();
    auto log = thread_log(*s.store, a);
    REQUIRE(log.size() == 2);
    CHECK(log[1].kind == "note");
    CHECK(log[1].detail == "called the courier");
    CHECK(log[1].at == k_t0 + 60);
    CHECK(thread_log(*s.store, 999).empty());
}

TEST_CASE("the log shows replies from the reply table, in time order") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    s.store->db().exec(fmt::format("INSERT INTO reply(inquiry_id, template_id, language, text, "
                                   "sent_at) VALUES ({}, 'ship_soon', 'zh', '亲，明天发货', {})",
                                   a, k_t0 + 100));
    WriteTx tx(*s.store);
    add_note(*s.store, a, "later note", k_t0 + 200);
    log_event(*s.store, a, k_t0 + 50, "tag", "+urgent");
    tx.commit();
    auto log = thread_log(*s.store, a);
    REQUIRE(log.size() == 4);
    CHECK(log[1].kind == "tag");
    CHECK(log[2].kind == "reply");
    CHECK(log[2].detail == "template ship_soon (zh): 亲，明天发货");
    CHECK(log[3].kind == "note");
}
