#include "core/time.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <vector>

namespace kefu::timeutil {
namespace {

void set_why(std::string* why, std::string text) {
    if (why != nullptr) {
        *why = std::move(text);
    }
}

// A tiny cursor over the text being parsed; positions are byte offsets.
struct Cursor {
    std::string_view s;
    size_t i = 0;

    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool digit() const { return !done() && std::isdigit(static_cast<unsigned char>(s[i])) != 0; }
    void skip_spaces() {
        while (!done() && (s[i] == ' ' || s[i] == '\t')) {
            ++i;
        }
    }
    bool eat(char c) {
        if (peek() == c) {
            ++i;
            return true;
        }
        return false;
    }
    bool eat(std::string_view word) {
        if (s.substr(i).starts_with(word)) {
            i += word.size();
            return true;
        }
        return false;
    }
    // Half of the day written with a time: 上午 3:16, 下午3:16, 3:16 PM. Returns 1 for the
    // morning, 2 for the afternoon or evening, 3 for 中午 (noon), 0 for none (nothing eaten).
    int period_before() {
        for (std::string_view w : {"上午", "早上", "早晨", "凌晨"}) {
            if (eat(w)) {
                return 1;
            }
        }
        for (std::string_view w : {"下午", "晚上", "傍晚", "夜里"}) {
            if (eat(w)) {
                return 2;
            }
        }
        return eat("中午") ? 3 : 0;
    }
    int period_after() {
        size_t start = i;
        skip_spaces();
        std::string rest;
        for (size_t k = i; k < s.size() && k < i + 5; ++k) {
            rest += static_cast<char>(std::tolower(static_cast<unsigned char>(s[k])));
        }
        for (auto [word, half] : {std::pair<std::string_view, int>{"a.m.", 1}, {"p.m.", 2}, {"am", 1}, {"pm", 2}}) {
            if (!rest.starts_with(word)) {
                continue;
            }
            if (rest.size() == word.size() || std::isalpha(static_cast<unsigned char>(rest[word.size()])) == 0) {
                i += word.size();
                return half;
            }
        }
        i = start;
        return 0;
    }
    // Reads 1..max_digits digits; returns -1 when there is none.
    int64_t number(size_t max_digits, size_t* count = nullptr) {
        int64_t v = 0;
        size_t n = 0;
        while (n < max_digits && digit()) {
            v = v * 10 + (s[i] - '0');
            ++i;
            ++n;
        }
        if (count != nullptr) {
            *count = n;
        }
        return n == 0 ? -1 : v;
    }
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
        s.remove_suffix(1);
    }
    return s;
}

bool valid_date(int64_t y, int64_t m, int64_t d) {
    static constexpr int k_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = k_days[m - 1] - ((m == 2 && !leap) ? 1 : 0);
    return d <= max;
}

// Local wall-clock time → UTC, through mktime. The last answer is cached per hour because
// imports convert many rows in a row from the same hour.
TimePoint local_to_utc(int64_t y, int m, int d, int hh, int mm, int ss) {
    int64_t wall = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 +
                   hh * 3600 + mm * 60 + ss;
    thread_local int64_t cached_hour = INT64_MIN;
    thread_local int64_t cached_offset = 0;
    int64_t hour = wall / 3600;
    if (hour != cached_hour) {
        std::tm tm{};
        tm.tm_year = static_cast<int>(y - 1900);
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
        tm.tm_hour = hh;
        tm.tm_min = 0;
        tm.tm_sec = 0;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t == static_cast<time_t>(-1)) {
            return wall;  // outside what the C library can map: treat as UTC
        }
        cached_offset = (wall - mm * 60 - ss) - static_cast<int64_t>(t);
        cached_hour = hour;
    }
    return wall - cached_offset;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
}

std::optional<int64_t> parse_duration(std::string_view text, std::string* why) {
    std::string_view s = trim(text);
    if (s.empty()) {
        set_why(why, "empty duration (use e.g. 30m, 4h, 2d, 1w)");
        return std::nullopt;
    }
    Cursor c{s};
    int64_t total = 0;
    while (true) {
        c.skip_spaces();
        if (c.done()) {
            break;
        }
        size_t start = c.i;
        size_t ndigits = 0;
        int64_t n = c.number(9, &ndigits);
        if (n < 0) {
            set_why(why, fmt::format("expected a number at position {} of \"{}\"", start + 1, s));
            return std::nullopt;
        }
        c.skip_spaces();
        int64_t unit = 0;
        if (c.eat("weeks") || c.eat("week") || c.eat('w')) {
            unit = 7 * 86400;
        } else if (c.eat("days") || c.eat("day") || c.eat('d') || c.eat("天")) {
            unit = 86400;
        } else if (c.eat("hours") || c.eat("hour") || c.eat("hrs") || c.eat('h') || c.eat("小时")) {
            unit = 3600;
        } else if (c.eat("minutes") || c.eat("minute") || c.eat("mins") || c.eat("min") ||
                   c.eat('m') || c.eat("分钟")) {
            unit = 60;
        } else if (c.eat("seconds") || c.eat("second") || c.eat("secs") || c.eat('s') ||
                   c.eat("秒")) {
            unit = 1;
        } else {
            set_why(why, fmt::format("expected a unit (s, m, h, d, w) at position {} of \"{}\"",
                                     c.i + 1, s));
            return std::nullopt;
        }
        total += n * unit;
        if (total > int64_t{100} * 366 * 86400) {
            set_why(why, fmt::format("duration \"{}\" is longer than 100 years", s));
            return std::nullopt;
        }
    }
    if (total <= 0) {
        set_why(why, fmt::format("duration \"{}\" must be longer than zero", s));
        return std::nullopt;
    }
    return total;
}

std::optional<Zone> parse_fixed_zone(std::string_view text) {
    std::string_view s = trim(text);
    if (s == "Z" || s == "z" || s == "UTC" || s == "utc" || s == "GMT") {
        return Zone::utc();
    }
    Cursor c{s};
    int sign = 0;
    if (c.eat('+')) {
        sign = 1;
    } else if (c.eat('-')) {
        sign = -1;
    } else {
        return std::nullopt;
    }
    size_t n = 0;
    int64_t hh = c.number(2, &n);
    if (n != 2 || hh > 14) {
        return std::nullopt;
    }
    c.eat(':');
    int64_t mm = 0;
    if (!c.done()) {
        mm = c.number(2, &n);
        if (n != 2 || mm > 59) {
            return std::nullopt;
        }
    }
    if (!c.done()) {
        return std::nullopt;
    }
    return Zone{static_cast<int>(sign * (hh * 3600 + mm * 60))};
}

std::optional<TimePoint> parse_timestamp(std::string_view text, Zone zone, std::string* why) {
    std::string_view s = trim(text);
    if (s.empty()) {
        set_why(why, "empty time");
        return std::nullopt;
    }
    auto fail = [&](size_t pos, std::string_view expected) -> std::optional<TimePoint> {
        set_why(why, fmt::format("cannot read \"{}\" as a time: expected {} at position {}", s,
                                 expected, pos + 1));
        return std::nullopt;
    };

    // Epoch seconds or milliseconds: digits only.
    bool all_digits = true;
    for (char ch : s) {
        all_digits = all_digits && std::isdigit(static_cast<unsigned char>(ch)) != 0;
    }
    if (all_digits && (s.size() == 9 || s.size() == 10 || s.size() == 13)) {
        int64_t v = 0;
        for (char ch : s) {
            v = v * 10 + (ch - '0');
        }
        return s.size() == 13 ? v / 1000 : v;
    }

    Cursor c{s};
    size_t n = 0;
    int64_t y = c.number(4, &n);
    if (n != 4) {
        return fail(0, "a four-digit year");
    }
    bool chinese = false;
    char sep = c.peek();
    if (c.eat("年")) {
        chinese = true;
    } else if (sep == '-' || sep == '/' || sep == '.') {
        ++c.i;
    } else {
        return fail(c.i, "'-', '/', '.' or 年 after the year");
    }
    int64_t mo = c.number(2, &n);
    if (mo < 0) {
        return fail(c.i, "a month");
    }
    if (chinese) {
        if (!c.eat("月")) {
            return fail(c.i, "月");
        }
    } else if (!c.eat(sep)) {
        return fail(c.i, fmt::format("'{}' after the month", sep));
    }
    int64_t d = c.number(2, &n);
    if (d < 0) {
        return fail(c.i, "a day");
    }
    if (chinese) {
        if (!c.eat("日")) {
            c.eat("号");
        }
    }
    if (!valid_date(y, mo, d)) {
        set_why(why, fmt::format("\"{}\" is not a valid date", s));
        return std::nullopt;
    }
    int64_t hh = 0;
    int64_t mi = 0;
    int64_t ss = 0;
    bool has_time = false;
    if (c.peek() == 'T' || c.peek() == 't' || c.peek() == ' ' || c.peek() == '\t') {
        ++c.i;
        c.skip_spaces();
        has_time = true;
    }
    int period = c.period_before();  // may follow a Chinese date directly: 4日下午3:16
    if (period != 0) {
        c.skip_spaces();
        has_time = true;
    }
    if (has_time) {
        hh = c.number(2, &n);
        if (hh < 0) {
            return fail(c.i, "an hour");
        }
        bool cn_time = false;
        if (c.eat(':')) {
        } else if (c.eat("时") || c.eat("点")) {
            cn_time = true;
        } else {
            return fail(c.i, "':' after the hour");
        }
        mi = c.number(2, &n);
        if (mi < 0 && !cn_time) {
            return fail(c.i, "minutes");
        }
        mi = std::max<int64_t>(mi, 0);
        if (cn_time) {
            c.eat("分");
        }
        if (c.eat(':')) {
            ss = c.number(2, &n);
            if (ss < 0) {
                return fail(c.i, "seconds");
            }
            if (c.eat('.') || c.eat(',')) {
                while (c.digit()) {
                    ++c.i;  // fractions of a second are dropped
                }
            }
        } else if (cn_time && c.digit()) {
            ss = c.number(2, &n);
            c.eat("秒");
        }
        if (period == 0) {
            period = c.period_after();
        }
        if ((period == 1 && hh > 12) || (period == 2 && hh == 0)) {
            set_why(why, fmt::format("\"{}\" is not a valid time of day", s));
            return std::nullopt;
        }
        if (period == 1 && hh == 12) {
            hh = 0;  // 12:30 AM
        } else if ((period == 2 && hh < 12) || (period == 3 && hh < 6)) {
            hh += 12;  // 下午3:16, 3:16 PM, 中午1点 (下午13:00 is taken as written)
        }
        if (hh > 23 || mi > 59 || ss > 60) {
            set_why(why, fmt::format("\"{}\" is not a valid time of day", s));
            return std::nullopt;
        }
        ss = std::min<int64_t>(ss, 59);
    }
    c.skip_spaces();
    std::optional<int> offset = zone.fixed_offset;
    bool naive = true;
    if (!c.done()) {
        auto z = parse_fixed_zone(s.substr(c.i));
        if (!z) {
            return fail(c.i, "the end, or a zone such as Z or +08:00");
        }
        offset = z->fixed_offset;
        naive = false;
    }
    int64_t wall = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                   hh * 3600 + mi * 60 + ss;
    if (naive && !offset) {
        return local_to_utc(y, static_cast<int>(mo), static_cast<int>(d), static_cast<int>(hh),
                            static_cast<int>(mi), static_cast<int>(ss));
    }
    return wall - *offset;
}

std::optional<TimePoint> parse_when(std::string_view text, TimePoint now, std::string* why) {
    std::string_view s = trim(text);
    auto day_start = [&](int64_t day_delta) {
        int64_t local = now + local_offset(now);
        int64_t days = (local >= 0 ? local / 86400 : (local - 86399) / 86400) + day_delta;
        int64_t y = 0;
        unsigned m = 0;
        unsigned d = 0;
        civil_from_days(days, y, m, d);
        return std::tuple<int64_t, unsigned, unsigned>(y, m, d);
    };
    auto at_time_of_day = [&](int64_t day_delta, std::string_view rest) -> std::optional<TimePoint> {
        auto [y, m, d] = day_start(day_delta);
        rest = trim(rest);
        int hh = 0;
        int mi = 0;
        if (!rest.empty()) {
            Cursor c{rest};
            size_t n = 0;
            int64_t h = c.number(2, &n);
            int64_t mm = 0;
            if (h < 0) {
                set_why(why, fmt::format("cannot read \"{}\" as a time of day", rest));
                return std::nullopt;
            }
            if (c.eat(':')) {
                mm = c.number(2, &n);
            }
            if (!c.done() || h > 23 || mm < 0 || mm > 59) {
                set_why(why, fmt::format("cannot read \"{}\" as a time of day (use 9:00 or 17:30)",
                                         rest));
                return std::nullopt;
            }
            hh = static_cast<int>(h);
            mi = static_cast<int>(mm);
        } else if (day_delta == 0) {
            return now;
        } else {
            hh = 9;  // "tomorrow" alone means the start of a working day
        }
        return local_to_utc(y, static_cast<int>(m), static_cast<int>(d), hh, mi, 0);
    };
    if (s == "now") {
        return now;
    }
    for (auto [word, delta] : {std::pair<std::string_view, int>{"today", 0},
                               {"tomorrow", 1},
                               {"yesterday", -1},
                               {"今天", 0},
                               {"明天", 1},
                               {"昨天", -1}}) {
        if (s.starts_with(word)) {
            return at_time_of_day(delta, s.substr(word.size()));
        }
    }
    if (s.size() <= 5 && s.find(':') != std::string_view::npos) {
        return at_time_of_day(0, s);
    }
    return parse_timestamp(s, Zone::local(), why);
}

std::optional<TimePoint> parse_since(std::string_view text, TimePoint now, std::string* why) {
    std::string_view s = trim(text);
    if (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front())) != 0) {
        std::string ignored;
        if (auto d = parse_duration(s, &ignored)) {
            return now - *d;
        }
    }
    return parse_when(s, now, why);
}

std::optional<TimePoint> parse_until(std::string_view text, TimePoint now, std::string* why) {
    auto t = parse_since(text, now, why);
    std::string_view s = trim(text);
    bool epoch = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!t || epoch || s.find(':') != std::string_view::npos || s == "now" ||
        (*t + local_offset(*t)) % 86400 != 0) {
        return t;
    }
    // A day: up to the second before the next local midnight.
    TimePoint later = *t + 36 * 3600;
    return later - ((later + local_offset(later)) % 86400 + 86400) % 86400 - 1;
}

int local_offset(TimePoint t) {
    time_t tt = static_cast<time_t>(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    return static_cast<int>(tm.tm_gmtoff);
}

namespace {
struct Civil {
    int64_t y;
    unsigned m, d;
    int64_t hh, mm, ss;
};
Civil civil_local(TimePoint t, int offset) {
    int64_t local = t + offset;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t secs = local - days * 86400;
    Civil c{};
    civil_from_days(days, c.y, c.m, c.d);
    c.hh = secs / 3600;
    c.mm = secs % 3600 / 60;
    c.ss = secs % 60;
    return c;
}
}  // namespace

std::string format_iso(TimePoint t) {
    int off = local_offset(t);
    Civil c = civil_local(t, off);
    if (off == 0) {
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.y, c.m, c.d, c.hh, c.mm, c.ss);
    }
    int a = off < 0 ? -off : off;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", c.y, c.m, c.d, c.hh, c.mm,
                       c.ss, off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

std::string format_local(TimePoint t, bool with_seconds) {
    Civil c = civil_local(t, local_offset(t));
    if (with_seconds) {
        return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.y, c.m, c.d, c.hh, c.mm, c.ss);
    }
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", c.y, c.m, c.d, c.hh, c.mm);
}

std::string format_span(int64_t seconds) {
    if (seconds < 0) {
        seconds = -seconds;
    }
    struct Unit {
        int64_t size;
        const char* name;
    };
    static constexpr Unit k_units[] = {{7 * 86400, "w"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
    std::string out;
    int parts = 0;
    for (const Unit& u : k_units) {
        if (seconds >= u.size && parts < 2) {
            if (!out.empty()) {
                out += ' ';
            }
            out += fmt::format("{}{}", seconds / u.size, u.name);
            seconds %= u.size;
            ++parts;
        } else if (parts > 0) {
            break;  // only adjacent units: "2d 3h", never "2d 5m"
        }
    }
    return out.empty() ? "0s" : out;
}

}  // namespace kefu::timeutil
