// kefu init: create (or upgrade) the database and say where it is.
#include <fmt/format.h>

#include "cmd/commands.h"

namespace kefu::cli {

namespace {

void register_init(CLI::App& app, Context& ctx) {
    add_command(app, ctx, "init", "Create the database (and say where); safe to run again",
                "  kefu init\n"
                "  kefu --db ~/shop/kefu.db init\n"
                "  KEFU_DB=/tmp/test.db kefu init\n",
                StoreMode::Write, [&ctx] {
                    Store& store = ctx.store();
                    ctx.out() << fmt::format("kefu database ready: {} (schema version {})\n",
                                             store.path(), store.schema_version());
                    return 0;
                });
}

}  // namespace

KEFU_COMMAND(10, "init", register_init);

}  // namespace kefu::cli
