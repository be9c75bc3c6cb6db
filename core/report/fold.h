#pragma once
// Reading many rows fast: a query hands every row it selects to C++ through an aggregate
// function, kefu_fold(…), so that SQLite runs the whole scan inside one sqlite3_step. That
// leaves out what reading rows one by one costs per row (a result row, a call per column and
// the connection's lock around each call), about a third of the time of a scan of an index.

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace kefu::report {

// The arguments of one call of kefu_fold: the values of one row, by position.
class FoldRow {
public:
    explicit FoldRow(sqlite3_value** values) : m_values(values) {}
    bool null(int i) const { return sqlite3_value_type(m_values[i]) == SQLITE_NULL; }
    int64_t integer(int i) const { return sqlite3_value_int64(m_values[i]); }
    double real(int i) const { return sqlite3_value_double(m_values[i]); }
    // Valid until the callback returns.
    std::string_view text(int i) const;

private:
    sqlite3_value** m_values;
};

// Runs `sql`, a query whose one result column is kefu_fold(…) over the rows it selects, with
// `params` bound to ?1, ?2, …: `each` is called with the arguments of every row, in the order
// in which SQLite reads them. Returns the number of rows. An exception thrown by `each` stops
// the query and is thrown again from here. The function exists on the connection only while
// the query runs.
int64_t fold(SQLite::Database& db, const std::string& sql, std::initializer_list<int64_t> params,
             const std::function<void(const FoldRow&)>& each);

}  // namespace kefu::report
