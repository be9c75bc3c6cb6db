#include <doctest/doctest.h>

#include "core/time.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
using namespace kefu::timeutil;
using kefu_test::ZoneGuard;

TEST_CASE("durations in the units sellers write") {
    CHECK(parse_duration("30m") == 1800);
    CHECK(parse_duration("4h") == 4 * 3600);
    CHECK(parse_duration("2d") == 2 * 86400);
    CHECK(parse_duration("1w") == 7 * 86400);
    CHECK(parse_duration("1d12h") == 36 * 3600);
    CHECK(parse_duration("1h 30m") == 5400);
    CHECK(parse_duration(" 3 days ") == 3 * 86400);
    CHECK(parse_duration("2天") == 2 * 86400);
    std::string why;
    CHECK_FALSE(parse_duration("", &why));
    CHECK_FALSE(parse_duration("2x", &why));
    CHECK(why.find("position 2") != std::string::npos);
    CHECK_FALSE(parse_duration("h", &why));
    CHECK_FALSE(parse_duration("0m", &why));
    CHECK_FALSE(parse_duration("999999999w", &why));
}

TEST_CASE("timestamps in export forms, read in the given zone") {
    ZoneGuard tz("Asia/Shanghai");
    const TimePoint expect = 1704330960;  // 2024-01-04 09:16:00 +08:00
    CHECK(parse_timestamp("2024-01-04 09:16", Zone::local()) == expect);
    CHECK(parse_timestamp("2024/1/4 9:16", Zone::local()) == expect);
    CHECK(parse_timestamp("2024.01.04 09:16:00", Zone::local()) == expect);
    CHECK(parse_timestamp("2024年1月4日 09:16", Zone::local()) == expect);
    CHECK(parse_timestamp("2024年1月4日 9时16分", Zone::local()) == expect);
    CHECK(parse_timestamp("2024-01-04T01:16:00Z", Zone::local()) == expect);
    CHECK(parse_timestamp("2024-01-04T09:16:00+08:00", Zone::local()) == expect);
    CHECK(parse_timestamp("2024-01-03T20:16:00-0500", Zone::local()) == expect);
    CHECK(parse_timestamp("2024-01-04 09:16:00.123", Zone::local()) == expect);
    CHECK(parse_timestamp("1704330960", Zone::local()) == expect);
    CHECK(parse_timestamp("1704330960000", Zone::local()) == expect);
    CHECK(parse_timestamp("2024-01-04 01:16", Zone::utc()) == expect);
    CHECK(parse_timestamp("2024-01-04", Zone::utc()) == 1704326400);
    std::string why;
    CHECK_FALSE(parse_timestamp("2024-02-30 10:00", Zone::utc(), &why));
    CHECK(why.find("not a valid date") != std::string::npos);
    CHECK_FALSE(parse_timestamp("yesterday-ish", Zone::utc(), &why));
    CHECK_FALSE(parse_timestamp("2024-01-04 25:00", Zone::utc(), &why));
    CHECK_FALSE(parse_timestamp("2024-01-04 09:16 +99:00", Zone::utc(), &why));
    CHECK_FALSE(parse_timestamp("", Zone::utc(), &why));
}

TEST_CASE("times with a half of the day: 上午/下午 and AM/PM") {
    const Zone z8 = *parse_fixed_zone("+08:00");
    const TimePoint day = 1704297600;  // 2024-01-04 00:00 +08:00
    CHECK(parse_timestamp("2024年01月04日 下午3:16", z8) == day + 15 * 3600 + 16 * 60);
    CHECK(parse_timestamp("2024年1月4日下午3:16", z8) == day + 15 * 3600 + 16 * 60);
    CHECK(parse_timestamp("2024年1月4日 上午9点30分", z8) == day + 9 * 3600 + 30 * 60);
    CHECK(parse_timestamp("2024年1月4日 中午1点", z8) == day + 13 * 3600);
    CHECK(parse_timestamp("2024年1月4日 晚上11:05", z8) == day + 23 * 3600 + 5 * 60);
    CHECK(parse_timestamp("2024-1-4 9:16 PM", z8) == day + 21 * 3600 + 16 * 60);
    CHECK(parse_timestamp("2024/1/4 9:16:05 pm", z8) == day + 21 * 3600 + 16 * 60 + 5);
    CHECK(parse_timestamp("2024-01-04 12:30 AM", z8) == day + 30 * 60);
    CHECK(parse_timestamp("2024-01-04 12:30 PM", z8) == day + 12 * 3600 + 30 * 60);
    CHECK(parse_timestamp("2024-01-04 下午13:00", z8) == day + 13 * 3600);
    CHECK(parse_timestamp("2024-01-04 9:16 PM +08:00", Zone::utc()) == day + 21 * 3600 + 16 * 60);
    std::string why;
    CHECK_FALSE(parse_timestamp("2024-01-04 13:16 AM", z8, &why));
    CHECK(why.find("not a valid time of day") != std::string::npos);
    CHECK_FALSE(parse_timestamp("2024-01-04 9:16 PMX", z8));
    CHECK_FALSE(parse_timestamp("2024-01-04 9:16 a", z8));
    CHECK_FALSE(parse_timestamp("2024-01-04 9:16 a.m.x", z8));
    CHECK_FALSE(parse_timestamp("2024-01-04 下午", z8));
}

TEST_CASE("relative times for follow-ups and filters") {
    ZoneGuard tz("Asia/Shanghai");
    const TimePoint now = 1704330960;  // Thursday 2024-01-04 09:16 local
    CHECK(parse_when("now", now) == now);
    CHECK(parse_when("tomorrow 9:00", now) == 1704330960 + 86400 - 16 * 60);
    CHECK(parse_when("tomorrow", now) == 1704330960 + 86400 - 16 * 60);
    CHECK(parse_when("today 17:30", now) == 1704360600);
    CHECK(parse_when("17:30", now) == 1704360600);
    CHECK(parse_since("30d", now) == now - 30 * 86400);
    CHECK(parse_since("2024-01-01", now) == 1704038400);
    // --until of a date is the whole day; with a time, a duration or "now", that very point.
    CHECK(parse_until("2024-01-01", now) == 1704038400 + 86400 - 1);
    CHECK(parse_until("2024年1月1日", now) == 1704038400 + 86400 - 1);
    CHECK(parse_until("2024-01-01 00:00", now) == 1704038400);
    CHECK(parse_until("2024-01-01 10:00", now) == 1704038400 + 36000);
    CHECK(parse_until("30d", now) == now - 30 * 86400);
    CHECK(parse_until("now", now) == now);
    CHECK(parse_until("1704038400", now) == 1704038400);
    std::string why;
    CHECK_FALSE(parse_when("tomorrow 25:00", now, &why));
}

TEST_CASE("formatting in local time") {
    ZoneGuard tz("Asia/Shanghai");
    CHECK(format_iso(1704330960) == "2024-01-04T09:16:00+08:00");
    CHECK(format_local(1704330960) == "2024-01-04 09:16");
    CHECK(format_span(2 * 86400 + 3 * 3600 + 59) == "2d 3h");
    CHECK(format_span(45 * 60) == "45m");
    CHECK(format_span(0) == "0s");
    CHECK(format_span(86400 + 60) == "1d");
}

TEST_CASE("civil date conversion round-trips") {
    for (int64_t d = -1000; d < 40000; d += 37) {
        int64_t y = 0;
        unsigned m = 0;
        unsigned day = 0;
        civil_from_days(d, y, m, day);
        CHECK(days_from_civil(y, m, day) == d);
    }
}
