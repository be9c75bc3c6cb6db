#include "core/triage/rules.h"

#include <fmt/format.h>
#include <re2/re2.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "core/triage/normalize.h"
#include "core/triage/priority.h"

namespace kefu::triage {
namespace {

constexpr std::string_view k_known_keys =
    "id, description, category, weight, any, all, none, regex, in, tags, score, goods, enabled";

std::string position(const std::string& origin, const toml::source_region& src) {
    return fmt::format("{}:{}:{}", origin, src.begin.line, src.begin.column);
}

Problem make_problem(const std::string& origin, const toml::source_region& src,
                     std::string message) {
    return {position(origin, src), std::move(message), src.begin.line, src.begin.column};
}

std::string category_list() {
    std::string s;
    for (Category c : all_categories()) {
        s += s.empty() ? "" : ", ";
        s += to_string(c);
    }
    return s;
}

// Reads one rule table; problems go to `problems`, and the rule is returned only when it has
// none.
class RuleReader {
public:
    RuleReader(const std::string& origin, std::vector<Problem>& problems)
        : m_origin(origin), m_problems(problems) {}

    std::optional<Rule> read(const toml::table& table) {
        m_count = m_problems.size();
        m_captures = false;
        m_condition_seen = false;
        m_effect_seen = false;
        Rule rule;
        rule.where = position(m_origin, table.source());
        for (const auto& [key, node] : table) {
            read_key(rule, std::string(key.str()), key, node);
        }
        if (rule.id.empty() && !m_id_seen) {
            problem(table.source(), "the rule has no \"id\"");
        }
        m_id_seen = false;
        // A condition or effect given with an error has been reported already; do not also
        // say that the rule has none.
        bool has_condition = !rule.any.empty() || !rule.all.empty() || !rule.regex.empty() ||
                             m_condition_seen;
        std::string name = rule.id.empty() ? "the rule" : "rule \"" + rule.id + "\"";
        if (rule.enabled && !has_condition) {
            problem(table.source(),
                    fmt::format("{} matches nothing: give it \"any\", \"all\" or \"regex\" "
                                "(or \"enabled = false\" to switch a rule off)", name));
        }
        bool has_effect = rule.category || !rule.tags.empty() || !rule.score.empty() ||
                          rule.goods || m_captures || m_effect_seen;
        if (rule.enabled && has_condition && !has_effect) {
            problem(table.source(),
                    fmt::format("{} has no effect: give it a \"category\", \"tags\", "
                                "\"score\", \"goods\" or a regex that captures", name));
        }
        if (m_problems.size() != m_count) {
            return std::nullopt;
        }
        return rule;
    }

private:
    void problem(const toml::source_region& where, std::string message) {
        m_problems.push_back(make_problem(m_origin, where, std::move(message)));
    }

    std::optional<std::string> string_value(const toml::node& node, std::string_view key) {
        if (auto s = node.value<std::string>()) {
            return s;
        }
        problem(node.source(), fmt::format("\"{}\" must be a string", key));
        return std::nullopt;
    }

    // A string or a list of strings, each reported on its own line when it is not one.
    std::vector<std::pair<std::string, const toml::node*>> strings(const toml::node& node,
                                                                   std::string_view key,
                                                                   bool single_allowed) {
        std::vector<std::pair<std::string, const toml::node*>> out;
        if (single_allowed && node.is_string()) {
            out.emplace_back(*node.value<std::string>(), &node);
            return out;
        }
        const toml::array* array = node.as_array();
        if (array == nullptr) {
            problem(node.source(), fmt::format("\"{}\" must be a list of strings", key));
            return out;
        }
        for (const toml::node& item : *array) {
            if (auto s = item.value<std::string>()) {
                out.emplace_back(*s, &item);
            } else {
                problem(item.source(), fmt::format("\"{}\" must be a list of strings; this "
                                                   "item is not a string", key));
            }
        }
        return out;
    }

    void read_keywords(std::vector<Keyword>& out, const toml::node& node, std::string_view key) {
        for (const auto& [word, item] : strings(node, key, false)) {
            Keyword k;
            std::string_view w = word;
            if (w.ends_with('*')) {
                k.prefix = true;
                w.remove_suffix(1);
            }
            if (w.find('*') != std::string_view::npos) {
                problem(item->source(), fmt::format("keyword \"{}\": '*' may only end a "
                                                    "keyword (\"refund*\")", word));
                continue;
            }
            k.text = normalize(w);
            if (k.text.empty()) {
                problem(item->source(), fmt::format("empty keyword in \"{}\"", key));
                continue;
            }
            out.push_back(std::move(k));
        }
    }

    void read_regex(Rule& rule, const toml::node& node) {
        for (const auto& [pattern, item] : strings(node, "regex", true)) {
            RE2::Options options;
            options.set_case_sensitive(false);
            options.set_log_errors(false);
            RE2 re(pattern, options);
            if (!re.ok()) {
                problem(item->source(), fmt::format("bad regex \"{}\": {}", pattern, re.error()));
                continue;
            }
            for (const auto& [name, index] : re.NamedCapturingGroups()) {
                m_captures = true;
                const auto& known = capture_names();
                if (std::find(known.begin(), known.end(), name) == known.end()) {
                    problem(item->source(),
                            fmt::format("regex captures unknown field \"{}\" (known: {})", name,
                                        fmt::join(known, ", ")));
                }
            }
            rule.regex.push_back(pattern);
        }
    }

    void read_score(Rule& rule, const toml::node& node) {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
            problem(node.source(), "\"score\" must be a table of term = number "
                                   "(score = { urgency = 1 })");
            return;
        }
        for (const auto& [key, value] : *table) {
            std::string name(key.str());
            if (!is_valid_term_name(name)) {
                problem(key.source(), fmt::format("score term \"{}\": use lower-case letters, "
                                                  "digits and '_'", name));
            } else if (is_computed_term(name)) {
                problem(key.source(), fmt::format("score term \"{}\" is computed by kefu and "
                                                  "cannot be set by a rule", name));
            } else if (auto v = value.value<double>(); v && value.is_number()) {
                rule.score.emplace_back(name, *v);
            } else {
                problem(value.source(), fmt::format("score term \"{}\" must be a number", name));
            }
        }
    }

    void read_key(Rule& rule, const std::string& name, const toml::key& key,
                  const toml::node& node) {
        size_t before = m_problems.size();
        read_value(rule, name, key, node);
        if (m_problems.size() != before) {
            m_condition_seen = m_condition_seen || name == "any" || name == "all" ||
                               name == "regex";
            m_effect_seen = m_effect_seen || name == "category" || name == "tags" ||
                            name == "score" || name == "goods" || name == "regex";
        }
    }

    void read_value(Rule& rule, const std::string& name, const toml::key& key,
                    const toml::node& node) {
        if (name == "id") {
            m_id_seen = true;
            if (auto s = string_value(node, name)) {
                bool ok = !s->empty() && std::all_of(s->begin(), s->end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                           c == '_' || c == '-';
                });
                if (!ok) {
                    problem(node.source(), fmt::format("bad rule id \"{}\": use letters, "
                                                       "digits, '.', '_' and '-'", *s));
                }
                rule.id = *s;
            }
        } else if (name == "description") {
            rule.description = string_value(node, name).value_or("");
        } else if (name == "category") {
            if (auto s = string_value(node, name)) {
                rule.category = parse_category(*s);
                if (!rule.category) {
                    problem(node.source(), fmt::format("unknown category \"{}\" (known: {})", *s,
                                                       category_list()));
                }
            }
        } else if (name == "weight") {
            auto v = node.value<double>();
            if (!node.is_number() || !v || !std::isfinite(*v) || *v < 0) {
                problem(node.source(), "\"weight\" must be a number ≥ 0");
            } else {
                rule.weight = *v;
            }
        } else if (name == "any") {
            read_keywords(rule.any, node, name);
        } else if (name == "all") {
            read_keywords(rule.all, node, name);
        } else if (name == "none") {
            read_keywords(rule.none, node, name);
        } else if (name == "regex") {
            read_regex(rule, node);
        } else if (name == "in") {
            if (auto s = string_value(node, name)) {
                if (*s == "subject") {
                    rule.fields = k_field_subject;
                } else if (*s == "body") {
                    rule.fields = k_field_body;
                } else if (*s == "both") {
                    rule.fields = k_field_subject | k_field_body;
                } else {
                    problem(node.source(),
                            fmt::format("\"in\" must be \"subject\", \"body\" or \"both\", not "
                                        "\"{}\"", *s));
                }
            }
        } else if (name == "tags") {
            for (const auto& [tag, item] : strings(node, name, false)) {
                bool ok = !tag.empty() && tag[0] != '+' && tag[0] != '-' &&
                          tag.find_first_of(" \t\r\n,") == std::string::npos;
                if (!ok) {
                    problem(item->source(), fmt::format("bad tag \"{}\": no spaces or commas, "
                                                        "and no leading '+' or '-'", tag));
                } else {
                    rule.tags.push_back(tag);
                }
            }
        } else if (name == "score") {
            read_score(rule, node);
        } else if (name == "goods") {
            if (auto s = string_value(node, name)) {
                rule.goods = parse_goods_kind(*s);
                if (!rule.goods || *rule.goods == GoodsKind::Unknown) {
                    rule.goods.reset();
                    problem(node.source(), fmt::format("\"goods\" must be \"physical\" or "
                                                       "\"virtual\", not \"{}\"", *s));
                }
            }
        } else if (name == "enabled") {
            if (auto b = node.value<bool>(); b && node.is_boolean()) {
                rule.enabled = *b;
            } else {
                problem(node.source(), "\"enabled\" must be true or false");
            }
        } else {
            problem(key.source(),
                    fmt::format("unknown key \"{}\" in a rule (known: {})", name, k_known_keys));
        }
    }

    const std::string& m_origin;
    std::vector<Problem>& m_problems;
    size_t m_count = 0;
    bool m_id_seen = false;
    bool m_captures = false;
    bool m_condition_seen = false;  // a condition key was given, with a problem
    bool m_effect_seen = false;     // an effect key was given, with a problem
};

}  // namespace

const std::vector<std::string>& capture_names() {
    static const std::vector<std::string> k_names{"order_id", "tracking_number", "product"};
    return k_names;
}

ParsedRules parse_rules(std::string_view toml_text, const std::string& origin) {
    ParsedRules result;
    toml::table root;
    try {
        root = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        result.problems.push_back(
            make_problem(origin, e.source(), std::string(e.description())));
        return result;
    }
    RuleReader reader(origin, result.problems);
    std::map<std::string, std::string> first_seen;  // id → where
    for (const auto& [key, node] : root) {
        if (key.str() != "rule") {
            result.problems.push_back(make_problem(
                origin, key.source(),
                fmt::format("unknown key \"{}\" (a rules file holds only [[rule]] tables)",
                            key.str())));
            continue;
        }
        const toml::array* rules = node.as_array();
        if (rules == nullptr || !rules->is_array_of_tables()) {
            result.problems.push_back(make_problem(
                origin, node.source(), "\"rule\" must be a list of tables: write [[rule]]"));
            continue;
        }
        for (const toml::node& item : *rules) {
            const toml::table& table = *item.as_table();
            std::optional<Rule> rule = reader.read(table);
            std::optional<std::string> id;
            if (const toml::node* id_node = table.get("id"); id_node != nullptr) {
                id = id_node->value<std::string>();
            }
            if (id && !id->empty()) {
                auto [it, added] = first_seen.emplace(*id, position(origin, table.source()));
                if (!added) {
                    result.problems.push_back(make_problem(
                        origin, table.get("id")->source(),
                        fmt::format("duplicate rule id \"{}\" (first defined at {})", *id,
                                    it->second)));
                    continue;
                }
            }
            if (rule) {
                result.rules.push_back(std::move(*rule));
            }
        }
    }
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const Problem& a, const Problem& b) {
                         return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                     });
    return result;
}

std::vector<Problem> check_rules(std::string_view toml_text, const std::string& origin) {
    return parse_rules(toml_text, origin).problems;
}

std::string describe(const std::vector<Problem>& problems) {
    std::string s;
    for (const Problem& p : problems) {
        s += s.empty() ? "" : "; ";
        s += p.where + ": " + p.message;
    }
    return s;
}

}  // namespace kefu::triage
