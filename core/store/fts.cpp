#include "core/store/fts.h"

#include <sqlite3.h>
#include <utf8proc.h>

#include <stdexcept>
#include <vector>

#include "core/text.h"

namespace kefu::fts {
namespace {

constexpr size_t k_max_token_bytes = 128;

enum class Kind { Separator, Word, Cjk };

// Folds one code point (NFKC-compatible decomposition, case fold, marks stripped) into `out`
// and returns the kind of the result's first code point.
Kind fold_code_point(char32_t cp, std::u32string& out) {
    out.clear();
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            out.push_back(cp);
            return Kind::Word;
        }
        if (cp >= 'A' && cp <= 'Z') {
            out.push_back(cp - 'A' + 'a');
            return Kind::Word;
        }
        return Kind::Separator;
    }
    if (text::is_han(cp)) {
        out.push_back(cp);
        return Kind::Cjk;
    }
    utf8proc_int32_t buf[8];
    int last_boundclass = 0;
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                  UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                                  UTF8PROC_IGNORE);
    utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buf, 8, options,
                                                 &last_boundclass);
    if (n <= 0 || n > 8) {
        return Kind::Separator;
    }
    Kind kind = Kind::Separator;
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
        char32_t c = static_cast<char32_t>(buf[k]);
        Kind ck = Kind::Separator;
        if (text::is_cjk(c) && !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFF00 && c <= 0xFFEF)) {
            ck = Kind::Cjk;
        } else {
            utf8proc_category_t cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
            if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
                (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)) {
                ck = Kind::Word;
            }
        }
        if (k == 0) {
            kind = ck;
        }
        if (ck != Kind::Separator) {
            out.push_back(c);
        }
    }
    return out.empty() ? Kind::Separator : kind;
}

struct TokenSink {
    const std::function<void(std::string_view, size_t, size_t, bool)>& emit;
    std::string word;
    size_t word_begin = 0;
    size_t word_end = 0;
    struct CjkChar {
        char32_t cp;
        size_t begin, end;
    };
    std::vector<CjkChar> run;

    void flush_word() {
        if (!word.empty()) {
            emit(word, word_begin, word_end, false);
            word.clear();
        }
    }
    void flush_run() {
        if (run.empty()) {
            return;
        }
        std::string tok;
        for (size_t k = 0; k + 1 < run.size(); ++k) {
            tok.clear();
            text::append_utf8(tok, run[k].cp);
            text::append_utf8(tok, run[k + 1].cp);
            emit(tok, run[k].begin, run[k + 1].end, false);
        }
        tok.clear();
        text::append_utf8(tok, run.back().cp);
        emit(tok, run.back().begin, run.back().end, true);
        run.clear();
    }
};

}  // namespace

void tokenize(std::string_view s,
              const std::function<void(std::string_view, size_t, size_t, bool)>& emit) {
    TokenSink sink{emit, {}, 0, 0, {}};
    std::u32string folded;
    size_t i = 0;
    while (i < s.size()) {
        size_t begin = i;
        char32_t cp = text::next_code_point(s, i);
        Kind kind = fold_code_point(cp, folded);
        if (kind == Kind::Word) {
            sink.flush_run();
            if (sink.word.empty()) {
                sink.word_begin = begin;
            }
            if (sink.word.size() < k_max_token_bytes) {
                for (char32_t c : folded) {
                    text::append_utf8(sink.word, c);
                }
            }
            sink.word_end = i;
        } else if (kind == Kind::Cjk) {
            sink.flush_word();
            for (char32_t c : folded) {
                sink.run.push_back({c, begin, i});
            }
        } else {
            sink.flush_word();
            sink.flush_run();
        }
    }
    sink.flush_word();
    sink.flush_run();
}

std::string build_match_query(std::string_view user_query) {
    std::string out;
    size_t i = 0;
    while (i < user_query.size()) {
        while (i < user_query.size() && (user_query[i] == ' ' || user_query[i] == '\t' ||
                                         user_query[i] == '\n' || user_query[i] == '\r')) {
            ++i;
        }
        size_t start = i;
        while (i < user_query.size() && user_query[i] != ' ' && user_query[i] != '\t' &&
               user_query[i] != '\n' && user_query[i] != '\r') {
            ++i;
        }
        std::string_view term = user_query.substr(start, i - start);
        std::vector<std::string> tokens;
        std::vector<bool> finals;
        tokenize(term, [&](std::string_view tok, size_t, size_t, bool run_final) {
            tokens.emplace_back(tok);
            finals.push_back(run_final);
        });
        if (tokens.empty()) {
            continue;
        }
        // A term that is one CJK run of two or more characters is exactly its bigram phrase;
        // otherwise a trailing single character becomes a prefix, to match inside a longer run.
        bool prefix = false;
        bool pure_run = true;
        for (size_t k = 0; k + 1 < tokens.size(); ++k) {
            pure_run = pure_run && !finals[k] && text::display_width(tokens[k]) == 4;
        }
        if (finals.back() && tokens.size() >= 2 && pure_run) {
            tokens.pop_back();
        } else if (finals.back()) {
            prefix = true;
        }
        if (!out.empty()) {
            out += " AND ";
        }
        out += '"';
        for (size_t k = 0; k < tokens.size(); ++k) {
            if (k > 0) {
                out += ' ';
            }
            for (char ch : tokens[k]) {
                if (ch == '"') {
                    out += "\"\"";
                } else {
                    out += ch;
                }
            }
        }
        out += '"';
        if (prefix) {
            out += " *";
        }
    }
    return out;
}

namespace {

int xCreate(void*, const char**, int, Fts5Tokenizer** out) {
    static int k_dummy = 0;
    *out = reinterpret_cast<Fts5Tokenizer*>(&k_dummy);
    return SQLITE_OK;
}

void xDelete(Fts5Tokenizer*) {}

int xTokenize(Fts5Tokenizer*, void* ctx, int /*flags*/, const char* text, int n,
              int (*x_token)(void*, int, const char*, int, int, int)) {
    int rc = SQLITE_OK;
    std::string_view s(text, static_cast<size_t>(n));
    // The callback cannot stop tokenize() early; after an error the rest is skipped.
    tokenize(s, [&](std::string_view tok, size_t begin, size_t end, bool) {
        if (rc == SQLITE_OK) {
            rc = x_token(ctx, 0, tok.data(), static_cast<int>(tok.size()), static_cast<int>(begin),
                         static_cast<int>(end));
        }
    });
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

}  // namespace

void register_tokenizer(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
        throw std::runtime_error("this SQLite has no FTS5");
    }
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (api == nullptr) {
        throw std::runtime_error("this SQLite has no FTS5");
    }
    static fts5_tokenizer k_tokenizer{xCreate, xDelete, xTokenize};
    if (api->xCreateTokenizer(api, "kefu", nullptr, &k_tokenizer, nullptr) != SQLITE_OK) {
        throw std::runtime_error("cannot register the kefu tokenizer");
    }
}

}  // namespace kefu::fts
