#pragma once
// The reply template library: the built-in templates (templates/*.toml, compiled into the
// binary) plus the user's own folder, which overrides built-ins by id and adds new ones.
// The file format is described at the top of templates/general.toml; the parser lives in
// core/replies/template_file.cpp and must change together with that comment.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/replies/placeholders.h"

namespace kefu::replies {

// One topic: its bodies in every language it is written in.
struct Template {
    std::string id;
    std::string title;
    Category category = Category::Other;
    std::vector<std::string> tags;
    std::vector<std::string> keywords;          // phrases a buyer would write, any language
    std::map<std::string, std::string> bodies;  // language ("zh", "en" …) → body
    std::vector<std::string> placeholders;      // extra names this template declares
    std::optional<int64_t> followup;            // seconds until the follow-up it implies
    std::optional<Status> status_after;         // Waiting or Resolved
    bool vip_only = false;
    std::string origin;      // "templates/logistics.toml:12" or the user file and line
    bool builtin = true;     // false for a template from the user's folder
    bool overrides = false;  // a user template that replaced a built-in of the same id
};

// One problem found while reading templates; `where` is "file:line:col".
struct Problem {
    std::string where;
    std::string message;
};

struct LibraryIndex;  // text statistics for suggestions (core/replies/index.h)

class Library {
public:
    // The built-in templates. Throws kefu::Error if they do not pass the check (a build
    // defect, caught by the unit tests).
    static Library builtin();

    // The built-in templates, then every *.toml file directly in `user_dir` (in name order):
    // a template with the id of a built-in replaces it in place, others are added. A missing
    // folder is no error (most sellers have none). Throws kefu::Error listing every problem
    // when any file does not pass the check.
    static Library load(const std::string& user_dir);

    // As load(user_dir), kept in `cache_file`: when that file holds the library made from
    // the same built-in templates and the same user files (each file's path, size and
    // modification time), it is read from there instead of parsing and indexing every
    // template; otherwise the library is loaded and the file written (atomically, mode 0600,
    // its folder created). The cache only saves time: a missing, stale, corrupt or unwritable
    // cache file is never an error, and problems in the user's files throw as load() does.
    // An empty `cache_file` is load(user_dir). The format is described in library_cache.cpp.
    static Library load_cached(const std::string& user_dir, const std::string& cache_file);

    // The files load() reads from `user_dir`, in its order: every *.toml file directly in
    // the folder, in name order, or the path itself when it is a file.
    static std::vector<std::string> user_files(const std::string& user_dir);

    // A library of the given templates, without any file (for tests and tools).
    static Library from_templates(std::vector<Template> templates);

    // Every problem in the built-in files (none in a correct build).
    static std::vector<Problem> check_builtin();
    // Every problem in the *.toml files of `dir`, checked as a user folder: unknown keys,
    // missing or undeclared language bodies, unknown placeholders, brace syntax, duplicate
    // ids, bad durations, categories and statuses. A missing folder is a problem.
    static std::vector<Problem> check_dir(const std::string& dir);
    // Every problem in one file's text; `origin` names it in the problems.
    static std::vector<Problem> check_text(std::string_view toml_text, const std::string& origin);

    // Copies the built-in files into `dir` (created when missing) and returns the paths
    // written. Refuses with kefu::Error, before writing anything, when any of the files
    // already exists there.
    static std::vector<std::string> export_builtin(const std::string& dir);

    const Template* find(std::string_view id) const;
    const std::vector<Template>& all() const { return m_templates; }
    const LibraryIndex& index() const { return *m_index; }

private:
    explicit Library(std::vector<Template> templates);
    Library(std::vector<Template> templates, std::shared_ptr<const LibraryIndex> index);

    std::vector<Template> m_templates;
    std::shared_ptr<const LibraryIndex> m_index;  // immutable; shared by copies
};

// Renders the template's body in `language`. Throws kefu::Error naming the languages the
// template has when it has no body in that one.
Rendered render(const Template& tmpl, const std::string& language, const Values& values);

}  // namespace kefu::replies
