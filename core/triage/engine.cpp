// Loading the engine (rules, coefficients, levels) and the age part of the priority.
#include <fmt/format.h>

#include <cmath>

#include "core/embedded.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "core/triage/engine_impl.h"
#include "core/triage/normalize.h"

namespace kefu::triage {
namespace {

constexpr std::string_view k_builtin_path = "data/rules.toml";

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string format_number(double v) { return fmt::format("{:g}", v); }

}  // namespace

void Engine::Impl::compile() {
    compiled.resize(rules.size());
    std::vector<std::vector<Use>> users;
    // Adds keyword `k` of list `slot` of rule `rule` to the matcher; a keyword listed twice
    // in one list counts once.
    auto add = [&](const Keyword& k, uint32_t rule, Slot slot, std::vector<uint32_t>& ids,
                   std::vector<std::string>* labels) {
        bool start = is_ascii_alnum(k.text.front());
        bool end = !k.prefix && is_ascii_alnum(k.text.back());
        uint32_t id = matcher.add(k.text, start, end);
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
            return;
        }
        if (users.size() <= id) {
            users.resize(id + 1);
        }
        users[id].push_back({rule, slot, static_cast<uint32_t>(ids.size())});
        ids.push_back(id);
        if (labels != nullptr) {
            labels->push_back(k.prefix ? k.text + "*" : k.text);
        }
    };
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    for (uint32_t r = 0; r < rules.size(); ++r) {
        const Rule& rule = rules[r];
        CompiledRule& c = compiled[r];
        for (const Keyword& k : rule.any) {
            add(k, r, Slot::Any, c.any, &c.any_labels);
        }
        for (const Keyword& k : rule.all) {
            add(k, r, Slot::All, c.all, &c.all_labels);
        }
        for (const Keyword& k : rule.none) {
            add(k, r, Slot::None, c.none, nullptr);
        }
        bool gated = !rule.any.empty() || !rule.all.empty();
        for (const std::string& pattern : rule.regex) {
            if (!gated) {
                std::string error;
                if (set->Add(pattern, &error) < 0) {
                    throw Error("bad rule", rule.where, "regex: " + error);
                }
                set_regex.push_back(static_cast<uint32_t>(regexes.size()));
            }
            c.regex.push_back(static_cast<uint32_t>(regexes.size()));
            regexes.push_back(std::make_unique<RE2>(pattern, options));
            regex_rule.push_back(r);
        }
        for (const auto& [name, amount] : rule.score) {
            c.score.emplace_back(term(name), amount);
        }
    }
    if (!set_regex.empty() && !set->Compile()) {
        throw Error("cannot compile the rules' regexes", "", "out of memory");
    }
    matcher.build();
    users.resize(matcher.size());
    use_begin.assign(users.size() + 1, 0);
    for (size_t p = 0; p < users.size(); ++p) {
        use_begin[p] = static_cast<uint32_t>(uses.size());
        uses.insert(uses.end(), users[p].begin(), users[p].end());
    }
    use_begin[users.size()] = static_cast<uint32_t>(uses.size());
}

void Engine::Impl::scan_regexes(std::string_view text, uint8_t field, Scratch& s) const {
    if (set_regex.empty() || text.empty()) {
        return;
    }
    s.set_matches.clear();
    RE2::Set::ErrorInfo info{};
    if (set->Match(text, &s.set_matches, &info)) {
        for (int i : s.set_matches) {
            s.regex_hits[set_regex[static_cast<size_t>(i)]] |= field;
        }
    } else if (info.kind != RE2::Set::kNoError) {
        // The set's DFA ran out of memory on this text: run the regexes one by one.
        for (uint32_t i : set_regex) {
            if (RE2::PartialMatch(text, *regexes[i])) {
                s.regex_hits[i] |= field;
            }
        }
    }
}

// The value of a captured group, copied from the original text (so that an order number keeps
// its capitals) when the normalized text maps back to it, else taken as normalized.
std::string Engine::Impl::captured(std::string_view original, const std::string& normalized,
                                   std::string_view group) const {
    // Without letters, case does not matter and the normalized form is the value (most
    // order numbers are digits): no need to map back.
    if (group.empty() || std::none_of(group.begin(), group.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
        })) {
        return std::string(group);
    }
    std::string again;
    std::vector<uint32_t> source;
    size_t start = static_cast<size_t>(group.data() - normalized.data());
    size_t end = start + group.size();
    if (!normalize_mapped(original, again, source) || again != normalized) {
        return std::string(group);
    }
    size_t from = source[start];
    size_t to = source[end - 1];
    text::next_code_point(original, to);
    return std::string(text::trim(nfkc(original.substr(from, to - from))));
}

Engine::Engine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

Engine Engine::load(const Config& config, const std::optional<RulesFile>& user_rules) {
    auto impl = std::make_unique<Impl>();
    std::optional<std::string_view> builtin = embedded::find(k_builtin_path);
    if (!builtin) {
        throw Error("built-in rules missing", std::string(k_builtin_path),
                    "the binary was built without them");
    }
    ParsedRules parsed = parse_rules(*builtin, std::string(k_builtin_path) + " (built in)");
    if (!parsed.problems.empty()) {
        throw Error("bad built-in rules", std::string(k_builtin_path),
                    describe(parsed.problems));
    }
    std::vector<Rule> rules = std::move(parsed.rules);
    if (user_rules) {
        ParsedRules user = parse_rules(user_rules->text, user_rules->path);
        if (!user.problems.empty()) {
            // The first problem and how many more, so that the error stays one readable line.
            const Problem& first = user.problems.front();
            std::string more = user.problems.size() > 1
                                   ? fmt::format(" (and {} more)", user.problems.size() - 1)
                                   : std::string();
            throw Error(fmt::format("bad rules file ({} problem{})", user.problems.size(),
                                    user.problems.size() == 1 ? "" : "s"),
                        first.where, first.message + more,
                        "run `kefu rules check " + user_rules->path + "` to see each problem");
        }
        for (Rule& rule : user.rules) {
            auto it = std::find_if(rules.begin(), rules.end(),
                                   [&](const Rule& r) { return r.id == rule.id; });
            if (it != rules.end()) {
                *it = std::move(rule);
            } else {
                rules.push_back(std::move(rule));
            }
        }
    }
    std::erase_if(rules, [](const Rule& r) { return !r.enabled; });
    impl->rules = std::move(rules);

    // Terms: the built-in ones, then those that rules feed.
    for (const auto& [name, coefficient] : default_coefficients()) {
        impl->term_names.push_back(name);
        impl->coefficients.push_back(coefficient);
        impl->caps.push_back(raw_cap(name));
    }
    for (const Rule& rule : impl->rules) {
        for (const auto& [name, amount] : rule.score) {
            if (impl->term(name) == impl->term_names.size()) {
                impl->term_names.push_back(name);
                impl->coefficients.push_back(1.0);
                impl->caps.push_back(-1);
            }
        }
    }
    std::string where = config.path.empty() ? std::string("config.toml") : config.path;
    for (const auto& [name, value] : config.priority) {
        uint32_t t = impl->term(name);
        if (t == impl->term_names.size()) {
            throw Error("bad config", where,
                        fmt::format("unknown key \"priority.{}\" (known coefficients: {})", name,
                                    fmt::join(impl->term_names, ", ")));
        }
        if (!std::isfinite(value)) {
            throw Error("bad config", where, fmt::format("\"priority.{}\" must be a finite "
                                                         "number", name));
        }
        impl->coefficients[t] = value;
    }
    for (const auto& [name, value] : config.levels) {
        (name == "urgent" ? impl->levels.urgent
                          : name == "high" ? impl->levels.high : impl->levels.normal) = value;
    }
    const Levels& lv = impl->levels;
    if (!(lv.urgent > lv.high && lv.high > lv.normal)) {
        throw Error("bad config", where,
                    fmt::format("[priority.levels] must satisfy urgent > high > normal "
                                "(now urgent = {}, high = {}, normal = {})",
                                format_number(lv.urgent), format_number(lv.high),
                                format_number(lv.normal)));
    }
    impl->sla = config.sla.first_response;
    for (const auto& [level, seconds] : config.sla.first_response_by_level) {
        impl->sla_by_level.emplace(level, seconds);
    }

    impl->anger = impl->term("anger");
    impl->negative = impl->term("negative");
    impl->shouting = impl->term("shouting");
    impl->urgency = impl->term("urgency");
    impl->vip = impl->term("vip");
    impl->repeat = impl->term("repeat");
    impl->difficulty = impl->term("difficulty");
    impl->goods_virtual = impl->term("goods_virtual");
    impl->goods_physical = impl->term("goods_physical");
    impl->age = impl->term("age");
    for (Category c : all_categories()) {
        impl->category_terms[static_cast<size_t>(c)] = impl->term(category_term(c));
    }
    impl->compile();
    return Engine(std::move(impl));
}

const std::vector<Rule>& Engine::rules() const { return m_impl->rules; }

std::vector<std::pair<std::string, double>> Engine::coefficients() const {
    std::vector<std::pair<std::string, double>> out;
    for (size_t t = 0; t < m_impl->term_names.size(); ++t) {
        out.emplace_back(m_impl->term_names[t], m_impl->coefficients[t]);
    }
    return out;
}

std::string Engine::level(double total) const {
    return std::string(level_name(total, m_impl->levels));
}

double Engine::age_score(TimePoint received, TimePoint now, std::string_view level) const {
    const Impl& m = *m_impl;
    return age_raw(now - received, m.sla_for(level)) * m.coefficients[m.age];
}

Term Engine::age_term(TimePoint received, TimePoint now, std::string_view level) const {
    const Impl& m = *m_impl;
    int64_t sla = m.sla_for(level);
    Term t;
    t.name = "age";
    t.raw = age_raw(now - received, sla);
    t.coefficient = m.coefficients[m.age];
    t.contribution = t.raw * t.coefficient;
    t.detail = fmt::format("waiting {} of a {} first-response SLA{}",
                           timeutil::format_span(std::max<int64_t>(0, now - received)),
                           timeutil::format_span(sla),
                           now - received >= sla ? " (overdue)" : "");
    return t;
}

double Engine::max_age_contribution() const {
    const Impl& m = *m_impl;
    return std::max(0.0, k_age_raw_max * m.coefficients[m.age]);
}

}  // namespace kefu::triage
