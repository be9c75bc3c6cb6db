// Splitting mbox input into messages: From_ lines, >From unescaping, CRLF, limits.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "core/mail/mbox.h"

using kefu::mail::looks_like_mbox;
using kefu::mail::MboxReader;

namespace {

struct Entry {
    std::string raw;
    uint64_t line = 0;
    std::string from;
    bool truncated = false;
};

std::vector<Entry> read_all(const std::string& input, size_t max_bytes = 1u << 20) {
    std::istringstream in(input);
    MboxReader reader(in, max_bytes);
    std::vector<Entry> out;
    Entry e;
    while (reader.next(e.raw, e.line)) {
        e.from = reader.from_line();
        e.truncated = reader.truncated();
        out.push_back(e);
    }
    return out;
}

}  // namespace

TEST_CASE("mail mbox: messages split at From_ lines, separator line removed") {
    std::vector<Entry> v = read_all(
        "From a@example.com Thu Jan  4 09:16:06 2024\n"
        "Subject: one\n"
        "\n"
        "first body\n"
        "\n"
        "From b@example.com Fri Jan  5 10:00:00 2024\n"
        "Subject: two\n"
        "\n"
        "second body\n");
    REQUIRE(v.size() == 2);
    CHECK(v[0].raw == "Subject: one\n\nfirst body\n");
    CHECK(v[0].line == 1);
    CHECK(v[0].from == "From a@example.com Thu Jan  4 09:16:06 2024");
    CHECK(v[1].raw == "Subject: two\n\nsecond body\n");
    CHECK(v[1].line == 6);
}

TEST_CASE("mail mbox: mboxrd >From lines are unescaped") {
    std::vector<Entry> v = read_all(
        "From x Mon Jan  1 00:00:00 2024\n"
        "Subject: q\n"
        "\n"
        ">From the start\n"
        ">>From quoted\n"
        "> From not an escape\n"
        "\n");
    REQUIRE(v.size() == 1);
    CHECK(v[0].raw == "Subject: q\n\nFrom the start\n>From quoted\n> From not an escape\n");
}

TEST_CASE("mail mbox: an unescaped From in a body does not split the message") {
    std::vector<Entry> v = read_all(
        "From MAILER-DAEMON Sun Aug  7 11:40:37 2022 extra info\n"
        "Subject: unescaped\n"
        "\n"
        "Hello\n"
        "\n"
        "From time to time\n"
        "From Russia with love\n"
        "Year: 1963\n");
    REQUIRE(v.size() == 1);
    CHECK(v[0].raw.find("From time to time\nFrom Russia with love\nYear: 1963\n") !=
          std::string::npos);
}

TEST_CASE("mail mbox: bare From_ lines, no blank line before them, CRLF") {
    std::vector<Entry> v = read_all(
        "From - \r\n"
        "Subject: a\r\n"
        "\r\n"
        "body a\r\n"
        "From - \r\n"
        "From: b@example.com\r\n"
        "\r\n"
        "body b\r\n"
        "\r\n");
    REQUIRE(v.size() == 2);
    CHECK(v[0].raw == "Subject: a\r\n\r\nbody a\r\n");
    CHECK(v[1].raw == "From: b@example.com\r\n\r\nbody b\r\n");
    CHECK(v[1].line == 5);
}

TEST_CASE("mail mbox: input without a From_ line is one message") {
    std::vector<Entry> v = read_all("\xEF\xBB\xBFSubject: single\n\nonly one\n");
    REQUIRE(v.size() == 1);
    CHECK(v[0].raw == "Subject: single\n\nonly one\n");
    CHECK(v[0].from.empty());
    CHECK(v[0].line == 1);
}

TEST_CASE("mail mbox: empty entries are skipped, empty input has none") {
    CHECK(read_all("").empty());
    CHECK(read_all("\n\n").empty());
    std::vector<Entry> v = read_all(
        "From a Mon Jan  1 00:00:00 2024\n"
        "\n"
        "From b Mon Jan  1 00:00:00 2024\n"
        "Subject: real\n\nx\n");
    REQUIRE(v.size() == 1);
    CHECK(v[0].raw == "Subject: real\n\nx\n");
}

TEST_CASE("mail mbox: an over-long message is cut and the next one still read") {
    std::string big(5000, 'x');
    std::vector<Entry> v =
        read_all("From a Mon Jan  1 00:00:00 2024\nSubject: big\n\n" + big + "\n" + big +
                     "\n\nFrom b Mon Jan  1 00:00:00 2024\nSubject: small\n\ny\n",
                 4096);
    REQUIRE(v.size() == 2);
    CHECK(v[0].truncated);
    CHECK(v[0].raw.size() <= 4096);
    CHECK(v[0].raw.starts_with("Subject: big\n"));
    CHECK_FALSE(v[1].truncated);
    CHECK(v[1].raw == "Subject: small\n\ny\n");
}

namespace {

// An input stream that makes up an mbox of `count` messages as it is read, so that reading it
// needs no memory for the whole (like stdin or a file larger than memory).
class GeneratedMbox : public std::streambuf {
public:
    explicit GeneratedMbox(int count) : m_count(count) {}

protected:
    int_type underflow() override {
        if (m_next >= m_count) {
            return traits_type::eof();
        }
        m_chunk = "From gen@example.com Mon Jan  1 00:00:00 2024\nMessage-ID: <" +
                  std::to_string(m_next) + "@gen>\nSubject: n" + std::to_string(m_next) +
                  "\n\n>From the generator\n" + std::string(200, 'x') + "\n\n";
        ++m_next;
        setg(m_chunk.data(), m_chunk.data(), m_chunk.data() + m_chunk.size());
        return traits_type::to_int_type(m_chunk[0]);
    }

private:
    int m_count;
    int m_next = 0;
    std::string m_chunk;
};

}  // namespace

TEST_CASE("mail mbox: a long mbox is streamed one message at a time") {
    GeneratedMbox source(50000);
    std::istream in(&source);
    MboxReader reader(in);
    std::string raw;
    uint64_t line = 0;
    size_t count = 0;
    size_t largest = 0;
    while (reader.next(raw, line)) {
        if (count == 49999) {
            CHECK(raw.starts_with("Message-ID: <49999@gen>\n"));
            CHECK(line == 49999u * 7 + 1);
        }
        CHECK(raw.find("\nFrom the generator\n") != std::string::npos);
        largest = std::max(largest, raw.capacity());
        ++count;
    }
    CHECK(count == 50000);
    CHECK(largest < 4096);  // one message at a time, never the whole input
}

TEST_CASE("mail mbox: looks_like_mbox") {
    CHECK(looks_like_mbox("From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n"));
    CHECK(
        looks_like_mbox("\xEF\xBB\xBF"
                        "From -\n"));
    CHECK_FALSE(looks_like_mbox("From: a@b\nSubject: x\n"));
    CHECK_FALSE(looks_like_mbox("Subject: x\n"));
    CHECK_FALSE(looks_like_mbox(""));
}
