// kefu log ID: the history of a conversation, oldest first.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "core/workflow/ids.h"
#include "core/workflow/log.h"

namespace kefu::cli {
namespace {

struct LogOptions {
    std::string id;
};

int run(Context& ctx, const LogOptions& o) {
    int64_t id = workflow::parse_id_word(o.id);
    Store& store = ctx.store();
    auto entries = workflow::thread_log(store, id);
    if (entries.empty()) {
        workflow::require_inquiries(store, {id}, false);
    }
    auto printer = ctx.printer({{"time", "TIME"},
                                {"id", "ID", true},
                                {"kind", "KIND"},
                                {"detail", "DETAIL", false, true}});
    for (const auto& e : entries) {
        nlohmann::ordered_json j;
        if (ctx.format() == Format::Table) {
            j["time"] = timeutil::format_local(e.at);
            j["id"] = fmt::format("#{}", e.inquiry_id);
        } else {
            j["at"] = timeutil::format_iso(e.at);
            j["id"] = e.inquiry_id;
        }
        j["kind"] = e.kind;
        j["detail"] = ctx.format() == Format::Table ? text::one_line(e.detail) : e.detail;
        printer.add(j);
    }
    printer.finish();
    return 0;
}

void register_log(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<LogOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "log",
        "The history of a conversation: imports, tags, status changes, notes, replies, "
        "follow-ups",
        "  kefu log 12\n"
        "  kefu log 12 --format jsonl\n",
        StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("id", o->id, "an inquiry id (any message of the thread)")->required();
}

}  // namespace

KEFU_COMMAND(57, "log", register_log);

}  // namespace kefu::cli
