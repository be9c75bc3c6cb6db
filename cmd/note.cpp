// kefu note ID… TEXT: a note in the history of conversations.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "core/error.h"
#include "core/text.h"
#include "core/workflow/ids.h"
#include "core/workflow/status.h"

namespace kefu::cli {
namespace {

struct NoteOptions {
    std::vector<std::string> args;  // ids…, then the text
};

int run(Context& ctx, const NoteOptions& o) {
    if (o.args.size() < 2) {
        throw usage_error("missing argument", "give the id and then the note, e.g. "
                                              "kefu note 12 \"called the courier\"");
    }
    const std::string& note = o.args.back();
    if (text::trim(note).empty()) {
        throw usage_error("empty note", "give the note's text, e.g. kefu note 12 \"called the "
                                        "courier\"");
    }
    std::vector<std::string> words(o.args.begin(), o.args.end() - 1);
    auto ids = workflow::ids_from_words(
        words, read_stdin);
    Store& store = ctx.store();
    WriteTx tx(store);
    workflow::require_inquiries(store, ids);
    for (int64_t id : ids) {
        workflow::add_note(store, id, note, ctx.now());
    }
    tx.commit();
    if (ids.size() == 1) {
        ctx.note(fmt::format("note added to #{}", ids.front()));
    } else if (!ids.empty()) {
        ctx.note(fmt::format("note added to {} inquiries", ids.size()));
    }
    return 0;
}

void register_note(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<NoteOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "note", "Add a note to the history of a conversation (see kefu log)",
        "  kefu note 12 \"called the courier: parcel is at the depot\"\n"
        "  kefu note 12 15 \"promotion batch, ship Monday\"\n",
        StoreMode::Write, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("args", o->args, "ids (or -), then the text of the note")->required();
}

}  // namespace

KEFU_COMMAND(56, "note", register_note);

}  // namespace kefu::cli
