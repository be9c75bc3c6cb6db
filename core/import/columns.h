#pragma once
// Which CSV column holds which inquiry field: header names (from presets, see
// data/presets/generic.toml for the format) and --map overrides.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::import {

enum class Field {
    ExternalId,
    Received,
    Channel,
    Customer,
    Contact,
    Email,
    Phone,
    OrderId,
    Product,
    GoodsKind,
    Subject,
    Body,
};
inline constexpr size_t k_field_count = 12;

std::string_view field_name(Field f);
std::optional<Field> parse_field(std::string_view name);
// "external_id, received, …" for messages.
std::string field_names();

// A header as compared: NFKC, case-folded, traditional characters as simplified, without
// spaces, '_', '-', '.', '/' and brackets.
std::string normalize_header(std::string_view header);

struct Preset {
    std::string name;
    std::string description;
    std::string channel;
    std::string encoding;
    std::string timezone;
    char delimiter = 0;
    std::array<std::vector<std::string>, k_field_count> columns;  // candidate headers per field
};

// Loads a preset: a path ending in .toml, else NAME from `user_dir` (NAME.toml), else built in.
// Throws kefu::Error with file:line for a bad preset, and lists the known ones when not found
// (a name or file that is not there is a usage error, exit code 2).
Preset load_preset(const std::string& name_or_path, const std::string& user_dir);
Preset parse_preset(std::string_view toml_text, const std::string& origin, const std::string& name);
// The names of the built-in presets.
std::vector<std::string> builtin_presets();

// Column index of each field in a header row (-1 = absent).
struct ColumnMap {
    std::array<int, k_field_count> index{};
    int operator[](Field f) const { return index[static_cast<size_t>(f)]; }
    size_t recognised() const;
};

// Maps `headers` (already decoded to UTF-8) using, in order: `overrides` (field → header
// name, from --map), `preset`, then the generic names. Throws kefu::Error when an override
// names a header that is not there.
ColumnMap map_columns(const std::vector<std::string>& headers, const Preset* preset,
                      const std::map<Field, std::string>& overrides, const std::string& where);

}  // namespace kefu::import
