#pragma once
// Time in kefu: stored as UTC seconds (TimePoint), shown in local time. "Local" is the
// process time zone (TZ, or `timezone` in config, which main() puts into TZ). Core never reads
// the clock: callers pass `now` (the CLI takes it from KEFU_NOW in tests).
//
// Parsers return std::nullopt and fill `why` (with the 0-based character position where that
// helps) on bad input, so that the caller can say which file and line it came from.

#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace kefu::timeutil {

// Where a naive (zone-less) time is interpreted: a fixed UTC offset, or the local zone.
struct Zone {
    std::optional<int> fixed_offset;  // seconds east of UTC; nullopt = local zone
    static Zone local() { return {}; }
    static Zone utc() { return {0}; }
};

// "30m", "4h", "2d", "1w", "90s" and sums like "1d12h" or "1h 30m" → seconds (> 0).
std::optional<int64_t> parse_duration(std::string_view text, std::string* why = nullptr);

// A zone given on the command line or in config: "+08:00", "+0800", "UTC", "Z". IANA names
// (Asia/Shanghai) are not parsed here: the CLI puts them into TZ and uses Zone::local().
std::optional<Zone> parse_fixed_zone(std::string_view text);

// Timestamps in the forms of exports: ISO 8601 with or without zone ("2024-01-04T09:16:06Z",
// "2024-01-04 09:16:06+08:00"), "2024-01-04 09:16", "2024/1/4 9:16", "2024.1.4 9:16:06",
// "2024年1月4日 09:16", a time with its half of the day ("2024年1月4日 下午3:16", "2024-1-4
// 3:16 PM"), a date alone, or Unix epoch seconds (10 digits) / milliseconds (13).
// Naive forms are read in `zone`.
std::optional<TimePoint> parse_timestamp(std::string_view text, Zone zone,
                                         std::string* why = nullptr);

// A point in time given by a user relative to `now`: a timestamp as above, "now", "today",
// "tomorrow", "yesterday" (optionally followed by a time of day, "tomorrow 9:00"), or a bare
// time of day ("17:30", today). Durations are not accepted here (see parse_since/parse_until).
std::optional<TimePoint> parse_when(std::string_view text, TimePoint now, std::string* why = nullptr);

// --since / --until: a duration means that long before now ("30d"), else parse_when.
std::optional<TimePoint> parse_since(std::string_view text, TimePoint now, std::string* why = nullptr);
// --until of a listing (received at or before it): as parse_since, but a date without a time of
// day ("2026-11-12", "2026年11月12日") means the whole of that day, up to its last second.
std::optional<TimePoint> parse_until(std::string_view text, TimePoint now, std::string* why = nullptr);

// Days since 1970-01-01 for a civil date and back (proleptic Gregorian).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t days, int64_t& y, unsigned& m, unsigned& d);

// The local zone's offset from UTC at `t`, in seconds.
int local_offset(TimePoint t);

// "2024-01-04T09:16:06+08:00" (local time with its offset).
std::string format_iso(TimePoint t);
// "2024-01-04 09:16" (local time), for tables.
std::string format_local(TimePoint t, bool with_seconds = false);
// "2d 3h", "45m", "10s": the two largest units of a non-negative span.
std::string format_span(int64_t seconds);

}  // namespace kefu::timeutil
