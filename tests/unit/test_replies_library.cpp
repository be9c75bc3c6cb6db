// The built-in reply library: it passes its own check, covers every category in Chinese and
// English, renders completely, and user folders override it and are checked.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/embedded.h"
#include "core/error.h"
#include "core/replies/library.h"
#include "core/replies/placeholders.h"

namespace fs = std::filesystem;
using namespace kefu;
using namespace kefu::replies;

namespace {

// A fresh empty folder under the system temp folder, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        static int counter = 0;
        m_path = fs::temp_directory_path() / ("kefu-replies-test-" + std::to_string(::getpid()) +
                                              "-" + std::to_string(++counter));
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const { return m_path; }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream out(m_path / name, std::ios::binary);
        out << text;
    }

private:
    fs::path m_path;
};

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A value for every known placeholder, none holding a brace.
Values complete_values() {
    Values v;
    for (const PlaceholderInfo& p : known_placeholders()) {
        v.set(std::string(p.name), "<" + std::string(p.name) + ">");
    }
    return v;
}

size_t count_braces(std::string_view s) {
    size_t n = 0;
    for (char c : s) {
        n += (c == '{' || c == '}') ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("replies: the built-in library passes its check") {
    std::vector<Problem> problems = Library::check_builtin();
    for (const Problem& p : problems) {
        MESSAGE(p.where << ": " << p.message);
    }
    CHECK(problems.empty());
}

TEST_CASE("replies: the built-in library covers every category in Chinese and English") {
    Library lib = Library::builtin();
    MESSAGE("built-in templates: " << lib.all().size());
    CHECK(lib.all().size() >= 50);
    std::set<Category> covered;
    std::set<std::string> ids;
    for (const Template& t : lib.all()) {
        covered.insert(t.category);
        CHECK(ids.insert(t.id).second);
        CHECK(t.builtin);
        CHECK(t.bodies.count("zh") == 1);
        CHECK(t.bodies.count("en") == 1);
        CHECK_FALSE(t.keywords.empty());
        CHECK(t.origin.starts_with("templates/"));
    }
    for (Category c : all_categories()) {
        INFO("category " << to_string(c));
        CHECK(covered.count(c) == 1);
    }
    // The moments a small shop meets every day are there.
    for (const char* id : {"greeting",          "slow-reply-apology",
                           "in-stock",          "size-advice",
                           "shipping-time",     "shipping-delay",
                           "shipped-tracking",  "delivered-not-received",
                           "address-change",    "cancel-before-shipping",
                           "payment-failed",    "double-charge",
                           "return-policy",     "return-address",
                           "refund-issued",     "wrong-item",
                           "damaged-item",      "exchange",
                           "repair-warranty",   "login-problem",
                           "verification-code", "activation-code-help",
                           "download-link",     "calm-and-remedy",
                           "ask-review",        "vip-thanks",
                           "followup-checkin"}) {
        INFO(id);
        CHECK(lib.find(id) != nullptr);
    }
    CHECK(lib.find("no-such-template") == nullptr);
}

TEST_CASE("replies: every built-in template renders completely in both languages") {
    Library lib = Library::builtin();
    Values values = complete_values();
    size_t rendered = 0;
    for (const Template& t : lib.all()) {
        for (const char* lang : {"zh", "en"}) {
            INFO(t.id << " [" << lang << "]");
            Rendered r = render(t, lang, values);
            CHECK(r.missing.empty());
            CHECK(r.text.size() > 40);
            // Literal braces can only come from "{{" and "}}"; count those in the body.
            size_t literal = 0;
            for (const Piece& p : parse_body(t.bodies.at(lang), nullptr)) {
                literal += p.is_placeholder ? 0 : count_braces(p.text);
            }
            CHECK(count_braces(r.text) == literal);
            CHECK(r.text.find("<") != std::string::npos);  // some value went in
            ++rendered;
        }
    }
    MESSAGE("rendered bodies: " << rendered);
    CHECK(rendered == lib.all().size() * 2);
}

TEST_CASE("replies: built-in follow-ups and statuses are sensible") {
    Library lib = Library::builtin();
    size_t with_followup = 0;
    for (const Template& t : lib.all()) {
        if (t.followup) {
            ++with_followup;
            CHECK(*t.followup >= 3600);
            CHECK(*t.followup <= 14 * 86400);
        }
        if (t.status_after) {
            CHECK((*t.status_after == Status::Waiting || *t.status_after == Status::Resolved));
        }
    }
    CHECK(with_followup >= 10);
    REQUIRE(lib.find("shipping-delay") != nullptr);
    CHECK(lib.find("shipping-delay")->followup == 2 * 86400);
    CHECK(lib.find("thanks-closing")->status_after == Status::Resolved);
    CHECK(lib.find("vip-thanks")->vip_only);
}

TEST_CASE("replies: a user template replaces the built-in of the same id and adds new ones") {
    TempDir dir;
    dir.write("mine.toml", R"(
[[template]]
id = "greeting"
title = "My greeting"
category = "other"
keywords = ["在吗"]
[template.body]
zh = "{salutation|亲}，在的！"
en = "Hi {salutation|there}, yes we are here!"

[[template]]
id = "my-own"
title = "My own"
category = "product"
placeholders = ["gift"]
[template.body]
zh = "送您{gift}。"
en = "A free {gift} for you."
)");
    dir.write("notes.txt", "not a template");
    Library builtin = Library::builtin();
    Library lib = Library::load(dir.path().string());
    CHECK(lib.all().size() == builtin.all().size() + 1);
    const Template* g = lib.find("greeting");
    REQUIRE(g != nullptr);
    CHECK(g->title == "My greeting");
    CHECK_FALSE(g->builtin);
    CHECK(g->overrides);
    CHECK(g->origin == (dir.path() / "mine.toml").string() + ":2:1");
    // The replaced template keeps the built-in's place in the order.
    size_t at_builtin = 0;
    size_t at_user = 0;
    for (size_t i = 0; i < builtin.all().size(); ++i) {
        at_builtin = builtin.all()[i].id == "greeting" ? i : at_builtin;
        at_user = lib.all()[i].id == "greeting" ? i : at_user;
    }
    CHECK(at_builtin == at_user);
    const Template* mine = lib.find("my-own");
    REQUIRE(mine != nullptr);
    CHECK(mine->category == Category::Product);
    Values v;
    v.set("gift", "钥匙扣");
    CHECK(render(*mine, "zh", v).text == "送您钥匙扣。");
    CHECK(render(*mine, "en", Values{}).missing == std::vector<std::string>{"gift"});

    // No folder at all is the common case: the built-ins alone.
    CHECK(Library::load((dir.path() / "absent").string()).all().size() == builtin.all().size());
}

TEST_CASE("replies: a broken user folder is refused with every problem and its place") {
    TempDir dir;
    dir.write("a.toml", R"([[template]]
id = "one"
title = "One"
category = "shipping"
[template.body]
zh = "好的"
en = "OK"
)");
    dir.write("b.toml", R"([[template]]
id = "two"
title = "Two"
category = "other"
[template.body]
zh = "好的"
en = "OK"

[[template]]
id = "two"
title = "Two again"
category = "other"
[template.body]
zh = "好的"
en = "OK"
)");
    std::vector<Problem> problems = Library::check_dir(dir.path().string());
    REQUIRE(problems.size() == 2);
    std::string a = (dir.path() / "a.toml").string();
    std::string b = (dir.path() / "b.toml").string();
    CHECK(problems[0].where == a + ":4:12");
    CHECK(problems[0].message.find("unknown category \"shipping\"") != std::string::npos);
    CHECK(problems[1].where == b + ":9:1");
    CHECK(problems[1].message.find("duplicate id \"two\" (first at " + b + ":1:1)") !=
          std::string::npos);

    // Loading it fails with the first problem and how many more; check_dir lists each.
    try {
        Library::load(dir.path().string());
        FAIL("a broken folder must not load");
    } catch (const Error& e) {
        CHECK(e.where() == a + ":4:12");
        CHECK(std::string(e.what()).find("2 problems") != std::string::npos);
        CHECK(e.why() == problems[0].message + " (and 1 more)");
        CHECK(e.hint().find("kefu templates check") != std::string::npos);
    }

    CHECK(Library::check_dir((dir.path() / "absent").string()).size() == 1);
}

TEST_CASE("replies: export copies the built-in files and never overwrites") {
    TempDir dir;
    fs::path out = dir.path() / "templates";
    std::vector<std::string> written = Library::export_builtin(out.string());
    std::vector<embedded::File> files = embedded::under("templates/");
    REQUIRE(written.size() == files.size());
    CHECK(written.size() >= 9);
    for (const embedded::File& f : files) {
        fs::path p = out / fs::path(f.path).filename();
        REQUIRE(fs::exists(p));
        CHECK(read(p) == f.data);
    }
    // The exported folder loads as a user folder and overrides every built-in with itself.
    Library lib = Library::load(out.string());
    CHECK(lib.all().size() == Library::builtin().all().size());
    for (const Template& t : lib.all()) {
        CHECK(t.overrides);
    }

    // A second export into the same folder is refused and leaves the files as they were.
    fs::path first = out / fs::path(files.front().path).filename();
    {
        std::ofstream edit(first, std::ios::binary | std::ios::app);
        edit << "\n# my edit\n";
    }
    CHECK_THROWS_AS(Library::export_builtin(out.string()), Error);
    CHECK(read(first).ends_with("# my edit\n"));
}
