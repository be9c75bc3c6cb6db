// kefu list: the queue, most urgent first.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/queue.h"
#include "core/text.h"
#include "core/time.h"
#include "core/workflow/sla.h"

namespace kefu::cli {
namespace {

struct ListOptions {
    std::vector<std::string> statuses;
    std::string category;
    std::string tag;
    std::string priority;
    std::string customer;
    std::string since;
    std::string until;
    bool due = false;
    bool snoozed = false;
    size_t limit = 50;
    std::string sort = "priority";
    bool no_mask = false;
};

int run(Context& ctx, const ListOptions& o) {
    QueueFilter f;
    for (const auto& s : o.statuses) {
        for (auto part : text::split(s, ',')) {
            std::string name(text::trim(part));
            if (name == "all") {
                f.statuses = all_statuses();
                break;
            }
            if (name == "active") {
                f.statuses.insert(f.statuses.end(), {Status::New, Status::Open, Status::Waiting});
                continue;
            }
            auto st = parse_status(name);
            if (!st) {
                throw usage_error("bad --status",
                                  fmt::format("\"{}\": use new, open, waiting, resolved, closed, active or all", name));
            }
            f.statuses.push_back(*st);
        }
    }
    if (!o.category.empty()) {
        f.category = parse_category(o.category);
        if (!f.category) {
            throw usage_error("bad --category", fmt::format("\"{}\": use product, order, logistics, payment, "
                                                            "refund, account, technical, complaint or other",
                                                            o.category));
        }
    }
    f.tag = o.tag;
    if (!o.priority.empty() && o.priority != "urgent" && o.priority != "high" && o.priority != "normal" &&
        o.priority != "low") {
        throw usage_error("bad --priority", fmt::format("\"{}\": use urgent, high, normal or low", o.priority));
    }
    f.level = o.priority;
    std::string why;
    if (!o.since.empty()) {
        f.since = timeutil::parse_since(o.since, ctx.now(), &why);
        if (!f.since) {
            throw usage_error("bad --since", why, "use a duration (30d, 12h) or a date (2026-11-01)");
        }
    }
    if (!o.until.empty()) {
        f.until = timeutil::parse_until(o.until, ctx.now(), &why);
        if (!f.until) {
            throw usage_error("bad --until", why, "use a duration (1d) or a date (2026-11-30 18:00)");
        }
    }
    Store& store = ctx.store();
    if (!o.customer.empty()) {
        f.customer_given = true;
        f.customer_ids = find_customers(store, o.customer);
    }
    f.due_only = o.due;
    f.include_snoozed = o.snoozed;
    f.limit = o.limit;
    f.sort = o.sort == "received" ? QueueSort::Received : o.sort == "due" ? QueueSort::Due : QueueSort::Priority;
    PriorityModel model = priority_model(ctx);
    auto printer = ctx.printer(queue_columns());
    workflow::ThreadWaitReader waits(store);
    // Rows are printed as they come (json, jsonl, tsv, csv stream; a table is laid out at the
    // end), so that `--limit 0` on a large queue does not hold every inquiry in memory.
    bool more = visit_queue(store, f, model, ctx.now(), [&](const Inquiry& r) {
        auto j = inquiry_json(r, !o.no_mask);
        // Past its service level ([sla] in config): flagged, with how late.
        workflow::SlaState sla = workflow::sla_state(waits, r, ctx.config(), model, ctx.now());
        j["sla"] = std::string(workflow::sla_label(sla));
        if (ctx.format() == Format::Table) {
            j["sla"] = sla.breached ? "late " + timeutil::format_span(ctx.now() - sla.deadline) : "";
            j["when"] = short_time(r.received_at, ctx.now());
            std::string text = r.subject.empty() ? r.body : r.subject + " — " + r.body;
            j["text"] = text;
            j["customer"] = display_customer(r, !o.no_mask);
        }
        printer.add(j);
    });
    printer.finish();
    if (ctx.format() == Format::Table) {
        if (printer.count() == 0) {
            ctx.note("the queue is empty for these filters (kefu list --status all shows every thread)");
        } else if (more) {
            ctx.note(fmt::format("showing the first {}; more match (use --limit 0 for all)", printer.count()));
        }
    }
    return 0;
}

void register_list(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ListOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "list", "The queue: one row per conversation, most urgent first",
        "  kefu list                              # new and open threads, by priority\n"
        "  kefu list --category refund --priority urgent\n"
        "  kefu list --status waiting --sort received\n"
        "  kefu list --customer 13812345678 --status all\n"
        "  kefu list --since 7d --tag angry --format json\n"
        "  kefu list --format tsv | cut -f1        # ids, for scripts\n",
        StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("--status", o->statuses, "new, open, waiting, resolved, closed, active or all (default new,open)");
    cmd->add_option("--category", o->category, "product, order, logistics, payment, refund, account, technical, complaint, other");
    cmd->add_option("--tag", o->tag, "only inquiries with this tag");
    cmd->add_option("--priority", o->priority, "urgent, high, normal or low");
    cmd->add_option("--customer", o->customer, "customer id, email, phone, handle or name");
    cmd->add_option("--since", o->since, "received since: 7d, 12h, 2026-11-01");
    cmd->add_option("--until", o->until, "received until (a date: to the end of that day)");
    cmd->add_flag("--due", o->due, "only threads with a follow-up due now");
    cmd->add_flag("--snoozed", o->snoozed, "include snoozed threads");
    cmd->add_option("--limit", o->limit, "at most this many rows (0 = all)")
        ->check(CLI::Range(0, 1000000000));
    cmd->add_option("--sort", o->sort, "priority, received or due")->check(CLI::IsMember({"priority", "received", "due"}));
    cmd->add_flag("--no-mask", o->no_mask, "show contacts in full");
}
}  // namespace

KEFU_COMMAND(30, "list", register_list);

}  // namespace kefu::cli
