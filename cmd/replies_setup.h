#pragma once
// What `kefu suggest` and `kefu reply` share: the template library (built-in plus the user's
// folder), everything about one inquiry that a reply needs (its customer's salutation and VIP
// flag, the values its triage rules captured), the placeholder values, and the seller's past
// choices that rank the suggestions.

#include <map>
#include <string>
#include <vector>

#include "cmd/context.h"
#include "core/model.h"
#include "core/replies/library.h"
#include "core/replies/placeholders.h"
#include "core/replies/suggest.h"

namespace kefu::cli {

// $XDG_CONFIG_HOME/kefu/templates: the user's templates.
std::string user_templates_dir(const Context& ctx);

// $XDG_CACHE_HOME/kefu/replies.cache (~/.cache/kefu/replies.cache when XDG_CACHE_HOME is
// unset or not absolute, as the XDG spec asks), or "" when neither is known: no cache.
std::string library_cache_path();

// The built-in templates with the user's folder on top, through the cache above. Throws
// kefu::Error listing the problems of a broken user folder.
replies::Library load_library(const Context& ctx);

// One inquiry as a reply sees it.
struct ReplyTarget {
    Inquiry inquiry;
    std::string salutation;                       // the customer's, or ""
    bool vip = false;
    std::map<std::string, std::string> captures;  // from the triage rules: tracking_number …
};

// Reads the inquiry `id` with its customer and captures. Throws kefu::Error when there is
// no such inquiry.
ReplyTarget read_target(Context& ctx, Store& store, int64_t id);

// Parses every --set "name=value" (usage error for a malformed one). Done before the store
// is opened, so that a usage error never depends on the database.
std::vector<std::pair<std::string, std::string>> parse_sets(const std::vector<std::string>& sets);

// The placeholder values of a reply, lowest precedence first: config, the inquiry, the
// values its rules captured (where the inquiry has none), then --set.
replies::Values reply_values(const Context& ctx, const ReplyTarget& target,
                             const std::vector<std::pair<std::string, std::string>>& sets);

// Checks a --lang value: a language code such as "zh", "en" or "pt-br"; usage error otherwise.
void check_language(const std::string& lang);

// The language to answer in: `wanted` (from --lang) when given, else the inquiry's, else the
// one detected from its text ("" when nothing tells).
std::string buyer_language(const ReplyTarget& target, const std::string& wanted);

// What the ranking needs to know about the inquiry.
replies::Query reply_query(const ReplyTarget& target, const std::string& language);

// The text as it is sent: without the line breaks and spaces a body ends with.
std::string trim_end(std::string text);

// The body language of `tmpl` to send: `language` when it has it, else Chinese, English, or
// the first it has (the order suggest() uses).
std::string template_language(const replies::Template& tmpl, const std::string& language);

}  // namespace kefu::cli
