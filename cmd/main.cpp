// kefu: the command-line entry point. Registers the subcommands, parses, and turns every
// error into one line on stderr and the exit code of DESIGN.md (0 ok, 1 failure, 2 usage,
// 3 something due, 4 import with rejects). This is the only catch of kefu::Error, apart from
// kefu import of several inputs, which reports the one that fails and goes on with the others.

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Exception.h>

#include <algorithm>
#include <clocale>
#include <iostream>

#include "cmd/commands.h"
#include "cmd/context.h"
#include "core/error.h"
#include "core/text.h"
#include "core/triage/normalize.h"

namespace kefu::cli {
std::vector<CommandEntry>& command_registry() {
    static std::vector<CommandEntry> k_registry;
    return k_registry;
}
}  // namespace kefu::cli

namespace {

bool names(const kefu::cli::CommandEntry& entry, std::string_view word) {
    for (std::string_view name : kefu::text::split(entry.names, ' ')) {
        if (name == word) {
            return true;
        }
    }
    return false;
}

// The command on the command line, before it is parsed: the first word that is neither an
// option nor the value of a global option. Empty when there is none.
std::string_view command_word(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--db" || arg == "--format" || arg == "--config") {
            ++i;  // its value follows
        } else if (arg == "--") {
            break;
        } else if (!arg.empty() && arg.front() != '-') {
            return arg;
        }
    }
    return {};
}

// Adds the command `word` names, or every command (in their order) when it names none: for
// `kefu --help`, a mistyped command, or none at all. In the second case the commands added
// are checked against the names their entries declare, so that a command can never be
// missing from the first; a mismatch is a defect of this build. Returns false then.
bool register_commands(CLI::App& app, kefu::cli::Context& ctx, std::string_view word) {
    auto& registry = kefu::cli::command_registry();
    for (const auto& entry : registry) {
        if (!word.empty() && names(entry, word)) {
            entry.fn(app, ctx);
            return true;
        }
    }
    std::stable_sort(registry.begin(), registry.end(),
                     [](const auto& a, const auto& b) { return a.order < b.order; });
    std::vector<std::string> declared;
    for (const auto& entry : registry) {
        entry.fn(app, ctx);
        for (std::string_view name : kefu::text::split(entry.names, ' ')) {
            declared.emplace_back(name);
        }
    }
    std::vector<std::string> added;
    for (const CLI::App* cmd : app.get_subcommands([](const CLI::App*) { return true; })) {
        added.push_back(cmd->get_name());
    }
    std::sort(declared.begin(), declared.end());
    std::sort(added.begin(), added.end());
    if (declared != added) {
        kefu::cli::Context::error("internal: the commands registered do not match their declared names",
                    "this build is broken; please report it");
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::setlocale(LC_ALL, "C.UTF-8");
    std::ios::sync_with_stdio(false);
    kefu::cli::Context ctx;
    if (std::string dir = kefu::cli::cache_dir(); !dir.empty()) {
        kefu::triage::set_normalize_cache(dir + "/normalize.cache");
    }
    CLI::App app{"kefu — one queue for every buyer's message: import, triage, reply, follow up.",
                 "kefu"};
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", "kefu 0.1.0");
    app.add_option("--db", ctx.opts.db, "database file (default: $KEFU_DB, else $XDG_DATA_HOME/kefu/kefu.db)");
    app.add_option("--format", ctx.opts.format, "output: table, json, jsonl, tsv or csv")
        ->check(CLI::IsMember({"table", "json", "jsonl", "tsv", "csv"}));
    app.add_option("--config", ctx.opts.config, "config file (default: $XDG_CONFIG_HOME/kefu/config.toml)");
    app.footer(
        "\nStart with:\n"
        "  kefu import orders.csv      import buyer messages (CSV, mbox, maildir, .eml)\n"
        "  kefu list                   the queue, most urgent first\n"
        "  kefu show 12                one inquiry whole\n"
        "Every command has --help with examples.");

    if (!register_commands(app, ctx, command_word(argc, argv))) {
        return kefu::k_exit_failure;
    }
    if (argc == 1) {
        // `kefu` alone: the overview of the commands, not an error.
        return app.exit(CLI::CallForHelp());
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::string msg = e.what();
        if (app.get_subcommands().empty()) {
            // CLI11 reports an unknown command as a missing one: name what was typed.
            for (const std::string& extra : app.remaining()) {
                if (!extra.empty() && extra.front() != '-') {
                    msg = "unknown command \"" + extra + "\"";
                    break;
                }
            }
        }
        if (msg.empty()) {
            msg = "bad command line";
        }
        // The command that was given, deepest first ("customer merge"): its help, and for
        // missing arguments (CLI11 names them by their variable) its first example.
        std::string path;
        const CLI::App* cmd = &app;
        while (!cmd->get_subcommands().empty()) {
            cmd = cmd->get_subcommands().front();
            path += (path.empty() ? "" : " ") + cmd->get_name();
        }
        if (path.empty()) {
            kefu::cli::Context::error("usage: " + msg, "see `kefu --help` or `kefu COMMAND --help`");
            return kefu::k_exit_usage;
        }
        std::string hint = "see `kefu " + path + " --help`";
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && !msg.starts_with("-") &&
            msg.ends_with(" is required")) {
            msg = "kefu " + path + " needs more arguments";
            std::string footer = cmd->get_footer();
            size_t at = footer.find("\n  kefu ");
            if (at != std::string::npos) {
                size_t end = footer.find('\n', at + 1);
                std::string example = footer.substr(at + 3, end == std::string::npos ? end : end - at - 3);
                if (size_t comment = example.find("  #"); comment != std::string::npos) {
                    example.resize(comment);
                }
                while (!example.empty() && example.back() == ' ') {
                    example.pop_back();
                }
                hint = "for example `" + example + "`; " + hint;
            }
        }
        kefu::cli::Context::error("usage: " + msg, hint);
        return kefu::k_exit_usage;
    } catch (const kefu::Error& e) {
        kefu::cli::Context::error(e.what(), e.hint());
        return e.exit_code();
    } catch (const SQLite::Exception& e) {
        kefu::cli::Context::error("database (" + ctx.db_path() + "): " + e.what(),
                    "run `kefu check`; if another kefu is writing, try again in a moment");
        return kefu::k_exit_failure;
    } catch (const std::bad_alloc&) {
        kefu::cli::Context::error("out of memory", "");
        return kefu::k_exit_failure;
    } catch (const std::exception& e) {
        kefu::cli::Context::error(e.what(), "");
        return kefu::k_exit_failure;
    }
    std::cout.flush();
    return ctx.exit_code;
}
