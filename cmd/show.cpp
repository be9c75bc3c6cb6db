// kefu show ID: one inquiry whole, with its customer, thread, replies, follow-ups, history and
// the names of a mail's attachments. Contacts are masked unless --no-mask, as in `kefu list`.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/privacy.h"
#include "core/queue.h"
#include "core/text.h"
#include "core/time.h"
#include "core/workflow/log.h"
#include "core/workflow/sla.h"

namespace kefu::cli {
namespace {

struct ShowOptions {
    std::string id;
    bool full = false;
    bool no_mask = false;
};

// A size as people read it: 194 B, 8.5 KB, 240 KB, 3.1 MB (1 KB = 1024 bytes).
std::string human_size(int64_t bytes) {
    if (bytes < 1024) {
        return fmt::format("{} B", bytes);
    }
    double v = static_cast<double>(bytes) / 1024;
    const char* unit = "KB";
    if (v >= 1024) {
        v /= 1024;
        unit = "MB";
    }
    if (v >= 1024) {
        v /= 1024;
        unit = "GB";
    }
    return v < 10 ? fmt::format("{:.1f} {}", v, unit) : fmt::format("{:.0f} {}", v, unit);
}

// "email: a@b.c" of CustomerSummary::identities with the value masked like a contact.
std::string masked_identity(const std::string& identity) {
    size_t colon = identity.find(": ");
    if (colon == std::string::npos) {
        return mask_contact(identity);
    }
    return identity.substr(0, colon + 2) + mask_contact(identity.substr(colon + 2));
}

std::string safe(std::string_view s) { return text::escape_controls(s, true); }
std::string safe_line(std::string_view s) { return text::one_line(s); }

int run(Context& ctx, const ShowOptions& o) {
    int64_t id = parse_id(o.id);
    Store& store = ctx.store();
    PriorityModel model = priority_model(ctx);
    auto r = get_inquiry(store, id, model, ctx.now());
    if (!r) {
        throw Error("no such inquiry", fmt::format("#{}", id), "there is no inquiry with this id",
                    "`kefu list --status all` shows the ids");
    }
    auto thread = thread_messages(store, r->thread_id);
    auto replies = thread_replies(store, r->thread_id);
    auto followups = thread_followups(store, r->thread_id);
    // The history is the conversation's: a status change or a note recorded on one message
    // belongs to the thread. Replies have their own section.
    std::vector<workflow::LogEntry> events = workflow::thread_log(store, r->id, false);
    workflow::SlaState sla = workflow::sla_state(store, *r, ctx.config(), model, ctx.now());
    std::optional<CustomerSummary> cust;
    if (r->customer_id != 0) {
        cust = customer_summary(store, r->customer_id);
    }
    std::vector<Attachment> attachments = inquiry_attachments(store, r->id);
    // Contacts are masked in every format unless --no-mask, as `kefu list` does.
    bool mask = !o.no_mask;

    if (ctx.format() != Format::Table) {
        auto j = inquiry_json(*r, mask);
        j["body_full"] = r->body_full;
        j["source"] = r->source;
        j["external_id"] = r->external_id;
        j["goods_kind"] = std::string(to_string(r->goods_kind));
        j["sla"] = std::string(workflow::sla_label(sla));
        if (sla.kind != workflow::SlaKind::None) {
            j["sla_deadline"] = timeutil::format_iso(sla.deadline);
        }
        nlohmann::ordered_json msgs = nlohmann::ordered_json::array();
        for (const auto& m : thread) {
            auto mj = inquiry_json(m, mask);
            mj["from_seller"] = (m.flags & k_flag_from_seller) != 0;
            msgs.push_back(mj);
        }
        j["thread"] = msgs;
        nlohmann::ordered_json atts = nlohmann::ordered_json::array();
        for (const auto& a : attachments) {
            atts.push_back({{"name", a.name}, {"size", a.size}});
        }
        j["attachments"] = atts;
        nlohmann::ordered_json reps = nlohmann::ordered_json::array();
        for (const auto& rep : replies) {
            reps.push_back({{"id", rep.id}, {"inquiry_id", rep.inquiry_id}, {"template", rep.template_id},
                            {"language", rep.language}, {"sent_at", timeutil::format_iso(rep.sent_at)},
                            {"source", rep.source}, {"text", rep.text}});
        }
        j["replies"] = reps;
        nlohmann::ordered_json fus = nlohmann::ordered_json::array();
        for (const auto& f : followups) {
            fus.push_back({{"id", f.id}, {"due_at", timeutil::format_iso(f.due_at)}, {"note", f.note},
                           {"done", f.done_at.has_value()}});
        }
        j["followups"] = fus;
        nlohmann::ordered_json evs = nlohmann::ordered_json::array();
        for (const auto& e : events) {
            evs.push_back({{"at", timeutil::format_iso(e.at)}, {"inquiry_id", e.inquiry_id}, {"kind", e.kind},
                           {"detail", e.detail}});
        }
        j["events"] = evs;
        auto printer = ctx.printer({});
        printer.add(j);
        printer.finish();
        return 0;
    }

    Terminal term = ctx.stdout_terminal();
    auto paint = [&](const std::string& color, const std::string& s) {
        return term.color && !color.empty() ? color + s + k_reset : s;
    };
    std::string& out_level = r->level;
    std::string head = fmt::format("#{}", r->id);
    if (!out_level.empty()) {
        head += "  " + paint(level_color(out_level),
                             fmt::format("{} {:.1f}", out_level, shown_priority(r->priority)));
    }
    head += fmt::format("  {}  {}", to_string(r->status), to_string(r->category));
    if (!r->tags.empty()) {
        std::string tags;
        for (const auto& t : r->tags) {
            tags += (tags.empty() ? "" : ", ") + t;
        }
        head += "  [" + safe_line(tags) + "]";
    }
    if (r->snooze_until && *r->snooze_until > ctx.now()) {
        head += "  snoozed until " + timeutil::format_local(*r->snooze_until);
    }
    std::ostream& out = ctx.out();
    out << paint(k_bold, head) << '\n';
    std::string from = display_customer(*r, mask);
    if (cust) {
        from += fmt::format(" (customer #{}{}, {} inquiries, {} open)", cust->id, cust->vip ? ", VIP" : "",
                            cust->inquiries, cust->open_threads);
    }
    auto row = [&](const char* label, const std::string& value) {
        if (!value.empty()) {
            out << paint(k_dim, fmt::format("{:<10}", label)) << safe_line(value) << '\n';
        }
    };
    row("From", from);
    if (!r->contact.empty() && r->contact != r->customer) {
        row("Contact", mask ? mask_contact(r->contact) : r->contact);
    }
    row("Channel", r->channel);
    row("Received", fmt::format("{} ({} ago)", timeutil::format_local(r->received_at),
                                timeutil::format_span(ctx.now() - r->received_at)));
    if (sla.kind != workflow::SlaKind::None) {
        std::string what = sla.kind == workflow::SlaKind::FirstResponse ? "first response" : "response";
        row("SLA", sla.breached ? fmt::format("{} overdue by {} (was due {})", what,
                                              timeutil::format_span(ctx.now() - sla.deadline),
                                              timeutil::format_local(sla.deadline))
                                : fmt::format("{} due {} (in {})", what, timeutil::format_local(sla.deadline),
                                              timeutil::format_span(sla.deadline - ctx.now())));
    }
    row("Order", r->order_id);
    row("Product", r->product);
    if (r->goods_kind != GoodsKind::Unknown) {
        row("Goods", std::string(to_string(r->goods_kind)));
    }
    row("Language", r->language);
    row("Source", r->source);
    row("Subject", r->subject);
    if ((r->flags & k_flag_replacement_chars) != 0) {
        out << paint(k_yellow, "Note: some characters could not be decoded and show as \xEF\xBF\xBD") << '\n';
    }
    out << '\n' << safe(o.full && !r->body_full.empty() ? r->body_full : r->body) << "\n";
    if (!o.full && !r->body_full.empty() && r->body_full != r->body) {
        out << paint(k_dim, "(quoted history cut; `kefu show --full` shows the whole mail)") << '\n';
    }
    if (!attachments.empty()) {
        out << '\n' << paint(k_bold, fmt::format("Attachments ({})", attachments.size())) << '\n';
        for (const auto& a : attachments) {
            std::string name = !a.name.empty()  ? a.name
                               : a.type.empty() ? "(no name)"
                                                : "(no name, " + a.type + ")";
            out << "  " << safe_line(fmt::format("{} ({})", name, human_size(a.size))) << '\n';
        }
    }
    if (thread.size() > 1) {
        out << '\n' << paint(k_bold, fmt::format("Thread ({} messages)", thread.size())) << '\n';
        for (const auto& m : thread) {
            bool seller = (m.flags & k_flag_from_seller) != 0;
            std::string who = seller ? "seller" : display_customer(m, mask);
            std::string line = fmt::format("#{:<5} {}  {}: {}", m.id, timeutil::format_local(m.received_at), who,
                                           m.subject.empty() ? m.body : m.subject + " — " + m.body);
            out << (m.id == r->id ? "→ " : "  ") << text::truncate_to_width(safe_line(line), term.width - 2)
                << '\n';
        }
    }
    if (!replies.empty()) {
        out << '\n' << paint(k_bold, fmt::format("Replies ({})", replies.size())) << '\n';
        for (const auto& rep : replies) {
            std::string line = fmt::format("{}  {}{}: {}", timeutil::format_local(rep.sent_at),
                                           rep.template_id.empty() ? rep.source : rep.template_id,
                                           rep.language.empty() ? "" : " (" + rep.language + ")", rep.text);
            out << "  " << text::truncate_to_width(safe_line(line), term.width - 2) << '\n';
        }
    }
    if (!followups.empty()) {
        out << '\n' << paint(k_bold, "Follow-ups") << '\n';
        for (const auto& f : followups) {
            std::string state = f.done_at ? "done" : f.due_at <= ctx.now() ? "DUE" : "open";
            out << "  " << safe_line(fmt::format("{}  {:<4}  {}", timeutil::format_local(f.due_at), state, f.note))
                << '\n';
        }
    }
    if (cust && !cust->identities.empty()) {
        out << '\n' << paint(k_bold, "Customer") << '\n';
        for (const auto& idn : cust->identities) {
            out << "  " << safe_line(mask ? masked_identity(idn) : idn) << '\n';
        }
        out << "  " << safe_line(fmt::format("first contact {}, last {}", timeutil::format_local(cust->first_contact),
                                     timeutil::format_local(cust->last_contact)))
            << '\n';
    }
    if (!events.empty()) {
        out << '\n' << paint(k_bold, "History") << '\n';
        for (const auto& e : events) {
            std::string on = thread.size() > 1 ? fmt::format("#{:<5} ", e.inquiry_id) : "";
            out << "  " << timeutil::format_local(e.at) << "  " << on << fmt::format("{:<9} ", e.kind)
                << safe_line(e.detail) << '\n';
        }
    }
    return 0;
}

void register_show(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ShowOptions>();
    CLI::App* cmd = add_command(app, ctx, "show",
                                "One inquiry whole: text, customer, thread, replies, follow-ups, history",
                                "  kefu show 12\n"
                                "  kefu show 12 --full            # a mail with its quoted history\n"
                                "  kefu show 12 --format json\n"
                                "  kefu show 12 --no-mask         # the buyer's contact in full\n",
                                StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("ID", o->id, "inquiry id")->required();
    cmd->add_flag("--full", o->full, "mail: the whole decoded text, quoted history included");
    cmd->add_flag("--no-mask", o->no_mask, "show contacts in full");
}

}  // namespace

KEFU_COMMAND(40, "show", register_show);

}  // namespace kefu::cli
