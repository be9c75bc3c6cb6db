// kefu_fold (core/report/fold.h): rows handed to C++ inside a scan, errors carried back.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/report/fold.h"

using namespace kefu;

namespace {

// A table of five rows: (1, 'a', 0.5), (2, NULL, 1.5), …, ids 1 to 5.
SQLite::Database sample() {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, x REAL)");
    db.exec(
        "INSERT INTO t VALUES (1, 'a', 0.5), (2, NULL, 1.5), (3, 'ccc', 2.5), (4, '', 3.5), "
        "(5, '红包', 4.5)");
    return db;
}

}  // namespace

TEST_CASE("report fold: every selected row, its values by position, bound parameters") {
    SQLite::Database db = sample();
    std::vector<int64_t> ids;
    std::vector<std::string> names;
    std::vector<bool> nulls;
    double sum = 0;
    int64_t rows =
        report::fold(db, "SELECT kefu_fold(id, name, x) FROM t WHERE id BETWEEN ?1 AND ?2", {2, 5},
                     [&](const report::FoldRow& row) {
                         ids.push_back(row.integer(0));
                         nulls.push_back(row.null(1));
                         names.emplace_back(row.text(1));
                         sum += row.real(2);
                     });
    CHECK(rows == 4);
    CHECK(ids == std::vector<int64_t>{2, 3, 4, 5});
    CHECK(nulls == std::vector<bool>{true, false, false, false});
    CHECK(names == std::vector<std::string>{"", "ccc", "", "红包"});
    CHECK(sum == doctest::Approx(12.0));

    // No row selected: the callback is never called.
    int calls = 0;
    CHECK(report::fold(db, "SELECT kefu_fold(id) FROM t WHERE id > ?1", {99},
                       [&](const report::FoldRow&) { ++calls; }) == 0);
    CHECK(calls == 0);
}

TEST_CASE("report fold: an exception from the callback stops the scan and is thrown again") {
    SQLite::Database db = sample();
    int calls = 0;
    auto failing = [&](const report::FoldRow& row) {
        ++calls;
        if (row.integer(0) == 2) {
            throw std::runtime_error("row 2 is bad");
        }
    };
    CHECK_THROWS_WITH_AS(report::fold(db, "SELECT kefu_fold(id) FROM t", {}, failing),
                         "row 2 is bad", std::runtime_error);
    CHECK(calls == 2);  // stopped at the row that failed

    // The function exists only while fold runs; the connection is usable afterwards.
    CHECK_THROWS_AS(db.exec("SELECT kefu_fold(id) FROM t"), SQLite::Exception);
    CHECK(db.execAndGet("SELECT count(*) FROM t").getInt() == 5);
    CHECK(report::fold(db, "SELECT kefu_fold(id) FROM t", {}, [](const report::FoldRow&) {}) == 5);
}

TEST_CASE("report fold: an SQL error is an SQLite exception") {
    SQLite::Database db = sample();
    CHECK_THROWS_AS(
        report::fold(db, "SELECT kefu_fold(nope) FROM t", {}, [](const report::FoldRow&) {}),
        SQLite::Exception);
}
