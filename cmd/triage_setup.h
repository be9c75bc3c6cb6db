#pragma once
// Builds the classifier that import and retag use, from the built-in rules, the user's rules
// file and config. A bad rules file is an error here, before anything is written.

#include <string>

#include "cmd/context.h"
#include "core/store/inquiry_writer.h"

namespace kefu::cli {

// `rules_path` overrides $XDG_CONFIG_HOME/kefu/rules.toml when not empty.
Classifier make_classifier(Context& ctx, const std::string& rules_path);

}  // namespace kefu::cli

#include "core/queue.h"

namespace kefu::cli {

// The age part of priorities and the levels, from config.
PriorityModel priority_model(Context& ctx);

}  // namespace kefu::cli
