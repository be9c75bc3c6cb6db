#include "core/report/fold.h"

#include <exception>

namespace kefu::report {
namespace {

constexpr const char* k_name = "kefu_fold";

struct FoldState {
    const std::function<void(const FoldRow&)>* each = nullptr;
    std::exception_ptr failure;
    int64_t rows = 0;
};

void fold_step(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
    auto* state = static_cast<FoldState*>(sqlite3_user_data(ctx));
    if (state->failure) {
        return;
    }
    try {
        (*state->each)(FoldRow(argv));
        ++state->rows;
    } catch (...) {
        // SQLite is C: nothing may be thrown through it. The error ends the query.
        state->failure = std::current_exception();
        sqlite3_result_error(ctx, "kefu_fold: the row callback failed", -1);
    }
}

void fold_final(sqlite3_context* ctx) {
    sqlite3_result_int64(ctx, static_cast<FoldState*>(sqlite3_user_data(ctx))->rows);
}

// Registers kefu_fold on a connection for as long as it lives. The function is direct-only,
// so that no view or trigger of the file can call it.
class Registration {
public:
    Registration(sqlite3* db, FoldState* state) : m_db(db) {
        int rc = sqlite3_create_function_v2(db, k_name, -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, state,
                                            nullptr, fold_step, fold_final, nullptr);
        if (rc != SQLITE_OK) {
            throw SQLite::Exception(db, rc);
        }
    }
    ~Registration() {
        sqlite3_create_function_v2(m_db, k_name, -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, nullptr,
                                   nullptr, nullptr, nullptr, nullptr);
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

private:
    sqlite3* m_db;
};

}  // namespace

std::string_view FoldRow::text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(m_values[i]));
    if (p == nullptr) {
        return {};
    }
    return {p, static_cast<size_t>(sqlite3_value_bytes(m_values[i]))};
}

int64_t fold(SQLite::Database& db, const std::string& sql, std::initializer_list<int64_t> params,
             const std::function<void(const FoldRow&)>& each) {
    FoldState state;
    state.each = &each;
    Registration registration(db.getHandle(), &state);
    try {
        // The statement is finalized before the function is removed (SQLite refuses to
        // remove a function that a running statement uses).
        SQLite::Statement q(db, sql);
        int i = 1;
        for (int64_t p : params) {
            q.bind(i++, p);
        }
        q.executeStep();
    } catch (const SQLite::Exception&) {
        if (state.failure) {
            std::rethrow_exception(state.failure);
        }
        throw;
    }
    if (state.failure) {
        std::rethrow_exception(state.failure);
    }
    return state.rows;
}

}  // namespace kefu::report
