#include "core/replies/placeholders.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/time.h"

namespace kefu::replies {
namespace {

// The known names. The README's placeholder table and the built-in templates must agree
// with this list; `templates check` reports any other name a template uses undeclared.
const std::vector<PlaceholderInfo> k_known = {
    {"customer", ValueSource::Inquiry, "the buyer's display name, whole", ""},
    {"salutation", ValueSource::Inquiry,
     "how to address the buyer: their recorded salutation, else their name", ""},
    {"order_id", ValueSource::Inquiry, "the order number", ""},
    {"product", ValueSource::Inquiry, "the product asked about", ""},
    {"received_date", ValueSource::Inquiry, "the date the message arrived (YYYY-MM-DD)", ""},
    {"inquiry_id", ValueSource::Inquiry, "kefu's id of the inquiry", ""},
    {"channel", ValueSource::Inquiry, "where the message came from", ""},
    {"tracking_number", ValueSource::Captured, "the parcel's tracking number", ""},
    {"carrier", ValueSource::Captured, "the courier (顺丰, 中通, DHL …)", ""},
    {"shop", ValueSource::Config, "the shop's name", "[shop] name"},
    {"signature", ValueSource::Config, "the sign-off line (default: the shop's name)",
     "[shop] signature"},
    {"agent", ValueSource::Config, "the name of the person answering", "[shop] agent"},
    {"ship_date", ValueSource::Seller, "when the order will ship", ""},
    {"eta", ValueSource::Seller, "when the parcel should arrive", ""},
    {"restock_date", ValueSource::Seller, "when an item is back in stock", ""},
    {"refund_amount", ValueSource::Seller, "the amount refunded", ""},
    {"return_address", ValueSource::Seller, "where returns go (address, name, phone)", ""},
    {"download_link", ValueSource::Seller, "a working download link", ""},
    {"activation_code", ValueSource::Seller, "a new activation code", ""},
    {"coupon_code", ValueSource::Seller, "a coupon code for the buyer", ""},
    {"reply_by", ValueSource::Seller, "when the seller promises the next answer", ""},
    {"business_hours", ValueSource::Seller, "when the shop answers messages", ""},
    {"warranty_period", ValueSource::Seller, "how long the warranty runs", ""},
};

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

const std::vector<PlaceholderInfo>& known_placeholders() {
    return k_known;
}

const PlaceholderInfo* find_placeholder(std::string_view name) {
    for (const PlaceholderInfo& p : k_known) {
        if (p.name == name) {
            return &p;
        }
    }
    return nullptr;
}

bool valid_placeholder_name(std::string_view name) {
    if (name.empty() || name.front() < 'a' || name.front() > 'z') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), name_char);
}

std::vector<Piece> parse_body(std::string_view body, std::vector<SyntaxProblem>* problems) {
    std::vector<Piece> pieces;
    auto literal = [&](size_t from, size_t len) {
        if (len == 0) {
            return;
        }
        // Adjacent literal views are merged when they are contiguous in the body.
        if (!pieces.empty() && !pieces.back().is_placeholder &&
            pieces.back().text.data() + pieces.back().text.size() == body.data() + from) {
            pieces.back().text =
                std::string_view(pieces.back().text.data(), pieces.back().text.size() + len);
            return;
        }
        Piece p;
        p.text = body.substr(from, len);
        p.offset = from;
        pieces.push_back(p);
    };
    auto problem = [&](size_t at, std::string message) {
        if (problems != nullptr) {
            problems->push_back({at, std::move(message)});
        }
    };

    size_t i = 0;
    size_t text_start = 0;
    while (i < body.size()) {
        char c = body[i];
        if (c != '{' && c != '}') {
            ++i;
            continue;
        }
        literal(text_start, i - text_start);
        if (i + 1 < body.size() && body[i + 1] == c) {
            literal(i, 1);  // "{{" → "{", "}}" → "}"
            i += 2;
            text_start = i;
            continue;
        }
        if (c == '}') {
            problem(i, "a lone \"}\" (write \"}}\" for a literal brace)");
            literal(i, 1);
            ++i;
            text_start = i;
            continue;
        }
        // A placeholder: "{" name ["|" fallback] "}".
        size_t j = i + 1;
        while (j < body.size() && name_char(body[j])) {
            ++j;
        }
        std::string_view name = body.substr(i + 1, j - i - 1);
        std::optional<std::string_view> fallback;
        bool ok =
            valid_placeholder_name(name) && j < body.size() && (body[j] == '}' || body[j] == '|');
        size_t end = j;
        if (ok && body[j] == '|') {
            size_t close = body.find_first_of("{}", j + 1);
            if (close == std::string_view::npos || body[close] != '}') {
                ok = false;
            } else {
                fallback = body.substr(j + 1, close - j - 1);
                end = close;
            }
        }
        if (!ok) {
            // One problem for one mistake: "{Bad}" is taken whole, so that its "}" is not
            // reported again as a lone brace.
            problem(i,
                    "\"{\" does not start a placeholder {name} or {name|fallback} "
                    "(write \"{{\" for a literal brace)");
            size_t close = body.find_first_of("{}\n", i + 1);
            bool closed = close != std::string_view::npos && body[close] == '}';
            size_t len = closed ? close - i + 1 : 1;
            literal(i, len);
            i += len;
            text_start = i;
            continue;
        }
        Piece p;
        p.is_placeholder = true;
        p.name = name;
        p.fallback = fallback;
        p.offset = i;
        pieces.push_back(p);
        i = end + 1;
        text_start = i;
    }
    literal(text_start, body.size() - text_start);
    return pieces;
}

const std::string* Values::get(std::string_view name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) {
        return nullptr;
    }
    return &it->second;
}

Values values_for(const Config& config, const Inquiry* inquiry, std::string_view salutation) {
    Values v;
    v.set("shop", config.shop.name);
    v.set("signature", config.shop.signature.empty() ? config.shop.name : config.shop.signature);
    v.set("agent", config.shop.agent);
    for (const auto& [name, value] : config.placeholders) {
        v.set(name, value);
    }
    if (inquiry != nullptr) {
        v.set("customer", inquiry->customer);
        v.set("order_id", inquiry->order_id);
        v.set("product", inquiry->product);
        v.set("channel", inquiry->channel);
        if (inquiry->id != 0) {
            v.set("inquiry_id", std::to_string(inquiry->id));
        }
        if (inquiry->received_at != 0) {
            v.set("received_date", timeutil::format_local(inquiry->received_at).substr(0, 10));
        }
    }
    std::string address(salutation);
    if (address.empty() && inquiry != nullptr) {
        address = inquiry->customer;
    }
    if (!address.empty()) {
        v.set("salutation", address);
    }
    return v;
}

std::pair<std::string, std::string> parse_assignment(std::string_view text) {
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
        throw usage_error(fmt::format("bad --set \"{}\"", text), "expected name=value",
                          "for example --set tracking_number=SF1234567890");
    }
    std::string name(text.substr(0, eq));
    if (!valid_placeholder_name(name)) {
        throw usage_error(fmt::format("bad --set \"{}\"", text),
                          fmt::format("\"{}\" is not a placeholder name (a-z, 0-9, _)", name));
    }
    return {name, std::string(text.substr(eq + 1))};
}

Rendered render_body(std::string_view body, const Values& values) {
    Rendered r;
    r.text.reserve(body.size() + 64);
    for (const Piece& p : parse_body(body, nullptr)) {
        if (!p.is_placeholder) {
            r.text += p.text;
            continue;
        }
        if (const std::string* value = values.get(p.name)) {
            r.text += *value;
        } else if (p.fallback) {
            r.text += *p.fallback;
        } else {
            r.text += '{';
            r.text += p.name;
            r.text += '}';
            if (std::find(r.missing.begin(), r.missing.end(), p.name) == r.missing.end()) {
                r.missing.emplace_back(p.name);
            }
        }
    }
    return r;
}

std::string how_to_set(std::string_view name) {
    const PlaceholderInfo* info = find_placeholder(name);
    if (info == nullptr) {
        return fmt::format("--set {}=… or [placeholders] {} = \"…\" in config.toml", name, name);
    }
    switch (info->source) {
        case ValueSource::Inquiry:
            return fmt::format("--set {}=… ({}; not recorded for this inquiry)", name,
                               info->description);
        case ValueSource::Captured:
            return fmt::format("--set {}=… ({}; taken from the inquiry when a rule captures it)",
                               name, info->description);
        case ValueSource::Config:
            return fmt::format("{} = \"…\" in config.toml, or --set {}=… ({})", info->config_key,
                               name, info->description);
        case ValueSource::Seller:
            break;
    }
    return fmt::format("--set {}=… or [placeholders] {} = \"…\" in config.toml ({})", name, name,
                       info->description);
}

Error missing_error(std::string_view template_id, const std::vector<std::string>& missing) {
    std::string names;
    std::string hint;
    for (const std::string& m : missing) {
        names += (names.empty() ? "{" : ", {") + m + "}";
        hint += (hint.empty() ? "set " : "; set ") + how_to_set(m);
    }
    return Error(fmt::format("missing placeholder{} {}", missing.size() == 1 ? "" : "s", names),
                 fmt::format("template {}", template_id),
                 missing.size() == 1 ? "it has no value and no fallback"
                                     : "they have no value and no fallback",
                 hint);
}

}  // namespace kefu::replies
