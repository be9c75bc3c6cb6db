// kefu check: integrity of the database file and of kefu's own invariants.
#include <fmt/format.h>

#include "cmd/commands.h"
#include "core/error.h"
#include "core/text.h"

namespace kefu::cli {

namespace {

void register_check(CLI::App& app, Context& ctx) {
    add_command(app, ctx, "check", "Check the database: SQLite integrity, references, full-text index",
                "  kefu check\n"
                "  kefu check && kefu backup ~/backups/kefu-$(date +%F).db\n",
                StoreMode::Read, [&ctx] {
                    Store& store = ctx.store();
                    auto problems = store.check();
                    if (problems.empty()) {
                        ctx.out() << fmt::format("ok: {} passed every check\n", store.path());
                        return 0;
                    }
                    for (const auto& p : problems) {
                        ctx.out() << "problem: " << text::escape_controls(p, false) << '\n';
                    }
                    throw kefu::Error("database check failed", store.path(),
                                fmt::format("{} problem(s)", problems.size()),
                                "restore from a backup (`kefu backup`) or re-import the files");
                });
}

}  // namespace

KEFU_COMMAND(90, "check", register_check);

}  // namespace kefu::cli
