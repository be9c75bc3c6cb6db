#pragma once
// Subcommands register themselves: each cmd/<name>.cpp ends with
//   KEFU_COMMAND(30, register_list);
// where the number is its place in `kefu --help` (lower first). main() calls every
// registered function in that order. Numbers in use: see each file; leave gaps.

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "cmd/context.h"

namespace kefu::cli {

using RegisterFn = void (*)(CLI::App&, Context&);

struct CommandEntry {
    int order;
    RegisterFn fn;
};

std::vector<CommandEntry>& command_registry();

struct CommandRegistrar {
    CommandRegistrar(int order, RegisterFn fn) { command_registry().push_back({order, fn}); }
};

}  // namespace kefu::cli

#define KEFU_COMMAND_CONCAT2(a, b) a##b
#define KEFU_COMMAND_CONCAT(a, b) KEFU_COMMAND_CONCAT2(a, b)
#define KEFU_COMMAND(order, fn)                                                          \
    static const ::kefu::cli::CommandRegistrar KEFU_COMMAND_CONCAT(k_command_registrar_, \
                                                                   __LINE__)(order, fn)
