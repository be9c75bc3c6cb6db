#pragma once
// Internals of the triage engine shared by engine.cpp (loading, priority) and classify.cpp
// (classification). Not part of the public interface: include core/triage/engine.h.

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/triage/engine.h"
#include "core/triage/matcher.h"
#include "core/triage/priority.h"

namespace kefu::triage {

inline constexpr size_t k_categories = 9;  // values of kefu::Category

struct CompiledRule {
    std::vector<uint32_t> any;  // pattern ids
    std::vector<uint32_t> all;
    std::vector<std::string> any_labels;  // the keywords as written ("refund*"), for explain
    std::vector<std::string> all_labels;
    std::vector<uint32_t> none;
    std::vector<uint32_t> regex;  // indices into Engine::Impl::regexes
    std::vector<std::pair<uint32_t, double>> score;  // term index → amount
};

// One use of a keyword pattern by a rule: in which list, at which position.
enum class Slot : uint8_t { Any, All, None };
struct Use {
    uint32_t rule = 0;
    Slot slot = Slot::Any;
    uint32_t index = 0;  // into the rule's any/all/none list
};

// What the keywords of one rule did in the current message (see Scratch::rule_state).
struct RuleState {
    uint32_t stamp = 0;  // the call this state belongs to
    uint32_t any = 0;    // `any` keywords found
    uint32_t all = 0;    // `all` keywords found
    bool none = false;   // a `none` keyword was found
    uint32_t fired = UINT32_MAX;  // index into Result::fired when the rule fired
    uint32_t labels = 0;          // `any` keywords put into its Fired::matched so far
};

// A regex that matched, with its groups (the whole match and up to 15 groups; only named
// groups are used, and rules name few).
struct RegexMatch {
    uint32_t regex = 0;
    size_t field = 0;  // 0 subject, 1 body
    int groups = 0;
    std::array<re2::StringPiece, 16> group;
};

// Per-call working memory, kept per thread so that classify() allocates little. Between
// calls every entry of `hits` and `regex_hits` is zero.
struct Scratch {
    std::vector<uint8_t> hits;         // per pattern: the fields it occurred in
    std::vector<uint32_t> touched;     // patterns whose hits are not zero
    std::vector<uint8_t> regex_hits;   // per regex: the fields it matched in
    std::vector<uint32_t> candidates;  // rules that may fire
    std::vector<RuleState> rule_state; // per rule; valid when its stamp is the call's
    uint32_t stamp = 0;
    std::vector<uint32_t> fired_rules;  // rules that fired, parallel to Result::fired
    std::vector<double> raw;            // per term: the amounts fired rules added
    std::vector<int> set_matches;
    std::vector<RegexMatch> regex_matches;  // of the rule being looked at
};

struct Engine::Impl {
    std::vector<Rule> rules;
    std::vector<CompiledRule> compiled;
    KeywordMatcher matcher;
    std::vector<uint32_t> use_begin;  // pattern → range in uses
    std::vector<Use> uses;            // which rules use each pattern, and how
    // Regexes of rules that also have keyword conditions are only run when those hold
    // ("gated"); the others are run over every message as one RE2::Set.
    std::unique_ptr<RE2::Set> set;
    std::vector<uint32_t> set_regex;  // set position → regex index
    std::vector<std::unique_ptr<RE2>> regexes;
    std::vector<uint32_t> regex_rule;  // regex index → rule index

    std::vector<std::string> term_names;
    std::vector<double> coefficients;
    std::vector<double> caps;
    uint32_t anger = 0, negative = 0, shouting = 0, urgency = 0, vip = 0, repeat = 0,
             difficulty = 0, goods_virtual = 0, goods_physical = 0, age = 0;
    std::array<uint32_t, k_categories> category_terms{};

    Levels levels;
    int64_t sla = 24 * 3600;
    std::map<std::string, int64_t, std::less<>> sla_by_level;

    uint32_t term(std::string_view name) const {
        auto it = std::find(term_names.begin(), term_names.end(), name);
        return static_cast<uint32_t>(it - term_names.begin());
    }

    void compile();
    void scan_regexes(std::string_view text, uint8_t field, Scratch& s) const;
    std::string captured(std::string_view original, const std::string& normalized,
                         std::string_view group) const;
    int64_t sla_for(std::string_view level) const {
        auto it = sla_by_level.find(level);
        return it == sla_by_level.end() ? sla : it->second;
    }
};

}  // namespace kefu::triage
