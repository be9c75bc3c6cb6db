// mbox splitting against the corpora's expectations: mime4j's mbox.rlug and its five parts,
// MimeKit's From_ offsets and summaries, GMime's substring.mbox offsets, and the unescaped
// "From " lines of MimeKit's unmunged.mbox and CPython's mailbox_01.mbox.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/mail/mbox.h"
#include "core/mail/message.h"
#include "tests/corpora/corpora.h"

namespace fs = std::filesystem;

namespace {

struct Entry {
    std::string raw;
    uint64_t line = 0;
    uint64_t offset = 0;
};

std::vector<Entry> split(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    REQUIRE_MESSAGE(in, file.string());
    kefu::mail::MboxReader reader(in);
    std::vector<Entry> out;
    Entry e;
    while (reader.next(e.raw, e.line)) {
        e.offset = reader.start_offset();
        CHECK_FALSE(reader.truncated());
        out.push_back(e);
    }
    return out;
}

fs::path mimekit_mbox() {
    return kefu_test::corpora_dir() / "mimekit/UnitTests/TestData/mbox";
}

// The "Subject:" lines of a MimeKit summary file, one per message.
std::vector<std::string> summary_subjects(const fs::path& file) {
    std::istringstream in(kefu_test::read_file(file));
    std::vector<std::string> subjects;
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("Subject: ")) {
            subjects.push_back(line.substr(9));
        }
    }
    return subjects;
}

}  // namespace

TEST_CASE("mail corpora: mime4j mbox.rlug splits into exactly mbox.rlug-0..4") {
    fs::path dir = kefu_test::corpora_dir() / "mime4j/mbox/src/test/resources/test-1";
    std::vector<Entry> v = split(dir / "mbox.rlug");
    REQUIRE(v.size() == 5);
    for (size_t i = 0; i < v.size(); ++i) {
        std::string expected = kefu_test::read_file(dir / ("mbox.rlug-" + std::to_string(i)));
        // mime4j keeps the blank line that separates messages; kefu drops it (it belongs to
        // the mbox format, not to the message).
        CHECK_MESSAGE(v[i].raw + "\n" == expected, "message " << i);
    }
    CHECK(v[0].line == 1);
    CHECK(v[1].line == 95);
}

TEST_CASE("mail corpora: MimeKit mboxes: From_ offsets and subjects") {
    for (const char* name : {"content-length", "issue1189"}) {
        INFO(name);
        std::vector<Entry> v = split(mimekit_mbox() / (std::string(name) + ".mbox.txt"));
        auto offsets = nlohmann::json::parse(
            kefu_test::read_file(mimekit_mbox() / (std::string(name) + ".unix-offsets.json")));
        std::vector<std::string> subjects =
            summary_subjects(mimekit_mbox() / (std::string(name) + "-summary.txt"));
        REQUIRE(v.size() == offsets.size());
        REQUIRE(v.size() == subjects.size());
        for (size_t i = 0; i < v.size(); ++i) {
            CHECK_MESSAGE(v[i].offset == offsets[i]["mboxMarkerOffset"].get<uint64_t>(),
                          "message " << i);
            kefu::mail::Message m = kefu::mail::parse_message(v[i].raw, name);
            CHECK_MESSAGE(m.subject == subjects[i], "message " << i);
        }
        std::printf("mail corpora: MimeKit %s.mbox: %zu messages, offsets and subjects match\n",
                    name, v.size());
    }
    CHECK(split(mimekit_mbox() / "simple.mbox.txt").size() == 3);
}

TEST_CASE("mail corpora: GMime substring.mbox message offsets") {
    std::vector<Entry> v =
        split(kefu_test::corpora_dir() / "gmime/tests/data/mbox/input/substring.mbox");
    REQUIRE(v.size() == 3);
    CHECK(v[0].offset == 0);
    CHECK(v[1].offset == 526);
    CHECK(v[2].offset == 1029);
}

TEST_CASE("mail corpora: unescaped From lines in bodies stay in the body") {
    // MimeKit's unmunged.mbox: "From Russia with love" after a blank line, twice.
    std::vector<Entry> v = split(mimekit_mbox() / "unmunged.mbox.txt");
    REQUIRE(v.size() == 2);
    for (const Entry& e : v) {
        CHECK(e.raw.find("\nFrom Russia with love\n") != std::string::npos);
    }
    // CPython's mailbox_01.mbox: Python's mailbox module splits it in two at "From time to
    // time"; kefu reads one message, as the line is no From_ line (no date, no header after).
    v = split(kefu_test::corpora_dir() / "cpython-email/Lib/test/test_email/data/mailbox_01.mbox");
    REQUIRE(v.size() == 1);
    kefu::mail::Message m = kefu::mail::parse_message(v[0].raw, "mailbox_01.mbox");
    CHECK(m.subject == "unquoted From in body; extra info on From line");
    CHECK(m.body_full == "Hello\n\nFrom time to time");
}
