// Ids from command lines and pipes (core/workflow/ids.h), and the time flags of the workflow
// commands (core/workflow/when.h): what scripts feed kefu, and the errors they get back.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "core/error.h"
#include "core/time.h"
#include "core/workflow/ids.h"
#include "core/workflow/when.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
using namespace kefu::workflow;
using kefu_test::ZoneGuard;

namespace {

// The error a call throws, or an empty one when it throws none.
template <typename F>
std::pair<int, std::string> error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return {e.exit_code(), e.what()};
    }
    return {0, ""};
}

}  // namespace

TEST_CASE("an id word is a number, with or without #") {
    CHECK(parse_id_word("12") == 12);
    CHECK(parse_id_word("#7") == 7);
    CHECK(parse_id_word(" 42 ") == 42);
    for (const char* bad : {"", "abc", "12a", "-3", "0", "1234567890123456789", "#"}) {
        auto [code, msg] = error_of([&] { parse_id_word(bad); });
        CHECK(code == k_exit_usage);
        CHECK(msg.find(std::string("\"") + bad) != std::string::npos);
    }
}

TEST_CASE("ids from a pipe: one per line, header and blank lines skipped, TSV lines whole") {
    CHECK(parse_id_lines("id\n12\n\n15\r\n#18\n", "stdin") == std::vector<int64_t>{12, 15, 18});
    CHECK(parse_id_lines("id\treceived_at\n3\t2026-11-01\n4\t2026-11-02\n", "stdin") ==
          std::vector<int64_t>{3, 4});
    CHECK(parse_id_lines("\"id\",x\n\"9\",y\n", "stdin") == std::vector<int64_t>{9});
    CHECK(parse_id_lines("", "stdin").empty());
    auto [code, msg] = error_of([] { parse_id_lines("12\nfoo\n", "stdin"); });
    CHECK(code == k_exit_usage);
    CHECK(msg.find("stdin:2") != std::string::npos);
    CHECK(msg.find("\"foo\"") != std::string::npos);
}

TEST_CASE("ids from words: - reads the pipe once, duplicates go, no words is an error") {
    int reads = 0;
    auto pipe = [&] {
        ++reads;
        return std::string("id\n5\n3\n");
    };
    CHECK(ids_from_words({"3", "-", "7", "5"}, pipe) == std::vector<int64_t>{3, 5, 7});
    CHECK(reads == 1);
    CHECK(error_of([&] { ids_from_words({"-", "-"}, pipe); }).first == k_exit_usage);
    CHECK(error_of([&] { ids_from_words({}, pipe); }).first == k_exit_usage);
    CHECK(ids_from_words({"-"}, [] { return std::string("\n"); }).empty());
}

TEST_CASE("unknown ids are named, all of them") {
    auto store = Store::open(":memory:", StoreMode::Write);
    store->db().exec("INSERT INTO inquiry(id, source, dedupe_key, received_at, body, thread_id) "
                     "VALUES (1, 't', 1, 0, 'x', 1)");
    require_inquiries(*store, {1, 1});
    auto [code, msg] = error_of([&] { require_inquiries(*store, {1, 98, 99}); });
    CHECK(code == k_exit_failure);
    CHECK(msg.find("#98, #99") != std::string::npos);
    CHECK(msg.find("#1,") == std::string::npos);
}

TEST_CASE("time flags: durations from now, times that must be to come") {
    ZoneGuard zone("Asia/Shanghai");
    TimePoint now = *timeutil::parse_timestamp("2026-11-15 12:00", timeutil::Zone::local());
    CHECK(parse_in("--in", "2d", now) == now + 2 * 86400);
    CHECK(parse_in("--in", "30m", now) == now + 1800);
    CHECK(parse_in("--in", "1w", now) == now + 7 * 86400);
    CHECK(parse_at("--at", "2026-12-01 10:00", now) ==
          *timeutil::parse_timestamp("2026-12-01T10:00:00+08:00", timeutil::Zone::utc()));
    CHECK(parse_at("--at", "tomorrow 9:00", now) == now + 21 * 3600);
    CHECK(parse_until("--until", "3d", now) == now + 3 * 86400);
    CHECK(parse_until("--until", "17:30", now) == now + 5 * 3600 + 1800);
    CHECK(parse_window("--within", "2h") == 7200);
    CHECK(parse_window("--within", "0") == 0);

    struct Bad {
        std::function<void()> call;
        std::string flag;
        std::string value;
    };
    std::vector<Bad> bad = {
        {[&] { parse_in("--in", "2x", now); }, "--in", "2x"},
        {[&] { parse_in("--in", "tomorrow", now); }, "--in", "tomorrow"},
        {[&] { parse_at("--at", "2026-13-01 10:00", now); }, "--at", "2026-13-01 10:00"},
        {[&] { parse_at("--at", "9:00", now); }, "--at", "9:00"},  // today 9:00 is past
        {[&] { parse_at("--at", "2026-11-01", now); }, "--at", "2026-11-01"},
        {[&] { parse_until("--until", "soon", now); }, "--until", "soon"},
        {[&] { parse_window("--within", "-2h"); }, "--within", "-2h"},
    };
    for (const auto& b : bad) {
        auto [code, msg] = error_of(b.call);
        CHECK(code == k_exit_usage);
        CHECK(msg.find("bad " + b.flag) != std::string::npos);
        CHECK(msg.find("\"" + b.value + "\"") != std::string::npos);
    }
}
