// kefu explain ID: why an inquiry has its priority, term by term.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "core/triage/explanation.h"
#include "core/triage/term_table.h"

namespace kefu::cli {
namespace {

struct ExplainOptions {
    std::string id;
    std::string rules;
};

nlohmann::ordered_json explanation_json(const triage::Explanation& e) {
    const triage::StoredTriage& s = e.stored;
    nlohmann::ordered_json j;
    j["id"] = s.id;
    j["category"] = std::string(to_string(e.result.category));
    j["tags"] = e.tags;
    j["priority"] = e.total;
    j["level"] = e.level;
    j["language"] = e.result.language;
    j["static"] = e.result.static_score;
    j["terms"] = terms_json(e.terms);
    j["fired"] = fired_json(e.result.fired);
    j["captures"] = e.result.captures;
    j["goods_kind"] = std::string(to_string(e.recomputed.goods_kind));
    j["signals"] = {{"vip", s.signals.vip},
                    {"open_from_customer", s.signals.open_from_customer},
                    {"thread_messages", s.signals.thread_messages}};
    j["stored"] = {{"category", std::string(to_string(s.category))},
                   {"priority_static", s.priority_static},
                   {"tags", triage::visible_tags(s.tags)},
                   {"listed_priority", e.listed}};
    j["stale"] = !e.changes.empty();
    j["changes"] = e.changes;
    return j;
}

void print_table(Context& ctx, const triage::Explanation& e) {
    const triage::StoredTriage& s = e.stored;
    std::ostream& out = ctx.out();
    Terminal term = ctx.stdout_terminal();
    auto paint = [&](const std::string& color, const std::string& text) {
        return term.color && !color.empty() ? color + text + k_reset : text;
    };
    out << paint(k_bold, fmt::format("#{}  ", s.id))
        << paint(level_color(e.level), fmt::format("{} {}", e.level, triage::format_score(e.total)))
        << paint(k_bold, fmt::format("  {}  {}", to_string(e.result.category),
                                     to_string(s.status)))
        << '\n';
    std::string tags;
    for (const auto& t : e.tags) {
        tags += (tags.empty() ? "" : ", ") + t;
    }
    auto row = [&](const char* label, const std::string& value) {
        out << paint(k_dim, fmt::format("{:<10}", label)) << text::one_line(value) << '\n';
    };
    row("Received", fmt::format("{} ({} ago)", timeutil::format_local(s.received_at),
                                timeutil::format_span(std::max<int64_t>(0, ctx.now() -
                                                                               s.received_at))));
    row("Signals", fmt::format("{}{} other open inquiries of the customer, {} buyer "
                               "messages in the thread up to this one",
                               s.signals.vip ? "VIP, " : "", s.signals.open_from_customer,
                               s.signals.thread_messages));
    if (!tags.empty()) {
        row("Tags", tags);
    }
    if (!e.result.language.empty()) {
        row("Language", e.result.language);
    }

    out << '\n' << triage::format_terms(e.terms, e.total, e.level);
    if (!e.result.fired.empty()) {
        out << '\n' << paint(k_bold, "Rules fired") << '\n' << triage::format_fired(e.result.fired);
    }
    for (const auto& [field, value] : e.result.captures) {
        out << paint(k_dim, fmt::format("{:<10}", "Captured")) << field << " = "
            << text::one_line(value) << '\n';
    }
}

int run(Context& ctx, const ExplainOptions& o) {
    int64_t id = parse_id(o.id);
    auto engine = load_engine(ctx, o.rules);
    Store& store = ctx.store();
    auto e = triage::explain_inquiry(store, *engine, id, ctx.now());
    if (!e) {
        throw Error("no such inquiry", fmt::format("#{}", id), "there is no inquiry with this id",
                    "`kefu list --status all` shows the ids");
    }
    if (ctx.format() == Format::Table) {
        print_table(ctx, *e);
    } else {
        auto printer = ctx.printer({});
        printer.add(explanation_json(*e));
        printer.finish();
    }
    if (!e->changes.empty()) {
        ctx.note(fmt::format("the stored triage of #{} is out of date ({}): the rules, config or "
                             "the customer's signals changed since; `kefu list` ranks it at {} "
                             "until you run `kefu retag {}` (or `kefu retag --all`)",
                             id, text::one_line(e->changes), triage::format_score(e->listed), id));
    }
    return 0;
}

void register_explain(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ExplainOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "explain",
        "Why an inquiry has its priority: every term, the rules that fired, the total",
        "  kefu explain 12\n"
        "  kefu explain 12 --format json | jq '.terms[] | [.name, .contribution]'\n"
        "  kefu explain 12 --rules new-rules.toml     # as a changed rules file would rank it\n",
        StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("ID", o->id, "inquiry id")->required();
    cmd->add_option("--rules", o->rules,
                    "a rules file to use instead of $XDG_CONFIG_HOME/kefu/rules.toml");
}

}  // namespace

KEFU_COMMAND(42, "explain", register_explain);

}  // namespace kefu::cli
