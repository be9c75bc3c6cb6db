#include "cmd/triage_setup.h"

namespace kefu::cli {

Classifier make_classifier(Context& /*ctx*/, const std::string& /*rules_path*/) { return {}; }

}  // namespace kefu::cli

namespace kefu::cli {

PriorityModel priority_model(Context& /*ctx*/) { return {}; }

}  // namespace kefu::cli
