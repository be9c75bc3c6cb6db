#pragma once
// Placeholders in reply bodies, the values that fill them, and rendering.
//
// Syntax inside a body:
//   {name}            the value of `name`; an error at reply time when it has no value
//   {name|fallback}   the value of `name`, else the fallback text (which may be empty)
//   {{  and  }}       a literal "{" and "}"
// A name is lower-case ASCII letters, digits and "_". The fallback runs to the next "}" and
// holds no brace. Anything else with a brace (a lone "}", "{ x }") is a syntax error that
// `templates check` reports with its file:line:col; render() shows such text as it is.
//
// Names are known (see known_placeholders()) so that a typo such as {ordre_id} is caught by
// the check rather than at the moment of answering a buyer. A template may declare extra
// names of its own (`placeholders = ["coupon_code"]`), filled by --set or by config
// [placeholders].

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/model.h"

namespace kefu::replies {

// Where a placeholder's value comes from; used to say how to supply a missing one.
enum class ValueSource {
    Inquiry,   // the inquiry or its customer, filled by values_for()
    Captured,  // captured from the inquiry's text by a rule, else --set
    Config,    // config.toml [shop]
    Seller,    // the seller's own data: --set name=… or config [placeholders]
};

struct PlaceholderInfo {
    std::string_view name;
    ValueSource source;
    std::string_view description;
    std::string_view config_key;  // for ValueSource::Config: "shop.name" …; else empty
};

// Every known placeholder name, in the order the documentation lists them.
const std::vector<PlaceholderInfo>& known_placeholders();
const PlaceholderInfo* find_placeholder(std::string_view name);

// True for a well-formed placeholder name ([a-z0-9_]+, starting with a letter).
bool valid_placeholder_name(std::string_view name);

// One piece of a parsed body: literal text, or a placeholder with an optional fallback.
// Views point into the parsed body (or, for an escaped brace, at one of its bytes).
struct Piece {
    bool is_placeholder = false;
    std::string_view text;                     // literal text when !is_placeholder
    std::string_view name;                     // placeholder name
    std::optional<std::string_view> fallback;  // text after "|"
    size_t offset = 0;                         // byte offset of the piece in the body
};

struct SyntaxProblem {
    size_t offset = 0;  // byte offset in the body
    std::string message;
};

// Splits a body into pieces. Malformed brace text becomes a literal piece and, when
// `problems` is given, a problem at its offset.
std::vector<Piece> parse_body(std::string_view body, std::vector<SyntaxProblem>* problems);

// The values available for one reply: name → text. An empty value counts as no value, so
// that an empty customer name falls back to "{salutation|亲}"'s "亲".
struct Values {
    std::map<std::string, std::string, std::less<>> values;

    void set(std::string name, std::string value) { values[std::move(name)] = std::move(value); }
    // The value of `name` when it is set and not empty, else nullptr.
    const std::string* get(std::string_view name) const;
};

// The values of an inquiry and the config, lowest precedence first: config [shop]
// (shop, signature, agent; signature defaults to the shop name), config [placeholders], then
// the inquiry (customer, order_id, product, received_date in local time, inquiry_id,
// channel). `salutation` is how to address this buyer (from the customer record); when empty,
// the customer's display name is used whole: names are never split into a "first name",
// which would be wrong for 张伟. Callers add captured values and --set values afterwards with
// Values::set, which take precedence.
Values values_for(const Config& config, const Inquiry* inquiry, std::string_view salutation = {});

// Parses a --set argument "name=value" (value may be empty or hold "="). Throws a usage
// kefu::Error for a missing "=" or a malformed name.
std::pair<std::string, std::string> parse_assignment(std::string_view text);

struct Rendered {
    std::string text;                  // missing placeholders are left in as "{name}"
    std::vector<std::string> missing;  // names without value or fallback, each once, in order
    bool complete() const { return missing.empty(); }
};

// Fills `body` with `values`.
Rendered render_body(std::string_view body, const Values& values);

// How to supply a missing placeholder, as a hint: "--set tracking_number=… (the parcel's
// tracking number; captured from the inquiry when a rule finds it)".
std::string how_to_set(std::string_view name);

// The error for a reply that cannot be sent: names every missing placeholder and, in the
// hint, how to set each. `template_id` is where it happened.
Error missing_error(std::string_view template_id, const std::vector<std::string>& missing);

}  // namespace kefu::replies
