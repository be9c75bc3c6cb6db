#include "core/replies/index.h"

#include <cmath>
#include <string_view>
#include <unordered_map>

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
    index->postings.reserve(templates.size() * 16);
    // Reused from one template to the next, so that indexing a large library does not
    // allocate a table per template. The keys are copies: a token may be a view into a
    // buffer that the tokenizer reuses for the next word.
    std::unordered_map<std::string, double, StringHash, std::equal_to<>> tf;
    double total = 0;
    for (size_t d = 0; d < templates.size(); ++d) {
        const Template& t = templates[d];
        IndexedTemplate& doc = index->docs[d];
        tf.clear();
        auto add = [&](const std::string& form, double weight) {
            for_each_token(form, false, [&](std::string_view token) {
                auto it = tf.find(token);
                if (it == tf.end()) {
                    it = tf.emplace(std::string(token), 0.0).first;
                }
                it->second += weight;
                doc.length += weight;
            });
        };
        doc.keywords.reserve(t.keywords.size());
        for (const std::string& k : t.keywords) {
            Keyword keyword;
            keyword.form = match_form(k);
            add(keyword.form, k_keyword_weight);
            keyword.tokens = token_hashes(keyword.form, false);
            doc.keywords.push_back(std::move(keyword));
        }
        add(match_form(t.title), k_title_weight);
        for (const auto& [lang, body] : t.bodies) {
            add(match_form(body), k_body_weight);
        }
        for (const auto& [token, weight] : tf) {
            auto it = index->postings.find(token);
            if (it == index->postings.end()) {
                it = index->postings.emplace(std::string(token), std::vector<Posting>()).first;
            }
            it->second.push_back({d, weight});
        }
        total += doc.length;
    }
    if (!templates.empty() && total > 0) {
        index->average_length = total / static_cast<double>(templates.size());
    }
    return index;
}

}  // namespace kefu::replies
