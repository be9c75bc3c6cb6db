#pragma once
// The triage engine: classifies an inquiry (category, tags, goods kind, captured fields,
// language) and computes the static part of its priority with every term explained.
//
//   Engine engine = Engine::load(config, user_rules);   // once per command
//   Result r = engine.classify({subject, body, goods_kind}, {vip, open_count, thread_count});
//   r.static_score, r.terms, r.category, r.tags …      // explain shows them, retag stores them
//   engine.age_score(received_at, now, r.level)         // added when the queue is listed
//   Scored s = engine.score({subject, body, goods_kind});  // an import: no explanation,
//   engine.apply_signals(s, {vip, open_count, thread_count}); // the same stored values
//
// How a message is classified: its subject and body are normalized (normalize.h) and every
// keyword of every rule is found in one pass over each (matcher.h); only the rules those
// keywords belong to are looked at. A rule's regexes are tried only once its keyword
// conditions hold; regexes of rules without keywords run over every message as one
// RE2::Set. A rule whose conditions all hold "fires": it votes for its category with its
// weight, adds its tags and score amounts, and fills captures. The category with the most
// votes wins (ties: complaint, refund, payment, logistics, order, account, technical,
// product, other, in that order); no vote at all means "other". The priority terms are
// described in priority.h.
//
// An Engine does not change after load(); classify() and score() may be called from several
// threads at once (their working memory is per thread).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/model.h"
#include "core/triage/rules.h"

namespace kefu::triage {

struct Input {
    std::string_view subject;
    std::string_view body;
    GoodsKind goods_kind = GoodsKind::Unknown;  // from an import column, when known
};

// Facts about the inquiry that are not in its text.
struct Signals {
    bool vip = false;
    int open_from_customer = 0;  // the customer's other open inquiries (not this one)
    int thread_messages = 1;     // buyer messages in the thread, this one included
};

// One term of the priority: contribution = raw × coefficient.
struct Term {
    std::string name;  // also the coefficient's key under [priority] in config.toml
    double raw = 0;
    double coefficient = 0;
    double contribution = 0;
    std::string detail;  // why: which rules on which words, or which signal
};

// A rule that fired and the words (keywords, or the text a regex matched) it fired on.
struct Fired {
    std::string rule_id;
    std::vector<std::string> matched;
};

struct Result {
    Category category = Category::Other;
    std::vector<std::string> tags;  // sorted, no duplicates
    // The static terms in a fixed order (category first). A term is listed when its raw value
    // and coefficient are both non-zero; the category term is always listed.
    std::vector<Term> terms;
    std::vector<Fired> fired;                     // in rule order
    std::map<std::string, std::string> captures;  // "order_id" → "E20240104001", …
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::string language;  // detect_language() of subject and body
    // The sum of the terms' contributions, added up in the order listed; equal to them
    // exactly.
    double static_score = 0;
    std::string level;  // level of static_score alone; the SLA of the age term follows it

    // What the text said that the signal terms also depend on (for apply_signals).
    std::vector<Category> also;  // other categories voted for with 1 or more
    bool long_message = false;
    size_t body_bytes = 0;
};

// What an import stores of a classification: classify()'s answer without the explanation
// (the fired rules with their words, the terms with their details), which an import does not
// keep and which roughly doubles what triage adds to an import's time. Engine::score(input)
// followed by apply_signals(scored, signals) gives exactly the category, tags, captures,
// goods kind, language and static score (the same double) of classify(input, signals).
struct Scored {
    Category category = Category::Other;
    std::vector<std::string> tags;                // sorted, no duplicates
    std::map<std::string, std::string> captures;  // as Result::captures
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::string language;
    double static_score = 0;  // with the signals last applied (none after score())

    // The contributions of the listed terms around the signal terms, in classify()'s order,
    // and what the signal terms depend on besides the signals (for apply_signals).
    double before_signals = 0;          // the category and tone terms, added up in order
    std::vector<double> after_signals;  // the goods terms and those fed by rules, in order
    size_t also = 0;                    // other categories voted for with 1 or more
    bool long_message = false;
};

// A user's rules file: its path (for messages) and its text.
struct RulesFile {
    std::string path;
    std::string text;
};

class Engine {
public:
    // The built-in rules (embedded data/rules.toml) plus `user_rules`: a user rule with the
    // id of a built-in one replaces it (in place), others are added after the built-in
    // ones; "enabled = false" switches a rule off. Coefficients, levels and SLAs come from
    // `config`. Throws kefu::Error, before anything else happens, when the rules file has
    // problems (all listed, each with file:line:col), when [priority] names an unknown
    // coefficient (naming it and the config file) or when the level thresholds are not in
    // order.
    static Engine load(const Config& config, const std::optional<RulesFile>& user_rules = {});

    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;
    ~Engine();

    Result classify(const Input& input, const Signals& signals = {}) const;

    // Turns the result of classify(input, {}) into exactly the result of
    // classify(input, signals): the terms that depend on the signals (vip, repeat, difficulty)
    // are put in, the total and level made again. Lets an import classify the text on one
    // thread and add what only the store knows on another.
    void apply_signals(Result& result, const Signals& signals) const;

    // classify(input, {}) without the explanation (see Scored), for imports; safe to call
    // from several threads at once, like classify().
    Scored score(const Input& input) const;
    // Turns score(input) into the stored values of classify(input, signals).
    void apply_signals(Scored& scored, const Signals& signals) const;

    // The age term of an inquiry still waiting for its first response, received at
    // `received`, at time `now`; `level` (the stored static level) chooses the SLA from
    // [sla.first_response_by_level], else [sla] first_response. Raw value: see age_raw().
    Term age_term(TimePoint received, TimePoint now, std::string_view level) const;
    // The same contribution without building a Term, for listing many inquiries.
    double age_score(TimePoint received, TimePoint now, std::string_view level) const;
    // No age contribution is ever larger than this (k_age_raw_max × the age coefficient,
    // or 0 when the coefficient is negative).
    double max_age_contribution() const;

    // "urgent", "high", "normal" or "low" for a total score.
    std::string level(double total) const;

    // The rules in effect (enabled ones), in the order they are evaluated.
    const std::vector<Rule>& rules() const;
    // Every coefficient in effect, built-in terms first, then terms fed by rules.
    std::vector<std::pair<std::string, double>> coefficients() const;

    struct Impl;  // opaque: defined in engine_impl.h for the engine's own files

private:
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kefu::triage
