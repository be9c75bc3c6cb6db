// kefu due: what is due now, for cron. Prints nothing when nothing is due.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/privacy.h"
#include "core/time.h"
#include "core/workflow/due.h"
#include "core/workflow/when.h"

namespace kefu::cli {
namespace {

struct DueOptions {
    std::string within;
    bool exit_code = false;
    bool mark_notified = false;
    bool no_mask = false;
    int64_t limit = -1;  // -1: not given
};

std::string kind_label(workflow::DueKind k) {
    switch (k) {
        case workflow::DueKind::Followup:
            return "follow-up";
        case workflow::DueKind::Snooze:
            return "snooze";
        case workflow::DueKind::FirstResponse:
            return "SLA first reply";
        case workflow::DueKind::FollowupResponse:
            return "SLA next reply";
    }
    return "";
}

std::string late_text(int64_t late_by) {
    if (late_by == 0) {
        return "now";
    }
    return late_by > 0 ? timeutil::format_span(late_by) : "in " + timeutil::format_span(late_by);
}

void print(Context& ctx, const std::vector<workflow::DueItem>& items, bool mask) {
    auto printer = ctx.printer({{"id", "ID", true},
                                {"kind", "WHAT"},
                                {"due", "DUE"},
                                {"late", "LATE"},
                                {"customer", "CUSTOMER", false, true},
                                {"note", "NOTE", false, true}});
    for (const auto& d : items) {
        std::string who = !d.customer.empty() ? d.customer
                          : d.contact.empty() ? "?"
                          : mask              ? mask_contact(d.contact)
                                              : d.contact;
        nlohmann::ordered_json j;
        j["id"] = d.inquiry_id;
        if (ctx.format() == Format::Table) {
            j["kind"] = kind_label(d.kind);
            j["due"] = short_time(d.due_at, ctx.now());
            j["late"] = late_text(d.late_by);
        } else {
            j["kind"] = std::string(workflow::to_string(d.kind));
            j["due_at"] = timeutil::format_iso(d.due_at);
            j["late_by"] = d.late_by;
        }
        j["customer"] = who;
        j["note"] = d.note;
        if (ctx.format() != Format::Table) {
            j["customer_id"] = d.customer_id;
            j["thread_id"] = d.thread_id;
            j["followup_id"] = d.followup_id != 0 ? nlohmann::ordered_json(d.followup_id)
                                                  : nlohmann::ordered_json(nullptr);
        }
        printer.add(j);
    }
    printer.finish();
}

constexpr size_t k_table_limit = 50;

int run(Context& ctx, const DueOptions& o) {
    workflow::DueOptions opts;
    if (!o.within.empty()) {
        opts.within = workflow::parse_window("--within", o.within);
    }
    opts.unnotified_only = o.mark_notified;
    // A person reads the most late ones (cron mails a screenful, and the note below says
    // that there is more); a script gets every item unless it asks for fewer.
    opts.limit = o.limit >= 0 ? static_cast<size_t>(o.limit)
                              : (ctx.format() == Format::Table ? k_table_limit : 0);
    PriorityModel model = priority_model(ctx);
    Store& store = ctx.store(o.mark_notified ? StoreMode::Write : StoreMode::Read);
    // Reads come from one snapshot and never wait for a writer.
    workflow::DueList due = workflow::compute_due(store, opts, ctx.config().sla, model,
                                                  ctx.now());
    std::vector<workflow::DueItem> items = std::move(due.items);
    if (o.mark_notified) {
        // The only write, short: remember what is shown (and leave out what an overlapping
        // run showed meanwhile), between the import's batches. A reminder is never lost to
        // a busy database: unmarked, it is shown now and again next time.
        auto fresh = workflow::mark_notified_eagerly(store, items, ctx.now(),
                                                     Store::k_busy_timeout_ms);
        if (fresh) {
            items = std::move(*fresh);
        } else {
            ctx.warn("the database stayed busy (a long import?): these items are not marked "
                     "as notified and will be shown again");
        }
    }
    print(ctx, items, !o.no_mask);
    if (due.more) {
        ctx.note(fmt::format("more is due than the {} shown (kefu due --limit 0 shows all)",
                             items.size()));
    }
    return o.exit_code && !items.empty() ? k_exit_due : 0;
}

void register_due(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DueOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "due",
        "What is due: follow-ups, ended snoozes, SLA breaches (for cron; silent when "
        "nothing is)",
        "  kefu due                               # due and overdue, most late first\n"
        "  kefu due --within 2h                   # and what falls due in the next 2 hours\n"
        "  kefu due --mark-notified               # cron: each item once, until it changes\n"
        "  kefu due --exit-code || notify-send \"kefu: something is due\"\n"
        "  kefu due --format jsonl                # id, kind, due_at, late_by, customer, "
        "note\n",
        StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("--within", o->within, "also what falls due within this time: 30m, 2h, 1d");
    cmd->add_flag("--exit-code", o->exit_code, "exit with 3 when something is due");
    cmd->add_flag("--mark-notified", o->mark_notified,
                  "leave out what an earlier --mark-notified run showed, and remember this run");
    cmd->add_option("--limit", o->limit,
                    "at most this many items, the most late (0 = all; default 50 in a table, "
                    "all with --format)")
        ->check(CLI::Range(int64_t{0}, int64_t{1000000000}));
    cmd->add_flag("--no-mask", o->no_mask, "show contacts in full");
}

}  // namespace

KEFU_COMMAND(65, "due", register_due);

}  // namespace kefu::cli
