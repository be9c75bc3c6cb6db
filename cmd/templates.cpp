// kefu templates list|show|check|export: browse, validate and copy out the reply library.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cmd/commands.h"
#include "cmd/replies_setup.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::cli {
namespace {

struct TemplatesOptions {
    std::string category;  // list
    std::string lang;      // list, show
    std::string id;        // show
    std::string path;      // check
    std::string dir;       // export
};

std::string languages_of(const replies::Template& t) {
    std::string out;
    for (const auto& [lang, body] : t.bodies) {
        out += (out.empty() ? "" : ",") + lang;
    }
    return out;
}

std::string source_of(const replies::Template& t) {
    return t.builtin ? "built-in" : t.overrides ? "user, replaces built-in" : "user";
}

std::string followup_of(const replies::Template& t) {
    return t.followup ? timeutil::format_span(*t.followup) : std::string();
}

std::string status_after_of(const replies::Template& t) {
    return std::string(to_string(t.status_after.value_or(Status::Waiting)));
}

// The record of a template, without its bodies.
nlohmann::ordered_json template_json(const replies::Template& t) {
    nlohmann::ordered_json j;
    j["id"] = t.id;
    j["title"] = t.title;
    j["category"] = std::string(to_string(t.category));
    j["tags"] = t.tags;
    j["keywords"] = t.keywords;
    nlohmann::ordered_json langs = nlohmann::ordered_json::array();
    for (const auto& [lang, body] : t.bodies) {
        langs.push_back(lang);
    }
    j["languages"] = langs;
    j["followup"] =
        t.followup ? nlohmann::ordered_json(followup_of(t)) : nlohmann::ordered_json(nullptr);
    j["status_after"] = status_after_of(t);
    j["vip_only"] = t.vip_only;
    j["placeholders"] = t.placeholders;
    j["source"] = source_of(t);
    j["origin"] = t.origin;
    return j;
}

int run_list(Context& ctx, const TemplatesOptions& o) {
    std::optional<Category> category;
    if (!o.category.empty()) {
        category = parse_category(o.category);
        if (!category) {
            std::string names;
            for (Category c : all_categories()) {
                names += (names.empty() ? "" : ", ") + std::string(to_string(c));
            }
            throw usage_error(fmt::format("bad --category \"{}\"", text::one_line(o.category)),
                              "use one of " + names);
        }
    }
    if (!o.lang.empty()) {
        check_language(o.lang);
    }
    replies::Library library = load_library(ctx);
    auto printer = ctx.printer({{"id", "ID"},
                                {"category", "CATEGORY"},
                                {"languages", "LANG"},
                                {"followup", "FOLLOW-UP"},
                                {"status_after", "THEN"},
                                {"source", "SOURCE"},
                                {"title", "TITLE", false, true}});
    for (const replies::Template& t : library.all()) {
        if (category && t.category != *category) {
            continue;
        }
        if (!o.lang.empty() && t.bodies.count(o.lang) == 0) {
            continue;
        }
        nlohmann::ordered_json j = template_json(t);
        if (ctx.format() == Format::Table) {
            j["languages"] = languages_of(t);
            j["followup"] = t.followup ? followup_of(t) : "-";
            j["source"] = t.builtin ? "built-in" : t.overrides ? "user*" : "user";
            if (t.vip_only) {
                j["title"] = t.title + " (VIP)";
            }
        }
        printer.add(j);
    }
    printer.finish();
    return 0;
}

int run_show(Context& ctx, const TemplatesOptions& o) {
    if (!o.lang.empty()) {
        check_language(o.lang);
    }
    replies::Library library = load_library(ctx);
    const replies::Template* t = library.find(o.id);
    if (t == nullptr) {
        throw Error("no such template", o.id,
                    "it is neither built in nor in " + user_templates_dir(ctx),
                    "`kefu templates list` shows the ids");
    }
    if (!o.lang.empty() && t->bodies.count(o.lang) == 0) {
        throw Error(fmt::format("no \"{}\" text", o.lang), fmt::format("template {}", t->id),
                    "it is written in " + languages_of(*t));
    }
    auto wanted = [&](const std::string& lang) { return o.lang.empty() || lang == o.lang; };
    if (ctx.format() != Format::Table) {
        nlohmann::ordered_json j = template_json(*t);
        nlohmann::ordered_json bodies = nlohmann::ordered_json::object();
        for (const auto& [lang, body] : t->bodies) {
            if (wanted(lang)) {
                bodies[lang] = body;
            }
        }
        j["bodies"] = bodies;
        auto printer = ctx.printer({});
        printer.add(j);
        printer.finish();
        return 0;
    }
    std::ostream& out = ctx.out();
    auto row = [&](const char* label, const std::string& value) {
        if (!value.empty()) {
            out << fmt::format("{:<11}", label) << text::one_line(value) << '\n';
        }
    };
    auto join = [](const std::vector<std::string>& items) {
        std::string s;
        for (const std::string& i : items) {
            s += (s.empty() ? "" : ", ") + i;
        }
        return s;
    };
    out << text::one_line(t->id + "  " + t->title) << '\n';
    row("category", std::string(to_string(t->category)));
    row("tags", join(t->tags));
    row("keywords", join(t->keywords));
    row("follow-up", t->followup ? followup_of(*t) : "none");
    row("then", status_after_of(*t));
    row("vip only", t->vip_only ? "yes" : "");
    row("own names", join(t->placeholders));
    row("from", t->origin + " (" + source_of(*t) + ")");
    for (const auto& [lang, body] : t->bodies) {
        if (wanted(lang)) {
            out << "\n[" << lang << "]\n" << text::escape_controls(body, true);
            if (!body.empty() && body.back() != '\n') {
                out << '\n';
            }
        }
    }
    return 0;
}

int run_check(Context& ctx, const TemplatesOptions& o) {
    std::vector<replies::Problem> problems;
    std::vector<std::string> checked;  // "ok" lines
    std::error_code ec;
    std::string user = o.path.empty() ? user_templates_dir(ctx) : o.path;
    bool user_exists = std::filesystem::exists(user, ec);
    if (o.path.empty()) {
        problems = replies::Library::check_builtin();
        if (problems.empty()) {
            checked.push_back(fmt::format("built-in: {} templates",
                                          replies::Library::builtin().all().size()));
        }
    }
    if (!o.path.empty() || user_exists) {
        auto found = replies::Library::check_dir(user);
        problems.insert(problems.end(), found.begin(), found.end());
        if (found.empty()) {
            replies::Library lib = replies::Library::load(user);
            size_t own = 0;
            size_t replacing = 0;
            for (const replies::Template& t : lib.all()) {
                own += t.builtin ? 0 : 1;
                replacing += t.overrides ? 1 : 0;
            }
            if (own == 0) {
                ctx.warn(fmt::format("no templates in {} (kefu reads the *.toml files directly "
                                     "in the folder)",
                                     user));
            }
            checked.push_back(fmt::format("{}: {} template{}{}", user, own, own == 1 ? "" : "s",
                                          replacing == 0
                                              ? ""
                                              : fmt::format(" ({} replace{} built-in ones)",
                                                            replacing, replacing == 1 ? "s" : "")));
        }
    }
    if (ctx.format() != Format::Table) {
        auto printer = ctx.printer({});
        for (const replies::Problem& p : problems) {
            printer.add({{"where", p.where}, {"message", p.message}});
        }
        printer.finish();
    } else {
        for (const replies::Problem& p : problems) {
            ctx.out() << text::escape_controls(p.where + ": " + p.message, false) << '\n';
        }
    }
    if (!problems.empty()) {
        throw Error(fmt::format("{} problem{} in reply templates", problems.size(),
                                problems.size() == 1 ? "" : "s"),
                    o.path.empty() ? "built-in and " + user : user,
                    "each is listed above with its file and line",
                    "fix them; until then kefu suggest and kefu reply refuse the folder");
    }
    if (ctx.format() == Format::Table) {
        for (const std::string& line : checked) {
            ctx.out() << text::escape_controls("ok: " + line, false) << '\n';
        }
    }
    return 0;
}

int run_export(Context& ctx, const TemplatesOptions& o) {
    auto written = replies::Library::export_builtin(o.dir);
    auto printer = ctx.printer({{"path", "WRITTEN"}});
    for (const std::string& path : written) {
        printer.add({{"path", path}});
    }
    printer.finish();
    std::string user = user_templates_dir(ctx);
    std::error_code ec;
    bool into_user = std::filesystem::equivalent(o.dir, user, ec);
    ctx.note(into_user
                 ? "these files now replace the built-in templates; edit them, then run "
                   "`kefu templates check`"
                 : fmt::format("edit what you need and put the files in {} (a template there "
                               "replaces the built-in one with its id); `kefu templates check` "
                               "validates them",
                               user));
    return 0;
}

void register_templates(CLI::App& app, Context& ctx) {
    CLI::App* cmd = app.add_subcommand("templates", "Browse, validate and copy out the reply "
                                                    "templates");
    cmd->require_subcommand(1);
    cmd->footer("\nExamples:\n"
                "  kefu templates list --category logistics\n"
                "  kefu templates show shipped-tracking --lang en\n"
                "  kefu templates check\n"
                "  kefu templates export ~/kefu-templates\n"
                "\nTemplates: built in, replaced by id and extended by the *.toml files in "
                "$XDG_CONFIG_HOME/kefu/templates/.");
    auto o = std::make_shared<TemplatesOptions>();

    CLI::App* list = add_command(
        *cmd, ctx, "list", "The templates: id, category, languages, follow-up, title",
        "  kefu templates list\n"
        "  kefu templates list --category refund --lang en\n"
        "  kefu templates list --format json | jq -r '.[].id'\n"
        "SOURCE: built-in, user, or user* (a user template that replaces a built-in one).\n",
        std::nullopt, [&ctx, o] { return run_list(ctx, *o); });
    list->add_option("--category", o->category, "only this category");
    list->add_option("--lang", o->lang, "only templates with a body in this language");

    CLI::App* show = add_command(
        *cmd, ctx, "show", "One template whole: its settings and every body as written",
        "  kefu templates show greeting\n"
        "  kefu templates show refund-issued --lang zh\n",
        std::nullopt, [&ctx, o] { return run_show(ctx, *o); });
    show->add_option("ID", o->id, "template id")->required();
    show->add_option("--lang", o->lang, "only the body in this language");

    CLI::App* check = add_command(
        *cmd, ctx, "check",
        "Validate templates: every problem with its file:line (exit 1), else \"ok\"",
        "  kefu templates check                 # built-in and $XDG_CONFIG_HOME/kefu/templates\n"
        "  kefu templates check ~/kefu-templates\n"
        "  kefu templates check my-replies.toml\n"
        "Finds unknown keys, missing bodies, unknown placeholders, brace mistakes, duplicate\n"
        "ids and bad follow-ups, categories or statuses.\n",
        std::nullopt, [&ctx, o] { return run_check(ctx, *o); });
    check->add_option("PATH", o->path, "a folder of *.toml files or one file (default: the "
                                       "built-in library and your folder)");

    CLI::App* exp = add_command(
        *cmd, ctx, "export", "Copy the built-in template files into a folder, to customize",
        "  kefu templates export ~/kefu-templates\n"
        "  kefu templates export ~/.config/kefu/templates   # then edit them in place\n"
        "Never overwrites: an existing file stops the export before anything is written.\n",
        std::nullopt, [&ctx, o] { return run_export(ctx, *o); });
    exp->add_option("DIR", o->dir, "the folder (created when missing)")->required();
}

}  // namespace

KEFU_COMMAND(53, "templates", register_templates);

}  // namespace kefu::cli
