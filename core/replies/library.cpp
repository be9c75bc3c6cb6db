#include "core/replies/library.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

#include "core/embedded.h"
#include "core/error.h"
#include "core/files.h"
#include "core/replies/index.h"
#include "core/replies/template_file.h"

namespace kefu::replies {
namespace {

namespace fs = std::filesystem;

struct Collected {
    std::vector<Template> templates;
    std::vector<Problem> problems;
};

// Adds the templates of one set of files (the built-ins, or one user folder), reporting an
// id that appears twice within the set.
void collect(Collected& into, std::string_view text, const std::string& origin, bool builtin,
             std::map<std::string, std::string>& seen) {
    ParsedFile parsed = parse_template_file(text, origin, builtin);
    for (Problem& p : parsed.problems) {
        into.problems.push_back(std::move(p));
    }
    for (Template& t : parsed.templates) {
        auto [it, inserted] = seen.emplace(t.id, t.origin);
        if (!inserted) {
            into.problems.push_back(
                {t.origin, fmt::format("duplicate id \"{}\" (first at {})", t.id, it->second)});
            continue;
        }
        into.templates.push_back(std::move(t));
    }
}

Collected collect_builtin() {
    Collected c;
    std::map<std::string, std::string> seen;
    for (const embedded::File& f : embedded::under("templates/")) {
        if (f.path.ends_with(".toml")) {
            collect(c, f.data, std::string(f.path), true, seen);
        }
    }
    return c;
}

// The *.toml files of a folder in name order, or the path itself when it is a file.
std::vector<fs::path> template_files(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_regular_file(dir, ec)) {
        files.push_back(dir);
        return files;
    }
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".toml" && e.is_regular_file(ec)) {
            files.push_back(e.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

Collected collect_dir(const std::string& dir) {
    Collected c;
    std::map<std::string, std::string> seen;
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        c.problems.push_back({dir, "no such file or folder"});
        return c;
    }
    for (const fs::path& path : template_files(dir)) {
        std::string text;
        try {
            text = files::read_file(path.string());
        } catch (const Error&) {
            c.problems.push_back({path.string(), "cannot read the file"});
            continue;
        }
        collect(c, text, path.string(), false, seen);
    }
    return c;
}

// The first problem, and how many more: the error stays one line that can be read, and the
// hint says how to see them all.
Error problems_error(const std::vector<Problem>& problems, std::string_view checked) {
    std::string why = problems.front().message;
    if (problems.size() > 1) {
        why += fmt::format(" (and {} more)", problems.size() - 1);
    }
    return Error(fmt::format("{} problem{} in reply templates", problems.size(),
                             problems.size() == 1 ? "" : "s"),
                 problems.front().where, why,
                 fmt::format("run `kefu templates check {}` to list them one per line", checked));
}

// The built-in templates, parsed once per process (the embedded files never change while it
// runs). Throws kefu::Error if they do not pass the check.
const std::vector<Template>& builtin_templates() {
    static const std::vector<Template> k_templates = [] {
        Collected c = collect_builtin();
        if (!c.problems.empty()) {
            throw problems_error(c.problems, "");
        }
        return std::move(c.templates);
    }();
    return k_templates;
}

}  // namespace

Library::Library(std::vector<Template> templates)
    : m_templates(std::move(templates)), m_index(LibraryIndex::build(m_templates)) {}

Library::Library(std::vector<Template> templates, std::shared_ptr<const LibraryIndex> index)
    : m_templates(std::move(templates)), m_index(std::move(index)) {}

std::vector<std::string> Library::user_files(const std::string& user_dir) {
    std::vector<std::string> out;
    for (const fs::path& p : template_files(user_dir)) {
        out.push_back(p.string());
    }
    return out;
}

Library Library::from_templates(std::vector<Template> templates) {
    return Library(std::move(templates));
}

Library Library::builtin() {
    // Indexed once per process: the embedded files never change while it runs.
    static const Library k_builtin(builtin_templates());
    return k_builtin;
}

Library Library::load(const std::string& user_dir) {
    std::error_code ec;
    if (user_dir.empty() || !fs::exists(user_dir, ec)) {
        return builtin();
    }
    Collected user = collect_dir(user_dir);
    if (!user.problems.empty()) {
        throw problems_error(user.problems, user_dir);
    }
    // Merged from the parsed built-ins, not from builtin(): that would index them once more
    // only to index the merged library again.
    std::vector<Template> merged = builtin_templates();
    merged.reserve(merged.size() + user.templates.size());
    std::unordered_map<std::string, size_t> position;
    position.reserve(merged.size() + user.templates.size());
    for (size_t i = 0; i < merged.size(); ++i) {
        position.emplace(merged[i].id, i);
    }
    for (Template& t : user.templates) {
        auto it = position.find(t.id);
        if (it != position.end()) {
            t.overrides = true;
            merged[it->second] = std::move(t);
        } else {
            position.emplace(t.id, merged.size());
            merged.push_back(std::move(t));
        }
    }
    return Library(std::move(merged));
}

std::vector<Problem> Library::check_builtin() {
    return collect_builtin().problems;
}

std::vector<Problem> Library::check_dir(const std::string& dir) {
    return collect_dir(dir).problems;
}

std::vector<Problem> Library::check_text(std::string_view toml_text, const std::string& origin) {
    Collected c;
    std::map<std::string, std::string> seen;
    collect(c, toml_text, origin, false, seen);
    return c.problems;
}

std::vector<std::string> Library::export_builtin(const std::string& dir) {
    std::vector<std::pair<fs::path, std::string_view>> plan;
    for (const embedded::File& f : embedded::under("templates/")) {
        fs::path target = fs::path(dir) / fs::path(f.path).filename();
        std::error_code ec;
        if (fs::exists(target, ec)) {
            throw Error("not exporting the templates", target.string(),
                        "the file exists and kefu does not overwrite it",
                        "export into an empty folder, or move the existing files away first");
        }
        plan.emplace_back(target, f.data);
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        throw Error("cannot create the folder", dir, ec.message());
    }
    std::vector<std::string> written;
    for (const auto& [target, data] : plan) {
        // Checked again just before writing, so that a file created since the first check
        // is not overwritten either.
        std::error_code exists_ec;
        if (fs::exists(target, exists_ec)) {
            throw Error("not exporting the templates", target.string(),
                        "the file exists and kefu does not overwrite it");
        }
        std::ofstream out(target, std::ios::binary);
        out.write(data.data(), static_cast<std::streamsize>(data.size()));
        out.close();
        if (!out) {
            throw Error("cannot write the file", target.string(), "write failed");
        }
        written.push_back(target.string());
    }
    return written;
}

const Template* Library::find(std::string_view id) const {
    for (const Template& t : m_templates) {
        if (t.id == id) {
            return &t;
        }
    }
    return nullptr;
}

Rendered render(const Template& tmpl, const std::string& language, const Values& values) {
    auto it = tmpl.bodies.find(language);
    if (it == tmpl.bodies.end()) {
        std::string have;
        for (const auto& [lang, body] : tmpl.bodies) {
            have += (have.empty() ? "" : ", ") + lang;
        }
        throw Error(fmt::format("no \"{}\" text", language), fmt::format("template {}", tmpl.id),
                    fmt::format("it is written in {}", have.empty() ? "no language" : have));
    }
    return render_body(it->second, values);
}

}  // namespace kefu::replies
