// kefu: the command-line entry point. Registers the subcommands, parses, and turns every
// error into one line on stderr and the exit code of DESIGN.md (0 ok, 1 failure, 2 usage,
// 3 something due, 4 import with rejects). This is the only catch of kefu::Error.

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

void print_error(const std::string& message, const std::string& hint) {
    std::cerr << "kefu: error: " << kefu::text::escape_controls(message, false) << '\n';
    if (!hint.empty()) {
        std::cerr << "kefu: hint: " << kefu::text::escape_controls(hint, false) << '\n';
    }
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

    auto& registry = kefu::cli::command_registry();
    std::stable_sort(registry.begin(), registry.end(),
                     [](const auto& a, const auto& b) { return a.order < b.order; });
    for (const auto& entry : registry) {
        entry.fn(app, ctx);
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
        print_error("usage: " + msg, "see `kefu --help` or `kefu COMMAND --help`");
        return kefu::k_exit_usage;
    } catch (const kefu::Error& e) {
        print_error(e.what(), e.hint());
        return e.exit_code();
    } catch (const SQLite::Exception& e) {
        print_error("database (" + ctx.db_path() + "): " + e.what(),
                    "run `kefu check`; if another kefu is writing, try again in a moment");
        return kefu::k_exit_failure;
    } catch (const std::bad_alloc&) {
        print_error("out of memory", "");
        return kefu::k_exit_failure;
    } catch (const std::exception& e) {
        print_error(e.what(), "");
        return kefu::k_exit_failure;
    }
    std::cout.flush();
    return ctx.exit_code;
}
