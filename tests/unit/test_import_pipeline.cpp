// The two-thread pipeline of imports (core/import/pipeline.h).
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "core/import/pipeline.h"

using kefu::import::run_pipeline;

namespace {

// Where the records of the batches were destroyed.
struct Deaths {
    std::mutex mutex;
    std::vector<std::thread::id> threads;
};

// A record that notes the thread it is destroyed on (moved-from ones note nothing).
struct Record {
    int value = 0;
    Deaths* deaths = nullptr;
    Record(int v, Deaths* d) : value(v), deaths(d) {}
    Record(Record&& other) noexcept
        : value(other.value), deaths(std::exchange(other.deaths, nullptr)) {}
    Record& operator=(Record&& other) noexcept {
        value = other.value;
        deaths = std::exchange(other.deaths, nullptr);
        return *this;
    }
    Record(const Record&) = delete;
    Record& operator=(const Record&) = delete;
    ~Record() {
        if (deaths != nullptr) {
            std::lock_guard lock(deaths->mutex);
            deaths->threads.push_back(std::this_thread::get_id());
        }
    }
};

using Batch = std::vector<Record>;

}  // namespace

TEST_CASE("pipeline: every batch in order, each destroyed on the producer's thread") {
    Deaths deaths;
    std::thread::id producer_thread;
    std::vector<int> seen;
    run_pipeline<Batch>(
        [&](const std::function<bool(Batch&&)>& emit) {
            producer_thread = std::this_thread::get_id();
            for (int b = 0; b < 50; ++b) {
                Batch batch;
                for (int k = 0; k < 7; ++k) {
                    batch.emplace_back(b * 7 + k, &deaths);
                }
                REQUIRE(emit(std::move(batch)));
            }
        },
        [&](Batch& batch) {
            for (const Record& r : batch) {
                seen.push_back(r.value);
            }
        },
        3);
    REQUIRE(seen.size() == 350);
    for (int i = 0; i < 350; ++i) {
        CHECK(seen[static_cast<size_t>(i)] == i);
    }
    REQUIRE(deaths.threads.size() == 350);
    CHECK(producer_thread != std::this_thread::get_id());
    for (const auto& id : deaths.threads) {
        CHECK(id == producer_thread);
    }
}

TEST_CASE("pipeline: an error of the consumer stops the producer and is rethrown") {
    Deaths deaths;
    std::atomic<int> emitted{0};
    bool refused = false;
    auto run = [&] {
        run_pipeline<Batch>(
            [&](const std::function<bool(Batch&&)>& emit) {
                for (int b = 0; b < 1000; ++b) {
                    Batch batch;
                    batch.emplace_back(b, &deaths);
                    ++emitted;
                    if (!emit(std::move(batch))) {
                        refused = true;
                        return;
                    }
                }
            },
            [&](Batch& batch) {
                if (batch.front().value == 5) {
                    throw std::runtime_error("disk full");
                }
            },
            2);
    };
    CHECK_THROWS_WITH(run(), "disk full");
    CHECK(refused);
    CHECK(emitted < 1000);
    CHECK(deaths.threads.size() == static_cast<size_t>(emitted.load()));
}

TEST_CASE("pipeline: an error of the producer comes after what it emitted was consumed") {
    Deaths deaths;
    int consumed = 0;
    auto run = [&] {
        run_pipeline<Batch>(
            [&](const std::function<bool(Batch&&)>& emit) {
                for (int b = 0; b < 10; ++b) {
                    Batch batch;
                    batch.emplace_back(b, &deaths);
                    emit(std::move(batch));
                }
                throw std::runtime_error("bad input");
            },
            [&](Batch&) { ++consumed; }, 4);
    };
    CHECK_THROWS_WITH(run(), "bad input");
    CHECK(consumed == 10);
    CHECK(deaths.threads.size() == 10);
}
