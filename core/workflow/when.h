#pragma once
// The times users give the workflow commands: `--in 2d`, `--at "2026-12-01 10:00"`,
// `--until tomorrow 9:00`, `--within 2h`. Each parser throws a usage error (exit 2) whose
// message names the flag and the value, so that a script's mistake is plain to see.

#include <cstdint>
#include <string_view>

#include "core/model.h"

namespace kefu::workflow {

// A duration from now ("30m", "4h", "2d", "1w", "1d12h"): now + duration.
TimePoint parse_in(std::string_view flag, std::string_view text, TimePoint now);

// A point in time in local time (timeutil::parse_when: "2026-12-01 10:00", "tomorrow 9:00",
// "17:30") that must lie after `now`: a promise for a time already past is a mistake.
TimePoint parse_at(std::string_view flag, std::string_view text, TimePoint now);

// Either: a duration from now, or a point in time after now.
TimePoint parse_until(std::string_view flag, std::string_view text, TimePoint now);

// A look-ahead window: a duration, or "0" for none.
int64_t parse_window(std::string_view flag, std::string_view text);

}  // namespace kefu::workflow
