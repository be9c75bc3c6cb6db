// The multi-pattern keyword matcher (Aho–Corasick).
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/triage/matcher.h"

using kefu::triage::KeywordMatcher;

namespace {

std::set<std::string> found(const KeywordMatcher& m, std::string_view text) {
    std::set<std::string> out;
    m.scan(text, [&](uint32_t id) { out.insert(m.pattern(id)); });
    return out;
}

bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// What a matcher must find, the slow way: every pattern at every position.
std::set<std::string> brute_force(const std::vector<std::string>& patterns,
                                  const std::vector<std::pair<bool, bool>>& flags,
                                  std::string_view text) {
    std::set<std::string> out;
    for (size_t p = 0; p < patterns.size(); ++p) {
        const std::string& pat = patterns[p];
        for (size_t at = text.find(pat); at != std::string_view::npos;
             at = text.find(pat, at + 1)) {
            size_t end = at + pat.size();
            bool start_ok = !flags[p].first || at == 0 || !is_word(text[at - 1]);
            bool end_ok = !flags[p].second || end == text.size() || !is_word(text[end]);
            if (start_ok && end_ok) {
                out.insert(pat);
                break;
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("matcher: finds overlapping keywords, Chinese and English") {
    KeywordMatcher m;
    m.add("退款", false, false);
    m.add("不退款", false, false);
    m.add("款", false, false);
    m.add("refund", true, true);
    m.add("ship", true, false);
    m.build();
    CHECK(found(m, "我不退款") == std::set<std::string>{"退款", "不退款", "款"});
    CHECK(found(m, "refund please") == std::set<std::string>{"refund"});
    CHECK(found(m, "refunded") == std::set<std::string>{});          // word end required
    CHECK(found(m, "shipped it") == std::set<std::string>{"ship"});  // prefix allowed
    CHECK(found(m, "relationship") == std::set<std::string>{});      // word start required
    CHECK(found(m, "") == std::set<std::string>{});
}

TEST_CASE("matcher: the same pattern added twice has one id") {
    KeywordMatcher m;
    uint32_t a = m.add("app", true, true);
    uint32_t b = m.add("app", true, true);
    uint32_t c = m.add("app", true, false);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(m.size() == 2);
}

TEST_CASE("matcher: agrees with a brute-force search on random texts") {
    // Short and long texts: long ones are scanned as two halves at once.
    const std::vector<std::string> alphabet{"a", "b", "c", " ", "退", "款", "x1"};
    std::mt19937 rng(11);
    std::vector<std::string> patterns;
    std::vector<std::pair<bool, bool>> flags;
    KeywordMatcher m;
    for (int k = 0; k < 60; ++k) {
        std::string p;
        int len = 1 + static_cast<int>(rng() % 5);
        for (int j = 0; j < len; ++j) {
            p += alphabet[rng() % alphabet.size()];
        }
        if (p.front() == ' ' || p.back() == ' ') {
            continue;
        }
        bool start = is_word(p.front()) && rng() % 2 == 0;
        bool end = is_word(p.back()) && rng() % 2 == 0;
        if (m.add(p, start, end) == patterns.size()) {
            patterns.push_back(p);
            flags.emplace_back(start, end);
        }
    }
    m.build();
    for (int round = 0; round < 400; ++round) {
        std::string text;
        int len = static_cast<int>(rng() % (round % 2 == 0 ? 20 : 400));
        for (int j = 0; j < len; ++j) {
            text += alphabet[rng() % alphabet.size()];
        }
        CAPTURE(text);
        REQUIRE(found(m, text) == brute_force(patterns, flags, text));
    }
}
