#include "core/workflow/when.h"

#include <fmt/format.h>

#include <string>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::workflow {
namespace {

std::string shown(std::string_view s) { return text::one_line(s); }

[[noreturn]] void bad(std::string_view flag, const std::string& why, const std::string& hint) {
    throw usage_error(fmt::format("bad {}", flag), why, hint);
}

TimePoint future(std::string_view flag, std::string_view text_in, TimePoint t, TimePoint now) {
    if (t <= now) {
        bad(flag,
            fmt::format("\"{}\" is {} (in the past: now is {})", shown(text_in),
                        timeutil::format_local(t), timeutil::format_local(now)),
            "give a time to come, e.g. \"tomorrow 9:00\", or a duration with --in");
    }
    return t;
}

}  // namespace

TimePoint parse_in(std::string_view flag, std::string_view text_in, TimePoint now) {
    std::string why;
    auto d = timeutil::parse_duration(text_in, &why);
    if (!d) {
        bad(flag, fmt::format("\"{}\" is not a duration: {}", shown(text_in), why),
            "use 30m, 4h, 2d or 1w");
    }
    return now + *d;
}

TimePoint parse_at(std::string_view flag, std::string_view text_in, TimePoint now) {
    std::string why;
    auto t = timeutil::parse_when(text_in, now, &why);
    if (!t) {
        bad(flag, fmt::format("\"{}\" is not a time: {}", shown(text_in), why),
            "use \"2026-12-01 10:00\", \"tomorrow 9:00\" or \"17:30\" (local time)");
    }
    return future(flag, text_in, *t, now);
}

TimePoint parse_until(std::string_view flag, std::string_view text_in, TimePoint now) {
    std::string ignored;
    if (auto d = timeutil::parse_duration(text_in, &ignored)) {
        return now + *d;
    }
    std::string why;
    auto t = timeutil::parse_when(text_in, now, &why);
    if (!t) {
        bad(flag,
            fmt::format("\"{}\" is neither a time nor a duration: {}", shown(text_in), why),
            "use \"2026-12-01 10:00\", \"tomorrow 9:00\" or a duration such as 2d");
    }
    return future(flag, text_in, *t, now);
}

int64_t parse_window(std::string_view flag, std::string_view text_in) {
    if (text::trim(text_in) == "0") {
        return 0;
    }
    std::string why;
    auto d = timeutil::parse_duration(text_in, &why);
    if (!d) {
        bad(flag, fmt::format("\"{}\" is not a duration: {}", shown(text_in), why),
            "use 30m, 2h or 1d");
    }
    return *d;
}

}  // namespace kefu::workflow
