#pragma once
// Text statistics of a template library, computed once when the library is built, so that
// ranking a query is a walk over the postings of its tokens (BM25) and not a pass over every
// template's text.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/hash.h"
#include "core/replies/library.h"

namespace kefu::replies {

struct Posting {
    size_t doc = 0;     // position in Library::all()
    double weight = 0;  // term frequency, with keywords and title counting more than the body
};

// One keyword of a template: its text in match form and the hashes of its tokens.
struct Keyword {
    std::string form;
    std::vector<uint64_t> tokens;
};

struct IndexedTemplate {
    double length = 0;              // weighted number of tokens
    std::vector<Keyword> keywords;  // parallel to Template::keywords
};

struct LibraryIndex {
    std::vector<IndexedTemplate> docs;  // parallel to Library::all()
    std::unordered_map<std::string, std::vector<Posting>, StringHash, std::equal_to<>> postings;
    double average_length = 1;

    // BM25's inverse document frequency of a term found in `df` of the templates.
    double idf(size_t df) const;

    static std::shared_ptr<const LibraryIndex> build(const std::vector<Template>& templates);
};

// How much each part of a template counts toward its term frequencies.
inline constexpr double k_keyword_weight = 3.0;
inline constexpr double k_title_weight = 2.0;
inline constexpr double k_body_weight = 1.0;

}  // namespace kefu::replies
