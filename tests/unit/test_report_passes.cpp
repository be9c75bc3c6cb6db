// The counting helpers of the report's passes (core/report/passes.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/report/passes.h"

using namespace kefu;

TEST_CASE("report passes: a set of customer ids, dense and sparse") {
    report::CustomerSet a;
    CHECK(a.size() == 0);
    for (int64_t id : {5, 1, 5, 64, 63, 1000000}) {
        a.add(id);
    }
    // Ids SQLite would never hand out: far past the dense array, negative.
    a.add(int64_t{1} << 40);
    a.add(-3);
    a.add(-3);
    CHECK(a.size() == 7);

    report::CustomerSet b;
    b.add(5);
    b.add(2);
    b.add(int64_t{1} << 40);
    b.add(int64_t{1} << 41);
    a.merge(b);
    CHECK(a.size() == 9);
    std::vector<int64_t> ids;
    a.each([&](int64_t id) { ids.push_back(id); });
    std::sort(ids.begin(), ids.end());
    CHECK(ids ==
          std::vector<int64_t>{-3, 1, 2, 5, 63, 64, 1000000, int64_t{1} << 40, int64_t{1} << 41});

    // Merging into an empty set, and a set with a smaller dense array.
    report::CustomerSet c;
    c.merge(a);
    CHECK(c.size() == 9);
    report::CustomerSet d;
    d.add(1);
    d.merge(a);
    CHECK(d.size() == 9);
}

TEST_CASE("report passes: counts per customer id, dense and sparse") {
    report::CustomerCounts n;
    for (int64_t id : {3, 3, 3, 7, 0}) {
        n.add(id);
    }
    n.add(int64_t{1} << 40);
    n.add(int64_t{1} << 40);
    n.add(-1);
    CHECK(n.get(3) == 3);
    CHECK(n.get(7) == 1);
    CHECK(n.get(0) == 1);
    CHECK(n.get(4) == 0);
    CHECK(n.get(123456789) == 0);  // past the array
    CHECK(n.get(int64_t{1} << 40) == 2);
    CHECK(n.get(-1) == 1);
    CHECK(n.get(-2) == 0);
}

TEST_CASE("report passes: counts per name, many names met in an interleaved order") {
    report::NameCounts names;
    std::map<std::string, int64_t> expected;
    // 600 names, met again and again in an interleaved order.
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 600; ++i) {
            std::string name = "tpl_" + std::to_string(i);
            for (int k = 0; k <= i % 3; ++k) {
                names.add(name);
                ++expected[name];
            }
        }
    }
    names.add("");
    ++expected[""];
    names.add("淘宝");
    ++expected["淘宝"];
    auto got = names.by_name();
    CHECK(got.size() == expected.size());
    CHECK(std::equal(got.begin(), got.end(), expected.begin(), expected.end()));
}
