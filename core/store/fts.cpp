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

// Writes `cp` as UTF-8 into `out` (room for 4 bytes) and returns the length.
size_t encode(char32_t cp, char* out) {
    if (cp < 0x80) {
        out[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = static_cast<char>(0xC0 | (cp >> 6));
        out[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (cp >> 12));
        out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
}

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

// Splits `s` into tokens and calls emit(text, len, begin, end, run_final, run_length) for
// each, without allocating in the common case (ASCII words, Han characters).
template <typename Emit>
void scan_tokens(std::string_view s, Emit&& emit) {
    thread_local std::u32string folded;
    struct CjkChar {
        char32_t cp;
        uint32_t begin, end;
    };
    thread_local std::vector<CjkChar> run;
    run.clear();
    char word[k_max_token_bytes + 8];
    size_t word_len = 0;
    size_t word_begin = 0;
    size_t word_end = 0;
    auto flush_word = [&] {
        if (word_len > 0) {
            emit(word, word_len, word_begin, word_end, false, size_t{0});
            word_len = 0;
        }
    };
    auto flush_run = [&] {
        if (run.empty()) {
            return;
        }
        char tok[16];
        for (size_t k = 0; k + 1 < run.size(); ++k) {
            size_t n = encode(run[k].cp, tok);
            n += encode(run[k + 1].cp, tok + n);
            emit(tok, n, size_t{run[k].begin}, size_t{run[k + 1].end}, false, run.size());
        }
        size_t n = encode(run.back().cp, tok);
        emit(tok, n, size_t{run.back().begin}, size_t{run.back().end}, true, run.size());
        run.clear();
    };
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            // ASCII: letters and digits make words, everything else separates.
            char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            bool alnum = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
            if (alnum) {
                if (!run.empty()) {
                    flush_run();
                }
                if (word_len == 0) {
                    word_begin = i;
                }
                if (word_len < k_max_token_bytes) {
                    word[word_len++] = lower;
                }
                word_end = i + 1;
            } else {
                flush_word();
                flush_run();
            }
            ++i;
            continue;
        }
        size_t begin = i;
        char32_t cp = text::next_code_point(s, i);
        Kind kind = Kind::Cjk;
        if (text::is_han(cp)) {
            folded.assign(1, cp);
        } else {
            kind = fold_code_point(cp, folded);
        }
        if (kind == Kind::Word) {
            flush_run();
            if (word_len == 0) {
                word_begin = begin;
            }
            for (char32_t f : folded) {
                if (word_len + 4 <= k_max_token_bytes) {
                    word_len += encode(f, word + word_len);
                }
            }
            word_end = i;
        } else if (kind == Kind::Cjk) {
            flush_word();
            for (char32_t f : folded) {
                run.push_back({f, static_cast<uint32_t>(begin), static_cast<uint32_t>(i)});
            }
        } else {
            flush_word();
            flush_run();
        }
    }
    flush_word();
    flush_run();
}

// Tokens computed ahead of an insert (on another thread), handed to the tokenizer for the
// text they were made from. Checked against the text itself, so a stale entry is never used.
thread_local const Pretokenized* t_pretokenized = nullptr;

}  // namespace

std::vector<Token> tokenize(std::string_view s, bool query_mode) {
    std::vector<Token> tokens;
    scan_tokens(s, [&](const char* t, size_t n, size_t b, size_t e, bool fin, size_t len) {
        tokens.push_back({std::string(t, n), b, e, fin, len});
    });
    if (query_mode && !tokens.empty() && tokens.back().run_final && tokens.back().run_length >= 2) {
        tokens.pop_back();
    }
    return tokens;
}

void pretokenize(std::string_view text, Pretokenized& out) {
    out.text.assign(text);
    out.blob.clear();
    out.tokens.clear();
    scan_tokens(text, [&](const char* t, size_t n, size_t b, size_t e, bool, size_t) {
        out.tokens.push_back({static_cast<uint32_t>(out.blob.size()), static_cast<uint32_t>(n),
                              static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
        out.blob.append(t, n);
    });
}

void use_pretokenized(const Pretokenized* p) { t_pretokenized = p; }

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
    if ((flags & FTS5_TOKENIZE_QUERY) != 0) {
        for (const Token& t : tokenize(s, true)) {
            int rc = x_token(ctx, 0, t.text.data(), static_cast<int>(t.text.size()),
                             static_cast<int>(t.begin), static_cast<int>(t.end));
            if (rc != SQLITE_OK) {
                return rc == SQLITE_DONE ? SQLITE_OK : rc;
            }
        }
        return SQLITE_OK;
    }
    for (const Pretokenized* p = t_pretokenized; p != nullptr; p = p->next) {
        if (p->text.size() == s.size() && p->text == s) {
            for (const auto& t : p->tokens) {
                int rc = x_token(ctx, 0, p->blob.data() + t.offset, static_cast<int>(t.length),
                                 static_cast<int>(t.begin), static_cast<int>(t.end));
                if (rc != SQLITE_OK) {
                    return rc == SQLITE_DONE ? SQLITE_OK : rc;
                }
            }
            return SQLITE_OK;
        }
    }
    int rc = SQLITE_OK;
    scan_tokens(s, [&](const char* t, size_t len, size_t b, size_t e, bool, size_t) {
        if (rc == SQLITE_OK) {
            rc = x_token(ctx, 0, t, static_cast<int>(len), static_cast<int>(b), static_cast<int>(e));
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
