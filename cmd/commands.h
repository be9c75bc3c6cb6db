#pragma once
// Every subcommand's register function; main() calls them in the order --help lists them.

#include <CLI/CLI.hpp>

#include "cmd/context.h"

namespace kefu::cli {

void register_init(CLI::App& app, Context& ctx);
void register_import(CLI::App& app, Context& ctx);
void register_list(CLI::App& app, Context& ctx);
void register_show(CLI::App& app, Context& ctx);
void register_search(CLI::App& app, Context& ctx);
void register_check(CLI::App& app, Context& ctx);
void register_backup(CLI::App& app, Context& ctx);

}  // namespace kefu::cli
