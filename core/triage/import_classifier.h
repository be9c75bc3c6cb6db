#pragma once
// The classifier an import uses (Classifier, core/store/inquiry_writer.h) made from a triage
// engine: the text is scored on the import's reading thread (Engine::score) and the store's
// signals are added on its writing thread (Engine::apply_signals). Neither step builds the
// explanation that `kefu explain` shows (fired rules, term details): an import does not
// store it, and building it for every record would cost about as much as the
// classification itself. What is stored is exactly what Engine::classify gives.

#include <memory>

#include "core/store/inquiry_writer.h"
#include "core/triage/engine.h"

namespace kefu::triage {

// A classifier that scores with `engine`. Classification::detail holds the Scored record
// whose signal part Classifier::signals completes (its tags, captures and language have
// been moved into the Classification).
Classifier import_classifier(std::shared_ptr<const Engine> engine);

}  // namespace kefu::triage
