#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "core/queue.h"
#include "core/store/store.h"

using namespace kefu;

namespace {
void add(Store& s, int64_t id, double prio, TimePoint received, Status status = Status::New) {
    SQLite::Statement q(s.db(),
                        "INSERT INTO inquiry(id, source, dedupe_key, received_at, body, thread_id, status, "
                        "priority_static) VALUES (?, 't', ?, ?, 'x', ?, ?, ?)");
    q.bind(1, id);
    q.bind(2, id);
    q.bind(3, received);
    q.bind(4, id);
    q.bind(5, static_cast<int>(status));
    q.bind(6, prio);
    q.exec();
}
}  // namespace

// The queue reads rows in stored-priority order and stops early; with any age term bounded by
// max_age it must give exactly what sorting every row by its total would give.
TEST_CASE("priority order with an age term equals a full sort") {
    auto store = Store::open(":memory:", StoreMode::Write);
    std::mt19937 rng(11);
    const TimePoint now = 1'800'000'000;
    {
        WriteTx tx(*store);
        for (int64_t id = 1; id <= 2000; ++id) {
            add(*store, id, static_cast<double>(rng() % 1000) / 100.0, now - static_cast<int64_t>(rng() % 200000),
                id % 10 == 0 ? Status::Resolved : Status::New);
        }
        tx.commit();
    }
    PriorityModel model;
    model.max_age = 4.0;
    model.age = [](const Inquiry& r, TimePoint t) {
        return std::min(4.0, static_cast<double>(t - r.received_at) / 50000.0);
    };
    model.level = [](double total) { return total >= 10 ? "urgent" : "normal"; };
    for (size_t limit : {1u, 5u, 20u, 100u}) {
        QueueFilter f;
        f.limit = limit;
        auto page = list_queue(*store, f, model, now);
        // Brute force over every active row.
        QueueFilter every;
        every.limit = 0;
        auto all = list_queue(*store, every, model, now);
        std::vector<Inquiry> sorted = all.items;
        std::stable_sort(sorted.begin(), sorted.end(), [](const Inquiry& a, const Inquiry& b) {
            return a.priority != b.priority ? a.priority > b.priority : a.received_at < b.received_at;
        });
        REQUIRE(page.items.size() == limit);
        for (size_t i = 0; i < limit; ++i) {
            CHECK(page.items[i].priority == doctest::Approx(sorted[i].priority));
        }
        CHECK(page.more);
        for (const auto& r : page.items) {
            CHECK(r.status == Status::New);
        }
    }
    QueueFilter urgent;
    urgent.level = "urgent";
    urgent.limit = 0;
    for (const auto& r : list_queue(*store, urgent, model, now).items) {
        CHECK(r.priority >= 10);
    }
}

TEST_CASE("the queue shows each thread once, hides snoozed threads, filters by status") {
    auto store = Store::open(":memory:", StoreMode::Write);
    add(*store, 1, 1, 100);
    add(*store, 2, 2, 200, Status::Waiting);
    add(*store, 3, 3, 300);
    store->db().exec("UPDATE inquiry SET thread_id = 1, is_head = 0 WHERE id = 1");
    store->db().exec("UPDATE inquiry SET thread_id = 1 WHERE id = 3");
    store->db().exec("UPDATE inquiry SET snooze_until = 1000 WHERE id = 2");
    PriorityModel none;
    auto ids = [&](QueueFilter f, TimePoint now) {
        std::vector<int64_t> out;
        for (const auto& r : list_queue(*store, f, none, now).items) {
            out.push_back(r.id);
        }
        return out;
    };
    CHECK(ids({}, 500) == std::vector<int64_t>{3});
    QueueFilter waiting;
    waiting.statuses = {Status::Waiting};
    CHECK(ids(waiting, 500).empty());        // snoozed until 1000
    CHECK(ids(waiting, 1500) == std::vector<int64_t>{2});
    waiting.include_snoozed = true;
    CHECK(ids(waiting, 500) == std::vector<int64_t>{2});
    QueueFilter by_time;
    by_time.sort = QueueSort::Received;
    by_time.statuses = all_statuses();
    by_time.include_snoozed = true;
    CHECK(ids(by_time, 500) == std::vector<int64_t>{3, 2});
}
