// Chinese charsets in real mail: the erofs list's GB2312/GBK/GB18030 messages (mislabelled
// ones included), two spam messages with lying labels, and CPython's CJK decode oracles.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/mail/charset.h"
#include "core/mail/message.h"
#include "core/text.h"
#include "tests/corpora/corpora.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

bool has_replacement(std::string_view s) {
    return s.find(k_replacement) != std::string_view::npos;
}

// White space runs as one space, trimmed: CPython and kefu unfold headers differently.
std::string squeeze(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
        }
        space = false;
        out += c;
    }
    return out;
}

std::string base64(std::string_view in) {
    static constexpr char k_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < in.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        v |= i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) << 8 : 0;
        v |= i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0;
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? k_alphabet[(v >> 6) & 63] : '=';
        out += i + 2 < in.size() ? k_alphabet[v & 63] : '=';
        if ((i / 3) % 19 == 18) {
            out += '\n';
        }
    }
    return out + "\n";
}

}  // namespace

TEST_CASE("mail corpora: every erofs-list GB message decodes without U+FFFD") {
    fs::path root = kefu_test::corpora_dir() / "zh-gbk-real-emails-erofs-list";
    json reference = json::parse(kefu_test::read_file(root / "reference_parse.cpython.json"));
    std::map<std::string, const json*> by_file;
    for (const json& r : reference["messages"]) {
        by_file[r["file"].get<std::string>()] = &r;
    }
    size_t files = 0;
    size_t subjects_compared = 0;
    size_t subjects_agree = 0;
    size_t python_replacements = 0;
    size_t bodies_compared = 0;
    size_t bodies_agree = 0;
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(root / "eml")) {
        paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path& p : paths) {
        std::string name = "eml/" + p.filename().string();
        kefu::mail::Message m = kefu::mail::parse_message(kefu_test::read_file(p), name);
        ++files;
        CHECK_MESSAGE(!has_replacement(m.subject), name << ": " << m.subject);
        CHECK_MESSAGE(!has_replacement(m.body_full), name);
        CHECK_MESSAGE(!has_replacement(m.from_name), name << ": " << m.from_name);
        CHECK_MESSAGE(!m.had_replacement, name);
        CHECK_MESSAGE(kefu::text::valid_utf8(m.body_full), name);
        auto it = by_file.find(name);
        REQUIRE_MESSAGE(it != by_file.end(), name);
        std::string python = (*it->second)["headers_decoded"].value("Subject", "");
        if (has_replacement(python)) {
            ++python_replacements;  // CPython reads gb2312 strictly; kefu must not
            continue;
        }
        ++subjects_compared;
        if (squeeze(python) == squeeze(m.subject)) {
            ++subjects_agree;
        } else {
            std::printf("  erofs subject differs from CPython in %s: \"%s\" vs \"%s\"\n",
                        name.c_str(), m.subject.c_str(), python.c_str());
        }
        // The first 200 characters of CPython's text/plain body, where it decoded them.
        const json& ref = *it->second;
        std::string head = ref.value("body_pref_head", "");
        if (ref.value("body_pref_type", "") == "text/plain" && !head.empty() &&
            !has_replacement(head)) {
            ++bodies_compared;
            if (squeeze(m.body_full).starts_with(squeeze(head))) {
                ++bodies_agree;
            } else {
                std::printf("  erofs body differs from CPython in %s\n", name.c_str());
            }
        }
    }
    std::printf(
        "mail corpora: erofs list: %zu messages, none with U+FFFD; subjects agree with "
        "CPython on %zu of %zu (CPython had U+FFFD in %zu more), body starts on %zu of "
        "%zu\n",
        files, subjects_agree, subjects_compared, python_replacements, bodies_agree,
        bodies_compared);
    CHECK(files == 101);
    CHECK(subjects_agree == subjects_compared);
    CHECK(bodies_compared >= 90);
    CHECK(bodies_agree * 100 >= bodies_compared * 95);
}

TEST_CASE("mail corpora: erofs-list edge cases of its README") {
    fs::path dir = kefu_test::corpora_dir() / "zh-gbk-real-emails-erofs-list/eml";
    auto parse = [&](std::string_view prefix) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().filename().string().starts_with(prefix)) {
                return kefu::mail::parse_message(kefu_test::read_file(e.path()),
                                                 e.path().filename().string());
            }
        }
        FAIL("no file " << prefix);
        return kefu::mail::Message{};
    };
    auto cjk_count = [](std::string_view s) {
        size_t n = 0;
        for (size_t i = 0; i < s.size();) {
            n += kefu::text::is_han(kefu::text::next_code_point(s, i)) ? 1 : 0;
        }
        return n;
    };
    auto has_note = [](const kefu::mail::Message& m, std::string_view text) {
        return std::any_of(m.notes.begin(), m.notes.end(),
                           [&](const std::string& n) { return n.find(text) != std::string::npos; });
    };
    // gb2312-labelled body and encoded-word that need GBK.
    kefu::mail::Message gbk = parse("1d8072ba01");
    CHECK(has_note(gbk, "gb2312 read as GB18030"));
    CHECK(cjk_count(gbk.body_full) > 0);
    CHECK(cjk_count(gbk.subject + gbk.from_name + gbk.to) > 0);
    // Bodies that need GB18030 (not valid GBK): four-byte sequences 81 30 84 32 (U+00A0
    // NO-BREAK SPACE) or 81 30 89 38 (U+00DF, ß).
    for (const char* id : {"2dc99aa121", "8b97aa3be2", "b39980160f", "b3d2655e0a", "c1a2d1b1b3"}) {
        kefu::mail::Message m = parse(id);
        CHECK_MESSAGE((m.body_full.find("\xC2\xA0") != std::string::npos ||
                       m.body_full.find("\xC3\x9F") != std::string::npos),
                      id);
        CHECK_MESSAGE(!m.had_replacement, id);
    }
    // GBK text into which a program had written the bytes of U+FFFD ("锟斤拷" when read as the
    // label says): read as GBK, with a note, rather than as the UTF-8 it happens to be.
    for (const char* id : {"c8d2b751ed", "d3af54de81"}) {
        kefu::mail::Message m = parse(id);
        CHECK_MESSAGE(has_note(m, "already held replacement characters"), id);
        CHECK_MESSAGE(m.body_full.find("锟斤拷") != std::string::npos, id);
    }
    // The characters that survived are Chinese again ("时" of 发送时间; as UTF-8 it was "ʱ").
    CHECK(parse("d3af54de81").body_full.find("时") != std::string::npos);
    // A GBK-labelled body that is UTF-8.
    kefu::mail::Message utf8 = parse("5671c91dcb");
    CHECK(has_note(utf8, "read as UTF-8"));
    CHECK_FALSE(utf8.had_replacement);
}

TEST_CASE("mail corpora: spamscope messages with lying GB2312 labels") {
    fs::path dir = kefu_test::corpora_dir() / "spamscope-mail-parser/tests/mails";
    // mail_test_9: gb2312-labelled subject with a GBK-only character (U+5C44).
    kefu::mail::Message m9 =
        kefu::mail::parse_message(kefu_test::read_file(dir / "mail_test_9"), "mail_test_9");
    CHECK(m9.subject.starts_with("我把镜头拉近些，你们看看这个是什么"));
    CHECK(m9.subject.find("\xE5\xB1\x84") != std::string::npos);
    CHECK(m9.subject.ends_with("种场合自然少不了内射"));
    CHECK_FALSE(has_replacement(m9.subject));
    CHECK_FALSE(m9.had_replacement);
    // mail_test_12: a GB2312 label on a UTF-8 body.
    kefu::mail::Message m12 =
        kefu::mail::parse_message(kefu_test::read_file(dir / "mail_test_12"), "mail_test_12");
    CHECK(m12.subject == "代开各地增值税发票");
    CHECK(m12.body_full.starts_with("你好！我公司可代开各类增值税发票，17%专用发票"));
    CHECK_FALSE(m12.had_replacement);
}

TEST_CASE("mail corpora: CJK encoding pairs decode byte for byte") {
    fs::path dir = kefu_test::corpora_dir() / "cjk-encoding-pairs/Lib/test/cjkencodings";
    const std::pair<const char*, const char*> pairs[] = {{"gb2312", "gb2312"},
                                                         {"gbk", "gbk"},
                                                         {"gb18030", "gb18030"},
                                                         {"hz", "hz-gb-2312"},
                                                         {"big5", "big5"}};
    for (const auto& [file, label] : pairs) {
        INFO(file);
        std::string bytes = kefu_test::read_file(dir / (std::string(file) + ".txt"));
        std::string expected = kefu_test::read_file(dir / (std::string(file) + "-utf8.txt"));
        REQUIRE_FALSE(expected.empty());
        // The charset layer alone.
        kefu::mail::Decoded d = kefu::mail::decode_charset(bytes, label);
        CHECK(d.text == expected);
        CHECK_FALSE(d.replaced);
        // As the body of a message, 8-bit and base64. kefu stores bodies without trailing
        // white space, so the twin is compared the same way.
        std::string want = expected;
        while (!want.empty() && (want.back() == '\n' || want.back() == ' ')) {
            want.pop_back();
        }
        std::string header =
            "Subject: pair\nContent-Type: text/plain; charset=" + std::string(label) +
            "\nContent-Transfer-Encoding: ";
        kefu::mail::Message eight = kefu::mail::parse_message(header + "8bit\n\n" + bytes, file);
        CHECK(eight.body_full == want);
        kefu::mail::Message b64 =
            kefu::mail::parse_message(header + "base64\n\n" + base64(bytes), file);
        CHECK(b64.body_full == want);
        CHECK_FALSE(b64.had_replacement);
    }
}
