// kefu backup FILE: an online copy of the database (safe while kefu runs elsewhere).
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"

namespace kefu::cli {

namespace {

void register_backup(CLI::App& app, Context& ctx) {
    auto file = std::make_shared<std::string>();
    CLI::App* cmd = add_command(
        app, ctx, "backup", "Copy the database to FILE while it is in use (SQLite online backup)",
        "  kefu backup ~/backups/kefu-$(date +%F).db\n"
        "  kefu --db shop.db backup shop-copy.db\n",
        StoreMode::Read, [&ctx, file] {
            ctx.store().backup_to(*file);
            ctx.out() << fmt::format("backed up {} to {}\n", ctx.store().path(), *file);
            return 0;
        });
    cmd->add_option("FILE", *file, "the new file (must not exist)")->required();
}

}  // namespace

KEFU_COMMAND(92, "backup", register_backup);

}  // namespace kefu::cli
