// The import writer's transactions: a batch is committed when it has batch_size records or has
// been open for a second, whichever comes first, and what is committed is visible to others.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "core/store/inquiry_writer.h"
#include "core/store/store.h"

namespace fs = std::filesystem;
using kefu::InquiryWriter;
using kefu::NewInquiry;
using kefu::Store;
using kefu::StoreMode;

namespace {

fs::path temp_dir() {
    char tmpl[] = "/tmp/kefu-test-XXXXXX";
    return fs::path(mkdtemp(tmpl));
}

NewInquiry record(int i) {
    NewInquiry in;
    in.source = "t.csv:" + std::to_string(i + 2);
    in.external_id = "E" + std::to_string(i);
    in.channel = "taobao";
    in.received_at = 1'790'000'000 + i * 60;
    in.buyer.name = "buyer" + std::to_string(i % 7);
    in.buyer.channel = "taobao";
    in.buyer.name_is_handle = true;
    in.body = "第" + std::to_string(i) + "条：什么时候发货？";
    return in;
}

// Inquiries another connection sees: only what the writer has committed.
int64_t committed(const std::string& path) {
    auto reader = Store::open(path, StoreMode::Read);
    return reader->db().execAndGet("SELECT count(*) FROM inquiry").getInt64();
}

}  // namespace

TEST_CASE("import batches: committed when full, or after a second, and at the end") {
    fs::path dir = temp_dir();
    std::string path = (dir / "k.db").string();
    auto store = Store::open(path, StoreMode::Write);
    {
        int64_t import = kefu::begin_import(*store, "t.csv", "csv", 1'790'000'000, false);
        InquiryWriter writer(*store, import, {}, 1'790'000'000, 100);
        int next = 0;

        // 250 records in batches of 100: two are committed, the third is open with 50.
        for (; next < 250; ++next) {
            writer.add(record(next));
        }
        CHECK(committed(path) == 200);

        // An open batch is committed once it is a second old; the clock is read when the
        // batch has a multiple of 64 records.
        for (; next < 263; ++next) {
            writer.add(record(next));
        }
        CHECK(committed(path) == 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        writer.add(record(next++));
        CHECK(committed(path) == 264);

        writer.add(record(next++));
        writer.finish("");
        CHECK(committed(path) == 265);
        CHECK(writer.n_new() == 265);
    }
    // The full-text index keeps a batch in memory up to 16 MiB (see inquiry_writer.cpp).
    CHECK(store->db()
              .execAndGet("SELECT v FROM inquiry_fts_config WHERE k = 'hashsize'")
              .getInt64() == 16 << 20);
    store.reset();
    fs::remove_all(dir);
}
