// kefu customer list|show|merge|vip|candidates: one buyer across channels.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/triage_setup.h"
#include "core/customers/candidates.h"
#include "core/customers/customers.h"
#include "core/customers/merge.h"
#include "core/error.h"
#include "core/privacy.h"
#include "core/text.h"
#include "core/time.h"
#include "core/triage/retag.h"

namespace kefu::cli {
namespace {

struct CustomerOptions {
    bool vip_only = false;
    std::string sort = "last";
    size_t limit = 50;
    bool no_mask = false;
    std::string who;
    std::string other;
    bool dry_run = false;
    bool off = false;
};

nlohmann::ordered_json iso_or_null(TimePoint t) {
    return t == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(timeutil::format_iso(t));
}

int run_list(Context& ctx, const CustomerOptions& o) {
    customers::ListFilter f;
    f.vip_only = o.vip_only;
    f.sort = o.sort == "inquiries" ? customers::ListSort::Inquiries : customers::ListSort::Last;
    f.limit = o.limit;
    auto page = customers::list_customers(ctx.store(), f);
    auto printer = ctx.printer({{"id", "ID", true},
                                {"name", "NAME", false, true},
                                {"vip_mark", "VIP"},
                                {"inquiries", "MSGS", true},
                                {"threads", "CONV", true},
                                {"open_threads", "OPEN", true},
                                {"last", "LAST"},
                                {"contact", "CONTACT", false, true},
                                {"channels", "CHANNELS", false, true}});
    for (const auto& r : page.rows) {
        nlohmann::ordered_json j;
        j["id"] = r.id;
        j["name"] = r.name;
        j["vip"] = r.vip;
        j["inquiries"] = r.inquiries;
        j["threads"] = r.threads;
        j["open_threads"] = r.open_threads;
        j["first_contact"] = iso_or_null(r.first_contact);
        j["last_contact"] = iso_or_null(r.last_contact);
        j["contact"] = o.no_mask ? r.contact : mask_contact(r.contact);
        j["channels"] = r.channels;
        if (ctx.format() == Format::Table) {
            j["vip_mark"] = r.vip ? "VIP" : "";
            j["last"] = r.last_contact == 0 ? "-" : short_time(r.last_contact, ctx.now());
        }
        printer.add(j);
    }
    printer.finish();
    if (ctx.format() == Format::Table) {
        if (page.rows.empty()) {
            ctx.note(o.vip_only ? "no VIP customers (kefu customer vip X marks one)"
                                : "no customers yet");
        } else if (page.more) {
            ctx.note(fmt::format("showing the first {}; more exist (use --limit 0 for all)",
                                 page.rows.size()));
        }
    }
    return 0;
}

int run_show(Context& ctx, const CustomerOptions& o) {
    Store& store = ctx.store();
    int64_t id = customers::resolve_customer(store, o.who);
    auto d = customers::customer_detail(store, id);
    if (!d) {
        throw Error("no such customer", fmt::format("#{}", id), "it was removed meanwhile");
    }
    if (ctx.format() != Format::Table) {
        nlohmann::ordered_json j;
        j["id"] = d->id;
        j["name"] = d->name;
        j["salutation"] = d->salutation;
        j["vip"] = d->vip;
        j["note"] = d->note;
        j["first_contact"] = iso_or_null(d->first_contact);
        j["last_contact"] = iso_or_null(d->last_contact);
        j["threads"] = d->threads;
        j["open_threads"] = d->open_threads;
        j["replies"] = d->replies;
        auto& ids = j["identities"] = nlohmann::ordered_json::array();
        for (const auto& i : d->identities) {
            ids.push_back({{"kind", std::string(to_string(i.kind))},
                           {"channel", i.channel},
                           {"value", i.value},
                           {"display", i.display}});
        }
        auto& inq = j["inquiries"] = nlohmann::ordered_json::array();
        for (const auto& r : d->inquiries) {
            inq.push_back({{"id", r.id},
                           {"received_at", timeutil::format_iso(r.received_at)},
                           {"channel", r.channel},
                           {"status", std::string(to_string(r.status))},
                           {"category", std::string(to_string(r.category))},
                           {"subject", r.subject},
                           {"body", r.body},
                           {"thread_id", r.thread_id},
                           {"replies", r.replies}});
        }
        auto& fus = j["followups"] = nlohmann::ordered_json::array();
        for (const auto& f : d->open_followups) {
            fus.push_back({{"id", f.id},
                           {"inquiry_id", f.inquiry_id},
                           {"due_at", timeutil::format_iso(f.due_at)},
                           {"note", f.note}});
        }
        auto printer = ctx.printer({});
        printer.add(j);
        printer.finish();
        return 0;
    }
    Terminal term = ctx.stdout_terminal();
    std::ostream& out = ctx.out();
    out << text::one_line(fmt::format("Customer #{} {}{}", d->id,
                                      d->name.empty() ? "(no name)" : d->name,
                                      d->vip ? "  VIP" : ""))
        << '\n';
    if (d->inquiries.empty()) {
        out << "  no inquiries\n";
    } else {
        out << fmt::format(
            "  first contact {}, last {}\n  {} conversation{} ({} open), {} message{}, {} repl{}\n",
            timeutil::format_local(d->first_contact), timeutil::format_local(d->last_contact),
            d->threads, d->threads == 1 ? "" : "s", d->open_threads, d->inquiries.size(),
            d->inquiries.size() == 1 ? "" : "s", d->replies, d->replies == 1 ? "y" : "ies");
    }
    if (!d->note.empty()) {
        out << "  note: " << text::one_line(d->note) << '\n';
    }
    out << "\nIdentities\n";
    for (const auto& i : d->identities) {
        std::string label(to_string(i.kind));
        if (!i.channel.empty()) {
            label += " (" + i.channel + ")";
        }
        out << "  " << text::one_line(label + ": " + (i.display.empty() ? i.value : i.display))
            << '\n';
    }
    if (!d->inquiries.empty()) {
        out << "\nInquiries\n";
        for (const auto& r : d->inquiries) {
            std::string msg = r.subject.empty() ? r.body : r.subject + " — " + r.body;
            // one_line() collapses runs of spaces: make each cell safe first, then align.
            std::string line =
                fmt::format("  #{:<5} {}  {:<8} {:<9} ", r.id, short_time(r.received_at, ctx.now()),
                            to_string(r.status), to_string(r.category));
            line += text::pad_to_width(text::one_line(r.channel), 10) + " " + text::one_line(msg);
            out << text::truncate_to_width(line, term.width) << '\n';
        }
    }
    if (!d->open_followups.empty()) {
        out << "\nOpen follow-ups\n";
        for (const auto& f : d->open_followups) {
            out << text::one_line(fmt::format("  {}  #{}  {}", timeutil::format_local(f.due_at),
                                              f.inquiry_id, f.note))
                << '\n';
        }
    }
    return 0;
}

// VIP and repeat contact are priority terms: the inquiries customers::on_customer_changed
// names are retagged at once, so that they move in the queue.
void rescore_inquiries(Context& ctx, Store& store, const std::vector<int64_t>& ids) {
    if (ids.empty()) {
        return;
    }
    triage::RetagOptions ro;
    ro.now = ctx.now();
    ro.ids = ids;
    auto summary = triage::retag(store, *load_engine(ctx, ""), ro);
    ctx.note(fmt::format("priority recomputed for {} active inquir{}", summary.checked,
                         summary.checked == 1 ? "y" : "ies"));
}

int run_merge(Context& ctx, const CustomerOptions& o) {
    Store& store = ctx.store();
    int64_t keep = customers::resolve_customer(store, o.who);
    int64_t absorb = customers::resolve_customer(store, o.other);
    auto plan = customers::merge_customers(store, keep, absorb, ctx.now(), o.dry_run);
    std::ostream& out = ctx.out();
    auto who = [](int64_t id, const std::string& name) {
        return text::one_line(fmt::format("#{} ({})", id, name.empty() ? "no name" : name));
    };
    out << fmt::format("{} customer {} into {}: {} inquir{}, {} identit{}, {} event{}\n",
                       o.dry_run ? "Would merge" : "Merged", who(plan.absorb, plan.absorb_name),
                       who(plan.keep, plan.keep_name), plan.inquiries.size(),
                       plan.inquiries.size() == 1 ? "y" : "ies", plan.identities.size(),
                       plan.identities.size() == 1 ? "y" : "ies", plan.events,
                       plan.events == 1 ? "" : "s");
    if (o.dry_run) {
        std::string ids;
        for (int64_t i : plan.inquiries) {
            ids += (ids.empty() ? "#" : ", #") + std::to_string(i);
        }
        if (!ids.empty()) {
            out << "  inquiries: " << ids << '\n';
        }
        for (const auto& i : plan.identities) {
            out << "  identity " << text::one_line(i) << '\n';
        }
        out << fmt::format("  afterwards: {}{}\n", text::one_line(plan.name_after),
                           plan.vip_after ? ", VIP" : "");
        ctx.note("nothing changed (--dry-run)");
    } else {
        rescore_inquiries(ctx, store, plan.rescore);
    }
    return 0;
}

int run_vip(Context& ctx, const CustomerOptions& o) {
    Store& store = ctx.store();
    int64_t id = customers::resolve_customer(store, o.who);
    std::vector<int64_t> rescore;
    bool changed = customers::set_vip(store, id, !o.off, ctx.now(), &rescore);
    auto d = customers::customer_detail(store, id);
    std::string name = d && !d->name.empty() ? d->name : "no name";
    ctx.out() << text::one_line(fmt::format("Customer #{} ({}) {} VIP", id, name,
                                            changed ? (o.off ? "is no longer" : "is now")
                                                    : (o.off ? "was not" : "was already")))
              << '\n';
    rescore_inquiries(ctx, store, rescore);
    return 0;
}

int run_candidates(Context& ctx, const CustomerOptions& o) {
    auto list = customers::duplicate_candidates(ctx.store(), !o.no_mask);
    auto printer = ctx.printer({{"a", "A", true},
                                {"b", "B", true},
                                {"score", "SCORE", true},
                                {"names", "NAMES", false, true},
                                {"why", "WHY", false, true}});
    for (const auto& c : list) {
        nlohmann::ordered_json j;
        j["a"] = c.a;
        j["b"] = c.b;
        j["name_a"] = c.name_a;
        j["name_b"] = c.name_b;
        j["score"] = c.score;
        j["reasons"] = c.reasons;
        if (ctx.format() == Format::Table) {
            j["names"] = c.name_a + " / " + c.name_b;
            std::string why;
            for (const auto& r : c.reasons) {
                why += (why.empty() ? "" : "; ") + r;
            }
            j["why"] = why;
        }
        printer.add(j);
    }
    printer.finish();
    if (ctx.format() == Format::Table) {
        ctx.note(list.empty() ? "no likely duplicates"
                              : "nothing was merged; merge a pair with `kefu customer merge A B` "
                                "(--dry-run first)");
    }
    return 0;
}

void register_customer(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<CustomerOptions>();
    CLI::App* cmd = app.add_subcommand(
        "customer", "Buyers across channels: list, show, merge, VIP, duplicates");
    cmd->require_subcommand(1);
    cmd->fallthrough();
    cmd->footer(
        "\nExamples:\n"
        "  kefu customer list --sort inquiries\n"
        "  kefu customer show 13812345678\n"
        "  kefu customer candidates\n"
        "  kefu customer merge 3 12 --dry-run\n"
        "  kefu customer vip 3\n");

    CLI::App* list = add_command(*cmd, ctx, "list", "Customers with their activity, latest first",
                                 "", StoreMode::Read, [&ctx, o] { return run_list(ctx, *o); });
    list->add_flag("--vip", o->vip_only, "only VIP customers");
    list->add_option("--sort", o->sort,
                     "last (latest contact first) or inquiries (most messages first)")
        ->check(CLI::IsMember({"last", "inquiries"}));
    list->add_option("--limit", o->limit, "at most this many rows (0 = all)")
        ->check(CLI::Range(0, 1000000000));
    list->add_flag("--no-mask", o->no_mask, "show contacts in full");

    CLI::App* show = add_command(*cmd, ctx, "show",
                                 "One customer whole: identities, inquiries, replies, follow-ups",
                                 "  kefu customer show 3\n  kefu customer show lina.li@163.com\n",
                                 StoreMode::Read, [&ctx, o] { return run_show(ctx, *o); });
    show->add_option("CUSTOMER", o->who, "id, email, phone, handle or name")->required();

    CLI::App* merge = add_command(
        *cmd, ctx, "merge",
        "Merge customer B into A (one buyer with two records); B's inquiries, identities "
        "and events move to A",
        "  kefu customer merge 3 12 --dry-run\n  kefu customer merge 3 zw@example.com\n",
        StoreMode::Write, [&ctx, o] { return run_merge(ctx, *o); });
    merge->add_option("A", o->who, "the customer to keep")->required();
    merge->add_option("B", o->other, "the customer merged into A and removed")->required();
    merge->add_flag("--dry-run", o->dry_run, "show what would move, change nothing");

    CLI::App* vip = add_command(*cmd, ctx, "vip",
                                "Mark a customer VIP (raises the priority of their inquiries)",
                                "  kefu customer vip 3\n  kefu customer vip 3 --off\n",
                                StoreMode::Write, [&ctx, o] { return run_vip(ctx, *o); });
    vip->add_option("CUSTOMER", o->who, "id, email, phone, handle or name")->required();
    vip->add_flag("--off", o->off, "remove the VIP mark");

    CLI::App* cand = add_command(
        *cmd, ctx, "candidates",
        "Likely duplicate customers (same phone, same order, same name on other channels); "
        "never merged by themselves",
        "", StoreMode::Read, [&ctx, o] { return run_candidates(ctx, *o); });
    cand->add_flag("--no-mask", o->no_mask, "show contacts in full");
}

}  // namespace

KEFU_COMMAND(70, "customer", register_customer);

}  // namespace kefu::cli
