#pragma once
// Triage rules as read from TOML: the built-in data/rules.toml and a user's rules file. The
// format is documented with examples at the top of data/rules.toml; the keys read here and
// that comment must change together.
//
// parse_rules() reads a file and reports every problem it finds (unknown keys, wrong types,
// bad regexes, duplicate ids, unknown categories …), each with file:line:col, rather than
// stopping at the first; check_rules() is the same for `kefu rules check`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace kefu::triage {

// Where a rule looks: bits of Rule::fields.
enum FieldBits : unsigned { k_field_subject = 1, k_field_body = 2 };

struct Keyword {
    std::string text;     // normalized (see normalize.h), without the trailing '*'
    bool prefix = false;  // written "refund*": a Latin word may go on after it
};

struct Rule {
    std::string id;
    std::string description;
    std::optional<Category> category;
    double weight = 1.0;  // the rule's vote for its category
    std::vector<Keyword> any;
    std::vector<Keyword> all;
    std::vector<Keyword> none;
    std::vector<std::string> regex;  // RE2 syntax, matched case-insensitively
    unsigned fields = k_field_subject | k_field_body;
    std::vector<std::string> tags;
    std::vector<std::pair<std::string, double>> score;  // term name → amount added
    std::optional<GoodsKind> goods;
    bool enabled = true;
    std::string where;  // file:line:col of the rule's table
};

struct Problem {
    std::string where;  // file:line:col
    std::string message;
    size_t line = 0;  // 1-based, as in `where`
    size_t column = 0;
};

struct ParsedRules {
    std::vector<Rule> rules;  // the rules without problems, in file order
    std::vector<Problem> problems;
};

// Reads rules from TOML text; `origin` (a path, or "data/rules.toml (built in)") is the file
// part of every Problem::where. Never throws for bad input: problems are returned.
ParsedRules parse_rules(std::string_view toml_text, const std::string& origin);

// All problems of a rules file, in file order; empty when it is valid.
std::vector<Problem> check_rules(std::string_view toml_text, const std::string& origin);

// The names a regex may capture into (?P<name>…): inquiry fields the importer fills when
// they are missing.
const std::vector<std::string>& capture_names();

// Joins problems into one "where: message" line each, for an error message.
std::string describe(const std::vector<Problem>& problems);

}  // namespace kefu::triage
