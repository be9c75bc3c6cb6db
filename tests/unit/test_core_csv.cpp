#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "core/csv/reader.h"

using namespace kefu;

namespace {
std::vector<csv::Record> read_all(std::string_view data, char delimiter = 0, size_t max = size_t{4} << 20) {
    csv::MemorySource src(data);
    csv::Options opt;
    opt.delimiter = delimiter;
    opt.max_record_bytes = max;
    csv::Reader r(src, opt);
    std::vector<csv::Record> out;
    csv::Record rec;
    while (r.next(rec)) {
        out.push_back(rec);
    }
    return out;
}
using Fields = std::vector<std::string>;
}  // namespace

TEST_CASE("RFC 4180: quotes, doubled quotes, newlines, CRLF, no final newline") {
    auto r = read_all("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",z");
    REQUIRE(r.size() == 3);
    CHECK(r[0].fields == Fields{"a", "b", "c"});
    CHECK(r[1].fields == Fields{"1", "x, y", "say \"hi\""});
    CHECK(r[2].fields == Fields{"2", "two\nlines", "z"});
    CHECK(r[1].line == 2);
    CHECK(r[2].line == 3);
    CHECK(r[2].end_line == 4);
    CHECK(r[1].raw == "1,\"x, y\",\"say \"\"hi\"\"\"");
    for (const auto& rec : r) {
        CHECK(rec.error.empty());
    }
}

TEST_CASE("CR-only line ends (old Mac exports) count lines") {
    auto r = read_all("a,b\r1,2\r3,4\r");
    REQUIRE(r.size() == 3);
    CHECK(r[2].fields == Fields{"3", "4"});
    CHECK(r[2].line == 3);
}

TEST_CASE("blank lines are records with one empty field") {
    auto r = read_all("\n\n");
    REQUIRE(r.size() == 2);
    CHECK(r[0].fields == Fields{""});
}

TEST_CASE("delimiter sniffing: comma, semicolon, tab; full-width commas are text") {
    CHECK(csv::sniff_delimiter("a;b;c\n1;2;3\n") == ';');
    CHECK(csv::sniff_delimiter("a\tb\tc\n1\t2\t3\n") == '\t');
    CHECK(csv::sniff_delimiter("a,b\n\"x;y;z\",2\n") == ',');
    auto r = read_all("名字，留言,内容\n张伟，你好,\"＂引号＂\"\n");
    REQUIRE(r.size() == 2);
    CHECK(r[1].fields == Fields{"张伟，你好", "＂引号＂"});
}

TEST_CASE("spaces before an opening quote are dropped; spaces elsewhere kept") {
    auto r = read_all("a, \"b, c\",  d \n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].fields == Fields{"a", "b, c", "  d "});
}

TEST_CASE("malformed records say where, and reading goes on at the next line") {
    auto r = read_all("a,b\n1,bad \"quote\" here\n2,\"closed\" junk\n3,ok\n4,\"never closed\n5,x\n");
    REQUIRE(r.size() == 5);
    CHECK(r[1].error.find("a quote inside an unquoted field (line 2") != std::string::npos);
    CHECK(r[2].error.find("text after a closing quote (line 3") != std::string::npos);
    CHECK(r[3].error.empty());
    CHECK(r[3].fields == Fields{"3", "ok"});
    CHECK(r[4].error.find("quote opened on line 5 is never closed") != std::string::npos);
}

TEST_CASE("an overlong record is malformed but does not stop the reader") {
    std::string big = "a,b\n1," + std::string(3000, 'x') + "\n2,y\n";
    auto r = read_all(big, ',', 1024);
    REQUIRE(r.size() == 3);
    CHECK(r[1].error.find("record longer than") != std::string::npos);
    CHECK(r[1].raw.size() <= 1024);
    CHECK(r[1].raw_truncated);
    CHECK(r[2].fields == Fields{"2", "y"});
}

TEST_CASE("records larger than the read chunk are read whole") {
    std::string text(3 << 20, 'z');
    std::string data = "a,b\n1,\"" + text + "\"\n2,\"q\"\n";
    auto r = read_all(data);
    REQUIRE(r.size() == 3);
    CHECK(r[1].fields[1].size() == text.size());
    CHECK(r[1].raw.size() == text.size() + 4);
    CHECK(r[2].fields == Fields{"2", "q"});
}

namespace {
// The fields of every record of UTF-16LE `data`, and how many code units did not transcode.
std::vector<Fields> read_utf16(std::string_view data, size_t& bad_units) {
    csv::MemorySource mem(data);
    csv::TranscodingSource t(mem, "UTF-16LE");
    csv::Reader reader(t, {});
    std::vector<Fields> out;
    csv::Record rec;
    while (reader.next(rec)) {
        out.push_back(rec.fields);
    }
    bad_units = t.bad_units();
    return out;
}
}  // namespace

TEST_CASE("UTF-16 is transcoded before reading") {
    // "a,b\n退,x\n", 退 = U+9000
    size_t bad = 0;
    auto r = read_utf16(std::string_view("a\0,\0b\0\n\0\x00\x90,\0x\0\n\0", 16), bad);
    CHECK(r == std::vector<Fields>{{"a", "b"}, {"\xE9\x80\x80", "x"}});
    CHECK(bad == 0);
}

TEST_CASE("a code unit that does not transcode becomes 0xFF, and what follows reads in step") {
    // "a,b\n" then "x" + a lone high surrogate (D800) + "y,z\n" in UTF-16LE.
    size_t bad = 0;
    auto r = read_utf16(std::string_view("a\0,\0b\0\n\0x\0\x00\xD8y\0,\0z\0\n\0", 20), bad);
    CHECK(r == std::vector<Fields>{{"a", "b"}, {"x\xFFy", "z"}});
    CHECK(bad == 1);
}

namespace {
// Hands out its data a few bytes at a time, so that every record crosses read boundaries.
class TrickleSource : public csv::Source {
public:
    explicit TrickleSource(std::string_view d) : m_data(d) {}
    size_t read(char* buf, size_t capacity) override {
        size_t n = std::min({capacity, m_data.size() - m_pos, size_t{1} + (m_pos * 7) % 3});
        std::memcpy(buf, m_data.data() + m_pos, n);
        m_pos += n;
        return n;
    }

private:
    std::string_view m_data;
    size_t m_pos = 0;
};
}  // namespace

TEST_CASE("read boundaries anywhere inside a record change nothing") {
    std::string data =
        "id,名字,留言\r\n1,张伟,\"退款\"\"快\"\"点，\n谢谢\"\r\n2,李娜,没收到货 where is it\r\n3, \"a,b\" ,x\n4,e,\"\"\n";
    auto expected = read_all(data, ',');
    TrickleSource src(data);
    csv::Options opt;
    opt.delimiter = ',';
    csv::Reader r(src, opt);
    csv::Record rec;
    size_t i = 0;
    while (r.next(rec)) {
        REQUIRE(i < expected.size());
        CHECK(rec.fields == expected[i].fields);
        CHECK(rec.raw == expected[i].raw);
        CHECK(rec.line == expected[i].line);
        CHECK(rec.error == expected[i].error);
        ++i;
    }
    CHECK(i == expected.size());
    CHECK(expected[1].fields[2] == "退款\"快\"点，\n谢谢");
}
