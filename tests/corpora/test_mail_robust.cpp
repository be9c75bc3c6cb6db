// Every message of the mail corpora parses, or is refused with a kefu::Error that gives a
// reason: no crash, no other exception, no message slower than a second. Also the maildir
// walk over real folders, and the notmuch duplicate set.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/mail/maildir.h"
#include "core/mail/mbox.h"
#include "core/mail/message.h"
#include "tests/corpora/corpora.h"

namespace fs = std::filesystem;

namespace {

constexpr double k_max_seconds_per_message = 1.0;

struct Source {
    const char* folder;                   // under the corpora folder
    std::vector<std::string> extensions;  // file name endings; empty = every file
    std::vector<std::string> skip;        // file names that are not messages
};

// The message files of each corpus (expectation files, licences and read-me files left out).
const std::vector<Source>& sources() {
    static const std::vector<Source> k_sources = {
        {"mime4j",
         {".msg", "mbox.rlug-0", "mbox.rlug-1", "mbox.rlug-2", "mbox.rlug-3", "mbox.rlug-4"},
         {}},
        {"stalwart-mail-parser/resources/eml", {".eml"}, {}},
        {"mimekit/UnitTests/TestData/messages", {}, {}},
        {"enmime/testdata", {".raw", ".golden"}, {}},
        {"mail-ruby-gem/spec/fixtures/emails", {}, {}},
        {"cpython-email/Lib/test/test_email/data", {".txt"}, {}},
        {"php-imap-webklex/tests/messages", {".eml"}, {}},
        {"spamscope-mail-parser/tests/mails", {}, {}},
        {"notmuch-corpora/test/corpora", {}, {"README"}},
    };
    return k_sources;
}

bool wanted(const fs::path& p, const Source& s) {
    std::string name = p.filename().string();
    if (std::find(s.skip.begin(), s.skip.end(), name) != s.skip.end()) {
        return false;
    }
    if (s.extensions.empty()) {
        return true;
    }
    for (const std::string& e : s.extensions) {
        if (name.ends_with(e)) {
            return true;
        }
    }
    return false;
}

struct Outcome {
    size_t parsed = 0;
    size_t refused = 0;
    double slowest = 0;
    std::string slowest_name;
};

void parse_timed(const std::string& raw, const std::string& name, Outcome& out) {
    auto start = std::chrono::steady_clock::now();
    try {
        kefu::mail::Message m = kefu::mail::parse_message(raw, name);
        ++out.parsed;
        // Whatever was decoded is valid UTF-8 text.
        CHECK_MESSAGE(m.subject.find('\0') == std::string::npos, name);
    } catch (const kefu::Error& e) {
        ++out.refused;
        CHECK_MESSAGE(!e.why().empty(), name);
        std::printf("  refused %s: %s\n", name.c_str(), e.what());
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK_MESSAGE(seconds < k_max_seconds_per_message, name);
    if (seconds > out.slowest) {
        out.slowest = seconds;
        out.slowest_name = name;
    }
}

}  // namespace

TEST_CASE("mail corpora: every message parses or is refused with a reason, quickly") {
    fs::path root = kefu_test::corpora_dir();
    Outcome total;
    for (const Source& s : sources()) {
        fs::path dir = root / s.folder;
        REQUIRE_MESSAGE(fs::is_directory(dir), dir.string());
        Outcome out;
        std::vector<fs::path> files;
        for (const auto& e : fs::recursive_directory_iterator(dir)) {
            if (e.is_regular_file() && wanted(e.path(), s)) {
                files.push_back(e.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            parse_timed(kefu_test::read_file(f), fs::relative(f, root).string(), out);
        }
        std::printf("mail corpora: %-38s %4zu parsed, %zu refused, slowest %.1f ms (%s)\n",
                    s.folder, out.parsed, out.refused, out.slowest * 1e3, out.slowest_name.c_str());
        CHECK(out.parsed + out.refused == files.size());
        CHECK(out.parsed > 0);
        total.parsed += out.parsed;
        total.refused += out.refused;
        if (out.slowest > total.slowest) {
            total.slowest = out.slowest;
            total.slowest_name = out.slowest_name;
        }
    }
    std::printf("mail corpora: %zu messages parsed, %zu refused; slowest %.1f ms (%s)\n",
                total.parsed, total.refused, total.slowest * 1e3, total.slowest_name.c_str());
}

TEST_CASE("mail corpora: every message of every mbox parses") {
    fs::path root = kefu_test::corpora_dir();
    const char* mboxes[] = {
        "mime4j/mbox/src/test/resources/test-1/mbox.rlug",
        "mimekit/UnitTests/TestData/mbox/content-length.mbox.txt",
        "mimekit/UnitTests/TestData/mbox/issue1189.mbox.txt",
        "mimekit/UnitTests/TestData/mbox/simple.mbox.txt",
        "mimekit/UnitTests/TestData/mbox/unmunged.mbox.txt",
        "gmime/tests/data/mbox/input/substring.mbox",
        "cpython-email/Lib/test/test_email/data/mailbox_01.mbox",
    };
    Outcome out;
    size_t count = 0;
    for (const char* name : mboxes) {
        std::ifstream in(root / name, std::ios::binary);
        REQUIRE(in);
        kefu::mail::MboxReader reader(in);
        std::string raw;
        uint64_t line = 0;
        while (reader.next(raw, line)) {
            ++count;
            parse_timed(raw, std::string(name) + ":" + std::to_string(line), out);
        }
    }
    std::printf("mail corpora: %zu mbox messages parsed, slowest %.1f ms\n", out.parsed,
                out.slowest * 1e3);
    CHECK(out.parsed == count);
    CHECK(count == 5 + 29 + 4 + 3 + 2 + 3 + 1);
}

TEST_CASE("mail corpora: the notmuch duplicate set has 3 distinct Message-IDs") {
    fs::path dir = kefu_test::corpora_dir() / "notmuch-corpora/test/corpora/duplicate";
    std::set<std::string> ids;
    size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) {
            continue;
        }
        ++files;
        kefu::mail::Message m =
            kefu::mail::parse_message(kefu_test::read_file(e.path()), e.path().string());
        CHECK_FALSE(m.message_id.empty());
        ids.insert(m.message_id);
    }
    std::printf("mail corpora: notmuch duplicate/: %zu files, %zu distinct Message-IDs\n", files,
                ids.size());
    CHECK(files == 9);
    CHECK(ids.size() == 3);
}

TEST_CASE("mail corpora: maildir walks over real folders") {
    fs::path root = kefu_test::corpora_dir();
    std::vector<std::string> seen;
    fs::path stalwart = root / "stalwart-mail-parser/resources/maildir";
    REQUIRE(kefu::mail::is_maildir(stalwart));
    kefu::mail::walk_maildir(
        stalwart, [&](const fs::path& p) { seen.push_back(fs::relative(p, stalwart).string()); });
    // cur/ then new/ of the root, then ".My Folder" and its nested ".My Folder.Nested Folder".
    REQUIRE(seen.size() == 6);
    CHECK(seen[0].starts_with("cur/"));
    CHECK(seen[1].starts_with("new/"));
    CHECK(seen[2].starts_with(".My Folder/cur/"));
    CHECK(seen[3].starts_with(".My Folder/new/"));
    CHECK(seen[4].starts_with(".My Folder.Nested Folder/cur/"));
    CHECK(seen[5].starts_with(".My Folder.Nested Folder/new/"));

    // notmuch's corpora: every file that sits in a cur/ or new/ folder is found, once.
    fs::path notmuch = root / "notmuch-corpora/test/corpora";
    std::set<std::string> expected;
    for (const auto& e : fs::recursive_directory_iterator(notmuch)) {
        std::string parent = e.path().parent_path().filename().string();
        if (e.is_regular_file() && (parent == "cur" || parent == "new") &&
            kefu::mail::is_maildir(e.path().parent_path().parent_path())) {
            expected.insert(e.path().string());
        }
    }
    std::set<std::string> walked;
    size_t calls = 0;
    kefu::mail::walk_maildir(notmuch, [&](const fs::path& p) {
        ++calls;
        walked.insert(p.string());
    });
    std::printf("mail corpora: notmuch maildir files found: %zu\n", walked.size());
    CHECK(calls == walked.size());
    CHECK(walked == expected);
    CHECK(walked.size() > 0);
}
