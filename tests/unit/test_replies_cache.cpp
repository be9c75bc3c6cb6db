// The library cache: a cached library is the library load() makes, field by field and in its
// index; a changed, added or removed user file, or a damaged cache file, makes it load anew.

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/replies/index.h"
#include "core/replies/library.h"

namespace fs = std::filesystem;
using namespace kefu;
using namespace kefu::replies;

namespace {

class TempDir {
public:
    TempDir() {
        static int counter = 0;
        m_path = fs::temp_directory_path() / ("kefu-replies-cache-test-" +
                                              std::to_string(::getpid()) + "-" +
                                              std::to_string(++counter));
        fs::remove_all(m_path);
        fs::create_directories(m_path / "templates");
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string templates() const { return (m_path / "templates").string(); }
    std::string cache() const { return (m_path / "cache" / "kefu" / "replies.cache").string(); }
    // Writes the file with a modification time a minute ago (a cache is not written from
    // files modified in the last seconds), one second later than the previous write.
    void write(const std::string& name, const std::string& text) {
        fs::path file = m_path / "templates" / name;
        {
            std::ofstream out(file, std::ios::binary);
            out << text;
        }
        fs::last_write_time(file, m_start + std::chrono::seconds(++m_writes));
    }

private:
    fs::path m_path;
    fs::file_time_type m_start = fs::file_time_type::clock::now() - std::chrono::minutes(1);
    int m_writes = 0;
};

// A file with one template overriding a built-in and one of its own, titled `title`.
std::string user_file(const std::string& title) {
    return R"(
[[template]]
id = "greeting"
title = ")" + title + R"("
category = "other"
keywords = ["在吗", "anyone there"]
[template.body]
zh = "{salutation|亲}，在的！"
en = "Hi {salutation|there}, yes we are here!"

[[template]]
id = "my-own"
title = "My own"
category = "product"
tags = ["gift"]
placeholders = ["gift"]
followup = "2d"
status_after = "waiting"
vip_only = true
[template.body]
zh = "送您{gift}，退货也方便。"
en = "A free {gift} for you, and returns are easy."
)";
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void check_same(const Library& a, const Library& b) {
    REQUIRE(a.all().size() == b.all().size());
    for (size_t i = 0; i < a.all().size(); ++i) {
        const Template& x = a.all()[i];
        const Template& y = b.all()[i];
        CHECK(x.id == y.id);
        CHECK(x.title == y.title);
        CHECK(x.category == y.category);
        CHECK(x.tags == y.tags);
        CHECK(x.keywords == y.keywords);
        CHECK(x.bodies == y.bodies);
        CHECK(x.placeholders == y.placeholders);
        CHECK(x.followup == y.followup);
        CHECK(x.status_after == y.status_after);
        CHECK(x.vip_only == y.vip_only);
        CHECK(x.origin == y.origin);
        CHECK(x.builtin == y.builtin);
        CHECK(x.overrides == y.overrides);
    }
    // The index is plain arrays: the same library has the same bytes.
    const LibraryIndex& x = a.index();
    const LibraryIndex& y = b.index();
    CHECK(same_bytes(x.docs, y.docs));
    CHECK(same_bytes(x.keywords, y.keywords));
    CHECK(same_bytes(x.tokens, y.tokens));
    CHECK(same_bytes(x.terms, y.terms));
    CHECK(same_bytes(x.postings, y.postings));
    CHECK(x.text == y.text);
    CHECK(x.average_length == y.average_length);
    CHECK(y.consistent());
    for (const TermEntry& t : x.terms) {
        CHECK(y.find(x.term_text(t)).size() == t.count);
    }
}

}  // namespace

TEST_CASE("replies cache: a cached library is the loaded library, and the file is private") {
    TempDir dir;
    dir.write("mine.toml", user_file("My greeting"));
    Library loaded = Library::load(dir.templates());
    CHECK_FALSE(fs::exists(dir.cache()));

    Library first = Library::load_cached(dir.templates(), dir.cache());
    REQUIRE(fs::exists(dir.cache()));
    check_same(loaded, first);
    struct stat st {};
    REQUIRE(::stat(dir.cache().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // No temporary file is left beside it.
    size_t entries = 0;
    for (const auto& e : fs::directory_iterator(fs::path(dir.cache()).parent_path())) {
        entries += e.is_regular_file() ? 1 : 0;
    }
    CHECK(entries == 1);

    Library second = Library::load_cached(dir.templates(), dir.cache());
    check_same(loaded, second);
    const Template* mine = second.find("my-own");
    REQUIRE(mine != nullptr);
    CHECK(mine->followup == 2 * 86400);
    CHECK(mine->status_after == Status::Waiting);
    CHECK(mine->vip_only);

    // Without a user folder the built-ins alone are cached (under another key).
    TempDir empty;
    fs::remove_all(empty.templates());
    check_same(Library::builtin(), Library::load_cached(empty.templates(), empty.cache()));
    check_same(Library::builtin(), Library::load_cached(empty.templates(), empty.cache()));
}

TEST_CASE("replies cache: a changed, added or removed user file is read anew") {
    TempDir dir;
    dir.write("mine.toml", user_file("Title A"));
    CHECK(Library::load_cached(dir.templates(), dir.cache()).find("greeting")->title == "Title A");

    // Same size, later modification time.
    dir.write("mine.toml", user_file("Title B"));
    Library changed = Library::load_cached(dir.templates(), dir.cache());
    CHECK(changed.find("greeting")->title == "Title B");
    check_same(Library::load(dir.templates()), changed);

    // Another size.
    dir.write("mine.toml", user_file("A much longer title"));
    CHECK(Library::load_cached(dir.templates(), dir.cache()).find("greeting")->title ==
          "A much longer title");

    dir.write("more.toml", R"(
[[template]]
id = "more"
title = "More"
category = "other"
[template.body]
zh = "更多。"
en = "More."
)");
    CHECK(Library::load_cached(dir.templates(), dir.cache()).find("more") != nullptr);
    fs::remove(fs::path(dir.templates()) / "more.toml");
    CHECK(Library::load_cached(dir.templates(), dir.cache()).find("more") == nullptr);

    // A broken file is refused as load() refuses it, cache or not.
    dir.write("mine.toml", "[[template]]\nid = \"x\"\n");
    CHECK_THROWS_AS(Library::load_cached(dir.templates(), dir.cache()), Error);
}

TEST_CASE("replies cache: a file modified a moment ago is read but not cached") {
    TempDir dir;
    dir.write("mine.toml", user_file("Title A"));
    fs::path file = fs::path(dir.templates()) / "mine.toml";
    fs::last_write_time(file, fs::file_time_type::clock::now());
    CHECK(Library::load_cached(dir.templates(), dir.cache()).find("greeting")->title == "Title A");
    CHECK_FALSE(fs::exists(dir.cache()));
}

TEST_CASE("replies cache: a damaged or unwritable cache is ignored") {
    TempDir dir;
    dir.write("mine.toml", user_file("My greeting"));
    Library loaded = Library::load(dir.templates());
    Library::load_cached(dir.templates(), dir.cache());
    std::string good = read(dir.cache());
    REQUIRE(good.size() > 100);
    auto damage = [&](const std::string& bytes) {
        std::ofstream out(dir.cache(), std::ios::binary | std::ios::trunc);
        out << bytes;
    };
    std::string flipped = good;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
    for (const std::string& bad :
         {std::string(), std::string("garbage"), good.substr(0, good.size() / 2),
          good + "tail", flipped}) {
        INFO("a damaged cache of " << bad.size() << " bytes");
        damage(bad);
        check_same(loaded, Library::load_cached(dir.templates(), dir.cache()));
        // And it was rewritten whole.
        CHECK(read(dir.cache()) == good);
    }

    // A cache path that cannot be written (its folder is a file) costs nothing but time.
    std::string blocked = (fs::path(dir.templates()) / "mine.toml" / "replies.cache").string();
    check_same(loaded, Library::load_cached(dir.templates(), blocked));
    // No cache at all.
    check_same(loaded, Library::load_cached(dir.templates(), ""));
}
