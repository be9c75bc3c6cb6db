#pragma once
// The full-text tokenizer "kefu" for SQLite FTS5, and the query builder that goes with it.
//
// Tokens: runs of letters and digits (Latin, Cyrillic, …) become one case-folded NFKC word
// each; runs of CJK characters become their overlapping bigrams followed by the run's last
// character alone. So "我要退款" indexes 我要 要退 退款 款, and every substring of two or more
// CJK characters is an FTS5 phrase of consecutive bigrams, while one character is found as a
// prefix. The index and build_match_query() must change together.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace kefu::fts {

// Registers the tokenizer on a connection; every connection that touches inquiry_fts needs it.
void register_tokenizer(sqlite3* db);

struct Token {
    std::string text;
    size_t begin = 0;  // byte offsets in the input
    size_t end = 0;
    bool run_final = false;  // the single trailing character of a CJK run
    size_t run_length = 0;   // for CJK tokens: characters in the run
};

// The tokens of `text`. In query mode, a CJK run of two or more characters that ends the text
// has no trailing single character: the text may continue that run in a document, where the
// single character is not there.
std::vector<Token> tokenize(std::string_view text, bool query_mode = false);

// The document-mode tokens of a text, computed ahead of inserting it (on another thread).
struct Pretokenized {
    std::string text;  // the text they were made from
    std::string blob;  // the tokens' bytes, one after another
    struct Span {
        uint32_t offset, length, begin, end;
    };
    std::vector<Span> tokens;
    const Pretokenized* next = nullptr;  // another text of the same insert
};
void pretokenize(std::string_view text, Pretokenized& out);

// Makes the tokenizer of this thread take tokens from `p` (a chain) for a text equal to one
// of theirs, instead of tokenizing it again; nullptr to stop. The caller keeps `p` alive until
// the insert is done.
void use_pretokenized(const Pretokenized* p);

// Turns what a user typed into an FTS5 MATCH expression: every white-space separated term must
// occur (AND), each as the phrase of its tokens. Quotes are not needed and are taken as text.
// Returns "" when the query has no searchable characters.
std::string build_match_query(std::string_view user_query);

}  // namespace kefu::fts
