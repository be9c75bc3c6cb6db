// kefu tag ID +t -t: tags by hand; kefu retag [--all | ID…]: the rules again, after a change.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/text.h"
#include "core/triage/manual_tags.h"
#include "core/triage/recompute.h"
#include "core/triage/retag.h"

namespace kefu::cli {
namespace {

struct TagOptions {
    std::string id;
    std::vector<std::string> words;
    std::vector<std::string> add;
    std::vector<std::string> remove;
    bool dry_run = false;
    CLI::App* command = nullptr;  // for the words CLI11 took for options ("-urgent")
};

struct RetagOptions {
    bool all = false;
    std::vector<std::string> ids;
    std::string rules;
    bool dry_run = false;
    bool list = false;
    size_t batch = 10000;
};

std::string joined(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) {
        s += (s.empty() ? "" : ", ") + n;
    }
    return s;
}

int run_tag(Context& ctx, const TagOptions& o, const std::vector<std::string>& extras) {
    int64_t id = parse_id(o.id);
    triage::TagEdit edit{o.add, o.remove};
    std::vector<std::string> words = o.words;
    words.insert(words.end(), extras.begin(), extras.end());
    std::erase(words, "--");
    for (const auto& w : words) {
        if (w.size() < 2 || (w[0] != '+' && w[0] != '-')) {
            throw usage_error("bad tag change",
                              fmt::format("\"{}\": write +tag to add a tag, -tag to remove one",
                                          text::escape_controls(w, false)),
                              "kefu tag 12 +vip-followup -urgent");
        }
        (w[0] == '+' ? edit.add : edit.remove).push_back(w.substr(1));
    }
    bool viewing = edit.add.empty() && edit.remove.empty();
    Store& store = ctx.store(viewing || o.dry_run ? StoreMode::Read : StoreMode::Write);
    triage::TagEditResult r = triage::edit_tags(store, id, edit, ctx.now(),
                                                o.dry_run || viewing);
    for (const auto& name : r.absent) {
        ctx.note(fmt::format("#{} has no tag \"{}\": nothing to remove", id,
                             text::escape_controls(name, false)));
    }
    if (ctx.format() != Format::Table) {
        auto printer = ctx.printer({});
        printer.add({{"id", id},
                     {"tags", r.tags},
                     {"added", r.added},
                     {"removed", r.removed},
                     {"dry_run", o.dry_run}});
        printer.finish();
        return 0;
    }
    std::string line = fmt::format("#{}: {}", id, r.tags.empty() ? "no tags" : joined(r.tags));
    if (!r.detail.empty()) {
        line += fmt::format(" ({}{})", r.detail, o.dry_run ? ", dry run: nothing written" : "");
    }
    ctx.out() << text::escape_controls(line, false) << '\n';
    return 0;
}

// Progress on stderr while a long retag runs on a terminal.
class Progress {
public:
    explicit Progress(bool enabled)
        : m_enabled(enabled), m_start(std::chrono::steady_clock::now()) {}
    ~Progress() { clear(); }
    void update(uint64_t done, uint64_t total) {
        if (!m_enabled || seconds() < 1.0) {
            return;
        }
        std::fprintf(stderr, "\rretag: %llu of %llu inquiries\x1b[K",
                     static_cast<unsigned long long>(done),
                     static_cast<unsigned long long>(total));
        m_shown = true;
    }
    void clear() {
        if (m_shown) {
            std::fprintf(stderr, "\r\x1b[K");
            m_shown = false;
        }
    }
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

private:
    bool m_enabled;
    std::chrono::steady_clock::time_point m_start;
    bool m_shown = false;
};

int run_retag(Context& ctx, const RetagOptions& o) {
    if (o.all == !o.ids.empty()) {
        throw usage_error("nothing to retag", o.all ? "give --all or ids, not both"
                                                    : "give inquiry ids or --all",
                          "kefu retag 12 15, or kefu retag --all after changing the rules");
    }
    triage::RetagOptions opt;
    for (const auto& word : o.ids) {
        int64_t id = parse_id(word);
        if (std::find(opt.ids.begin(), opt.ids.end(), id) == opt.ids.end()) {
            opt.ids.push_back(id);
        }
    }
    // A bad rules file stops here, before the database is opened.
    auto engine = load_engine(ctx, o.rules);
    Store& store = ctx.store(o.dry_run ? StoreMode::Read : StoreMode::Write);
    opt.batch_size = o.batch;
    opt.dry_run = o.dry_run;
    opt.collect = o.list || !o.all;
    opt.now = ctx.now();
    Progress progress(ctx.stderr_tty() && o.all);
    opt.progress = [&progress](uint64_t done, uint64_t total) { progress.update(done, total); };
    triage::RetagSummary s = triage::retag(store, *engine, opt);
    progress.clear();
    for (int64_t id : s.skipped) {
        ctx.note(fmt::format("#{} is a message from the seller: it has no triage", id));
    }

    if (ctx.format() != Format::Table) {
        nlohmann::ordered_json j;
        j["checked"] = s.checked;
        j["changed"] = s.changed;
        j["category"] = s.category;
        j["tags"] = s.tags;
        j["priority"] = s.priority;
        j["other"] = s.other;
        j["dry_run"] = o.dry_run;
        nlohmann::ordered_json changes = nlohmann::ordered_json::array();
        for (const auto& c : s.changes) {
            changes.push_back({{"id", c.id}, {"changes", c.detail}});
        }
        j["changes"] = std::move(changes);
        auto printer = ctx.printer({});
        printer.add(j);
        printer.finish();
        return 0;
    }
    std::ostream& out = ctx.out();
    if (!o.all) {
        for (int64_t id : opt.ids) {
            auto it = std::find_if(s.changes.begin(), s.changes.end(),
                                   [id](const auto& c) { return c.id == id; });
            if (std::find(s.skipped.begin(), s.skipped.end(), id) == s.skipped.end()) {
                out << text::escape_controls(
                           fmt::format("#{}: {}", id,
                                       it == s.changes.end() ? "unchanged" : it->detail),
                           false)
                    << '\n';
            }
        }
    } else {
        for (const auto& c : s.changes) {
            out << text::escape_controls(fmt::format("#{}: {}", c.id, c.detail), false) << '\n';
        }
        out << fmt::format("retag: {} inquiries checked, {} changed (category {}, tags {}, "
                           "priority {}, other {}){}\n",
                           s.checked, s.changed, s.category, s.tags, s.priority, s.other,
                           o.dry_run ? " — dry run, nothing written" : "");
    }
    if (o.all && ctx.stderr_tty()) {
        ctx.note(fmt::format("retag took {:.1f} s", progress.seconds()));
    }
    return 0;
}

void register_tag(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<TagOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "tag", "Add (+tag) and remove (-tag) tags by hand; they survive `kefu retag`",
        "  kefu tag 12                        # the tags of #12\n"
        "  kefu tag 12 +vip-followup -urgent\n"
        "  kefu tag 12 --remove h             # a tag that reads as an option (-h is help)\n",
        std::nullopt, [&ctx, o] { return run_tag(ctx, *o, o->command->remaining()); });
    cmd->add_option("ID", o->id, "inquiry id")->required();
    cmd->add_option("CHANGES", o->words, "+tag to add, -tag to remove");
    cmd->add_option("--add", o->add, "a tag to add (repeatable)");
    cmd->add_option("--remove", o->remove, "a tag to remove (repeatable)");
    cmd->add_flag("--dry-run", o->dry_run, "show what would change, write nothing");
    // "-urgent" must reach this command as a word, not go up to kefu's global options as an
    // unknown one: this command keeps its unknown options (and takes the global options
    // itself, so that they may still follow it).
    cmd->fallthrough(false);
    cmd->allow_extras();
    cmd->add_option("--db", ctx.opts.db, "database file");
    cmd->add_option("--format", ctx.opts.format, "output: table, json, jsonl, tsv or csv")
        ->check(CLI::IsMember({"table", "json", "jsonl", "tsv", "csv"}));
    cmd->add_option("--config", ctx.opts.config, "config file");
    o->command = cmd;
}

void register_retag(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<RetagOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "retag",
        "Run the rules again over stored inquiries (after changing rules, config or a VIP)",
        "  kefu retag 12 15                   # these inquiries\n"
        "  kefu retag --all                   # every inquiry; only changes are written\n"
        "  kefu retag --all --dry-run --list  # what would change, written nowhere\n"
        "\nTags added or removed by hand (kefu tag) are kept. A goods kind or order id is\n"
        "only changed when the rules filled it.\n",
        std::nullopt, [&ctx, o] { return run_retag(ctx, *o); });
    cmd->add_option("ID", o->ids, "inquiry ids");
    cmd->add_flag("--all", o->all, "every inquiry");
    cmd->add_option("--rules", o->rules,
                    "a rules file to use instead of $XDG_CONFIG_HOME/kefu/rules.toml");
    cmd->add_flag("--dry-run", o->dry_run, "show what would change, write nothing");
    cmd->add_flag("--list", o->list, "with --all: one line per changed inquiry");
    cmd->add_option("--batch", o->batch, "inquiries per transaction")
        ->check(CLI::Range(1, 1000000));
}

}  // namespace

KEFU_COMMAND(44, "tag", register_tag);
KEFU_COMMAND(45, "retag", register_retag);

}  // namespace kefu::cli
