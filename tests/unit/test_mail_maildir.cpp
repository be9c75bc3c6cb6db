// Walking maildirs: cur/ and new/, nested folders, order, tmp/ skipped, link loops.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/mail/maildir.h"

namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp folder, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "kefu-maildir-XXXXXX").string();
        char* made = mkdtemp(tmpl.data());
        REQUIRE(made != nullptr);
        m_path = made;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

void touch(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "Subject: x\n\nx\n";
}

void make_maildir(const fs::path& p) {
    fs::create_directories(p / "cur");
    fs::create_directories(p / "new");
    fs::create_directories(p / "tmp");
}

std::vector<std::string> walk(const fs::path& root) {
    std::vector<std::string> seen;
    kefu::mail::walk_maildir(
        root, [&](const fs::path& p) { seen.push_back(fs::relative(p, root).string()); });
    return seen;
}

}  // namespace

TEST_CASE("mail maildir: cur and new, nested folders, sorted, tmp skipped") {
    TempDir dir;
    fs::path root = dir.path() / "Mail";
    make_maildir(root);
    touch(root / "cur" / "2:2,S");
    touch(root / "cur" / "1:2,S");
    touch(root / "new" / "3");
    touch(root / "tmp" / "partial");
    touch(root / "cur" / ".hidden");
    make_maildir(root / ".Orders");
    touch(root / ".Orders" / "new" / "a");
    make_maildir(root / "plain" / "sub");
    touch(root / "plain" / "sub" / "cur" / "b");
    touch(root / "plain" / "loose.eml");  // not in a maildir

    CHECK(kefu::mail::is_maildir(root));
    CHECK_FALSE(kefu::mail::is_maildir(root / "plain"));
    std::vector<std::string> expected = {"cur/1:2,S", "cur/2:2,S", "new/3", ".Orders/new/a",
                                         "plain/sub/cur/b"};
    CHECK(walk(root) == expected);
}

TEST_CASE("mail maildir: a symbolic link loop ends") {
    TempDir dir;
    fs::path root = dir.path() / "Mail";
    make_maildir(root);
    touch(root / "new" / "m1");
    make_maildir(root / "sub");
    touch(root / "sub" / "cur" / "m2");
    fs::create_directory_symlink(root, root / "sub" / "loop");
    fs::create_directory_symlink(root / "sub", root / "sub-again");
    std::vector<std::string> expected = {"new/m1", "sub/cur/m2"};
    CHECK(walk(root) == expected);
}

TEST_CASE("mail maildir: a missing folder is an error") {
    TempDir dir;
    CHECK_THROWS_AS(walk(dir.path() / "absent"), kefu::Error);
}
