// kefu status ID… STATUS: move conversations along new → open → waiting → resolved → closed.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "core/error.h"
#include "core/workflow/ids.h"
#include "core/workflow/status.h"

namespace kefu::cli {
namespace {

struct StatusOptions {
    std::vector<std::string> args;  // ids…, then the status
    std::string reason;
};


int run(Context& ctx, const StatusOptions& o) {
    if (o.args.size() < 2) {
        throw usage_error("missing argument", "give the ids and then the status, e.g. "
                                              "kefu status 12 15 resolved");
    }
    Status status = workflow::parse_target_status(o.args.back());
    std::vector<std::string> words(o.args.begin(), o.args.end() - 1);
    auto ids = workflow::ids_from_words(words, read_stdin);
    if (ids.empty()) {
        ctx.note("no ids on standard input, nothing changed");
        return 0;
    }
    Store& store = ctx.store();
    WriteTx tx(store);
    auto changes = workflow::set_status(store, ids, status, ctx.now(), o.reason);
    tx.commit();

    auto printer = ctx.printer({});
    std::vector<std::string> unchanged;
    for (const auto& c : changes) {
        if (c.same_thread_as != 0) {
            ctx.note(fmt::format("#{} is in the same conversation as #{}", c.inquiry_id,
                                 c.same_thread_as));
            continue;
        }
        if (!c.changed()) {
            unchanged.push_back(fmt::format("#{}", c.inquiry_id));
            continue;
        }
        if (ctx.format() == Format::Table) {
            ctx.out() << fmt::format("#{}  {} → {}\n", c.inquiry_id, to_string(c.from),
                                     to_string(c.to));
        } else {
            printer.add({{"id", c.inquiry_id}, {"thread_id", c.thread_id},
                         {"from", std::string(to_string(c.from))},
                         {"status", std::string(to_string(c.to))}});
        }
    }
    printer.finish();
    if (!unchanged.empty()) {
        std::string list;
        for (const auto& u : unchanged) {
            list += (list.empty() ? "" : ", ") + u;
        }
        ctx.note(fmt::format("already {}: {}", to_string(status), list));
    }
    return 0;
}

void register_status(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<StatusOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "status",
        "Set the status of conversations: open, waiting, resolved or closed",
        "  kefu status 12 open                    # I am on it\n"
        "  kefu status 12 waiting                 # answered, the buyer's turn\n"
        "  kefu status 12 15 18 resolved\n"
        "  kefu list --category logistics --format tsv | cut -f1 | kefu status - resolved\n"
        "A status belongs to the whole thread; a new message from the buyer reopens it.\n",
        StoreMode::Write, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("args", o->args, "ids (or - to read them from standard input), then the "
                                     "status")
        ->required();
    cmd->add_option("--reason", o->reason, "why, kept in the history (kefu log)");
}

}  // namespace

KEFU_COMMAND(55, "status", register_status);

}  // namespace kefu::cli
