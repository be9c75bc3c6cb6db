// The seller's past choices (core/replies/history.h): each reply keeps the token counts and
// category of the inquiry it answered, past_choices reads them instead of the inquiry, and
// falls back to the inquiry's text where they are missing, damaged or were cleared.
#include <doctest/doctest.h>

#include <string>

#include "core/privacy/purge.h"
#include "core/replies/history.h"
#include "core/workflow/reply.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
using namespace kefu::replies;

namespace {

constexpr TimePoint k_t0 = 1'800'000'000;

std::string hex(std::string_view bytes) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    for (char c : bytes) {
        out += k_digits[(static_cast<unsigned char>(c) >> 4) & 0xF];
        out += k_digits[static_cast<unsigned char>(c) & 0xF];
    }
    return out;
}

int64_t reply_to(kefu_test::ChatShop& shop, int64_t id, const std::string& tmpl, TimePoint at) {
    workflow::NewReply reply;
    reply.template_id = tmpl;
    reply.language = "zh";
    reply.text = "亲，收到";
    return workflow::record_reply(*shop.store, id, reply, at).reply_id;
}

// Gives inquiry `id` another body and category, keeping the full-text index in step.
void set_body(kefu_test::ChatShop& shop, int64_t id, const std::string& body, int category) {
    SQLite::Database& db = shop.store->db();
    SQLite::Statement del(db, "INSERT INTO inquiry_fts(inquiry_fts, rowid, subject, body) "
                              "SELECT 'delete', id, subject, body FROM inquiry WHERE id = ?");
    del.bind(1, id);
    del.exec();
    SQLite::Statement up(db, "UPDATE inquiry SET body = ?, category = ? WHERE id = ?");
    up.bind(1, body);
    up.bind(2, category);
    up.bind(3, id);
    up.exec();
    SQLite::Statement add(db, "INSERT INTO inquiry_fts(rowid, subject, body) "
                              "SELECT id, subject, body FROM inquiry WHERE id = ?");
    add.bind(1, id);
    add.exec();
}

}  // namespace

TEST_CASE("history: term counts survive their stored form, damaged forms are refused") {
    TermCounts terms = term_counts("快递显示签收了，可是我没拿到 Tracking says DELIVERED delivered");
    REQUIRE(terms.size() > 5);
    std::string blob = encode_terms(terms);
    CHECK(blob.size() == 1 + 12 * terms.size());
    CHECK(static_cast<uint8_t>(blob[0]) == k_terms_format);
    auto back = decode_terms(blob);
    REQUIRE(back);
    CHECK(*back == terms);
    CHECK(decode_terms(encode_terms({}))->empty());

    CHECK_FALSE(decode_terms(""));
    CHECK_FALSE(decode_terms(blob.substr(0, blob.size() - 1)));  // cut short
    std::string other = blob;
    other[0] = static_cast<char>(k_terms_format + 1);  // another format
    CHECK_FALSE(decode_terms(other));
    std::string zero = encode_terms({{7, 1.0}});
    zero[9] = 0;  // a count of 0
    CHECK_FALSE(decode_terms(zero));
    CHECK_FALSE(decode_terms(encode_terms({{9, 1.0}, {7, 1.0}})));  // out of order
    CHECK_FALSE(decode_terms(encode_terms({{7, 1.0}, {7, 2.0}})));  // twice
}

TEST_CASE("history: the stored form is pinned; a change to the tokens needs a new format") {
    // When this fails, term_counts() counts a text differently than replies recorded before:
    // raise k_terms_format (their counts are then ignored and the texts read) and update the
    // expected bytes here.
    CHECK(hex(encode_terms(term_counts("退款没到 Refund"))) == "01a1ec6c637497e22801000000c7a8499b365aa93701000000eb8fa9b83b2b1f3b01000000"
                "3a543fc8bab71d650100000037aa22ed073dbbc801000000d19cc5ac23f770cf01000000"
                "0e2305516e9546ed01000000baaaa3fdea401af701000000");
}

TEST_CASE("history: a reply keeps its inquiry's counts and category, and suggest reads them") {
    kefu_test::ChatShop shop;
    int64_t a = shop.message("小王", "O1", k_t0);
    int64_t b = shop.message("小李", "O2", k_t0 + 10);
    int64_t c = shop.message("小张", "O3", k_t0 + 20);
    set_body(shop, a, "快递显示签收了，可是我没拿到", static_cast<int>(Category::Logistics));
    set_body(shop, b, "退款什么时候到账", static_cast<int>(Category::Refund));
    int64_t ra = reply_to(shop, a, "tracking-stalled", k_t0 + 100);
    int64_t rb = reply_to(shop, b, "refund-issued", k_t0 + 200);
    CHECK(shop.value("SELECT category FROM reply WHERE id = " + std::to_string(ra)) ==
          static_cast<int>(Category::Logistics));

    auto stored = [&](int64_t reply) {
        SQLite::Statement q(shop.store->db(), "SELECT terms FROM reply WHERE id = ?");
        q.bind(1, reply);
        REQUIRE(q.executeStep());
        return std::string(static_cast<const char*>(q.getColumn(0).getBlob()),
                           static_cast<size_t>(q.getColumn(0).getBytes()));
    };
    CHECK(decode_terms(stored(ra)) == term_counts("\n快递显示签收了，可是我没拿到"));
    CHECK(answered_inquiry(*shop.store, a)->terms == stored(ra));
    CHECK_FALSE(answered_inquiry(*shop.store, 999));

    // Logistics first (the category asked for), then by time; the counts, not the text.
    std::vector<PastChoice> past = past_choices(*shop.store, c, Category::Logistics);
    REQUIRE(past.size() == 2);
    CHECK(past[0].template_id == "tracking-stalled");
    CHECK(past[0].category == Category::Logistics);
    CHECK(past[0].terms == term_counts("\n快递显示签收了，可是我没拿到"));
    CHECK(past[0].text.empty());
    CHECK(past[1].template_id == "refund-issued");
    CHECK(past_choices(*shop.store, c, Category::Refund)[0].template_id == "refund-issued");
    // Replies to the inquiry at hand are left out.
    CHECK(past_choices(*shop.store, a, Category::Logistics).size() == 1);

    // Without counts, or with damaged ones, the inquiry's text is read.
    shop.store->db().exec("UPDATE reply SET terms = NULL WHERE id = " + std::to_string(ra));
    shop.store->db().exec("UPDATE reply SET terms = x'01ff' WHERE id = " + std::to_string(rb));
    past = past_choices(*shop.store, c, Category::Logistics);
    REQUIRE(past.size() == 2);
    CHECK(past[0].terms.empty());
    CHECK(past[0].text == "\n快递显示签收了，可是我没拿到");
    CHECK(past[1].terms.empty());
    CHECK(past[1].text == "\n退款什么时候到账");
}

TEST_CASE("history: forgetting a buyer clears the counts of their inquiries' text") {
    kefu_test::ChatShop shop;
    int64_t a = shop.message("小王", "O1", k_t0);
    int64_t b = shop.message("小李", "O2", k_t0 + 10);
    set_body(shop, a, "我是小王，电话 13812345678，快递没到", static_cast<int>(Category::Logistics));
    int64_t ra = reply_to(shop, a, "tracking-stalled", k_t0 + 100);
    int64_t rb = reply_to(shop, b, "tracking-stalled", k_t0 + 200);
    REQUIRE_FALSE(shop.is_null("SELECT terms FROM reply WHERE id = " + std::to_string(ra)));
    int64_t customer = shop.value("SELECT customer_id FROM inquiry WHERE id = " + std::to_string(a));
    privacy::forget_customer(*shop.store, customer, k_t0 + 300);
    CHECK(shop.is_null("SELECT terms FROM reply WHERE id = " + std::to_string(ra)));
    CHECK_FALSE(shop.is_null("SELECT terms FROM reply WHERE id = " + std::to_string(rb)));
    // What suggest reads now is the forgotten text.
    std::vector<PastChoice> past = past_choices(*shop.store, 0, Category::Logistics);
    REQUIRE(past.size() == 2);
    CHECK(past[0].template_id == "tracking-stalled");
    CHECK(past[0].text.find("13812345678") == std::string::npos);
    CHECK(past[0].text.find("小王") == std::string::npos);
}
