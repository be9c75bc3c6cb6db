// kefu suggest ID: the best canned replies for an inquiry, ranked, each rendered, with why.
#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/replies_setup.h"
#include "core/error.h"
#include "core/replies/history.h"
#include "core/text.h"

namespace kefu::cli {
namespace {

struct SuggestOptions {
    std::string id;
    int count = 3;
    std::string lang;
    std::vector<std::string> sets;
};

// The indented lines of a text, control characters made visible.
std::string indented(std::string_view s, std::string_view indent) {
    std::string out;
    std::string safe = text::escape_controls(s, true);
    for (std::string_view line : text::split(safe, '\n')) {
        out += std::string(indent) + std::string(line) + "\n";
    }
    return out;
}

nlohmann::ordered_json suggestion_json(size_t rank, const replies::Suggestion& s) {
    nlohmann::ordered_json j;
    j["rank"] = rank;
    j["template"] = s.tmpl->id;
    j["title"] = s.tmpl->title;
    j["category"] = std::string(to_string(s.tmpl->category));
    j["language"] = s.language;
    // Two decimals: the reasons are shown with one, the sum must not show float noise.
    j["score"] = std::round(s.score * 100) / 100;
    nlohmann::ordered_json why = nlohmann::ordered_json::array();
    for (const replies::Reason& r : s.why) {
        why.push_back(r.text());
    }
    j["why"] = why;
    if (s.rendered.complete()) {
        j["text"] = trim_end(s.rendered.text);
    } else {
        j["text"] = nullptr;
    }
    j["missing"] = s.rendered.missing;
    nlohmann::ordered_json how = nlohmann::ordered_json::array();
    for (const std::string& m : s.rendered.missing) {
        how.push_back(replies::how_to_set(m));
    }
    j["how_to_set"] = how;
    return j;
}

int run(Context& ctx, const SuggestOptions& o) {
    int64_t id = parse_id(o.id);
    if (o.count < 1) {
        throw usage_error("bad -n", fmt::format("{}: give how many suggestions, 1 or more",
                                                o.count));
    }
    if (!o.lang.empty()) {
        check_language(o.lang);
    }
    auto sets = parse_sets(o.sets);
    replies::Library library = load_library(ctx);
    Store& store = ctx.store();
    ReplyTarget target = read_target(ctx, store, id);
    std::string language = buyer_language(target, o.lang);
    replies::Values values = reply_values(ctx, target, sets);
    auto history = replies::past_choices(store, id, target.inquiry.category);
    auto suggestions = replies::suggest(library, reply_query(target, language), history, values,
                                        static_cast<size_t>(o.count));

    if (ctx.format() != Format::Table) {
        auto printer = ctx.printer({});
        for (size_t i = 0; i < suggestions.size(); ++i) {
            printer.add(suggestion_json(i + 1, suggestions[i]));
        }
        printer.finish();
        return 0;
    }
    Terminal term = ctx.stdout_terminal();
    auto paint = [&](const char* color, const std::string& s) {
        return term.color ? color + s + k_reset : s;
    };
    std::ostream& out = ctx.out();
    for (size_t i = 0; i < suggestions.size(); ++i) {
        const replies::Suggestion& s = suggestions[i];
        if (i > 0) {
            out << '\n';
        }
        std::string head = fmt::format("{}. {}  {}  {}  {}  score {:.1f}", i + 1, s.tmpl->id,
                                       s.tmpl->title, to_string(s.tmpl->category), s.language,
                                       s.score);
        out << paint(k_bold, text::one_line(head)) << '\n';
        std::string why;
        for (const replies::Reason& r : s.why) {
            why += (why.empty() ? "" : ", ") + r.text();
        }
        out << paint(k_dim, "   " + text::truncate_to_width("why: " + text::one_line(why),
                                                           std::max<size_t>(term.width, 40) - 3))
            << '\n';
        if (s.rendered.complete()) {
            out << indented(trim_end(s.rendered.text), "   ");
        } else {
            for (const std::string& m : s.rendered.missing) {
                out << paint(k_yellow, "   " + text::one_line(fmt::format(
                                                  "missing {{{}}}: set {}", m,
                                                  replies::how_to_set(m))))
                    << '\n';
            }
        }
    }
    if (!suggestions.empty()) {
        const replies::Suggestion& top = suggestions.front();
        std::string sets_hint;
        for (const std::string& m : top.rendered.missing) {
            sets_hint += fmt::format(" --set {}=…", m);
        }
        ctx.note(fmt::format("send one: kefu reply {} --template {}{} (or --pick N)", id,
                             top.tmpl->id, sets_hint));
    }
    return 0;
}

void register_suggest(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<SuggestOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "suggest",
        "The best canned replies for an inquiry, ranked, each rendered, with why",
        "  kefu suggest 12\n"
        "  kefu suggest 12 -n 5 --lang en\n"
        "  kefu suggest 12 --set tracking_number=SF1234567890\n"
        "  kefu suggest 12 --format json | jq -r '.[0].text'\n"
        "Ranked by category and tags, the words of the message, the buyer's language, VIP, and\n"
        "what you sent before for inquiries like this one (kefu reply).\n"
        "JSON fields: rank, template, title, category, language, score, why, text (null when\n"
        "a placeholder has no value), missing, how_to_set.\n",
        StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("ID", o->id, "inquiry id")->required();
    cmd->add_option("-n,--count", o->count, "how many suggestions (default 3)");
    cmd->add_option("--lang", o->lang, "answer in this language (zh, en …); default: the "
                                       "buyer's");
    cmd->add_option("--set", o->sets, "a placeholder value, name=value (repeatable)");
}

}  // namespace

KEFU_COMMAND(51, "suggest", register_suggest);

}  // namespace kefu::cli
