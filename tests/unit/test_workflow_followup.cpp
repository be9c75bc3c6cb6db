// Follow-ups and snoozes (core/workflow/followup.h), including the importer ending a
// snooze --or-reply when the buyer writes again.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "core/error.h"
#include "core/queue.h"
#include "core/workflow/followup.h"
#include "core/workflow/log.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
using namespace kefu::workflow;

namespace {

constexpr TimePoint k_t0 = 1'800'000'000;

// The shared chat fixture, plus the ids the queue lists.
struct Shop : kefu_test::ChatShop {
    std::vector<int64_t> queue_ids(TimePoint now) {
        QueueFilter f;
        f.limit = 0;
        std::vector<int64_t> ids;
        for (const auto& r : list_queue(*store, f, {}, now).items) {
            ids.push_back(r.id);
        }
        return ids;
    }
};

}  // namespace

TEST_CASE("a follow-up is recorded, listed, logged, and done from any message of the thread") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    int64_t b = s.message("小鹿", "O1", k_t0 + 60);
    int64_t f1 = 0;
    int64_t f2 = 0;
    {
        WriteTx tx(*s.store);
        f1 = record_followup(*s.store, a, k_t0 + 86400, "  ask the courier ", k_t0 + 100);
        f2 = record_followup(*s.store, b, k_t0 + 2 * 86400, "", k_t0 + 100);
        CHECK_THROWS_AS(record_followup(*s.store, 999, k_t0, "", k_t0), Error);
        tx.commit();
    }
    auto open = list_followups(*s.store, false);
    REQUIRE(open.size() == 2);
    CHECK(open[0].followup.id == f1);
    CHECK(open[0].followup.note == "ask the courier");
    CHECK(open[0].customer == "小鹿");
    CHECK(open[0].thread_id == a);
    CHECK(open[1].followup.id == f2);

    std::vector<FollowupRecord> done;
    {
        WriteTx tx(*s.store);
        done = complete_followups(*s.store, b, k_t0 + 5000);
        tx.commit();
    }
    CHECK(done.size() == 2);
    CHECK(list_followups(*s.store, false).empty());
    CHECK(list_followups(*s.store, true).size() == 2);
    {
        WriteTx tx(*s.store);
        CHECK(complete_followups(*s.store, a, k_t0 + 6000).empty());
        tx.commit();
    }
    std::vector<std::string> details;
    for (const auto& e : thread_log(*s.store, a)) {
        if (e.kind == "followup") {
            details.push_back(e.detail);
            CHECK((e.at == k_t0 + 100 || e.at == k_t0 + 5000));
        }
    }
    REQUIRE(details.size() == 4);
    CHECK(details[0].find(fmt::format("follow-up #{} due ", f1)) == 0);
    CHECK(details[0].find(": ask the courier") != std::string::npos);
    CHECK(details[2].find(fmt::format("follow-up #{} done (was due ", f1)) == 0);
}

TEST_CASE("a snooze hides the whole thread until its time") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    int64_t b = s.message("小鹿", "O1", k_t0 + 60);
    int64_t other = s.message("王芳", "O2", k_t0 + 120);
    {
        WriteTx tx(*s.store);
        snooze(*s.store, a, k_t0 + 86400, false, k_t0 + 200);
        tx.commit();
    }
    CHECK(s.value(fmt::format("SELECT count(*) FROM inquiry WHERE snooze_until = {}",
                              k_t0 + 86400)) == 2);
    CHECK(s.queue_ids(k_t0 + 300) == std::vector<int64_t>{other});
    CHECK(s.queue_ids(k_t0 + 86400).size() == 2);

    // Without --or-reply a new message does not end it.
    int64_t c = s.message("小鹿", "O1", k_t0 + 400);
    CHECK(s.value(fmt::format("SELECT snooze_until FROM inquiry WHERE id = {}", b)) ==
          k_t0 + 86400);
    (void)c;
    {
        WriteTx tx(*s.store);
        CHECK(unsnooze(*s.store, b, k_t0 + 500));
        CHECK_FALSE(unsnooze(*s.store, b, k_t0 + 500));
        tx.commit();
    }
    CHECK(s.value("SELECT count(*) FROM inquiry WHERE snooze_until IS NOT NULL") == 0);
}

TEST_CASE("snooze --or-reply ends when the buyer writes again (the importer clears it)") {
    Shop s;
    int64_t a = s.message("小鹿", "O1", k_t0);
    int64_t other = s.message("王芳", "O2", k_t0 + 10);
    {
        WriteTx tx(*s.store);
        snooze(*s.store, a, k_t0 + 3 * 86400, true, k_t0 + 100);
        snooze(*s.store, other, k_t0 + 3 * 86400, true, k_t0 + 100);
        tx.commit();
    }
    CHECK(s.queue_ids(k_t0 + 200).empty());
    int64_t again = s.message("小鹿", "O1", k_t0 + 300);
    CHECK(s.queue_ids(k_t0 + 400) == std::vector<int64_t>{again});
    CHECK(s.value(fmt::format("SELECT count(*) FROM inquiry WHERE snooze_until IS NULL AND "
                              "thread_id = {}", a)) == 2);
    CHECK(s.value(fmt::format("SELECT snooze_until FROM inquiry WHERE id = {}", other)) ==
          k_t0 + 3 * 86400);
    bool ended = false;
    for (const auto& e : thread_log(*s.store, again)) {
        ended = ended || (e.kind == "snooze" && e.detail.find("buyer wrote again") !=
                                                    std::string::npos);
    }
    CHECK(ended);
}
