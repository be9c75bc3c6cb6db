// kefu search QUERY: full-text search over subjects and bodies, Chinese included.
#include <fmt/format.h>

#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "core/queue.h"
#include "core/text.h"

namespace kefu::cli {
namespace {

struct SearchOptions {
    std::vector<std::string> words;
    size_t limit = 50;
    bool no_mask = false;
};

int run(Context& ctx, const SearchOptions& o) {
    std::string query;
    for (const auto& w : o.words) {
        query += (query.empty() ? "" : " ") + w;
    }
    size_t total = 0;
    auto hits = search(ctx.store(), query, o.limit, &total);
    auto printer = ctx.printer({{"id", "ID", true},
                                {"status", "STATUS"},
                                {"when", "RECEIVED"},
                                {"customer", "CUSTOMER", false, true},
                                {"snippet", "MATCH", false, true}});
    for (const auto& h : hits) {
        auto j = inquiry_json(h.inquiry, !o.no_mask);
        j["snippet"] = h.snippet;
        if (ctx.format() == Format::Table) {
            j["when"] = short_time(h.inquiry.received_at, ctx.now());
            j["customer"] = display_customer(h.inquiry, !o.no_mask);
        }
        printer.add(j);
    }
    printer.finish();
    if (ctx.format() == Format::Table) {
        if (hits.empty()) {
            ctx.note(fmt::format("nothing matches \"{}\"", text::one_line(query)));
        } else if (total > hits.size()) {
            ctx.note(fmt::format("{} of {} matches shown, newest first (--limit 0 for all)", hits.size(),
                                 total > 1000 ? std::string("over 1000") : std::to_string(total)));
        }
    }
    return 0;
}

void register_search(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<SearchOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "search", "Full-text search over subjects and bodies (Chinese and English)",
        "  kefu search 退款                 # any message containing 退款\n"
        "  kefu search 没收到 快递           # both words (in any order)\n"
        "  kefu search refund --format json\n"
        "  kefu search \"wrong size\" --limit 0\n",
        StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("QUERY", o->words, "words to find; all must occur")->required();
    cmd->add_option("--limit", o->limit, "at most this many results (0 = all)")
        ->check(CLI::Range(0, 1000000000));
    cmd->add_flag("--no-mask", o->no_mask, "show contacts in full");
}

}  // namespace

KEFU_COMMAND(50, "search", register_search);

}  // namespace kefu::cli
