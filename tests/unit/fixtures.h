// Fixtures shared by several unit test files: a time zone set for the length of a test, and a
// store filled one chat message at a time through the real importer.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

#include "core/store/inquiry_writer.h"
#include "core/store/store.h"

namespace kefu_test {

// Sets TZ for the lifetime of the guard and puts UTC back afterwards, the zone the other
// tests expect to run in.
struct ZoneGuard {
    explicit ZoneGuard(const char* tz) {
        setenv("TZ", tz, 1);
        tzset();
    }
    ~ZoneGuard() {
        setenv("TZ", "UTC", 1);
        tzset();
    }
    ZoneGuard(const ZoneGuard&) = delete;
    ZoneGuard& operator=(const ZoneGuard&) = delete;
};

// What a chat message carries beyond its buyer, order and time. The defaults give a buyer's
// message that the importer classifies with an empty classifier.
struct MessageOptions {
    // Written by the seller rather than the buyer, as an export lists the seller's replies.
    bool from_seller = false;
    // The static priority the classifier gives the message; 0 means no classifier at all.
    double priority = 0;
};

// An in-memory store and an importer of single chat messages. Each message is its own import
// of a taobao CSV row; the same buyer and order within the thread window make one thread, as
// in a marketplace export.
struct ChatShop {
    std::unique_ptr<kefu::Store> store = kefu::Store::open(":memory:", kefu::StoreMode::Write);
    int n = 0;  // messages written so far; numbers each message's source, id and body

    // Imports one message received at `at` (also the import's time) and returns its inquiry
    // id. The n-th message has the body "message n" and the external id "Qn".
    int64_t message(const std::string& buyer, const std::string& order, kefu::TimePoint at,
                    const MessageOptions& options = {}) {
        ++n;
        int64_t import_id = kefu::begin_import(*store, "test.csv", "csv", at, false);
        kefu::Classifier cls{};
        if (options.priority != 0) {
            cls.text = [priority = options.priority](const kefu::NewInquiry&) {
                kefu::Classification c;
                c.static_score = priority;
                return c;
            };
        }
        kefu::InquiryWriter w(*store, import_id, cls, at, 100);
        kefu::NewInquiry in;
        in.source = "test.csv:" + std::to_string(n);
        in.external_id = "Q" + std::to_string(n);
        in.received_at = at;
        in.channel = "taobao";
        in.buyer.name = buyer;
        in.buyer.channel = "taobao";
        in.buyer.name_is_handle = true;
        in.contact = buyer;
        in.order_id = order;
        in.body = "message " + std::to_string(n);
        in.from_seller = options.from_seller;
        w.add(in);
        w.finish("");
        return store->db().execAndGet("SELECT max(id) FROM inquiry").getInt64();
    }

    // The first column of the first row of `sql`, as an integer.
    int64_t value(const std::string& sql) { return store->db().execAndGet(sql).getInt64(); }

    // Whether the first column of the first row of `sql` is NULL.
    bool is_null(const std::string& sql) { return store->db().execAndGet(sql).isNull(); }
};

}  // namespace kefu_test
