// kefu snooze ID… --until TIME [--or-reply]: hide conversations from the queue for a while.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "core/error.h"
#include "core/time.h"
#include "core/workflow/followup.h"
#include "core/workflow/ids.h"
#include "core/workflow/when.h"

namespace kefu::cli {
namespace {

struct SnoozeOptions {
    std::vector<std::string> ids;
    std::string until;
    bool or_reply = false;
    bool clear = false;
};

int run(Context& ctx, const SnoozeOptions& o) {
    if (o.clear == !o.until.empty()) {
        throw usage_error("say until when", "give --until TIME, or --clear to end a snooze",
                          "e.g. kefu snooze 12 --until \"tomorrow 9:00\" --or-reply");
    }
    if (o.clear && o.or_reply) {
        throw usage_error("--or-reply goes with --until", "--clear ends the snooze now");
    }
    TimePoint until = o.clear ? 0 : workflow::parse_until("--until", o.until, ctx.now());
    auto ids = workflow::ids_from_words(
        o.ids, read_stdin);
    Store& store = ctx.store();
    WriteTx tx(store);
    workflow::require_inquiries(store, ids);
    std::vector<int64_t> not_snoozed;
    for (int64_t id : ids) {
        if (o.clear) {
            if (!workflow::unsnooze(store, id, ctx.now())) {
                not_snoozed.push_back(id);
            }
        } else {
            workflow::snooze(store, id, until, o.or_reply, ctx.now());
        }
    }
    tx.commit();
    for (int64_t id : ids) {
        if (o.clear) {
            if (std::find(not_snoozed.begin(), not_snoozed.end(), id) != not_snoozed.end()) {
                ctx.note(fmt::format("#{} was not snoozed", id));
            } else {
                ctx.out() << fmt::format("#{}  back in the queue\n", id);
            }
        } else {
            ctx.out() << fmt::format("#{}  snoozed until {} (in {}){}\n", id,
                                     timeutil::format_local(until),
                                     timeutil::format_span(until - ctx.now()),
                                     o.or_reply ? ", or until the buyer writes" : "");
        }
    }
    return 0;
}

void register_snooze(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<SnoozeOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "snooze", "Hide a conversation from the queue until a time",
        "  kefu snooze 12 --until \"tomorrow 9:00\"\n"
        "  kefu snooze 12 --until 3d --or-reply   # back early if the buyer writes\n"
        "  kefu snooze 12 --clear                 # back in the queue now\n"
        "kefu due lists a snooze when it ends; kefu list --snoozed shows snoozed threads.\n",
        StoreMode::Write, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("ids", o->ids, "inquiry ids (or - to read them from standard input)")
        ->required();
    cmd->add_option("--until", o->until, "a local time (\"2026-12-01 10:00\", \"tomorrow "
                                         "9:00\") or a duration (2d)");
    cmd->add_flag("--or-reply", o->or_reply, "end the snooze early when the buyer writes again");
    cmd->add_flag("--clear", o->clear, "end the snooze now");
}

}  // namespace

KEFU_COMMAND(62, "snooze", register_snooze);

}  // namespace kefu::cli
