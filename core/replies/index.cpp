#include "core/replies/index.h"

#include <cmath>

#include "core/replies/tokens.h"

namespace kefu::replies {

double LibraryIndex::idf(size_t df) const {
    // BM25's idf, kept positive so that a very common term still counts a little.
    double n = static_cast<double>(docs.size());
    double d = static_cast<double>(df);
    return std::log(1.0 + (n - d + 0.5) / (d + 0.5));
}

std::shared_ptr<const LibraryIndex> LibraryIndex::build(const std::vector<Template>& templates) {
    auto index = std::make_shared<LibraryIndex>();
    index->docs.resize(templates.size());
    double total = 0;
    for (size_t d = 0; d < templates.size(); ++d) {
        const Template& t = templates[d];
        IndexedTemplate& doc = index->docs[d];
        std::unordered_map<std::string, double> tf;
        auto add = [&](std::string_view text, double weight) {
            for (std::string& token : tokenize(text)) {
                tf[std::move(token)] += weight;
                doc.length += weight;
            }
        };
        for (const std::string& k : t.keywords) {
            add(k, k_keyword_weight);
            Keyword keyword;
            keyword.form = match_form(k);
            keyword.tokens = token_hashes(keyword.form, false);
            doc.keywords.push_back(std::move(keyword));
        }
        add(t.title, k_title_weight);
        for (const auto& [lang, body] : t.bodies) {
            add(body, k_body_weight);
        }
        for (auto& [token, weight] : tf) {
            index->postings[token].push_back({d, weight});
        }
        total += doc.length;
    }
    if (!templates.empty() && total > 0) {
        index->average_length = total / static_cast<double>(templates.size());
    }
    return index;
}

}  // namespace kefu::replies
