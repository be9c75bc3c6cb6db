#pragma once
// Builds the classifier that import and retag use, from the built-in rules, the user's rules
// file and config. A bad rules file is an error here, before anything is written.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmd/context.h"
#include "core/store/inquiry_writer.h"
#include "core/triage/engine.h"

namespace kefu::cli {

// The user's rules: `rules_path`, else $XDG_CONFIG_HOME/kefu/rules.toml when it exists.
std::optional<triage::RulesFile> user_rules(Context& ctx, const std::string& rules_path);

// The triage engine with the built-in rules, the user's rules and config. Throws kefu::Error
// listing every problem of a bad rules file.
std::shared_ptr<const triage::Engine> load_engine(Context& ctx, const std::string& rules_path);

// `rules_path` overrides $XDG_CONFIG_HOME/kefu/rules.toml when not empty.
Classifier make_classifier(Context& ctx, const std::string& rules_path);

// The priority terms and the rules that fired, as `kefu explain` and `kefu rules test` print
// them with --format json.
nlohmann::ordered_json terms_json(const std::vector<triage::Term>& terms);
nlohmann::ordered_json fired_json(const std::vector<triage::Fired>& fired);

}  // namespace kefu::cli

#include "core/queue.h"

namespace kefu::cli {

// The age part of priorities and the levels, from config (without loading the rules). The
// age term counts while an inquiry waits for its first answer, toward its SLA.
PriorityModel priority_model(Context& ctx);

}  // namespace kefu::cli
