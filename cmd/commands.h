#pragma once
// Subcommands register themselves: each cmd/<name>.cpp ends with
//   KEFU_COMMAND(30, "list", register_list);
// where the number is its place in `kefu --help` (lower first) and the string names the
// top-level commands the function adds, separated by spaces. main() calls only the function
// of the command on the command line, so that a command does not pay for building the
// options of all the others; for `kefu --help`, or a word that names no command, it calls
// every function in order and checks that the names are right. Numbers in use: see each
// file; leave gaps.

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "cmd/context.h"

namespace kefu::cli {

using RegisterFn = void (*)(CLI::App&, Context&);

struct CommandEntry {
    int order;
    const char* names;  // the top-level commands `fn` adds, separated by spaces
    RegisterFn fn;
};

std::vector<CommandEntry>& command_registry();

struct CommandRegistrar {
    CommandRegistrar(int order, const char* names, RegisterFn fn) {
        command_registry().push_back({order, names, fn});
    }
};

}  // namespace kefu::cli

#define KEFU_COMMAND_CONCAT2(a, b) a##b
#define KEFU_COMMAND_CONCAT(a, b) KEFU_COMMAND_CONCAT2(a, b)
#define KEFU_COMMAND(order, names, fn)                                                   \
    static const ::kefu::cli::CommandRegistrar KEFU_COMMAND_CONCAT(k_command_registrar_, \
                                                                   __LINE__)(order, names, fn)
