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
    std::vector<Token>& out;
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
            out.push_back({word, word_begin, word_end, false, 0});
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
            out.push_back({tok, run[k].begin, run[k + 1].end, false, run.size()});
        }
        tok.clear();
        text::append_utf8(tok, run.back().cp);
        out.push_back({tok, run.back().begin, run.back().end, true, run.size()});
        run.clear();
    }
};

}  // namespace

std::vector<Token> tokenize(std::string_view s, bool query_mode) {
    std::vector<Token> tokens;
    TokenSink sink{tokens, {}, 0, 0, {}};
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
    if (query_mode && !tokens.empty() && tokens.back().run_final && tokens.back().run_length >= 2) {
        tokens.pop_back();
    }
    return tokens;
}

std::string build_match_query(std::string_view user_query) {
    // Each white-space separated term becomes one quoted FTS5 string, which FTS5 tokenizes
    // with this tokenizer in query mode. A term ending in a lone CJK character is a prefix
    // query, so that the character is found inside a longer run too.
    std::string out;
    size_t i = 0;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (i < user_query.size()) {
        while (i < user_query.size() && space(user_query[i])) {
            ++i;
        }
        size_t start = i;
        while (i < user_query.size() && !space(user_query[i])) {
            ++i;
        }
        std::string_view term = user_query.substr(start, i - start);
        std::vector<Token> tokens = tokenize(term, true);
        if (tokens.empty()) {
            continue;
        }
        if (!out.empty()) {
            out += " AND ";
        }
        out += '"';
        for (char ch : term) {
            out += ch;
            if (ch == '"') {
                out += '"';
            }
        }
        out += '"';
        if (tokens.back().run_final) {
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

int xTokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int n,
              int (*x_token)(void*, int, const char*, int, int, int)) {
    std::string_view s(text, static_cast<size_t>(n));
    bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    for (const Token& t : tokenize(s, query)) {
        int rc = x_token(ctx, 0, t.text.data(), static_cast<int>(t.text.size()), static_cast<int>(t.begin),
                         static_cast<int>(t.end));
        if (rc != SQLITE_OK) {
            return rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
    return SQLITE_OK;
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
