#pragma once
// Text statistics of a template library, computed once when the library is built, so that
// ranking a query is a walk over the postings of its tokens (BM25) and not a pass over every
// template's text.
//
// Everything is kept in a few flat arrays of plain values (no string or vector per term or
// keyword), so that the library cache reads the index back with one copy per array instead of
// tens of thousands of allocations, and a command frees it as cheaply.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/replies/library.h"

namespace kefu::replies {

struct Posting {
    uint64_t doc = 0;   // position in Library::all()
    double weight = 0;  // term frequency, with keywords and title counting more than the body
};

// Where one term's text and postings are: its text is text[text_at, text_at + text_size) and
// its postings postings[first, first + count).
struct TermEntry {
    uint64_t hash = 0;  // hash64 of the term
    uint32_t text_at = 0;
    uint32_t text_size = 0;
    uint32_t first = 0;
    uint32_t count = 0;
};

// One keyword of a template: its text in match form, text[form_at, form_at + form_size), and
// the hashes of its tokens, tokens[tokens_first, tokens_first + tokens_count).
struct KeywordEntry {
    uint32_t form_at = 0;
    uint32_t form_size = 0;
    uint32_t tokens_first = 0;
    uint32_t tokens_count = 0;
};

struct DocEntry {
    double length = 0;            // weighted number of tokens
    uint32_t keywords_first = 0;  // keywords[keywords_first, + keywords_count), parallel to
    uint32_t keywords_count = 0;  // Template::keywords
};

struct LibraryIndex {
    std::vector<DocEntry> docs;  // parallel to Library::all()
    std::vector<KeywordEntry> keywords;
    std::vector<uint64_t> tokens;
    std::vector<TermEntry> terms;  // sorted by hash, then text
    std::vector<Posting> postings;
    std::string text;  // the terms' and keywords' texts, one after the other
    double average_length = 1;

    // BM25's inverse document frequency of a term found in `df` of the templates.
    double idf(size_t df) const;

    // The postings of `term` (in template order), empty when no template has it.
    std::span<const Posting> find(std::string_view term) const;

    std::span<const KeywordEntry> keywords_of(size_t doc) const {
        return {keywords.data() + docs[doc].keywords_first, docs[doc].keywords_count};
    }
    std::string_view form(const KeywordEntry& k) const {
        return std::string_view(text).substr(k.form_at, k.form_size);
    }
    std::span<const uint64_t> tokens_of(const KeywordEntry& k) const {
        return {tokens.data() + k.tokens_first, k.tokens_count};
    }
    std::string_view term_text(const TermEntry& t) const {
        return std::string_view(text).substr(t.text_at, t.text_size);
    }

    // False when the arrays do not fit together (an offset or count outside its array, terms
    // out of order): what a damaged cache would read back as.
    bool consistent() const;

    static std::shared_ptr<const LibraryIndex> build(const std::vector<Template>& templates);
};

// How much each part of a template counts toward its term frequencies.
inline constexpr double k_keyword_weight = 3.0;
inline constexpr double k_title_weight = 2.0;
inline constexpr double k_body_weight = 1.0;

}  // namespace kefu::replies
