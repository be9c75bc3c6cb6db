// kefu rules test TEXT | --file F: classify a text ad hoc; kefu rules check [FILE]: validate a
// rules file.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cmd/commands.h"
#include "cmd/triage_setup.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/files.h"
#include "core/mail/message.h"
#include "core/text.h"
#include "core/triage/rules.h"
#include "core/triage/term_table.h"

namespace kefu::cli {
namespace {

struct TestOptions {
    std::vector<std::string> words;
    std::string file;
    std::string subject;
    std::string rules;
    bool vip = false;
};

struct CheckOptions {
    std::string file;
};

std::string read_text(const std::string& path) {
    if (path == "-") {
        return read_stdin();
    }
    return files::read_file(path);
}

int run_test(Context& ctx, const TestOptions& o) {
    if (o.words.empty() == o.file.empty()) {
        throw usage_error("nothing to test", "give a TEXT or --file FILE (not both)",
                          "kefu rules test '我要退款' or kefu rules test --file message.eml");
    }
    std::string body;
    std::string subject = o.subject;
    if (!o.file.empty()) {
        body = read_text(o.file);
        if (o.file.ends_with(".eml")) {
            // A mail is classified as import sees it: decoded subject, quoted history cut.
            mail::Message m = mail::parse_message(body, o.file);
            subject = o.subject.empty() ? m.subject_normalized : o.subject;
            body = m.body;
        }
    } else {
        for (const auto& w : o.words) {
            body += (body.empty() ? "" : " ") + w;
        }
    }
    if (!text::valid_utf8(body)) {
        body = text::repair_utf8(body);
        ctx.warn("the text is not valid UTF-8; invalid bytes were replaced");
    }
    auto engine = load_engine(ctx, o.rules);
    triage::Signals signals;
    signals.vip = o.vip;
    triage::Result r = engine->classify({subject, body}, signals);

    if (ctx.format() != Format::Table) {
        nlohmann::ordered_json j;
        j["category"] = std::string(to_string(r.category));
        j["tags"] = r.tags;
        j["priority"] = r.static_score;
        j["level"] = r.level;
        j["language"] = r.language;
        j["goods_kind"] = std::string(to_string(r.goods_kind));
        j["terms"] = terms_json(r.terms);
        j["fired"] = fired_json(r.fired);
        j["captures"] = r.captures;
        auto printer = ctx.printer({});
        printer.add(j);
        printer.finish();
        return 0;
    }
    std::ostream& out = ctx.out();
    std::string tags;
    for (const auto& t : r.tags) {
        tags += (tags.empty() ? "" : ", ") + t;
    }
    auto row = [&](const char* label, const std::string& value) {
        out << fmt::format("{:<10}", label) << text::one_line(value) << '\n';
    };
    row("Category", std::string(to_string(r.category)));
    row("Tags", tags.empty() ? "—" : tags);
    row("Priority", fmt::format("{} {} (without the age of an inquiry)",
                                triage::format_score(r.static_score), r.level));
    row("Language", r.language.empty() ? "—" : r.language);
    if (r.goods_kind != GoodsKind::Unknown) {
        row("Goods", std::string(to_string(r.goods_kind)));
    }
    for (const auto& [field, value] : r.captures) {
        row("Captured", field + " = " + value);
    }
    out << '\n' << triage::format_terms(r.terms, r.static_score, r.level);
    out << '\n' << "Rules fired\n";
    out << (r.fired.empty() ? "  (none)\n" : triage::format_fired(r.fired));
    return 0;
}

int run_check(Context& ctx, const CheckOptions& o) {
    std::string origin;
    std::string text;
    bool builtin = false;
    if (!o.file.empty()) {
        origin = o.file;
        text = read_text(o.file);
    } else if (auto user = user_rules(ctx, "")) {
        origin = user->path;
        text = user->text;
    } else {
        builtin = true;
        origin = "data/rules.toml (built in)";
        text = std::string(embedded::find("data/rules.toml").value_or(""));
    }
    triage::ParsedRules parsed = triage::parse_rules(text, origin);
    if (ctx.format() != Format::Table) {
        auto printer = ctx.printer({});
        for (const auto& p : parsed.problems) {
            printer.add({{"where", p.where},
                         {"line", p.line},
                         {"column", p.column},
                         {"message", p.message}});
        }
        printer.finish();
    } else if (!parsed.problems.empty()) {
        for (const auto& p : parsed.problems) {
            ctx.out() << text::escape_controls(p.where + ": " + p.message, false) << '\n';
        }
    }
    if (!parsed.problems.empty()) {
        throw Error(fmt::format("bad rules file ({} problem{})", parsed.problems.size(),
                                parsed.problems.size() == 1 ? "" : "s"),
                    origin, "each is listed above with its line and column",
                    builtin ? "" : "fix them; `kefu rules test TEXT` then shows what fires");
    }
    if (ctx.format() == Format::Table) {
        size_t replacing = 0;
        if (!builtin) {
            auto base = triage::parse_rules(embedded::find("data/rules.toml").value_or(""), "");
            for (const auto& rule : parsed.rules) {
                replacing += std::any_of(base.rules.begin(), base.rules.end(),
                                         [&](const auto& b) { return b.id == rule.id; });
            }
        }
        ctx.out() << text::escape_controls(
                         fmt::format("ok: {}: {} rule{}{}", origin, parsed.rules.size(),
                                     parsed.rules.size() == 1 ? "" : "s",
                                     replacing == 0 ? ""
                                                    : fmt::format(" ({} replace built-in "
                                                                  "rules)", replacing)),
                         false)
                  << '\n';
    }
    return 0;
}

void register_rules(CLI::App& app, Context& ctx) {
    CLI::App* rules = app.add_subcommand("rules", "Try the triage rules on a text; check a "
                                                  "rules file");
    rules->require_subcommand(1);
    rules->footer("\nExamples:\n"
                  "  kefu rules test '快递三天了还没到，今天能发吗？'\n"
                  "  kefu rules check ~/.config/kefu/rules.toml\n"
                  "\nRules: built in (data/rules.toml), extended or overridden by id by "
                  "$XDG_CONFIG_HOME/kefu/rules.toml.");

    auto t = std::make_shared<TestOptions>();
    CLI::App* test = add_command(
        *rules, ctx, "test", "Classify a text: category, tags, priority terms, rules fired",
        "  kefu rules test '收到的杯子碎了，我要退款！！！'\n"
        "  kefu rules test --subject 'Order 2026110158213' 'Where is my parcel?'\n"
        "  kefu rules test --file message.eml --format json\n"
        "  kefu rules test --rules my-rules.toml 'do you have it in red?'\n",
        std::nullopt, [&ctx, t] { return run_test(ctx, *t); });
    test->add_option("TEXT", t->words, "the text (several words are joined with spaces)");
    test->add_option("--file", t->file, "read the text from a file (an .eml is decoded as a mail), - for "
                                        "stdin");
    test->add_option("--subject", t->subject, "a subject line to classify with the text");
    test->add_option("--rules", t->rules, "a rules file to use instead of "
                                          "$XDG_CONFIG_HOME/kefu/rules.toml");
    test->add_flag("--vip", t->vip, "as if the buyer were a VIP");

    auto c = std::make_shared<CheckOptions>();
    CLI::App* check = add_command(
        *rules, ctx, "check",
        "Validate a rules file: every problem with its line (exit 1), else \"ok\"",
        "  kefu rules check                      # your rules file, else the built-in one\n"
        "  kefu rules check ~/shop-rules.toml\n",
        std::nullopt, [&ctx, c] { return run_check(ctx, *c); });
    check->add_option("FILE", c->file, "the rules file (default: $XDG_CONFIG_HOME/kefu/"
                                       "rules.toml, else the built-in rules)");
}

}  // namespace

KEFU_COMMAND(47, "rules", register_rules);

}  // namespace kefu::cli
