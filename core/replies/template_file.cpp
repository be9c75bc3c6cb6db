#include "core/replies/template_file.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>

#include "core/replies/placeholders.h"
#include "core/replies/source_map.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::replies {
namespace {

// Keys of one [[template]] entry. Keep in step with the comment in templates/general.toml.
const std::vector<std::string_view> k_template_keys = {
    "id",   "title",        "category", "tags",         "keywords",
    "body", "placeholders", "followup", "status_after", "vip_only",
};

std::string join(const std::vector<std::string_view>& items) {
    std::string out;
    for (std::string_view s : items) {
        out += (out.empty() ? "" : ", ") + std::string(s);
    }
    return out;
}

// Edit distance, for "did you mean" on a misspelt placeholder.
size_t distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

bool valid_language(std::string_view lang) {
    if (lang.size() < 2 || lang.size() > 8) {
        return false;
    }
    return std::all_of(lang.begin(), lang.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64 || id.front() == '-' || id.front() == '.') {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

class FileParser {
public:
    FileParser(std::string_view text, const std::string& origin, bool builtin)
        : m_map(text), m_origin(origin), m_builtin(builtin) {}

    ParsedFile run();

private:
    struct Found {
        size_t line = 0;
        size_t column = 0;
        std::string message;
    };

    void problem(const toml::source_region& at, std::string message) {
        m_found.push_back({at.begin.line, at.begin.column, std::move(message)});
    }
    void problem_at(size_t offset, std::string message) {
        auto [line, column] = m_map.position_of(offset);
        m_found.push_back({line, column, std::move(message)});
    }

    std::optional<std::string> string_of(const toml::node& node, std::string_view key);
    std::optional<std::vector<std::string>> strings_of(const toml::node& node,
                                                       std::string_view key);
    std::optional<Template> parse_template(const toml::table& table);
    bool parse_bodies(const toml::node& node, Template& t);
    bool check_body(const toml::node& node, std::string_view lang, const std::string& body,
                    const Template& t);

    SourceMap m_map;
    std::string m_origin;
    bool m_builtin;
    std::vector<std::string> m_languages = k_default_languages;
    std::vector<Found> m_found;
};

std::optional<std::string> FileParser::string_of(const toml::node& node, std::string_view key) {
    if (auto s = node.value<std::string>()) {
        return *s;
    }
    problem(node.source(), fmt::format("\"{}\" must be a string", key));
    return std::nullopt;
}

std::optional<std::vector<std::string>> FileParser::strings_of(const toml::node& node,
                                                               std::string_view key) {
    const toml::array* arr = node.as_array();
    if (arr == nullptr) {
        problem(node.source(), fmt::format("\"{}\" must be a list of strings", key));
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const toml::node& item : *arr) {
        auto s = item.value<std::string>();
        if (!s || text::trim(*s).empty()) {
            problem(item.source(), fmt::format("\"{}\" must hold non-empty strings", key));
            ok = false;
        } else {
            out.push_back(*s);
        }
    }
    return ok ? std::optional(out) : std::nullopt;
}

bool FileParser::check_body(const toml::node& node, std::string_view lang, const std::string& body,
                            const Template& t) {
    size_t start = m_map.offset_of(node.source().begin.line, node.source().begin.column);
    std::vector<size_t> offsets = content_offsets(m_map.text(), start, body.size());
    bool ok = true;
    if (text::trim(body).empty()) {
        problem(node.source(), fmt::format("the \"{}\" body is empty", lang));
        ok = false;
    }
    std::vector<SyntaxProblem> syntax;
    for (const Piece& p : parse_body(body, &syntax)) {
        if (!p.is_placeholder || find_placeholder(p.name) != nullptr ||
            std::find(t.placeholders.begin(), t.placeholders.end(), p.name) !=
                t.placeholders.end()) {
            continue;
        }
        std::string message = fmt::format("unknown placeholder {{{}}}", p.name);
        for (const PlaceholderInfo& known : known_placeholders()) {
            if (distance(known.name, p.name) <= 2) {
                message += fmt::format(" (did you mean {{{}}}?)", known.name);
                break;
            }
        }
        message +=
            fmt::format("; a name of your own must be declared: placeholders = [\"{}\"]", p.name);
        problem_at(offsets[p.offset], message);
        ok = false;
    }
    for (const SyntaxProblem& s : syntax) {
        problem_at(offsets[s.offset], s.message);
        ok = false;
    }
    return ok;
}

bool FileParser::parse_bodies(const toml::node& node, Template& t) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
        problem(node.source(), "\"body\" must be a table of language = \"\"\"text\"\"\"");
        return false;
    }
    bool ok = true;
    for (const auto& [key, value] : *table) {
        std::string lang(key.str());
        if (std::find(m_languages.begin(), m_languages.end(), lang) == m_languages.end()) {
            std::vector<std::string_view> declared(m_languages.begin(), m_languages.end());
            problem(key.source(),
                    fmt::format("body language \"{}\" is not one of this file's languages ({}); "
                                "declare it with languages = [...] at the top of the file",
                                lang, join(declared)));
            ok = false;
            continue;
        }
        auto body = string_of(value, "body." + lang);
        if (!body) {
            ok = false;
            continue;
        }
        ok = check_body(value, lang, *body, t) && ok;
        t.bodies[lang] = *body;
    }
    for (const std::string& lang : m_languages) {
        if (!table->contains(lang)) {
            problem(node.source(), fmt::format("template \"{}\" has no \"{}\" body", t.id, lang));
            ok = false;
        }
    }
    return ok;
}

std::optional<Template> FileParser::parse_template(const toml::table& table) {
    Template t;
    auto [line, column] = std::pair(table.source().begin.line, table.source().begin.column);
    t.origin = fmt::format("{}:{}:{}", m_origin, line, column);
    t.builtin = m_builtin;
    bool ok = true;
    // The declared names must be known before the bodies are checked.
    if (const toml::node* declared = table.get("placeholders")) {
        if (auto names = strings_of(*declared, "placeholders")) {
            for (const std::string& name : *names) {
                if (!valid_placeholder_name(name)) {
                    problem(declared->source(),
                            fmt::format("\"{}\" is not a placeholder name (a-z, 0-9, _)", name));
                    ok = false;
                }
            }
            t.placeholders = *names;
        } else {
            ok = false;
        }
    }
    if (const toml::node* id = table.get("id")) {
        if (auto s = string_of(*id, "id")) {
            t.id = *s;
            if (!valid_id(t.id)) {
                problem(id->source(),
                        fmt::format("bad id \"{}\" (use a-z, 0-9, \"-\", \"_\", \".\")", t.id));
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    for (const auto& [key, node] : table) {
        std::string k(key.str());
        if (k == "id" || k == "placeholders") {
            continue;
        }
        if (k == "title") {
            auto s = string_of(node, k);
            ok = s.has_value() && ok;
            t.title = s.value_or("");
        } else if (k == "category") {
            auto s = string_of(node, k);
            auto c = s ? parse_category(*s) : std::nullopt;
            if (s && !c) {
                problem(node.source(),
                        fmt::format("unknown category \"{}\" (product, order, logistics, payment, "
                                    "refund, account, technical, complaint, other)",
                                    *s));
            }
            ok = c.has_value() && ok;
            t.category = c.value_or(Category::Other);
        } else if (k == "tags" || k == "keywords") {
            auto list = strings_of(node, k);
            ok = list.has_value() && ok;
            (k == "tags" ? t.tags : t.keywords) = list.value_or(std::vector<std::string>{});
        } else if (k == "body") {
            ok = parse_bodies(node, t) && ok;
        } else if (k == "followup") {
            auto s = string_of(node, k);
            std::string why;
            auto d = s ? timeutil::parse_duration(*s, &why) : std::nullopt;
            if (s && !d) {
                problem(node.source(),
                        fmt::format("bad followup \"{}\": {} (e.g. \"2d\", \"4h\")", *s, why));
            }
            ok = d.has_value() && ok;
            t.followup = d;
        } else if (k == "status_after") {
            auto s = string_of(node, k);
            auto st = s ? parse_status(*s) : std::nullopt;
            if (s && st != Status::Waiting && st != Status::Resolved) {
                problem(node.source(),
                        fmt::format("bad status_after \"{}\" (waiting or resolved)", *s));
                st = std::nullopt;
            }
            ok = st.has_value() && ok;
            t.status_after = st;
        } else if (k == "vip_only") {
            if (auto b = node.value<bool>()) {
                t.vip_only = *b;
            } else {
                problem(node.source(), "\"vip_only\" must be true or false");
                ok = false;
            }
        } else {
            problem(key.source(), fmt::format("unknown key \"{}\" in a template (known: {})", k,
                                              join(k_template_keys)));
            ok = false;
        }
    }
    for (std::string_view required : {"id", "title", "category", "body"}) {
        if (!table.contains(required)) {
            problem(table.source(), fmt::format("template{} has no \"{}\"",
                                                t.id.empty() ? "" : " \"" + t.id + "\"", required));
            ok = false;
        }
    }
    return ok ? std::optional(std::move(t)) : std::nullopt;
}

ParsedFile FileParser::run() {
    ParsedFile out;
    toml::table root;
    try {
        root = toml::parse(m_map.text(), std::string_view(m_origin));
    } catch (const toml::parse_error& e) {
        problem(e.source(), std::string(e.description()));
    }
    if (const toml::node* langs = root.get("languages")) {
        if (auto list = strings_of(*langs, "languages")) {
            for (const std::string& lang : *list) {
                if (!valid_language(lang)) {
                    problem(langs->source(),
                            fmt::format("bad language \"{}\" (e.g. \"zh\", \"en\")", lang));
                }
            }
            if (!list->empty()) {
                m_languages = *list;
            }
        }
    }
    for (const auto& [key, node] : root) {
        if (key.str() != "languages" && key.str() != "template") {
            problem(key.source(), fmt::format("unknown key \"{}\" (a file holds languages = [...] "
                                              "and [[template]] entries)",
                                              key.str()));
        }
    }
    if (const toml::node* entries = root.get("template")) {
        const toml::array* arr = entries->as_array();
        if (arr == nullptr || !arr->is_array_of_tables()) {
            problem(entries->source(), "templates are written as [[template]] entries");
        } else {
            for (const toml::node& entry : *arr) {
                if (auto t = parse_template(*entry.as_table())) {
                    out.templates.push_back(std::move(*t));
                }
            }
        }
    } else if (m_found.empty()) {
        problem(toml::source_region{{1, 1}, {1, 1}, nullptr}, "no [[template]] entries");
    }
    std::stable_sort(m_found.begin(), m_found.end(), [](const Found& a, const Found& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    for (Found& f : m_found) {
        out.problems.push_back(
            {fmt::format("{}:{}:{}", m_origin, f.line, f.column), std::move(f.message)});
    }
    return out;
}

}  // namespace

ParsedFile parse_template_file(std::string_view text, const std::string& origin, bool builtin) {
    return FileParser(text, origin, builtin).run();
}

}  // namespace kefu::replies
