// Customers: duplicate candidates on the sample data with planted records, merging, VIP,
// the list and the detail of one customer.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/customers/candidates.h"
#include "core/customers/customers.h"
#include "core/customers/merge.h"
#include "core/error.h"
#include "core/import/import.h"
#include "core/time.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {

// The sample data plus three planted buyers:
//  P1  张伟 writing by mail, giving the phone number of the pinduoduo buyer 张伟 (13812345678)
//      in another form: the same person (a duplicate to find);
//  P2  张伟 on taobao with another phone number: a lookalike, never to be suggested;
//  P3  a second xianyu account asking about 阿珍不吃香菜's order 3698120485732915420.
constexpr const char* k_planted =
    "id,received,channel,customer,email,phone,order_id,message\n"
    "P1,2026-11-13 10:00,email,张伟,zw.home@example.com,,,\"我是之前买手表的，电话 "
    "138-1234-5678，手表充不上电\"\n"
    "P2,2026-11-13 11:00,taobao,张伟,,13900001111,,这个充电宝有货吗\n"
    "P3,2026-11-13 12:00,xianyu,阿珍的小号,,,3698120485732915420,上次那个相机的划痕怎么处理\n"
    "P4,2026-11-13 13:00,email,张伟,zw.home@example.com,,,还有一个问题\n";

struct Fixture {
    kefu_test::ZoneGuard zone{"Asia/Shanghai"};  // first: the zone outlives the store
    fs::path dir;
    std::unique_ptr<Store> store;
    TimePoint now = 1794715200;  // 2026-11-15 12:00 +08:00

    Fixture() {
        char tmpl[] = "/tmp/kefu-customers-XXXXXX";
        dir = fs::path(mkdtemp(tmpl));
        store = Store::open(":memory:", StoreMode::Write);
        import((fs::path(KEFU_SOURCE_DIR) / "data/samples/inquiries.csv").string());
        std::ofstream(dir / "planted.csv") << k_planted;
        import((dir / "planted.csv").string());
    }
    ~Fixture() { fs::remove_all(dir); }
    void import(const std::string& path) {
        import::Options opt;
        opt.rejects_dir = dir.string();
        auto s = import::import_path(*store, path, opt, {}, now, {});
        REQUIRE(s.n_rejected == 0);
    }
    int64_t one(const std::string& sql) { return store->db().execAndGet(sql).getInt64(); }
    int64_t customer_of(const std::string& external_id) {
        SQLite::Statement q(store->db(), "SELECT customer_id FROM inquiry WHERE external_id = ?");
        q.bind(1, external_id);
        REQUIRE(q.executeStep());
        return q.getColumn(0).getInt64();
    }
};

bool has_pair(const std::vector<customers::Candidate>& list, int64_t x, int64_t y) {
    for (const auto& c : list) {
        if ((c.a == x && c.b == y) || (c.a == y && c.b == x)) {
            return true;
        }
    }
    return false;
}

bool involves(const std::vector<customers::Candidate>& list, int64_t x) {
    for (const auto& c : list) {
        if (c.a == x || c.b == x) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("candidates: a planted duplicate is found, a lookalike with another phone is not") {
    Fixture fx;
    int64_t zhang = fx.customer_of("Q1006");
    int64_t mail = fx.customer_of("P1");
    int64_t lookalike = fx.customer_of("P2");
    int64_t azhen = fx.customer_of("Q1030");
    int64_t second = fx.customer_of("P3");
    REQUIRE(zhang != mail);
    REQUIRE(fx.customer_of("P4") == mail);

    auto list = customers::duplicate_candidates(*fx.store);
    CHECK(list.size() == 2);
    REQUIRE(has_pair(list, zhang, mail));
    CHECK(has_pair(list, azhen, second));
    CHECK(!involves(list, lookalike));

    const auto& top = list.front();  // same phone and same name: the strongest
    CHECK(((top.a == zhang && top.b == mail) || (top.a == mail && top.b == zhang)));
    CHECK(top.score == 4);
    REQUIRE(top.reasons.size() == 2);
    CHECK(top.reasons[0] == "same name 张伟 (pinduoduo / email)");
    CHECK(top.reasons[1] == "same phone 138****5678");
    CHECK(list.back().reasons == std::vector<std::string>{"same order 3698120485732915420"});

    auto unmasked = customers::duplicate_candidates(*fx.store, false);
    CHECK(unmasked.front().reasons[1] == "same phone 13812345678");
}

TEST_CASE(
    "merge: every inquiry, identity and event moves; the merge is logged; dry run changes "
    "nothing") {
    Fixture fx;
    int64_t zhang = fx.customer_of("Q1006");
    int64_t mail = fx.customer_of("P1");
    int64_t zhang_inquiries =
        fx.one("SELECT count(*) FROM inquiry WHERE customer_id = " + std::to_string(zhang));
    int64_t mail_inquiries =
        fx.one("SELECT count(*) FROM inquiry WHERE customer_id = " + std::to_string(mail));
    REQUIRE(zhang_inquiries == 6);
    REQUIRE(mail_inquiries == 2);
    fx.store->db().exec(
        "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES (NULL, " +
        std::to_string(mail) + ", 1, 'note', 'asked by mail')");
    fx.store->db().exec("UPDATE customer SET vip = 1, note = 'prefers mail' WHERE id = " +
                        std::to_string(mail));
    std::string before =
        fx.store->db()
            .execAndGet("SELECT group_concat(id || ':' || customer_id) FROM inquiry")
            .getString();

    auto dry = customers::merge_customers(*fx.store, zhang, mail, fx.now, true);
    CHECK(dry.inquiries.size() == 2);
    CHECK(dry.identities ==
          std::vector<std::string>{"email: zw.home@example.com", "handle (email): 张伟"});
    CHECK(dry.events == 1);
    CHECK(dry.vip_after);
    CHECK(fx.store->db()
              .execAndGet("SELECT group_concat(id || ':' || customer_id) FROM inquiry")
              .getString() == before);
    CHECK(fx.one("SELECT count(*) FROM customer WHERE id = " + std::to_string(mail)) == 1);

    auto plan = customers::merge_customers(*fx.store, zhang, mail, fx.now, false);
    CHECK(plan.inquiries.size() == 2);
    CHECK(fx.one("SELECT count(*) FROM inquiry WHERE customer_id = " + std::to_string(mail)) == 0);
    CHECK(fx.one("SELECT count(*) FROM inquiry WHERE customer_id = " + std::to_string(zhang)) ==
          zhang_inquiries + mail_inquiries);
    CHECK(fx.one("SELECT count(*) FROM identity WHERE customer_id = " + std::to_string(zhang)) ==
          4);
    CHECK(fx.one("SELECT count(*) FROM identity WHERE customer_id = " + std::to_string(mail)) == 0);
    CHECK(fx.one("SELECT count(*) FROM customer WHERE id = " + std::to_string(mail)) == 0);
    CHECK(fx.one("SELECT count(*) FROM event WHERE kind = 'note' AND customer_id = " +
                 std::to_string(zhang)) == 1);
    CHECK(fx.one("SELECT vip FROM customer WHERE id = " + std::to_string(zhang)) == 1);
    CHECK(fx.store->db()
              .execAndGet("SELECT note FROM customer WHERE id = " + std::to_string(zhang))
              .getString() == "prefers mail");
    std::string detail =
        fx.store->db()
            .execAndGet("SELECT detail FROM event WHERE kind = 'merge' AND customer_id = " +
                        std::to_string(zhang))
            .getString();
    CHECK(detail.find("\"from\":" + std::to_string(mail)) != std::string::npos);
    CHECK(detail.find("\"inquiries\":2") != std::string::npos);
    // The hook names the merged customer's active threads (all are new in the sample).
    CHECK(plan.rescore.size() ==
          static_cast<size_t>(fx.one(
              "SELECT count(*) FROM inquiry WHERE is_head = 1 AND status < 3 AND customer_id = " +
              std::to_string(zhang))));
    CHECK(!plan.rescore.empty());
    CHECK(fx.store->check().empty());

    // Now one customer: the pair is no longer a candidate, and the phone finds both mails.
    auto list = customers::duplicate_candidates(*fx.store);
    CHECK(!has_pair(list, zhang, mail));
    CHECK(customers::resolve_customer(*fx.store, "zw.home@example.com") == zhang);

    CHECK_THROWS_AS(customers::merge_customers(*fx.store, zhang, zhang, fx.now, false), Error);
    CHECK_THROWS_AS(customers::merge_customers(*fx.store, zhang, mail, fx.now, false),
                    Error);  // gone
}

TEST_CASE("vip, the list and one customer's detail") {
    Fixture fx;
    int64_t zhang = fx.customer_of("Q1006");
    CHECK(customers::set_vip(*fx.store, zhang, true, fx.now));
    CHECK(!customers::set_vip(*fx.store, zhang, true, fx.now));  // already
    CHECK(fx.one("SELECT count(*) FROM event WHERE kind = 'vip' AND customer_id = " +
                 std::to_string(zhang)) == 1);

    customers::ListFilter vip;
    vip.vip_only = true;
    auto page = customers::list_customers(*fx.store, vip);
    REQUIRE(page.rows.size() == 1);
    CHECK(page.rows[0].id == zhang);
    CHECK(page.rows[0].inquiries == 6);
    CHECK(page.rows[0].contact == "13812345678");  // a phone before a handle
    CHECK(page.rows[0].channels == std::vector<std::string>{"pinduoduo"});

    customers::ListFilter most;
    most.sort = customers::ListSort::Inquiries;
    most.limit = 3;
    page = customers::list_customers(*fx.store, most);
    REQUIRE(page.rows.size() == 3);
    CHECK(page.more);
    CHECK(page.rows[0].inquiries >= page.rows[1].inquiries);
    CHECK(page.rows[1].inquiries >= page.rows[2].inquiries);
    CHECK(page.rows[0].inquiries == 6);

    customers::ListFilter last;
    last.limit = 0;
    page = customers::list_customers(*fx.store, last);
    CHECK(page.rows.size() == 20);  // 17 sample buyers and three planted
    CHECK(!page.more);
    for (size_t i = 1; i < page.rows.size(); ++i) {
        CHECK(page.rows[i - 1].last_contact >= page.rows[i].last_contact);
    }

    fx.store->db().exec(
        "INSERT INTO followup(inquiry_id, due_at, note, created_at) VALUES (6, 1794800000, 'call "
        "back', 1)");
    fx.store->db().exec(
        "INSERT INTO reply(inquiry_id, template_id, text, sent_at) VALUES (6, 'ack', 'hi', "
        "1794700000)");
    auto d = customers::customer_detail(*fx.store, zhang);
    REQUIRE(d);
    CHECK(d->vip);
    CHECK(d->inquiries.size() == 6);
    CHECK(d->inquiries.front().received_at >= d->inquiries.back().received_at);
    CHECK(d->first_contact == d->inquiries.back().received_at);
    CHECK(d->identities.size() == 2);
    CHECK(d->replies == 1);
    REQUIRE(d->open_followups.size() == 1);
    CHECK(d->open_followups[0].note == "call back");

    CHECK(customers::resolve_customer(*fx.store, "+86 138 1234 5678") == zhang);
    CHECK_THROWS_WITH_AS(customers::resolve_customer(*fx.store, "nobody@example.com"),
                         doctest::Contains("no such customer"), Error);
    // Two customers are called 张伟 by handle on different channels … and by name.
    CHECK_THROWS_WITH_AS(customers::resolve_customer(*fx.store, "张伟"),
                         doctest::Contains("more than one"), Error);
    CHECK(customers::on_customer_changed(*fx.store, zhang).size() ==
          static_cast<size_t>(fx.one(
              "SELECT count(*) FROM inquiry WHERE is_head = 1 AND status < 3 AND customer_id = " +
              std::to_string(zhang))));
}
