// Engine::classify: from the text and signals of one inquiry to its category, tags and
// static priority terms. It runs for every imported row, so it avoids work per rule (only
// rules that one of their keywords or regexes points to are looked at) and builds the
// explanation strings only for the terms that are listed. Engine::score does the same
// matching and adds up the same terms without any explanation, for imports.
#include <charconv>
#include <cmath>
#include <optional>
#include <span>

#include "core/text.h"
#include "core/triage/engine_impl.h"
#include "core/triage/language.h"
#include "core/triage/normalize.h"

namespace kefu::triage {
namespace {

// Bytes of normalized body that make a message "very long" (described in priority.h too).
constexpr size_t k_long_message = 600;

// Tie-break order between categories with equal votes: the more pressing first. "other"
// can be voted for too (rules for contact requests, feedback …), so that a weak hint of
// another category does not win.
constexpr std::array<Category, 9> k_precedence{
    Category::Complaint, Category::Refund,    Category::Payment,
    Category::Logistics, Category::Order,     Category::Account,
    Category::Technical, Category::Product,   Category::Other,
};

Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

// Appends the shortest decimal form of `v` ("2", "0.5", "1.5").
void append_number(std::string& out, double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, ec == std::errc() ? end : buf);
}

// "rule.id (word, word) +2" for one fired rule, appended to `out` after a "; ".
void append_reason(std::string& out, const Fired& fired, double amount) {
    if (!out.empty()) {
        out += "; ";
    }
    out += fired.rule_id;
    out += " (";
    for (size_t k = 0; k < fired.matched.size(); ++k) {
        if (k > 0) {
            out += ", ";
        }
        out += fired.matched[k];
    }
    out += ") ";
    out += amount < 0 ? "" : "+";
    append_number(out, amount);
}

}  // namespace

namespace {

// Term `t` with raw value `raw` as classify() lists it: `raw` is clamped to [0, cap] for
// built-in terms (`capped` tells whether the cap applied). Returns whether the term is
// listed: its raw value and coefficient are both non-zero, or it is listed `always`.
bool list_term(const Engine::Impl& m, uint32_t t, double& raw, bool always, bool& capped) {
    double cap = m.caps[t];
    capped = cap >= 0 && raw > cap;
    if (capped) {
        raw = cap;
    } else if (cap >= 0 && raw < 0) {
        raw = 0;
    }
    return always || (raw != 0 && m.coefficients[t] != 0);
}

// The contribution (raw × coefficient) of term `t` at raw value `raw` when classify() lists
// the term, as append_term computes it; nullopt when the term is not listed.
std::optional<double> listed_contribution(const Engine::Impl& m, uint32_t t, double raw,
                                          bool always = false) {
    bool capped = false;
    if (!list_term(m, t, raw, always, capped)) {
        return std::nullopt;
    }
    return raw * m.coefficients[t];
}

// Appends one term the way classify() does: raw clamped (see list_term), left out when not
// listed, contribution added to the total.
template <typename Detail>
void append_term(const Engine::Impl& m, Result& result, uint32_t t, double raw, Detail&& make_detail,
                 bool always = false) {
    bool capped = false;
    if (!list_term(m, t, raw, always, capped)) {
        return;
    }
    Term& term = result.terms.emplace_back();
    term.name = m.term_names[t];
    term.raw = raw;
    term.coefficient = m.coefficients[t];
    term.contribution = raw * m.coefficients[t];
    term.detail = make_detail();
    if (capped) {
        term.detail += " (capped at ";
        append_number(term.detail, m.caps[t]);
        term.detail += ")";
    }
    result.static_score += term.contribution;
}

// The raw values of the terms that depend on the signals.
struct SignalRaws {
    int others = 0;   // other open inquiries of the customer
    int earlier = 0;  // earlier messages in the thread
    bool repeated = false;
    double vip = 0;
    double repeat = 0;
    double difficulty = 0;
};

SignalRaws signal_raws(const Signals& signals, size_t also, bool long_message) {
    SignalRaws r;
    r.vip = signals.vip ? 1 : 0;
    r.others = std::max(signals.open_from_customer, 0);
    r.earlier = std::max(signals.thread_messages - 1, 0);
    r.repeat = r.others + r.earlier;
    r.repeated = signals.open_from_customer >= 2 || signals.thread_messages >= 3;
    r.difficulty = static_cast<double>(also + (long_message ? 1 : 0) + (r.repeated ? 1 : 0));
    return r;
}

// The terms that depend on the signals, in their place after the tone terms.
void add_signal_terms(const Engine::Impl& m, Result& result, const Signals& signals) {
    SignalRaws r = signal_raws(signals, result.also.size(), result.long_message);
    append_term(m, result, m.vip, r.vip, [] { return std::string("the customer is a VIP"); });
    append_term(m, result, m.repeat, r.repeat, [&] {
        return std::to_string(r.others) + " other open inquiries of the customer, " +
               std::to_string(r.earlier) + " earlier messages in the thread";
    });
    append_term(m, result, m.difficulty, r.difficulty, [&] {
        std::string d;
        for (Category c : result.also) {
            d += d.empty() ? "also " : ", ";
            d += to_string(c);
        }
        if (result.long_message) {
            d += d.empty() ? "" : "; ";
            d += "long message (" + std::to_string(result.body_bytes) + " bytes)";
        }
        if (r.repeated) {
            d += d.empty() ? "repeated contact" : "; repeated contact";
        }
        return d;
    });
}

}  // namespace

void Engine::apply_signals(Result& result, const Signals& signals) const {
    const Impl& m = *m_impl;
    // Terms before the signal terms (category and tone) stay first, those after stay last.
    // The first group is compacted in place and the second parked in a per-thread vector, so
    // that an import, which calls this for every record, allocates nothing here.
    thread_local std::vector<Term> after;
    after.clear();
    size_t kept = 0;
    bool seen_signal_place = false;
    for (Term& t : result.terms) {
        bool signal = t.name == m.term_names[m.vip] || t.name == m.term_names[m.repeat] ||
                      t.name == m.term_names[m.difficulty];
        if (signal) {
            seen_signal_place = true;
            continue;
        }
        bool tone_or_category = t.name.starts_with("category_") || t.name == m.term_names[m.anger] ||
                                t.name == m.term_names[m.negative] ||
                                t.name == m.term_names[m.shouting] || t.name == m.term_names[m.urgency];
        if (tone_or_category && !seen_signal_place) {
            Term& place = result.terms[kept++];
            if (&place != &t) {
                place = std::move(t);
            }
        } else {
            after.push_back(std::move(t));
        }
    }
    result.terms.resize(kept);
    result.static_score = 0;
    for (const Term& t : result.terms) {
        result.static_score += t.contribution;
    }
    add_signal_terms(m, result, signals);
    for (Term& t : after) {
        result.static_score += t.contribution;
        result.terms.push_back(std::move(t));
    }
    after.clear();
    result.level = level(result.static_score);
}

namespace {

// What the rules found in one message: a classification without its terms.
struct Findings {
    Category category = Category::Other;
    std::array<double, k_categories> votes{};
    std::vector<std::string> tags;  // sorted, no duplicates
    std::map<std::string, std::string> captures;
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::string language;
    bool shouting = false;
    size_t body_bytes = 0;  // of the normalized body
};

// Matches every rule against `input` and fills `out`. Leaves in `s.raw` the amounts the
// fired rules added to each term and in `s.fired_rules` the rules that fired, in rule order.
// With `fired`, also lists the fired rules and the words they fired on (what an explanation
// shows), parallel to s.fired_rules; without, nothing of that is built.
void find(const Engine::Impl& m, const Input& input, Scratch& s, Findings& out,
          std::vector<Fired>* fired) {
    s.hits.resize(m.matcher.size(), 0);
    s.regex_hits.resize(m.regexes.size(), 0);
    s.touched.clear();
    s.candidates.clear();
    s.fired_rules.clear();
    s.raw.assign(m.term_names.size(), 0.0);

    // Every keyword and regex of every rule, over both fields.
    const std::string subject = normalize(input.subject);
    const std::string body = normalize(input.body);
    const std::string* fields[2] = {&subject, &body};
    const std::string_view originals[2] = {input.subject, input.body};
    for (uint8_t f = 0; f < 2; ++f) {
        auto bit = static_cast<uint8_t>(1U << f);
        m.matcher.scan(*fields[f], [&](uint32_t id) {
            if (s.hits[id] == 0) {
                s.touched.push_back(id);
            }
            s.hits[id] |= bit;
        });
        m.scan_regexes(*fields[f], bit, s);
    }
    // Which rules the keywords found point to, and what they found for each.
    s.rule_state.resize(m.rules.size());
    if (++s.stamp == 0) {
        std::fill(s.rule_state.begin(), s.rule_state.end(), RuleState{});
        s.stamp = 1;
    }
    auto state_of = [&](uint32_t r) -> RuleState& {
        RuleState& st = s.rule_state[r];
        if (st.stamp != s.stamp) {
            st = RuleState{};
            st.stamp = s.stamp;
            s.candidates.push_back(r);
        }
        return st;
    };
    for (uint32_t id : s.touched) {
        for (uint32_t u = m.use_begin[id]; u < m.use_begin[id + 1]; ++u) {
            const Use& use = m.uses[u];
            RuleState& st = state_of(use.rule);
            if ((s.hits[id] & m.rules[use.rule].fields) == 0) {
                continue;
            }
            st.any += use.slot == Slot::Any ? 1 : 0;
            st.all += use.slot == Slot::All ? 1 : 0;
            st.none = st.none || use.slot == Slot::None;
        }
    }
    for (uint32_t i : m.set_regex) {
        if (s.regex_hits[i] != 0) {
            state_of(m.regex_rule[i]);
        }
    }
    std::sort(s.candidates.begin(), s.candidates.end());

    // The rules that fire, in rule order.
    if (fired != nullptr) {
        fired->reserve(s.candidates.size());
    }
    for (uint32_t r : s.candidates) {
        const Rule& rule = m.rules[r];
        const CompiledRule& c = m.compiled[r];
        RuleState& st = s.rule_state[r];
        if (!((c.any.empty() || st.any > 0) && st.all == c.all.size() && !st.none)) {
            continue;
        }
        // Regexes: each is tried on the subject, then the body (as the rule allows); a gated
        // one (see Impl::set) is run now, one from the set only where the set matched.
        s.regex_matches.clear();
        bool gated = !c.any.empty() || !c.all.empty();
        for (uint32_t i : c.regex) {
            const RE2& re = *m.regexes[i];
            for (size_t f = 0; f < 2; ++f) {
                auto bit = static_cast<uint8_t>(1U << f);
                if ((rule.fields & bit) == 0 || (!gated && (s.regex_hits[i] & bit) == 0)) {
                    continue;
                }
                RegexMatch& rm = s.regex_matches.emplace_back();
                rm.regex = i;
                rm.field = f;
                rm.groups = std::min(re.NumberOfCapturingGroups() + 1,
                                     static_cast<int>(rm.group.size()));
                const std::string& text = *fields[f];
                if (re.Match(text, 0, text.size(), RE2::UNANCHORED, rm.group.data(),
                             rm.groups)) {
                    break;
                }
                s.regex_matches.pop_back();
            }
        }
        if (!c.regex.empty() && s.regex_matches.empty()) {
            continue;
        }
        std::vector<std::string>* matched = nullptr;
        if (fired != nullptr) {
            st.fired = static_cast<uint32_t>(fired->size());
            Fired& entry = fired->emplace_back();
            entry.rule_id = rule.id;
            // The `all` keywords, one text per regex that matched, then the `any` keywords
            // found (put in front of the regex texts below).
            matched = &entry.matched;
            matched->reserve(c.all_labels.size() + s.regex_matches.size() + st.any);
            matched->insert(matched->end(), c.all_labels.begin(), c.all_labels.end());
        }
        for (const RegexMatch& rm : s.regex_matches) {
            const RE2& re = *m.regexes[rm.regex];
            if (matched != nullptr) {
                matched->emplace_back(rm.group[0].data(), rm.group[0].size());
            }
            for (const auto& [name, index] : re.NamedCapturingGroups()) {
                if (index >= rm.groups) {
                    continue;
                }
                auto g = rm.group[static_cast<size_t>(index)];
                if (g.data() != nullptr && !g.empty() && !out.captures.contains(name)) {
                    out.captures[name] = m.captured(originals[rm.field], *fields[rm.field],
                                                    std::string_view(g.data(), g.size()));
                }
            }
        }
        if (rule.category) {
            out.votes[static_cast<size_t>(*rule.category)] += rule.weight;
        }
        for (const auto& [t, amount] : c.score) {
            s.raw[t] += amount;
        }
        if (!rule.tags.empty()) {
            if (out.tags.empty()) {
                out.tags.reserve(8);
            }
            out.tags.insert(out.tags.end(), rule.tags.begin(), rule.tags.end());
        }
        if (rule.goods && out.goods_kind == GoodsKind::Unknown) {
            out.goods_kind = *rule.goods;
        }
        s.fired_rules.push_back(r);
    }
    // The `any` keywords each fired rule was found by, in the order they were first found.
    if (fired != nullptr) {
        for (uint32_t id : s.touched) {
            for (uint32_t u = m.use_begin[id]; u < m.use_begin[id + 1]; ++u) {
                const Use& use = m.uses[u];
                RuleState& st = s.rule_state[use.rule];
                if (use.slot == Slot::Any && st.fired != UINT32_MAX &&
                    (s.hits[id] & m.rules[use.rule].fields) != 0) {
                    auto& matched = (*fired)[st.fired].matched;
                    matched.insert(matched.begin() + st.labels++,
                                   m.compiled[use.rule].any_labels[use.index]);
                }
            }
        }
    }
    for (uint32_t id : s.touched) {
        s.hits[id] = 0;
    }
    std::fill(s.regex_hits.begin(), s.regex_hits.end(), 0);

    // The category: most votes, ties broken by k_precedence; no vote at all is "other".
    Category best = Category::Other;
    double best_votes = 0;
    for (Category c : k_precedence) {
        if (out.votes[static_cast<size_t>(c)] > best_votes) {
            best = c;
            best_votes = out.votes[static_cast<size_t>(c)];
        }
    }
    out.category = best;
    std::sort(out.tags.begin(), out.tags.end());
    out.tags.erase(std::unique(out.tags.begin(), out.tags.end()), out.tags.end());
    if (input.goods_kind != GoodsKind::Unknown) {
        out.goods_kind = input.goods_kind;
    }
    TextCounts subject_counts;
    TextCounts body_counts;
    subject_counts.add(input.subject);
    body_counts.add(input.body);
    out.shouting = is_shouting(subject_counts) || is_shouting(body_counts);
    subject_counts += body_counts;
    out.language = language_of(subject_counts);
    out.body_bytes = body.size();
}

// The tone terms, in the order they are listed.
std::array<uint32_t, 4> tone_terms(const Engine::Impl& m) {
    return {m.anger, m.negative, m.shouting, m.urgency};
}

// The static terms of `found` (with s.raw as find() left it) in the order classify() lists
// them: term(t, raw, always, make_detail) for each, and at_signals(also, long_message) where
// the signal terms go, with the other categories voted for with 1 or more. make_detail()
// builds the term's explanation from `fired` (the rules find() listed); a caller that does
// not call it may pass no `fired`. classify() and score() both walk the terms here, so that
// they cannot list different terms or add them up in another order.
template <typename OnTerm, typename OnSignals>
void walk_terms(const Engine::Impl& m, Scratch& s, const Findings& found,
                const std::vector<Fired>* fired, OnTerm&& term, OnSignals&& at_signals) {
    // Why a term has its value: the fired rules that fed it (or voted for the category).
    auto reasons = [&](auto&& amount_of) {
        std::string detail;
        detail.reserve(120);
        for (size_t k = 0; k < s.fired_rules.size(); ++k) {
            double amount = amount_of(s.fired_rules[k]);
            if (amount != 0) {
                append_reason(detail, (*fired)[k], amount);
            }
        }
        return detail;
    };
    auto fed_reasons = [&](uint32_t t) {
        return reasons([&](uint32_t r) {
            double sum = 0;
            for (const auto& [term_id, amount] : m.compiled[r].score) {
                sum += term_id == t ? amount : 0;
            }
            return sum;
        });
    };

    const Category best = found.category;
    term(m.category_terms[static_cast<size_t>(best)], 1.0, true, [&] {
        std::string d = reasons([&](uint32_t r) {
            const Rule& rule = m.rules[r];
            return rule.category == best ? rule.weight : 0.0;
        });
        return d.empty() ? std::string("no rule chose a category") : d;
    });
    if (found.shouting) {
        s.raw[m.shouting] += 1;
    }
    for (uint32_t t : tone_terms(m)) {
        term(t, s.raw[t], false, [&] {
            std::string d = fed_reasons(t);
            if (t == m.shouting && found.shouting) {
                d += d.empty() ? "written in capitals" : "; written in capitals";
            }
            return d;
        });
    }
    std::array<Category, k_categories> also{};
    size_t also_count = 0;
    for (Category c : k_precedence) {
        if (c != best && c != Category::Other && found.votes[static_cast<size_t>(c)] >= 1.0) {
            also[also_count++] = c;
        }
    }
    at_signals(std::span<const Category>(also.data(), also_count),
               found.body_bytes >= k_long_message);
    term(m.goods_virtual, found.goods_kind == GoodsKind::Virtual ? 1.0 : 0.0, false,
         [] { return std::string("virtual goods"); });
    term(m.goods_physical, found.goods_kind == GoodsKind::Physical ? 1.0 : 0.0, false,
         [] { return std::string("physical goods"); });
    for (auto t = static_cast<uint32_t>(default_coefficients().size()); t < m.term_names.size();
         ++t) {
        term(t, s.raw[t], false, [&] { return fed_reasons(t); });
    }
}

}  // namespace

Result Engine::classify(const Input& input, const Signals& signals) const {
    const Impl& m = *m_impl;
    Scratch& s = scratch();
    Result result;
    Findings found;
    find(m, input, s, found, &result.fired);
    result.category = found.category;
    result.tags = std::move(found.tags);
    result.captures = std::move(found.captures);
    result.goods_kind = found.goods_kind;
    result.language = std::move(found.language);
    result.terms.reserve(8);
    walk_terms(
        m, s, found, &result.fired,
        [&](uint32_t t, double raw, bool always, auto&& make_detail) {
            append_term(m, result, t, raw, make_detail, always);
        },
        [&](std::span<const Category> also, bool long_message) {
            result.also.assign(also.begin(), also.end());
            result.long_message = long_message;
            result.body_bytes = found.body_bytes;
            add_signal_terms(m, result, signals);
        });
    result.level = level(result.static_score);
    return result;
}

// The same terms as classify(), in the same order and added up in that order (so that the
// total is the same double), but only their contributions.
Scored Engine::score(const Input& input) const {
    const Impl& m = *m_impl;
    Scratch& s = scratch();
    Findings found;
    find(m, input, s, found, nullptr);
    Scored out;
    out.category = found.category;
    out.tags = std::move(found.tags);
    out.captures = std::move(found.captures);
    out.goods_kind = found.goods_kind;
    out.language = std::move(found.language);
    double before = 0;
    bool past_signals = false;
    walk_terms(
        m, s, found, nullptr,
        [&](uint32_t t, double raw, bool always, auto&& /*make_detail*/) {
            if (auto c = listed_contribution(m, t, raw, always)) {
                if (past_signals) {
                    out.after_signals.push_back(*c);
                } else {
                    before += *c;
                }
            }
        },
        [&](std::span<const Category> also, bool long_message) {
            out.before_signals = before;
            out.also = also.size();
            out.long_message = long_message;
            past_signals = true;
        });
    apply_signals(out, Signals{});
    return out;
}

void Engine::apply_signals(Scored& scored, const Signals& signals) const {
    const Impl& m = *m_impl;
    SignalRaws r = signal_raws(signals, scored.also, scored.long_message);
    double total = scored.before_signals;
    for (auto [t, raw] : {std::pair{m.vip, r.vip}, std::pair{m.repeat, r.repeat},
                          std::pair{m.difficulty, r.difficulty}}) {
        if (auto c = listed_contribution(m, t, raw)) {
            total += *c;
        }
    }
    for (double contribution : scored.after_signals) {
        total += contribution;
    }
    scored.static_score = total;
}

}  // namespace kefu::triage
