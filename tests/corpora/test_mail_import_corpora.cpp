// Mail import (parsing + store) over the notmuch corpus: duplicates and threads.
#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "core/import/import.h"
#include "core/mail/message.h"
#include "core/store/store.h"
#include "tests/corpora/corpora.h"

using namespace kefu;
namespace fs = std::filesystem;

namespace {
struct Db {
    fs::path dir;
    std::unique_ptr<Store> store;
    Db() {
        char tmpl[] = "/tmp/kefu-mailcorp-XXXXXX";
        dir = mkdtemp(tmpl);
        store = Store::open((dir / "k.db").string(), StoreMode::Write);
    }
    ~Db() { fs::remove_all(dir); }
    import::Summary run(const fs::path& p) {
        import::Options opt;
        opt.rejects_dir = (dir / "rejects").string();
        return import::import_path(*store, p.string(), opt, {}, 1'800'000'000, {});
    }
};
}  // namespace

TEST_CASE("notmuch duplicate/: each Message-ID imports once") {
    fs::path root = kefu_test::corpora_dir() / "notmuch-corpora/test/corpora/duplicate";
    Db db;
    auto s = db.run(root);
    CHECK(s.n_new == 3);
    CHECK(s.n_duplicate == 6);
    CHECK(db.store->db().execAndGet("SELECT count(DISTINCT external_id) FROM inquiry").getInt() == 3);
    auto again = db.run(root);
    CHECK(again.n_new == 0);
}

// The threads kefu makes are the ones the messages' Message-ID, In-Reply-To and References
// headers describe (messages linked through a missing parent belong together too).
TEST_CASE("notmuch threading/: threads follow the headers, in any order of arrival") {
    fs::path root = kefu_test::corpora_dir() / "notmuch-corpora/test/corpora/threading";
    Db db;
    auto s = db.run(root);
    REQUIRE(s.n_new == 12);
    // Union-find over Message-IDs, from the headers as parsed.
    std::map<std::string, std::string> parent;
    std::function<std::string(const std::string&)> find = [&](const std::string& x) {
        auto it = parent.find(x);
        if (it == parent.end() || it->second == x) {
            parent[x] = x;
            return x;
        }
        return it->second = find(it->second);
    };
    auto unite = [&](const std::string& a, const std::string& b) { parent[find(a)] = find(b); };
    std::map<std::string, std::string> id_of_file;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) {
            continue;
        }
        auto m = mail::parse_message(kefu_test::read_file(e.path()), e.path().string());
        id_of_file[e.path().string()] = m.message_id;
        find(m.message_id);
        if (!m.in_reply_to.empty()) {
            unite(m.message_id, m.in_reply_to);
        }
        for (const auto& r : m.references) {
            unite(m.message_id, r);
        }
    }
    SQLite::Statement q(db.store->db(), "SELECT source, thread_id FROM inquiry");
    std::map<std::string, std::set<int64_t>> threads_of_group;
    std::map<int64_t, std::set<std::string>> groups_of_thread;
    while (q.executeStep()) {
        std::string group = find(id_of_file.at(q.getColumn(0).getString()));
        threads_of_group[group].insert(q.getColumn(1).getInt64());
        groups_of_thread[q.getColumn(1).getInt64()].insert(group);
    }
    CHECK(threads_of_group.size() == 3);
    for (const auto& [g, t] : threads_of_group) {
        CAPTURE(g);
        CHECK(t.size() == 1);
    }
    for (const auto& [t, g] : groups_of_thread) {
        CHECK(g.size() == 1);
    }
    CHECK(db.store->check().empty());
}

TEST_CASE("the whole notmuch corpus imports as one folder without failing") {
    Db db;
    auto s = db.run(kefu_test::corpora_dir() / "notmuch-corpora/test/corpora");
    CHECK(s.n_new + s.n_duplicate + s.n_rejected + s.n_skipped >= 320);
    CHECK(s.n_new > 250);
    CHECK(db.store->check().empty());
    MESSAGE("notmuch corpus: " << s.n_new << " new, " << s.n_duplicate << " duplicate, " << s.n_rejected
                               << " rejected, " << s.n_skipped << " not mail");
}
