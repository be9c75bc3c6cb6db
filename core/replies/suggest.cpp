#include "core/replies/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <unordered_map>

#include "core/hash.h"
#include "core/replies/index.h"
#include "core/replies/tokens.h"

namespace kefu::replies {
namespace {

// The points of each signal; the table in suggest.h describes them and must change with them.
constexpr double k_category_points = 3.0;
constexpr double k_tag_points = 1.0;
constexpr size_t k_max_tags = 2;
constexpr double k_first_keyword_points = 1.5;
constexpr double k_more_keyword_points = 0.5;
constexpr double k_max_keyword_points = 2.5;
constexpr double k_text_points = 3.0;
constexpr double k_language_points = 1.0;
constexpr double k_other_language_points = -2.0;
constexpr double k_history_points = 7.0;
constexpr double k_vip_points = 0.5;

// BM25 parameters (the usual ones).
constexpr double k_bm25_k1 = 1.2;
constexpr double k_bm25_b = 0.75;
// A BM25 sum below this is a weak match however it compares with the other templates: the
// best template's text points are scaled by max(best, k_bm25_floor), not by best alone.
constexpr double k_bm25_floor = 12.0;

// A past inquiry counts as similar from this cosine similarity on; a choice made for an
// inquiry of another category counts half.
constexpr double k_history_min_similarity = 0.15;
constexpr double k_history_other_category = 0.5;
// How much similar history makes the seller's habit certain: with similarities summing to
// this, the confidence is 63%; to three times this, 95%. Short messages that say the same
// thing in other words reach 0.2–0.4 each, so two or three of them settle it.
constexpr double k_history_saturation = 0.3;

std::string fmt_points(double p) {
    return fmt::format("{}{:.1f}", p < 0 ? "-" : "+", std::fabs(p));
}

bool ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// True when `keyword` occurs in `text`; a keyword that starts or ends with a Latin letter or
// digit must do so at a word boundary there ("ship" is not found in "relationship").
bool contains_phrase(std::string_view text, std::string_view keyword) {
    if (keyword.empty()) {
        return false;
    }
    bool left_word = ascii_alnum(keyword.front());
    bool right_word = ascii_alnum(keyword.back());
    for (size_t at = text.find(keyword); at != std::string_view::npos;
         at = text.find(keyword, at + 1)) {
        size_t end = at + keyword.size();
        bool left_ok = !left_word || at == 0 || !ascii_alnum(text[at - 1]);
        bool right_ok = !right_word || end == text.size() || !ascii_alnum(text[end]);
        if (left_ok && right_ok) {
            return true;
        }
    }
    return false;
}

// A bag of tokens with TF-IDF weights, for comparing the inquiry with past inquiries: token
// hashes with their weights, sorted by hash, so that a comparison is one merge and no string
// is hashed twice. A collision of two 64-bit hashes among a few thousand tokens would only
// blur one similarity a little.
using Vector = TermCounts;

Vector counts(std::string_view folded) {
    Vector v;
    for (uint64_t h : token_hashes(folded, true)) {
        v.emplace_back(h, 1.0);
    }
    std::sort(v.begin(), v.end());
    Vector merged;
    merged.reserve(v.size());
    for (const auto& [h, c] : v) {
        if (!merged.empty() && merged.back().first == h) {
            merged.back().second += c;
        } else {
            merged.emplace_back(h, c);
        }
    }
    return merged;
}

// Turns counts into unit-length TF-IDF vectors, with document frequencies over `docs`.
void weigh(std::vector<Vector>& docs) {
    std::unordered_map<uint64_t, uint32_t> df;
    for (const Vector& d : docs) {
        for (const auto& [term, count] : d) {
            ++df[term];
        }
    }
    double n = static_cast<double>(docs.size());
    for (Vector& d : docs) {
        double norm = 0;
        for (auto& [term, w] : d) {
            double f = static_cast<double>(df[term]);
            w = (1.0 + std::log(w)) * std::log(1.0 + (n - f + 0.5) / (f + 0.5));
            norm += w * w;
        }
        norm = std::sqrt(norm);
        for (auto& [term, w] : d) {
            w = norm > 0 ? w / norm : 0;
        }
    }
}

double cosine(const Vector& a, const Vector& b) {
    double dot = 0;
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].first < b[j].first) {
            ++i;
        } else if (b[j].first < a[i].first) {
            ++j;
        } else {
            dot += a[i++].second * b[j++].second;
        }
    }
    return dot;
}

struct HistoryScore {
    double weight = 0;
    size_t count = 0;
};

// For each template (by position), how strongly the seller's past choices for inquiries
// similar to this one point at it.
std::vector<HistoryScore> score_history(const Library& library, const Query& query,
                                        std::string_view folded,
                                        const std::vector<PastChoice>& history) {
    std::vector<HistoryScore> scores(library.all().size());
    if (history.empty()) {
        return scores;
    }
    std::unordered_map<std::string_view, size_t> position;
    for (size_t i = 0; i < library.all().size(); ++i) {
        position.emplace(library.all()[i].id, i);
    }
    std::vector<Vector> docs;
    std::vector<size_t> doc_template;
    std::vector<const PastChoice*> doc_choice;
    docs.push_back(counts(folded));
    for (const PastChoice& past : history) {
        auto it = position.find(past.template_id);
        if (it == position.end()) {
            continue;
        }
        docs.push_back(past.terms.empty() ? counts(match_form(past.text)) : past.terms);
        doc_template.push_back(it->second);
        doc_choice.push_back(&past);
    }
    weigh(docs);
    for (size_t i = 1; i < docs.size(); ++i) {
        double sim = cosine(docs[0], docs[i]);
        if (sim < k_history_min_similarity) {
            continue;
        }
        if (doc_choice[i - 1]->category != query.category) {
            sim *= k_history_other_category;
        }
        HistoryScore& s = scores[doc_template[i - 1]];
        s.weight += sim;
        s.count += 1;
    }
    return scores;
}

// The body language to offer: the buyer's when the template has it, else Chinese, English,
// or the first it has.
std::string pick_language(const Template& t, const std::string& wanted) {
    for (const std::string& lang : {wanted, std::string("zh"), std::string("en")}) {
        if (!lang.empty() && t.bodies.count(lang) != 0) {
            return lang;
        }
    }
    return t.bodies.empty() ? std::string() : t.bodies.begin()->first;
}

}  // namespace

TermCounts term_counts(std::string_view text) {
    return counts(match_form(text));
}

std::string Reason::text() const {
    return fmt::format("{} {}", fmt_points(points), label);
}

namespace {

// Everything suggest() knows about a query, computed once.
struct Context {
    const Library& library;
    const Query& query;
    std::string folded;                // the query's text in match form
    std::vector<uint64_t> present;     // sorted hashes of its tokens, Han unigrams included
    std::string language;              // the buyer's language, or ""
    std::vector<double> bm25;          // per template
    double bm25_scale = k_bm25_floor;  // the best BM25 sum, at least the floor
    std::vector<HistoryScore> past;    // per template
    double history_total = 0;
};

// True when every token of the keyword occurs in the query: a cheap test that rules out most
// keywords before the text is searched for them (a keyword found in the text always passes).
bool may_contain(const Context& c, const KeywordEntry& k) {
    std::span<const uint64_t> tokens = c.library.index().tokens_of(k);
    return std::all_of(tokens.begin(), tokens.end(), [&](uint64_t h) {
        return std::binary_search(c.present.begin(), c.present.end(), h);
    });
}

// The score of template `d`; with `out`, also its reasons and language. Ranking runs this
// over every template without `out`, so that no text is built for templates not shown.
double evaluate(const Context& c, size_t d, Suggestion* out) {
    const Template& t = c.library.all()[d];
    const LibraryIndex& index = c.library.index();
    std::span<const KeywordEntry> keywords = index.keywords_of(d);
    double score = 0;
    auto add = [&](double points, auto&& label) {
        score += points;
        if (out != nullptr) {
            out->why.push_back({label(), points});
        }
    };
    if (t.category == c.query.category) {
        add(k_category_points, [&] { return fmt::format("category {}", to_string(t.category)); });
    }
    size_t shared = 0;
    for (const std::string& tag : c.query.tags) {
        shared += std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end() ? 1 : 0;
    }
    if (shared > 0) {
        add(k_tag_points * static_cast<double>(std::min(shared, k_max_tags)), [&] {
            std::string names;
            for (const std::string& tag : c.query.tags) {
                if (std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end()) {
                    names += (names.empty() ? "" : ", ") + tag;
                }
            }
            return fmt::format("tag{} {}", shared == 1 ? "" : "s", names);
        });
    }
    std::vector<size_t> hits;
    for (size_t k = 0; k < keywords.size(); ++k) {
        if (may_contain(c, keywords[k]) && contains_phrase(c.folded, index.form(keywords[k]))) {
            hits.push_back(k);
        }
    }
    if (!hits.empty()) {
        double points =
            k_first_keyword_points + k_more_keyword_points * static_cast<double>(hits.size() - 1);
        add(std::min(points, k_max_keyword_points), [&] {
            std::string names;
            for (size_t k : hits) {
                names += (names.empty() ? "" : ", ") + t.keywords[k];
            }
            return "keywords " + names;
        });
    }
    double text_points = k_text_points * c.bm25[d] / c.bm25_scale;
    if (text_points >= 0.05) {
        add(text_points, [] { return std::string("similar text"); });
    }
    std::string language = pick_language(t, c.language);
    if (!c.language.empty() && language == c.language) {
        add(k_language_points, [&] { return "language " + language; });
    } else if (!c.language.empty()) {
        add(k_other_language_points,
            [&] { return fmt::format("no {} text ({} shown)", c.language, language); });
    }
    if (c.past[d].count > 0) {
        // The template's share of what the seller chose for similar inquiries, scaled by how
        // much similar history there is at all.
        double share = c.past[d].weight / c.history_total;
        double confidence = 1 - std::exp(-c.history_total / k_history_saturation);
        add(k_history_points * share * confidence, [&] {
            return fmt::format("chosen {}× before for similar inquiries", c.past[d].count);
        });
    }
    if (t.vip_only) {
        add(k_vip_points, [] { return std::string("VIP buyer"); });
    }
    if (out != nullptr) {
        out->tmpl = &t;
        out->language = language;
        out->score = score;
    }
    return score;
}

}  // namespace

std::vector<Suggestion> suggest(const Library& library, const Query& query,
                                const std::vector<PastChoice>& history, const Values& values,
                                size_t n) {
    const std::vector<Template>& templates = library.all();
    const LibraryIndex& index = library.index();
    std::string raw = query.subject + "\n" + query.body;
    Context c{library, query, match_form(raw), {}, {}, {}, k_bm25_floor, {}, 0};
    c.language = query.language.empty() ? detect_language(raw) : query.language;
    c.present = token_hashes(c.folded, true);
    std::sort(c.present.begin(), c.present.end());
    c.present.erase(std::unique(c.present.begin(), c.present.end()), c.present.end());

    // BM25 over the postings of each distinct query token.
    std::vector<std::string> terms = tokenize_folded(c.folded);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    c.bm25.assign(templates.size(), 0.0);
    for (const std::string& term : terms) {
        std::span<const Posting> postings = index.find(term);
        if (postings.empty()) {
            continue;
        }
        double idf = index.idf(postings.size());
        for (const Posting& p : postings) {
            double norm = 1 - k_bm25_b + k_bm25_b * index.docs[p.doc].length / index.average_length;
            c.bm25[p.doc] += idf * p.weight * (k_bm25_k1 + 1) / (p.weight + k_bm25_k1 * norm);
        }
    }
    for (double s : c.bm25) {
        c.bm25_scale = std::max(c.bm25_scale, s);
    }

    c.past = score_history(library, query, c.folded, history);
    for (const HistoryScore& h : c.past) {
        c.history_total += h.weight;
    }

    std::vector<std::pair<double, size_t>> ranked;
    ranked.reserve(templates.size());
    for (size_t d = 0; d < templates.size(); ++d) {
        const Template& t = templates[d];
        if ((t.vip_only && !query.vip) || t.bodies.empty()) {
            continue;
        }
        ranked.emplace_back(evaluate(c, d, nullptr), d);
    }
    // Equal scores keep the library's order, in which each built-in file lists its most
    // common reply first: with nothing in the text to go by, that is the best guess.
    auto better = [](const std::pair<double, size_t>& a, const std::pair<double, size_t>& b) {
        if (a.first != b.first) {
            return a.first > b.first;
        }
        return a.second < b.second;
    };
    size_t keep = std::min(n, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                      ranked.end(), better);

    std::vector<Suggestion> out(keep);
    for (size_t i = 0; i < keep; ++i) {
        Suggestion& s = out[i];
        evaluate(c, ranked[i].second, &s);
        std::stable_sort(s.why.begin(), s.why.end(),
                         [](const Reason& a, const Reason& b) { return a.points > b.points; });
        s.rendered = render(*s.tmpl, s.language, values);
    }
    return out;
}

}  // namespace kefu::replies
