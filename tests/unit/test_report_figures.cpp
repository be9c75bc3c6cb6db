// The report's figures on the sample data, against values worked out by hand from
// data/samples/inquiries.csv (66 messages from 17 buyers, 2026-10-29 … 2026-11-14, +08:00).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/import/import.h"
#include "core/report/figures.h"
#include "core/report/html.h"
#include "core/report/terminal.h"
#include "core/text.h"
#include "core/time.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {

constexpr int64_t k_hour = 3600;

struct ReportFixture {
    kefu_test::ZoneGuard zone{"Asia/Shanghai"};  // first: the zone outlives the store
    fs::path dir;
    std::unique_ptr<Store> store;
    TimePoint now = 0;

    ReportFixture() {
        char tmpl[] = "/tmp/kefu-report-XXXXXX";
        dir = fs::path(mkdtemp(tmpl));
        store = Store::open(":memory:", StoreMode::Write);
        import::Options opt;
        opt.rejects_dir = dir.string();
        opt.zone = timeutil::Zone{8 * 3600};
        opt.zone_given = true;
        now = *timeutil::parse_timestamp("2026-11-15 12:00", timeutil::Zone::local());
        auto sum = import::import_path(
            *store, (fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries.csv").string(), opt, {},
            now, {});
        REQUIRE(sum.n_new == 66);
        // A known shape, independent of how the importer threads: every message is its own
        // conversation, except that 小鹿爱购物 (6 messages), 李娜 (2) and 夜猫子 (2) each
        // wrote one conversation. That makes 59 conversations; 14 of the 17 buyers have two
        // or more (repeat buyers). Ids are the CSV's row numbers (Q1001 is 1).
        exec("UPDATE inquiry SET thread_id = id, is_head = 1");
        exec(
            "UPDATE inquiry SET thread_id = (SELECT min(m.id) FROM inquiry m WHERE m.customer_id = "
            "inquiry.customer_id), "
            "is_head = (id = (SELECT max(m.id) FROM inquiry m WHERE m.customer_id = "
            "inquiry.customer_id)) "
            "WHERE customer_id IN (SELECT id FROM customer WHERE name IN ('小鹿爱购物', '李娜', "
            "'夜猫子'))");
        // First responses (conversations 3, 4, 5, 7, 8: 1h, 2h, 3h, 30h, 50h) and one only in
        // the reply table (conversation 6: 10h). A reply before the message does not count.
        set_first_response(3, 1 * k_hour);
        set_first_response(4, 2 * k_hour);
        set_first_response(5, 3 * k_hour);
        set_first_response(7, 30 * k_hour);
        set_first_response(8, 50 * k_hour);
        add_reply(6, "shipping_eta", 10 * k_hour);
        add_reply(10, "size_help", -2 * k_hour);  // before Q1010 was received: not an answer to it
        // Template replies on answered conversations (they do not change the times above).
        add_reply(3, "refund_ack", 2 * k_hour);
        add_reply(4, "refund_ack", 3 * k_hour);
        add_reply(5, "refund_ack", 4 * k_hour);
        add_reply(7, "size_help", 31 * k_hour);
        add_reply(3, "", 5 * k_hour);  // a mail reply: no template
        // Resolved 5h, 20h and 100h after the first message.
        exec("UPDATE inquiry SET status = 3, resolved_at = received_at + 5 * 3600 WHERE id = 3");
        exec("UPDATE inquiry SET status = 3, resolved_at = received_at + 20 * 3600 WHERE id = 4");
        exec("UPDATE inquiry SET status = 3, resolved_at = received_at + 100 * 3600 WHERE id = 5");
        exec("UPDATE inquiry SET status = 2 WHERE id = 6");
        exec("UPDATE inquiry SET status = 1, priority_static = 9 WHERE id = 7");
        exec("UPDATE inquiry SET category = 5 WHERE id IN (3, 4, 5)");
        exec("UPDATE inquiry SET category = 8 WHERE id IN (6, 7)");
    }
    ~ReportFixture() { fs::remove_all(dir); }

    void exec(const std::string& sql) { store->db().exec(sql); }
    void set_first_response(int64_t id, int64_t after) {
        SQLite::Statement q(store->db(),
                            "UPDATE inquiry SET first_response_at = received_at + ? WHERE id = ?");
        q.bind(1, after);
        q.bind(2, id);
        q.exec();
    }
    void add_reply(int64_t id, const std::string& tpl, int64_t after) {
        SQLite::Statement q(store->db(),
                            "INSERT INTO reply(inquiry_id, template_id, language, text, sent_at) "
                            "SELECT id, ?, 'zh', 'ok', received_at + ? FROM inquiry WHERE id = ?");
        q.bind(1, tpl);
        q.bind(2, after);
        q.bind(3, id);
        q.exec();
    }

    report::Options options() const {
        report::Options o;
        o.now = now;
        o.since = now - 30 * 86400;
        o.until = now;
        o.sla_first_response = 24 * k_hour;
        // One point per day waiting for a first answer; urgent ≥ 15, high ≥ 8, normal ≥ 3.
        o.model.age = [](const Inquiry& r, TimePoint at) {
            return r.first_response_at ? 0.0 : static_cast<double>(at - r.received_at) / 86400.0;
        };
        o.model.max_age = 30;
        o.model.level = [](double total) {
            return std::string(total >= 15  ? "urgent"
                               : total >= 8 ? "high"
                               : total >= 3 ? "normal"
                                            : "low");
        };
        return o;
    }
};

int64_t count_of(const std::vector<report::Count>& v, const std::string& key) {
    for (const auto& c : v) {
        if (c.key == key) {
            return c.n;
        }
    }
    return -1;
}

// The figures that depend on conversations, as plain SQL computes them from their
// definitions (one query each, sorting and grouping in SQLite), to check the passes against.
struct Reference {
    int64_t threads = 0;
    int64_t customers = 0;
    std::vector<std::pair<int64_t, int64_t>> repeat;  // (customer, conversations), most first
    std::vector<int64_t> first;                       // first response times, sorted
    std::vector<int64_t> resolved;                    // resolution times, sorted
    int64_t unanswered = 0;
};

Reference reference(Store& store, const report::Options& o) {
    Reference r;
    auto bind = [&](SQLite::Statement& q) {
        q.bind(1, o.since);
        q.bind(2, o.until);
    };
    SQLite::Statement threads(store.db(),
                              "SELECT count(*), (SELECT count(DISTINCT customer_id) FROM inquiry "
                              "WHERE received_at BETWEEN ?1 AND ?2 AND flags & 2 = 0) FROM inquiry "
                              "WHERE received_at BETWEEN ?1 AND ?2 AND flags & 2 = 0 AND id = "
                              "thread_id");
    bind(threads);
    REQUIRE(threads.executeStep());
    r.threads = threads.getColumn(0).getInt64();
    r.customers = threads.getColumn(1).getInt64();
    SQLite::Statement repeat(
        store.db(),
        "SELECT customer_id, count(*) AS n FROM inquiry WHERE id = thread_id AND flags & 2 = 0 "
        "AND received_at <= ?2 AND customer_id IN (SELECT customer_id FROM inquiry WHERE "
        "received_at BETWEEN ?1 AND ?2 AND flags & 2 = 0) GROUP BY customer_id HAVING n >= 2 "
        "ORDER BY n DESC, customer_id");
    bind(repeat);
    while (repeat.executeStep()) {
        r.repeat.emplace_back(repeat.getColumn(0).getInt64(), repeat.getColumn(1).getInt64());
    }
    SQLite::Statement times(
        store.db(),
        "SELECT max(0, coalesce(t.first_response_at, (SELECT min(r.sent_at) FROM inquiry m JOIN "
        "reply r ON r.inquiry_id = m.id WHERE m.thread_id = t.id AND r.sent_at >= "
        "t.received_at)) - t.received_at), max(0, CASE WHEN t.status >= 3 THEN t.resolved_at END "
        "- t.received_at) FROM inquiry t WHERE t.received_at BETWEEN ?1 AND ?2 AND t.id = "
        "t.thread_id AND t.flags & 2 = 0");
    bind(times);
    while (times.executeStep()) {
        if (times.getColumn(0).isNull()) {
            ++r.unanswered;
        } else {
            r.first.push_back(times.getColumn(0).getInt64());
        }
        if (!times.getColumn(1).isNull()) {
            r.resolved.push_back(times.getColumn(1).getInt64());
        }
    }
    std::sort(r.first.begin(), r.first.end());
    std::sort(r.resolved.begin(), r.resolved.end());
    return r;
}

// Nearest rank on sorted values.
std::optional<int64_t> rank_of(const std::vector<int64_t>& sorted, double p) {
    if (sorted.empty()) {
        return std::nullopt;
    }
    auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

void check_against_reference(Store& store, const report::Options& o) {
    report::Figures f = report::compute(store, o);
    Reference r = reference(store, o);
    CHECK(f.threads == r.threads);
    CHECK(f.customers == r.customers);
    CHECK(f.repeat_customers == static_cast<int64_t>(r.repeat.size()));
    REQUIRE(f.top_repeat.size() == std::min(o.top, r.repeat.size()));
    for (size_t i = 0; i < f.top_repeat.size(); ++i) {
        CHECK(f.top_repeat[i].id == r.repeat[i].first);
        CHECK(f.top_repeat[i].threads == r.repeat[i].second);
    }
    CHECK(f.unanswered == r.unanswered);
    CHECK(f.first_response.count == static_cast<int64_t>(r.first.size()));
    CHECK(f.first_response.median == rank_of(r.first, 0.5));
    CHECK(f.first_response.p90 == rank_of(r.first, 0.9));
    CHECK(f.resolution.count == static_cast<int64_t>(r.resolved.size()));
    CHECK(f.resolution.median == rank_of(r.resolved, 0.5));
    CHECK(f.resolution.p90 == rank_of(r.resolved, 0.9));
}

}  // namespace

TEST_CASE("report: totals, volume by category, channel and day on the sample data") {
    ReportFixture fx;
    report::Figures f = report::compute(*fx.store, fx.options());
    CHECK(f.inquiries == 66);
    CHECK(f.threads == 59);
    CHECK(f.customers == 17);
    CHECK(f.replies == 7);

    CHECK(count_of(f.by_category, "other") == 61);
    CHECK(count_of(f.by_category, "refund") == 3);
    CHECK(count_of(f.by_category, "complaint") == 2);
    CHECK(count_of(f.by_category, "payment") == 0);
    CHECK(f.by_category.front().key == "other");

    // Counted by hand from the channel column.
    CHECK(count_of(f.by_channel, "taobao") == 14);
    CHECK(count_of(f.by_channel, "pinduoduo") == 13);
    CHECK(count_of(f.by_channel, "xianyu") == 11);
    CHECK(count_of(f.by_channel, "ebay") == 8);
    CHECK(count_of(f.by_channel, "email") == 8);
    CHECK(count_of(f.by_channel, "wechat") == 5);
    CHECK(count_of(f.by_channel, "etsy") == 4);
    CHECK(count_of(f.by_channel, "vinted") == 3);
    CHECK(f.by_channel.size() == 8);

    // Local (Asia/Shanghai) days from the first message to the end of the period. Q1003
    // (2026-10-30T02:18:40Z) is on 10-30 here, Q1009 (2026/11/1 0:07) on 11-01.
    REQUIRE(f.days.size() == 18);
    CHECK(f.days.front().date == "2026-10-29");
    CHECK(f.days.back().date == "2026-11-15");
    std::vector<int64_t> expected = {2, 3, 3, 4, 5, 6, 10, 3, 5, 4, 5, 4, 5, 2, 1, 2, 2, 0};
    for (size_t i = 0; i < expected.size(); ++i) {
        CHECK_MESSAGE(f.days[i].total == expected[i], f.days[i].date);
    }
    // Days stacked by category add up: 10-30 holds Q1003–Q1005 (refund).
    const auto& cats = all_categories();
    size_t refund =
        static_cast<size_t>(std::find(cats.begin(), cats.end(), Category::Refund) - cats.begin());
    CHECK(f.days[1].categories[refund] == 3);
}

TEST_CASE("report: response times, SLA, backlog, repeat buyers and templates") {
    ReportFixture fx;
    report::Figures f = report::compute(*fx.store, fx.options());

    // First responses 1h 2h 3h 10h 30h 50h: nearest rank, median = 3rd, 90th = 6th.
    CHECK(f.first_response.count == 6);
    CHECK(f.first_response.median == 3 * k_hour);
    CHECK(f.first_response.p90 == 50 * k_hour);
    CHECK(f.unanswered == 53);
    // Resolutions 5h 20h 100h: median = 2nd, 90th = 3rd.
    CHECK(f.resolution.count == 3);
    CHECK(f.resolution.median == 20 * k_hour);
    CHECK(f.resolution.p90 == 100 * k_hour);
    // Histogram: 1-4h holds 1h, 2h, 3h; 4-12h 10h; 1-2d 30h; 2-3d 50h.
    CHECK(f.response_histogram == std::vector<int64_t>{0, 3, 1, 0, 1, 1, 0});

    // SLA 24h: 30h and 50h were late; 1h, 2h, 3h, 10h in time; of the 53 unanswered (none
    // resolved), all but Q1066 (received 2026-11-14 18:36) have waited more than a day.
    CHECK(f.sla_answered_late == 2);
    CHECK(f.sla_met == 4);
    CHECK(f.sla_waiting == 52);

    // Backlog: 59 conversations, 3 resolved; #6 waiting, #7 open.
    CHECK(f.backlog == 56);
    CHECK(count_of(f.backlog_status, "new") == 54);
    CHECK(count_of(f.backlog_status, "open") == 1);
    CHECK(count_of(f.backlog_status, "waiting") == 1);
    // Levels by the test model (age in days for the unanswered, + the stored 9 of #7),
    // worked out from the received times: Q1006 (15.1 days) is urgent, 32 heads between 8
    // and 15 days or #7 (9) are high, 17 normal, 6 low (Q1008, answered, and five < 3 days).
    CHECK(count_of(f.backlog_level, "urgent") == 1);
    CHECK(count_of(f.backlog_level, "high") == 32);
    CHECK(count_of(f.backlog_level, "normal") == 17);
    CHECK(count_of(f.backlog_level, "low") == 6);

    CHECK(f.repeat_customers == 14);
    REQUIRE(!f.top_repeat.empty());
    CHECK(f.top_repeat.front().threads == 6);  // 张伟: six messages, six conversations here
    CHECK(f.top_repeat.front().name == "张伟");

    REQUIRE(f.templates.size() == 3);
    CHECK(f.templates[0].key == "refund_ack");
    CHECK(f.templates[0].n == 3);
    CHECK(f.templates[1].key == "size_help");
    CHECK(f.templates[1].n == 2);
    CHECK(f.templates[2].key == "shipping_eta");
    CHECK(f.templates[2].n == 1);
}

TEST_CASE("report: a shorter period, an empty one, and a bad one") {
    ReportFixture fx;
    report::Options o = fx.options();
    o.since = *timeutil::parse_timestamp("2026-11-04 00:00", timeutil::Zone::local());
    o.until = *timeutil::parse_timestamp("2026-11-04 23:59:59", timeutil::Zone::local());
    report::Figures f = report::compute(*fx.store, o);
    CHECK(f.inquiries == 10);
    REQUIRE(f.days.size() == 1);
    CHECK(f.days[0].total == 10);
    CHECK(f.backlog == 56);  // the backlog is now's, whatever the period

    o.since = *timeutil::parse_timestamp("2025-01-01", timeutil::Zone::local());
    o.until = *timeutil::parse_timestamp("2025-02-01", timeutil::Zone::local());
    f = report::compute(*fx.store, o);
    CHECK(f.inquiries == 0);
    CHECK(f.days.empty());
    CHECK(!f.first_response.median);

    o.since = o.until;
    CHECK_THROWS_AS(report::compute(*fx.store, o), Error);
}

TEST_CASE("report: JSON, text and HTML renderings") {
    ReportFixture fx;
    report::Figures f = report::compute(*fx.store, fx.options());
    auto j = report::to_json(f);
    CHECK(j["totals"]["inquiries"] == 66);
    CHECK(j["first_response"]["median_seconds"] == 3 * k_hour);
    CHECK(j["sla"]["breached"] == 54);
    CHECK(j["volume"]["by_channel"]["taobao"] == 14);
    CHECK(j["volume"]["by_day"].size() == 18);
    CHECK(j["repeat_customers"]["count"] == 14);
    CHECK(j["templates"][0]["template"] == "refund_ack");

    for (size_t width : {80, 120, 40}) {
        std::string t = report::render_text(f, width);
        size_t limit = std::clamp<size_t>(width, 60, 100);
        for (auto line : text::split(t, '\n')) {
            CHECK_MESSAGE(text::display_width(line) < limit, std::string(line));
        }
        CHECK(t.find("张伟") != std::string::npos);
        CHECK(t.find("refund_ack") != std::string::npos);
    }

    std::string h = report::render_html(f, "小米的店 <b>");
    CHECK(h.starts_with("<!DOCTYPE html>"));
    CHECK(h.find("小米的店 &lt;b&gt;") != std::string::npos);
    CHECK(h.find("<script") == std::string::npos);
    CHECK(h.find("http://") == h.find("http://www.w3.org/2000/svg"));  // no external asset
    CHECK(h.find("@page") != std::string::npos);
    size_t svgs = 0;
    for (size_t at = h.find("<svg"); at != std::string::npos; at = h.find("<svg", at + 1)) {
        ++svgs;
    }
    CHECK(svgs == 3);
}

TEST_CASE("report: a database file gives the same figures (computed on two connections)") {
    ReportFixture fx;
    auto in_memory = report::to_json(report::compute(*fx.store, fx.options()));
    fs::path file = fx.dir / "copy.db";
    fx.store->backup_to(file.string());
    auto on_disk = Store::open(file.string(), StoreMode::Read);
    auto j = report::to_json(report::compute(*on_disk, fx.options()));
    CHECK(j == in_memory);
    CHECK(j["repeat_customers"]["count"] == 14);
    CHECK(j["totals"]["replies"] == 7);
}

TEST_CASE("report: local days across a change of daylight saving time") {
    // New York left summer time on 2026-11-01 at 02:00 (UTC-4 → UTC-5). A message at 23:30
    // local on each side of the change belongs to its own local day.
    kefu_test::ZoneGuard zone("America/New_York");
    auto store = Store::open(":memory:", StoreMode::Write);
    auto add = [&](const char* iso, int64_t key) {
        SQLite::Statement q(
            store->db(),
            "INSERT INTO inquiry(id, source, dedupe_key, received_at, channel, body, "
            "thread_id) VALUES (?1, 't', ?1, ?2, 'ebay', 'x', ?1)");
        q.bind(1, key);
        q.bind(2, *timeutil::parse_timestamp(iso, timeutil::Zone::utc()));
        q.exec();
    };
    add("2026-11-01T03:30:00Z", 1);  // 2026-10-31 23:30 EDT
    add("2026-11-01T04:30:00Z", 2);  // 2026-11-01 00:30 EDT
    add("2026-11-02T04:30:00Z", 3);  // 2026-11-01 23:30 EST
    add("2026-11-02T05:30:00Z", 4);  // 2026-11-02 00:30 EST
    report::Options o;
    o.now = *timeutil::parse_timestamp("2026-11-03T00:00:00Z", timeutil::Zone::utc());
    o.since = o.now - 7 * 86400;
    o.until = o.now;
    auto f = report::compute(*store, o);
    REQUIRE(f.days.size() == 3);
    CHECK(f.days[0].date == "2026-10-31");
    CHECK(f.days[0].total == 1);
    CHECK(f.days[1].date == "2026-11-01");
    CHECK(f.days[1].total == 2);
    CHECK(f.days[2].date == "2026-11-02");
    CHECK(f.days[2].total == 1);
}

TEST_CASE("report: bars in eighths") {
    CHECK(report::bar(0, 10, 10).empty());
    CHECK(report::bar(10, 10, 4) == "████");
    CHECK(report::bar(1, 16, 8) == "▌");  // 1/16 of 8 cells: half a cell
    CHECK(text::display_width(report::bar(7, 10, 10)) == 7);
    CHECK(report::bar(1, 1000, 10) == "▏");  // never invisible
}

TEST_CASE("report: conversations and repeat buyers agree with their definitions in SQL") {
    ReportFixture fx;
    report::Options o = fx.options();
    o.top = 5;
    auto at = [](const char* local) {
        return *timeutil::parse_timestamp(local, timeutil::Zone::local());
    };
    // The whole sample; a week in the middle (conversations started before it count for the
    // repeat buyers); its last days.
    SUBCASE("the last 30 days") {}
    SUBCASE("a week in the middle") {
        o.since = at("2026-11-04 00:00");
        o.until = at("2026-11-10 23:59:59");
    }
    SUBCASE("the last days") {
        o.since = at("2026-11-10 00:00");
    }
    SUBCASE("answers found thread by thread") {
        // All but three conversations answered: more replies than twice the unanswered ones,
        // so the replies are looked up thread by thread instead of read from the replies' side.
        fx.exec(
            "UPDATE inquiry SET first_response_at = received_at + 7200 WHERE thread_id NOT "
            "IN (6, 10, 12)");
        fx.add_reply(12, "", 20 * k_hour);
    }
    SUBCASE("answers read from the replies' side") {
        fx.add_reply(12, "", 20 * k_hour);
        fx.add_reply(12, "", 19 * k_hour);  // the first of the two counts
        fx.add_reply(13, "", -1);           // before the message: no answer
    }
    check_against_reference(*fx.store, o);
}
