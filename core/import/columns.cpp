#include "core/import/columns.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>

#include "core/embedded.h"
#include "core/error.h"
#include "core/files.h"
#include "core/text.h"
#include "core/triage/normalize.h"

namespace kefu::import {
namespace {

constexpr std::array<std::string_view, k_field_count> k_field_names = {
    "external_id", "received", "channel",    "customer", "contact", "email",
    "phone",       "order_id", "product",    "goods_kind", "subject", "body"};

std::string where_of(const std::string& origin, const toml::node& n) {
    return fmt::format("{}:{}:{}", origin, n.source().begin.line, n.source().begin.column);
}

const Preset& generic() {
    static const Preset k_generic = [] {
        auto text = embedded::find("data/presets/generic.toml");
        if (!text) {
            throw std::logic_error("generic preset is not embedded");
        }
        return parse_preset(*text, "data/presets/generic.toml", "generic");
    }();
    return k_generic;
}

}  // namespace

std::string_view field_name(Field f) { return k_field_names[static_cast<size_t>(f)]; }

std::optional<Field> parse_field(std::string_view name) {
    for (size_t i = 0; i < k_field_count; ++i) {
        if (k_field_names[i] == name) {
            return static_cast<Field>(i);
        }
    }
    return std::nullopt;
}

std::string field_names() {
    std::string s;
    for (auto n : k_field_names) {
        if (!s.empty()) {
            s += ", ";
        }
        s += n;
    }
    return s;
}

std::string normalize_header(std::string_view header) {
    // Case and width folded, and traditional characters as simplified: 買家 is 买家.
    std::string folded = triage::normalize(text::trim(header));
    std::string out;
    out.reserve(folded.size());
    for (char c : folded) {
        if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' ||
            c == '[' || c == ']' || c == '\t' || c == '"' || c == '\'' || c == ':') {
            continue;
        }
        out += c;
    }
    return out;
}

Preset parse_preset(std::string_view toml_text, const std::string& origin, const std::string& name) {
    toml::table root;
    try {
        root = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        throw Error("bad preset", fmt::format("{}:{}:{}", origin, e.source().begin.line, e.source().begin.column),
                    std::string(e.description()));
    }
    Preset p;
    p.name = name;
    auto string_of = [&](const toml::node& n, std::string_view key) {
        if (auto s = n.value<std::string>()) {
            return *s;
        }
        throw Error("bad preset", where_of(origin, n), fmt::format("\"{}\" must be a string", key));
    };
    for (const auto& [key, node] : root) {
        std::string k(key.str());
        if (k == "description") {
            p.description = string_of(node, k);
        } else if (k == "channel") {
            p.channel = string_of(node, k);
        } else if (k == "encoding") {
            p.encoding = string_of(node, k);
        } else if (k == "timezone") {
            p.timezone = string_of(node, k);
        } else if (k == "delimiter") {
            std::string d = string_of(node, k);
            if (d == "\\t" || d == "tab") {
                d = "\t";
            }
            if (d.size() != 1) {
                throw Error("bad preset", where_of(origin, node), "\"delimiter\" must be one character");
            }
            p.delimiter = d[0];
        } else if (k == "columns") {
            const toml::table* cols = node.as_table();
            if (cols == nullptr) {
                throw Error("bad preset", where_of(origin, node), "\"columns\" must be a table");
            }
            for (const auto& [fk, fn] : *cols) {
                auto field = parse_field(fk.str());
                if (!field) {
                    throw Error("bad preset", where_of(origin, fn),
                                fmt::format("unknown field \"{}\" (fields: {})", fk.str(), field_names()));
                }
                auto& list = p.columns[static_cast<size_t>(*field)];
                if (const toml::array* arr = fn.as_array()) {
                    for (const auto& item : *arr) {
                        list.push_back(string_of(item, fk.str()));
                    }
                } else {
                    list.push_back(string_of(fn, fk.str()));
                }
            }
        } else {
            throw Error("bad preset", where_of(origin, node),
                        fmt::format("unknown key \"{}\" (known: description, channel, encoding, "
                                    "timezone, delimiter, columns)", k));
        }
    }
    return p;
}

std::vector<std::string> builtin_presets() {
    std::vector<std::string> names;
    for (const auto& f : embedded::under("data/presets/")) {
        std::filesystem::path p(f.path);
        names.push_back(p.stem().string());
    }
    return names;
}

Preset load_preset(const std::string& name_or_path, const std::string& user_dir) {
    namespace fs = std::filesystem;
    auto read = [](const fs::path& p) { return files::read_file(p.string(), "preset"); };
    if (name_or_path.ends_with(".toml")) {
        if (!fs::is_regular_file(name_or_path)) {
            throw Error("cannot read preset", name_or_path, "no such file", {}, k_exit_usage);
        }
        return parse_preset(read(name_or_path), name_or_path, fs::path(name_or_path).stem().string());
    }
    if (!user_dir.empty()) {
        fs::path p = fs::path(user_dir) / (name_or_path + ".toml");
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            return parse_preset(read(p), p.string(), name_or_path);
        }
    }
    std::string path = "data/presets/" + name_or_path + ".toml";
    if (auto text = embedded::find(path)) {
        return parse_preset(*text, path, name_or_path);
    }
    std::string known;
    for (const auto& n : builtin_presets()) {
        known += (known.empty() ? "" : ", ") + n;
    }
    throw Error("unknown preset", name_or_path, fmt::format("built-in presets: {}", known),
                "or put NAME.toml in " + (user_dir.empty() ? std::string("the presets folder") : user_dir),
                k_exit_usage);
}

size_t ColumnMap::recognised() const {
    size_t n = 0;
    for (int i : index) {
        n += i >= 0 ? 1 : 0;
    }
    return n;
}

ColumnMap map_columns(const std::vector<std::string>& headers, const Preset* preset,
                      const std::map<Field, std::string>& overrides, const std::string& where) {
    ColumnMap map;
    map.index.fill(-1);
    std::vector<std::string> norm;
    norm.reserve(headers.size());
    for (const auto& h : headers) {
        norm.push_back(normalize_header(h));
    }
    std::vector<bool> taken(headers.size(), false);
    auto find = [&](const std::string& name) -> int {
        std::string n = normalize_header(name);
        for (size_t i = 0; i < norm.size(); ++i) {
            if (!taken[i] && !n.empty() && norm[i] == n) {
                return static_cast<int>(i);
            }
        }
        return -1;
    };
    for (const auto& [field, header] : overrides) {
        int i = find(header);
        if (i < 0) {
            std::string found;
            for (const auto& h : headers) {
                found += (found.empty() ? "" : ", ") + std::string(text::trim(h));
            }
            throw Error("no such column", where,
                        fmt::format("--map {}={}: the headers are: {}", field_name(field), header, found));
        }
        map.index[static_cast<size_t>(field)] = i;
        taken[static_cast<size_t>(i)] = true;
    }
    for (const Preset* p : {preset, &generic()}) {
        if (p == nullptr) {
            continue;
        }
        for (size_t f = 0; f < k_field_count; ++f) {
            if (map.index[f] >= 0) {
                continue;
            }
            for (const auto& name : p->columns[f]) {
                int i = find(name);
                if (i >= 0) {
                    map.index[f] = i;
                    taken[static_cast<size_t>(i)] = true;
                    break;
                }
            }
        }
    }
    // A preset may name one column for two fields (an order number that is also the id).
    if (preset != nullptr) {
        for (size_t f = 0; f < k_field_count; ++f) {
            if (map.index[f] >= 0) {
                continue;
            }
            for (const auto& name : preset->columns[f]) {
                std::string n = normalize_header(name);
                for (size_t i = 0; i < norm.size(); ++i) {
                    if (norm[i] == n) {
                        map.index[f] = static_cast<int>(i);
                        break;
                    }
                }
                if (map.index[f] >= 0) {
                    break;
                }
            }
        }
    }
    return map;
}

}  // namespace kefu::import
