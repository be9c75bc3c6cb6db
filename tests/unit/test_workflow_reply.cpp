// Recording a reply (core/workflow/reply.h): the reply, its event, the response, the status
// and the follow-up, all or nothing.
#include <doctest/doctest.h>

#include "core/error.h"
#include "core/workflow/reply.h"
#include "tests/unit/fixtures.h"

using namespace kefu;
using namespace kefu::workflow;

namespace {
constexpr TimePoint k_t0 = 1'800'000'000;
}

TEST_CASE("a reply is recorded with its event, response, status and follow-up") {
    kefu_test::ChatShop shop;
    int64_t id = shop.message("小王", "O1", k_t0);
    NewReply reply;
    reply.template_id = "shipped-tracking";
    reply.template_title = "已发货";
    reply.language = "zh";
    reply.text = "亲，已经发出啦";
    reply.followup_in = 86400;
    RecordedReply r = record_reply(*shop.store, id, reply, k_t0 + 600);
    CHECK(r.reply_id == shop.value("SELECT id FROM reply WHERE template_id = 'shipped-tracking'"));
    CHECK(shop.value("SELECT status FROM inquiry WHERE id = " + std::to_string(id)) ==
          static_cast<int>(Status::Waiting));
    CHECK(shop.value("SELECT first_response_at FROM inquiry WHERE id = " + std::to_string(id)) ==
          k_t0 + 600);
    REQUIRE(r.followup_id != 0);
    CHECK(shop.value("SELECT due_at FROM followup WHERE id = " + std::to_string(r.followup_id)) ==
          k_t0 + 600 + 86400);
    CHECK(shop.value("SELECT count(*) FROM event WHERE kind = 'reply'") == 1);
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].to == Status::Waiting);
}

TEST_CASE("a reply to a missing inquiry writes nothing") {
    kefu_test::ChatShop shop;
    shop.message("小王", "O1", k_t0);
    NewReply reply;
    reply.text = "hello";
    reply.followup_in = 3600;
    CHECK_THROWS_AS(record_reply(*shop.store, 999, reply, k_t0), Error);
    CHECK(shop.value("SELECT count(*) FROM reply") == 0);
    CHECK(shop.value("SELECT count(*) FROM followup") == 0);
    CHECK(shop.value("SELECT count(*) FROM event WHERE kind = 'reply'") == 0);
}
