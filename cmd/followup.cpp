// kefu followup ID… --in/--at, kefu followup list, kefu done ID…: promises to come back.
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "core/error.h"
#include "core/privacy.h"
#include "core/text.h"
#include "core/time.h"
#include "core/workflow/followup.h"
#include "core/workflow/ids.h"
#include "core/workflow/when.h"

namespace kefu::cli {
namespace {

struct FollowupOptions {
    std::vector<std::string> ids;
    std::string in;
    std::string at;
    std::string note;
    bool all = false;      // list: done ones too
    bool no_mask = false;  // list
    CLI::App* list = nullptr;
};


// "in 1d", "now", "2h late": when a time falls relative to now.
std::string relative(TimePoint t, TimePoint now) {
    if (t == now) {
        return "now";
    }
    return t > now ? "in " + timeutil::format_span(t - now)
                   : timeutil::format_span(now - t) + " late";
}

int run_add(Context& ctx, const FollowupOptions& o) {
    if (o.ids.empty()) {
        throw usage_error("no ids", "give the inquiry to follow up, e.g. kefu followup 12 --in 2d",
                          "kefu followup list shows the open follow-ups");
    }
    if (o.in.empty() == o.at.empty()) {
        throw usage_error("say when", "give exactly one of --in DURATION or --at TIME",
                          "e.g. kefu followup 12 --in 2d, or --at \"tomorrow 9:00\"");
    }
    TimePoint due = o.in.empty() ? workflow::parse_at("--at", o.at, ctx.now())
                                 : workflow::parse_in("--in", o.in, ctx.now());
    auto ids = workflow::ids_from_words(o.ids, read_stdin);
    Store& store = ctx.store();
    WriteTx tx(store);
    workflow::require_inquiries(store, ids);
    std::vector<std::pair<int64_t, int64_t>> made;  // inquiry, follow-up
    for (int64_t id : ids) {
        made.emplace_back(id, workflow::record_followup(store, id, due, o.note, ctx.now()));
    }
    tx.commit();
    auto printer = ctx.printer({});
    for (const auto& [id, fid] : made) {
        if (ctx.format() == Format::Table) {
            ctx.out() << fmt::format("#{}  follow-up #{} due {} ({})\n", id, fid,
                                     timeutil::format_local(due), relative(due, ctx.now()));
        } else {
            printer.add({{"id", id}, {"followup_id", fid},
                         {"due_at", timeutil::format_iso(due)}, {"note", o.note}});
        }
    }
    printer.finish();
    return 0;
}

int run_list(Context& ctx, const FollowupOptions& o) {
    Store& store = ctx.store(StoreMode::Read);
    auto printer = ctx.printer({{"id", "ID", true},
                                {"followup", "FOLLOW-UP"},
                                {"due", "DUE"},
                                {"when", "WHEN"},
                                {"status", "STATUS"},
                                {"customer", "CUSTOMER", false, true},
                                {"note", "NOTE", false, true}});
    TimePoint now = ctx.now();
    for (const auto& v : workflow::list_followups(store, o.all)) {
        const FollowupRecord& f = v.followup;
        std::string who = !v.customer.empty() ? v.customer
                          : v.contact.empty() ? "?"
                          : o.no_mask         ? v.contact
                                              : mask_contact(v.contact);
        nlohmann::ordered_json j;
        j["id"] = f.inquiry_id;
        if (ctx.format() == Format::Table) {
            j["followup"] = fmt::format("#{}", f.id);
            j["due"] = short_time(f.due_at, now);
            j["when"] = f.done_at ? "done" : relative(f.due_at, now);
        } else {
            j["kind"] = "followup";
            j["due_at"] = timeutil::format_iso(f.due_at);
            j["late_by"] = now - f.due_at;
        }
        j["customer"] = who;
        j["note"] = f.note;
        if (ctx.format() != Format::Table) {
            j["followup_id"] = f.id;
            j["thread_id"] = v.thread_id;
            j["customer_id"] = v.customer_id;
            j["created_at"] = timeutil::format_iso(f.created_at);
            j["done_at"] = f.done_at ? nlohmann::ordered_json(timeutil::format_iso(*f.done_at))
                                     : nlohmann::ordered_json(nullptr);
        }
        j["status"] = std::string(to_string(v.status));
        printer.add(j);
    }
    printer.finish();
    return 0;
}

int run_done(Context& ctx, const std::vector<std::string>& words) {
    auto ids = workflow::ids_from_words(words, read_stdin);
    Store& store = ctx.store();
    WriteTx tx(store);
    workflow::require_inquiries(store, ids);
    std::vector<std::pair<int64_t, std::vector<FollowupRecord>>> done;
    for (int64_t id : ids) {
        done.emplace_back(id, workflow::complete_followups(store, id, ctx.now()));
    }
    tx.commit();
    auto printer = ctx.printer({});
    for (const auto& [id, list] : done) {
        if (list.empty()) {
            ctx.note(fmt::format("#{} has no open follow-up", id));
        }
        for (const auto& f : list) {
            if (ctx.format() == Format::Table) {
                ctx.out() << fmt::format("#{}  follow-up #{} done (was due {})\n", id, f.id,
                                         timeutil::format_local(f.due_at));
            } else {
                printer.add({{"id", id}, {"followup_id", f.id},
                             {"due_at", timeutil::format_iso(f.due_at)}, {"note", f.note}});
            }
        }
    }
    printer.finish();
    return 0;
}

void register_followup(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<FollowupOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "followup", "Promise to come back to a conversation at a time (kefu due "
                              "reminds you)",
        "  kefu followup 12 --in 1d --note \"ask the courier\"\n"
        "  kefu followup 12 --at \"tomorrow 9:00\"\n"
        "  kefu followup 12 --at \"2026-12-01 10:00\"\n"
        "  kefu followup list                     # open follow-ups by due time\n"
        "  kefu done 12                           # the promise is kept\n"
        "Durations: 30m 4h 2d 1w; times are local (TZ or timezone in config.toml).\n",
        StoreMode::Write, [&ctx, o] {
            if (o->list != nullptr && o->list->parsed()) {
                return ctx.exit_code;  // `followup list` ran already
            }
            return run_add(ctx, *o);
        });
    cmd->add_option("ids", o->ids, "inquiry ids (or - to read them from standard input)");
    cmd->add_option("--in", o->in, "due after this long: 30m, 4h, 2d, 1w");
    cmd->add_option("--at", o->at, "due at this local time: \"2026-12-01 10:00\", "
                                   "\"tomorrow 9:00\"");
    cmd->add_option("--note", o->note, "what to do then (shown by kefu due)");
    o->list = add_command(*cmd, ctx, "list", "Open follow-ups by due time",
                          "  kefu followup list\n"
                          "  kefu followup list --all --format json\n",
                          StoreMode::Read, [&ctx, o] { return run_list(ctx, *o); });
    o->list->add_flag("--all", o->all, "done follow-ups too");
    o->list->add_flag("--no-mask", o->no_mask, "show contacts in full");

    auto done_ids = std::make_shared<std::vector<std::string>>();
    CLI::App* done = add_command(
        app, ctx, "done", "Complete the open follow-ups of conversations",
        "  kefu done 12\n"
        "  kefu done 12 15\n",
        StoreMode::Write, [&ctx, done_ids] { return run_done(ctx, *done_ids); });
    done->add_option("ids", *done_ids, "inquiry ids (any message of the thread), or -")
        ->required();
}

}  // namespace

KEFU_COMMAND(60, "followup done", register_followup);

}  // namespace kefu::cli
