#include "core/replies/index.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "core/hash.h"
#include "core/replies/tokens.h"

namespace kefu::replies {

double LibraryIndex::idf(size_t df) const {
    // BM25's idf, kept positive so that a very common term still counts a little.
    double n = static_cast<double>(docs.size());
    double d = static_cast<double>(df);
    return std::log(1.0 + (n - d + 0.5) / (d + 0.5));
}

namespace {

bool term_less(const LibraryIndex& index, const TermEntry& a, const TermEntry& b) {
    if (a.hash != b.hash) {
        return a.hash < b.hash;
    }
    return index.term_text(a) < index.term_text(b);
}

// True when [at, at + size) lies within [0, total).
bool within(uint64_t at, uint64_t size, uint64_t total) {
    return at <= total && size <= total - at;
}

}  // namespace

std::span<const Posting> LibraryIndex::find(std::string_view term) const {
    uint64_t h = hash64(term);
    auto it = std::lower_bound(terms.begin(), terms.end(), h,
                               [](const TermEntry& t, uint64_t v) { return t.hash < v; });
    for (; it != terms.end() && it->hash == h; ++it) {
        if (term_text(*it) == term) {
            return {postings.data() + it->first, it->count};
        }
    }
    return {};
}

bool LibraryIndex::consistent() const {
    for (const DocEntry& d : docs) {
        if (!within(d.keywords_first, d.keywords_count, keywords.size())) {
            return false;
        }
    }
    for (const KeywordEntry& k : keywords) {
        if (!within(k.form_at, k.form_size, text.size()) ||
            !within(k.tokens_first, k.tokens_count, tokens.size())) {
            return false;
        }
    }
    for (size_t i = 0; i < terms.size(); ++i) {
        const TermEntry& t = terms[i];
        if (!within(t.text_at, t.text_size, text.size()) ||
            !within(t.first, t.count, postings.size()) ||
            (i > 0 && !term_less(*this, terms[i - 1], t))) {
            return false;
        }
    }
    return std::all_of(postings.begin(), postings.end(),
                       [&](const Posting& p) { return p.doc < docs.size(); });
}

std::shared_ptr<const LibraryIndex> LibraryIndex::build(const std::vector<Template>& templates) {
    auto index = std::make_shared<LibraryIndex>();
    index->docs.resize(templates.size());
    // Postings per term while the templates are read; flattened at the end.
    std::unordered_map<std::string, std::vector<Posting>, StringHash, std::equal_to<>> postings;
    postings.reserve(templates.size() * 16);
    // Reused from one template to the next, so that indexing a large library does not
    // allocate a table per template. The keys are copies: a token may be a view into a
    // buffer that the tokenizer reuses for the next word.
    std::unordered_map<std::string, double, StringHash, std::equal_to<>> tf;
    double total = 0;
    for (size_t d = 0; d < templates.size(); ++d) {
        const Template& t = templates[d];
        DocEntry& doc = index->docs[d];
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
        doc.keywords_first = static_cast<uint32_t>(index->keywords.size());
        doc.keywords_count = static_cast<uint32_t>(t.keywords.size());
        for (const std::string& k : t.keywords) {
            std::string form = match_form(k);
            add(form, k_keyword_weight);
            std::vector<uint64_t> hashes = token_hashes(form, false);
            KeywordEntry entry;
            entry.form_at = static_cast<uint32_t>(index->text.size());
            entry.form_size = static_cast<uint32_t>(form.size());
            entry.tokens_first = static_cast<uint32_t>(index->tokens.size());
            entry.tokens_count = static_cast<uint32_t>(hashes.size());
            index->text += form;
            index->tokens.insert(index->tokens.end(), hashes.begin(), hashes.end());
            index->keywords.push_back(entry);
        }
        add(match_form(t.title), k_title_weight);
        for (const auto& [lang, body] : t.bodies) {
            add(match_form(body), k_body_weight);
        }
        for (const auto& [token, weight] : tf) {
            auto it = postings.find(token);
            if (it == postings.end()) {
                it = postings.emplace(std::string(token), std::vector<Posting>()).first;
            }
            it->second.push_back({d, weight});
        }
        total += doc.length;
    }
    if (!templates.empty() && total > 0) {
        index->average_length = total / static_cast<double>(templates.size());
    }
    // Laid out in the order of the term table, so that the same library makes the same bytes.
    std::vector<std::pair<uint64_t, const decltype(postings)::value_type*>> order;
    order.reserve(postings.size());
    for (const auto& entry : postings) {
        order.emplace_back(hash64(entry.first), &entry);
    }
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second->first < b.second->first;
    });
    index->terms.reserve(order.size());
    for (const auto& [hash, posted] : order) {
        const auto& [term, list] = *posted;
        TermEntry entry;
        entry.hash = hash;
        entry.text_at = static_cast<uint32_t>(index->text.size());
        entry.text_size = static_cast<uint32_t>(term.size());
        entry.first = static_cast<uint32_t>(index->postings.size());
        entry.count = static_cast<uint32_t>(list.size());
        index->text += term;
        index->postings.insert(index->postings.end(), list.begin(), list.end());
        index->terms.push_back(entry);
    }
    return index;
}

}  // namespace kefu::replies
