// kefu purge / forget / redact: privacy requests. purge deletes one buyer everywhere, forget
// anonymizes them and keeps the statistics, redact masks personal data in old texts.
#include "core/privacy/purge.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cmd/commands.h"
#include "core/customers/customers.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::cli {
namespace {

struct PrivacyOptions {
    std::string customer;
    std::string older_than;
    bool yes = false;
    bool dry_run = false;
};

// Refuses before anything is opened when no one can be asked.
void require_consent_possible(bool yes) {
    if (!yes && isatty(STDIN_FILENO) == 0) {
        throw usage_error("confirmation needed",
                          "this cannot be undone and there is no terminal to ask on",
                          "add --yes to run it from a script");
    }
}

bool confirm(bool yes, const std::string& question) {
    if (yes) {
        return true;
    }
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    std::string a(text::trim(answer));
    return a == "y" || a == "Y" || a == "yes";
}

std::string describe(const privacy::Footprint& f) {
    auto n = [](int64_t v, const char* one, const char* many) {
        return fmt::format("{} {}", v, v == 1 ? one : many);
    };
    return fmt::format("{}, {}, {}, {}, {}, {}", n(f.identities, "identity", "identities"),
                       n(f.inquiries, "inquiry", "inquiries"), n(f.replies, "reply", "replies"),
                       n(f.followups, "follow-up", "follow-ups"), n(f.tags, "tag", "tags"),
                       n(f.events, "event", "events"));
}

std::string who(const privacy::Footprint& f) {
    return text::one_line(
        fmt::format("#{} ({})", f.customer_id, f.name.empty() ? "no name" : f.name));
}

// Files kefu wrote beside the database that may still hold the old data.
void note_other_copies(Context& ctx, Store& store) {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    SQLite::Statement q(store.db(),
                        "SELECT DISTINCT rejects_path FROM import WHERE rejects_path <> ''");
    while (q.executeStep()) {
        std::string p = q.getColumn(0).getString();
        std::error_code ec;
        if (fs::exists(p, ec)) {
            files.push_back(p);
        }
    }
    std::error_code ec;
    fs::path db(store.path());
    for (const auto& e : fs::directory_iterator(fs::absolute(db).parent_path(), ec)) {
        std::string name = e.path().filename().string();
        if (name.starts_with(db.filename().string() + ".v") && name.ends_with(".bak")) {
            files.push_back(e.path().string());
        }
    }
    if (!files.empty()) {
        std::string list;
        for (const auto& f : files) {
            list += "\n  " + text::one_line(f);
        }
        ctx.note(
            "these files kefu wrote earlier (reject files, backups before upgrades) may still hold "
            "the "
            "old data; delete them if they do:" +
            list);
    }
}

void scrub(Context& ctx, Store& store) {
    if (!privacy::scrub(store)) {
        ctx.warn(
            "another kefu was reading the database; the old text leaves the -wal file at its next "
            "checkpoint");
    }
}

int run_purge(Context& ctx, const PrivacyOptions& o) {
    require_consent_possible(o.yes);
    Store& store = ctx.store();
    int64_t id = customers::resolve_customer(store, o.customer);
    privacy::Footprint f = privacy::footprint(store, id);
    if (!confirm(o.yes, fmt::format("Delete customer {} and everything about them ({})?", who(f),
                                    describe(f)))) {
        ctx.note("nothing deleted");
        return k_exit_failure;
    }
    f = privacy::purge_customer(store, id);
    scrub(ctx, store);
    ctx.out() << fmt::format("Purged customer {}: {}, and their full-text index entries\n", who(f),
                             describe(f));
    note_other_copies(ctx, store);
    return 0;
}

int run_forget(Context& ctx, const PrivacyOptions& o) {
    require_consent_possible(o.yes);
    Store& store = ctx.store();
    int64_t id = customers::resolve_customer(store, o.customer);
    privacy::Footprint f = privacy::footprint(store, id);
    if (!confirm(
            o.yes,
            fmt::format("Remove the name, contacts and personal data in the texts of customer {} "
                        "({} inquiries stay for the statistics)?",
                        who(f), f.inquiries))) {
        ctx.note("nothing changed");
        return k_exit_failure;
    }
    auto r = privacy::forget_customer(store, id, ctx.now());
    scrub(ctx, store);
    ctx.out() << fmt::format(
        "Forgot customer {}: name and {} identit{} removed, {} text{} changed ({} "
        "placeholder{}); {} inquir{} kept for the statistics\n",
        who(r.rows), r.rows.identities, r.rows.identities == 1 ? "y" : "ies", r.texts_changed,
        r.texts_changed == 1 ? "" : "s", r.replacements, r.replacements == 1 ? "" : "s",
        r.rows.inquiries, r.rows.inquiries == 1 ? "y" : "ies");
    note_other_copies(ctx, store);
    return 0;
}

int run_redact(Context& ctx, const PrivacyOptions& o) {
    std::string why;
    auto cutoff = timeutil::parse_since(o.older_than, ctx.now(), &why);
    if (!cutoff) {
        throw usage_error("bad --older-than", why, "use a duration (180d) or a date (2026-05-01)");
    }
    if (!o.dry_run) {
        require_consent_possible(o.yes);
    }
    Store& store = ctx.store();
    if (!o.dry_run) {
        auto preview = privacy::redact_older_than(store, *cutoff, true);
        if (preview.texts_changed == 0) {
            ctx.out() << fmt::format("Nothing to redact before {} ({} inquiries looked at)\n",
                                     timeutil::format_local(*cutoff), preview.inquiries);
            return 0;
        }
        if (!confirm(o.yes, fmt::format("Mask personal data in {} texts from before {}?",
                                        preview.texts_changed, timeutil::format_local(*cutoff)))) {
            ctx.note("nothing changed");
            return k_exit_failure;
        }
    }
    auto r = privacy::redact_older_than(store, *cutoff, o.dry_run);
    if (!o.dry_run && r.texts_changed > 0) {
        scrub(ctx, store);
    }
    ctx.out() << fmt::format(
        "{} {} text{} from before {} ({} placeholder{}; {} inquir{} looked at)\n",
        o.dry_run ? "Would redact" : "Redacted", r.texts_changed, r.texts_changed == 1 ? "" : "s",
        timeutil::format_local(*cutoff), r.replacements, r.replacements == 1 ? "" : "s",
        r.inquiries, r.inquiries == 1 ? "y" : "ies");
    return 0;
}

void register_privacy(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<PrivacyOptions>();
    CLI::App* purge = add_command(app, ctx, "purge",
                                  "Delete one buyer everywhere: identities, inquiries, replies, "
                                  "follow-ups, events, search index",
                                  "  kefu purge --customer 13812345678\n"
                                  "  kefu purge --customer 5 --yes        # in scripts\n",
                                  StoreMode::Write, [&ctx, o] { return run_purge(ctx, *o); });
    purge->add_option("--customer", o->customer, "id, email, phone, handle or name")->required();
    purge->add_flag("-y,--yes", o->yes, "do not ask (needed without a terminal)");

    CLI::App* forget = add_command(
        app, ctx, "forget",
        "Anonymize one buyer: name, contacts and personal data in texts replaced, statistics kept",
        "  kefu forget --customer lina.li@163.com\n"
        "  kefu forget --customer 5 --yes\n",
        StoreMode::Write, [&ctx, o] { return run_forget(ctx, *o); });
    forget->add_option("--customer", o->customer, "id, email, phone, handle or name")->required();
    forget->add_flag("-y,--yes", o->yes, "do not ask (needed without a terminal)");

    CLI::App* redact = add_command(
        app, ctx, "redact",
        "Mask phone numbers, emails, addresses and ID numbers in texts older than a cutoff",
        "  kefu redact --older-than 180d --dry-run\n"
        "  kefu redact --older-than 180d --yes  # from cron\n",
        StoreMode::Write, [&ctx, o] { return run_redact(ctx, *o); });
    redact
        ->add_option("--older-than", o->older_than,
                     "age (180d) or date before which texts are redacted")
        ->required();
    redact->add_flag("-y,--yes", o->yes, "do not ask (needed without a terminal)");
    redact->add_flag("--dry-run", o->dry_run, "count what would change, change nothing");
}

}  // namespace

KEFU_COMMAND(85, "purge forget redact", register_privacy);

}  // namespace kefu::cli
