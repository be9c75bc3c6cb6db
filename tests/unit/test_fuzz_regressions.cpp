// Replays the inputs that once made a fuzz target fail (tests/corpora/fuzz-regressions/
// <target>/<file>) through the same code as the target (fuzz/harness.h), plus a few hostile
// inputs written by hand: each must be answered with a kefu::Error or parsed, never a crash,
// another exception or a broken promise of the parser.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#define KEFU_FUZZ_FAIL(message) throw std::logic_error(message)
#include "fuzz/harness.h"

namespace {

using Harness = std::function<void(std::string_view)>;

const std::map<std::string, Harness>& harnesses() {
    static const std::map<std::string, Harness> all = {
        {"csv", kefu_fuzz::run_csv},
        {"mail_message", kefu_fuzz::run_mail_message},
        {"mbox", kefu_fuzz::run_mbox},
        {"rules", kefu_fuzz::run_rules},
        {"templates", kefu_fuzz::run_templates},
        {"time", kefu_fuzz::run_time},
        {"config", kefu_fuzz::run_config},
    };
    return all;
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("fuzz regressions: every checked-in input replays without a crash") {
    namespace fs = std::filesystem;
    fs::path root = fs::path(KEFU_SOURCE_DIR) / "tests/corpora/fuzz-regressions";
    REQUIRE(fs::is_directory(root));
    size_t replayed = 0;
    for (const fs::directory_entry& dir : fs::directory_iterator(root)) {
        if (!dir.is_directory()) {
            continue;
        }
        std::string target = dir.path().filename().string();
        auto h = harnesses().find(target);
        INFO("folder " << target << " names no fuzz target");
        REQUIRE(h != harnesses().end());
        for (const fs::directory_entry& file : fs::directory_iterator(dir.path())) {
            if (!file.is_regular_file() || file.path().filename().string().starts_with(".")) {
                continue;
            }
            INFO("input " << file.path().string());
            std::string data = slurp(file.path());
            CHECK_NOTHROW(h->second(data));
            ++replayed;
        }
    }
    CHECK(replayed > 0);
}

TEST_CASE("fuzz harnesses: hostile inputs written by hand") {
    std::string deep = "From: a@b\nMIME-Version: 1.0\n";
    for (int i = 0; i < 2000; ++i) {
        deep += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" +
                std::to_string(i) + "\n";
    }
    deep += "Content-Type: text/plain\n\ndeep\n";
    CHECK_NOTHROW(kefu_fuzz::run_mail_message(deep));
    CHECK_NOTHROW(kefu_fuzz::run_mbox("From a@b Sat Nov  1 10:00:00 2026\n" + deep));
    CHECK_NOTHROW(kefu_fuzz::run_mail_message(std::string("\0\0\0", 3)));
    CHECK_NOTHROW(kefu_fuzz::run_time("99999999999999999999d\n9223372036854775807w\n-1d\n2x\n\n"
                                      "2026-13-01\n25:00\n99999999-01-01 10:00\n"
                                      "9999999999999999999\n1d 1d 1d 1d\ntomorrow 99:99\n"));
    CHECK_NOTHROW(kefu_fuzz::run_csv("\xff\xfe" "a\0,\0b\0\n\0\xd8"));
    CHECK_NOTHROW(kefu_fuzz::run_csv("time,message\n99999999999999999999,x\n\"open"));
    CHECK_NOTHROW(kefu_fuzz::run_rules("[[rule]]\nid = \"r\"\ncategory = \"refund\"\n"
                                       "regex = [\"(?P<order_id>\\\\d{6,})\", \"((((\"]\n"));
    CHECK_NOTHROW(kefu_fuzz::run_rules("[[rule]]\nid = \"r\"\ncategory = \"refund\"\n"
                                       "regex = [\"(?P<order_id>a*)*\"]\nweight = 1e308\n"));
    CHECK_NOTHROW(kefu_fuzz::run_templates("{{{{{}}}}} {customer|{shop}} {|} {a|b|c} }{"));
    CHECK_NOTHROW(kefu_fuzz::run_config("[priority]\nanger = 1e308\nurgency = -1e308\n"
                                        "[priority.levels]\nurgent = nan\n"));
    CHECK_NOTHROW(kefu_fuzz::run_config("[sla]\nfirst_response = \"99999999999999999999w\"\n"));
}
