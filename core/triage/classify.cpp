// Engine::classify: from the text and signals of one inquiry to its category, tags and
// static priority terms. It runs for every imported row, so it avoids work per rule (only
// rules that one of their keywords or regexes points to are looked at) and builds the
// explanation strings only for the terms that are listed.
#include <charconv>
#include <cmath>

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

// Appends one term the way classify() does: raw clamped to [0, cap] for built-in terms, left
// out when raw or coefficient is 0 (unless `always`), contribution added to the total.
template <typename Detail>
void append_term(const Engine::Impl& m, Result& result, uint32_t t, double raw, Detail&& make_detail,
                 bool always = false) {
    double cap = m.caps[t];
    bool capped = cap >= 0 && raw > cap;
    if (capped) {
        raw = cap;
    } else if (cap >= 0 && raw < 0) {
        raw = 0;
    }
    if (!always && (raw == 0 || m.coefficients[t] == 0)) {
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
        append_number(term.detail, cap);
        term.detail += ")";
    }
    result.static_score += term.contribution;
}

// The terms that depend on the signals, in their place after the tone terms.
void add_signal_terms(const Engine::Impl& m, Result& result, const Signals& signals) {
    append_term(m, result, m.vip, signals.vip ? 1 : 0, [] { return std::string("the customer is a VIP"); });
    int others = std::max(signals.open_from_customer, 0);
    int earlier = std::max(signals.thread_messages - 1, 0);
    append_term(m, result, m.repeat, others + earlier, [&] {
        return std::to_string(others) + " other open inquiries of the customer, " +
               std::to_string(earlier) + " earlier messages in the thread";
    });
    bool repeated = signals.open_from_customer >= 2 || signals.thread_messages >= 3;
    append_term(m, result, m.difficulty,
                static_cast<double>(result.also.size() + (result.long_message ? 1 : 0) + (repeated ? 1 : 0)),
                [&] {
                    std::string d;
                    for (Category c : result.also) {
                        d += d.empty() ? "also " : ", ";
                        d += to_string(c);
                    }
                    if (result.long_message) {
                        d += d.empty() ? "" : "; ";
                        d += "long message (" + std::to_string(result.body_bytes) + " bytes)";
                    }
                    if (repeated) {
                        d += d.empty() ? "repeated contact" : "; repeated contact";
                    }
                    return d;
                });
}

}  // namespace

void Engine::apply_signals(Result& result, const Signals& signals) const {
    const Impl& m = *m_impl;
    // Terms before the signal terms (category and tone) stay first, those after stay last.
    std::vector<Term> after;
    std::vector<Term> before;
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
        (tone_or_category && !seen_signal_place ? before : after).push_back(std::move(t));
    }
    result.terms = std::move(before);
    result.static_score = 0;
    for (const Term& t : result.terms) {
        result.static_score += t.contribution;
    }
    add_signal_terms(m, result, signals);
    for (Term& t : after) {
        result.static_score += t.contribution;
        result.terms.push_back(std::move(t));
    }
    result.level = level(result.static_score);
}

Result Engine::classify(const Input& input, const Signals& signals) const {
    const Impl& m = *m_impl;
    Scratch& s = scratch();
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
    Result result;
    result.fired.reserve(s.candidates.size());
    result.terms.reserve(8);
    result.tags.reserve(8);
    std::array<double, k_categories> votes{};
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
        st.fired = static_cast<uint32_t>(result.fired.size());
        Fired& fired = result.fired.emplace_back();
        fired.rule_id = rule.id;
        fired.matched.reserve(4);
        fired.matched.insert(fired.matched.end(), c.all_labels.begin(), c.all_labels.end());
        for (const RegexMatch& rm : s.regex_matches) {
            const RE2& re = *m.regexes[rm.regex];
            fired.matched.emplace_back(rm.group[0].data(), rm.group[0].size());
            for (const auto& [name, index] : re.NamedCapturingGroups()) {
                if (index >= rm.groups) {
                    continue;
                }
                auto g = rm.group[static_cast<size_t>(index)];
                if (g.data() != nullptr && !g.empty() && !result.captures.contains(name)) {
                    result.captures[name] = m.captured(originals[rm.field], *fields[rm.field],
                                                       std::string_view(g.data(), g.size()));
                }
            }
        }
        if (rule.category) {
            votes[static_cast<size_t>(*rule.category)] += rule.weight;
        }
        for (const auto& [t, amount] : c.score) {
            s.raw[t] += amount;
        }
        result.tags.insert(result.tags.end(), rule.tags.begin(), rule.tags.end());
        if (rule.goods && result.goods_kind == GoodsKind::Unknown) {
            result.goods_kind = *rule.goods;
        }
        s.fired_rules.push_back(r);
    }
    // The `any` keywords each fired rule was found by, in the order they were first found.
    for (uint32_t id : s.touched) {
        for (uint32_t u = m.use_begin[id]; u < m.use_begin[id + 1]; ++u) {
            const Use& use = m.uses[u];
            RuleState& st = s.rule_state[use.rule];
            if (use.slot == Slot::Any && st.fired != UINT32_MAX &&
                (s.hits[id] & m.rules[use.rule].fields) != 0) {
                auto& matched = result.fired[st.fired].matched;
                matched.insert(matched.begin() + st.labels++,
                               m.compiled[use.rule].any_labels[use.index]);
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
        if (votes[static_cast<size_t>(c)] > best_votes) {
            best = c;
            best_votes = votes[static_cast<size_t>(c)];
        }
    }
    result.category = best;
    std::sort(result.tags.begin(), result.tags.end());
    result.tags.erase(std::unique(result.tags.begin(), result.tags.end()), result.tags.end());
    if (input.goods_kind != GoodsKind::Unknown) {
        result.goods_kind = input.goods_kind;
    }
    TextCounts subject_counts;
    TextCounts body_counts;
    subject_counts.add(input.subject);
    body_counts.add(input.body);
    bool shouting = is_shouting(subject_counts) || is_shouting(body_counts);
    subject_counts += body_counts;
    result.language = language_of(subject_counts);

    // Why a term has its value: the fired rules that fed it (or voted for the category).
    auto reasons = [&](auto&& amount_of) {
        std::string detail;
        detail.reserve(120);
        for (size_t k = 0; k < s.fired_rules.size(); ++k) {
            double amount = amount_of(s.fired_rules[k]);
            if (amount != 0) {
                append_reason(detail, result.fired[k], amount);
            }
        }
        return detail;
    };
    auto fed_reasons = [&](uint32_t t) {
        return reasons([&](uint32_t r) {
            double sum = 0;
            for (const auto& [term, amount] : m.compiled[r].score) {
                sum += term == t ? amount : 0;
            }
            return sum;
        });
    };
    auto add_term = [&](uint32_t t, double raw, auto&& make_detail, bool always = false) {
        append_term(m, result, t, raw, make_detail, always);
    };

    add_term(
        m.category_terms[static_cast<size_t>(best)], 1,
        [&] {
            std::string d = reasons([&](uint32_t r) {
                const Rule& rule = m.rules[r];
                return rule.category == best ? rule.weight : 0.0;
            });
            return d.empty() ? std::string("no rule chose a category") : d;
        },
        true);
    if (shouting) {
        s.raw[m.shouting] += 1;
    }
    for (uint32_t t : {m.anger, m.negative, m.shouting, m.urgency}) {
        add_term(t, s.raw[t], [&] {
            std::string d = fed_reasons(t);
            if (t == m.shouting && shouting) {
                d += d.empty() ? "written in capitals" : "; written in capitals";
            }
            return d;
        });
    }
    for (Category c : k_precedence) {
        if (c != best && c != Category::Other && votes[static_cast<size_t>(c)] >= 1.0) {
            result.also.push_back(c);
        }
    }
    result.long_message = body.size() >= k_long_message;
    result.body_bytes = body.size();
    add_signal_terms(m, result, signals);
    add_term(m.goods_virtual, result.goods_kind == GoodsKind::Virtual ? 1 : 0,
             [] { return std::string("virtual goods"); });
    add_term(m.goods_physical, result.goods_kind == GoodsKind::Physical ? 1 : 0,
             [] { return std::string("physical goods"); });
    for (auto t = static_cast<uint32_t>(default_coefficients().size()); t < m.term_names.size();
         ++t) {
        add_term(t, s.raw[t], [&] { return fed_reasons(t); });
    }
    result.level = level(result.static_score);
    return result;
}

}  // namespace kefu::triage
