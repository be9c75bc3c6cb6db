// kefu import FILE… | -: CSV exports and mail into the queue.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "cmd/commands.h"
#include "cmd/triage_setup.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/import/columns.h"
#include "core/import/import.h"
#include "core/text.h"

namespace kefu::cli {
namespace {

struct ImportOptions {
    std::vector<std::string> paths;
    std::string type;
    std::string encoding;
    std::string delimiter;
    std::vector<std::string> maps;
    std::string preset;
    std::string timezone;
    std::string channel;
    std::string rejects;
    std::vector<std::string> own;
    std::string rules;
    bool dry_run = false;
    size_t batch = 50000;
};

// A progress line on stderr, only on a terminal and only once an import has run a second.
class ProgressLine {
public:
    ProgressLine(bool enabled, std::string name)
        : m_enabled(enabled), m_name(std::move(name)), m_start(std::chrono::steady_clock::now()) {}
    ~ProgressLine() { clear(); }
    void update(const import::Progress& p) {
        if (!m_enabled) {
            return;
        }
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        if (secs < 1.0) {
            return;
        }
        std::string line = fmt::format("importing {}: {} records", text::truncate_to_width(m_name, 40),
                                       p.records);
        if (p.total_bytes > 0) {
            double frac = std::min(1.0, static_cast<double>(p.bytes) / static_cast<double>(p.total_bytes));
            int filled = static_cast<int>(frac * 20);
            std::string bar;
            for (int i = 0; i < 20; ++i) {
                bar += i < filled ? "█" : "░";
            }
            line = fmt::format("importing {}: {} {:3.0f}%  {} records", text::truncate_to_width(m_name, 40),
                               bar, frac * 100, p.records);
        }
        line += fmt::format("  {:.0f}/s", static_cast<double>(p.records) / secs);
        std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
        m_shown = true;
    }
    void clear() {
        if (m_shown) {
            std::fprintf(stderr, "\r\x1b[K");
            m_shown = false;
        }
    }

private:
    bool m_enabled;
    std::string m_name;
    std::chrono::steady_clock::time_point m_start;
    bool m_shown = false;
};

int run(Context& ctx, const ImportOptions& o) {
    import::Options opt;
    opt.type = o.type;
    opt.encoding = o.encoding;
    if (!o.delimiter.empty()) {
        std::string d = o.delimiter == "tab" || o.delimiter == "\\t" ? "\t" : o.delimiter;
        if (d.size() != 1 || (d != "," && d != ";" && d != "\t" && d != "|")) {
            throw usage_error("bad --delimiter", fmt::format("\"{}\": use , ; tab or |", o.delimiter));
        }
        opt.delimiter = d[0];
    }
    for (const auto& m : o.maps) {
        size_t eq = m.find('=');
        auto field = eq == std::string::npos ? std::nullopt : import::parse_field(m.substr(0, eq));
        if (!field || eq + 1 >= m.size()) {
            throw usage_error("bad --map", fmt::format("\"{}\": use FIELD=Header with FIELD one of {}", m,
                                                       import::field_names()));
        }
        opt.map[*field] = m.substr(eq + 1);
    }
    if (!o.encoding.empty()) {
        try {
            encoding::Decoder check(o.encoding);
        } catch (const Error& e) {
            throw usage_error("bad --encoding", fmt::format("\"{}\": {}", o.encoding, e.why()), e.hint());
        }
    }
    if (!o.preset.empty()) {
        // Read once for every input. A name or file that is not there is a mistake on the
        // command line; a preset file that is there but wrong is an error of that file.
        try {
            opt.preset = import::load_preset(o.preset, ctx.config_dir() + "/presets");
        } catch (const Error& e) {
            if (e.exit_code() != k_exit_usage) {
                throw;
            }
            throw usage_error("bad --preset", fmt::format("\"{}\": {}", e.where(), e.why()), e.hint());
        }
    }
    if (!o.timezone.empty()) {
        auto z = timeutil::parse_fixed_zone(o.timezone);
        if (z) {
            opt.zone = *z;
        } else {
            if (!known_timezone(o.timezone)) {
                throw usage_error("bad --timezone",
                                  "\"" + o.timezone + "\" is not a known time zone",
                                  "a name of the tz database such as Asia/Shanghai, or +08:00");
            }
            // An IANA name: naive times are read in that zone through TZ.
            setenv("TZ", o.timezone.c_str(), 1);
            tzset();
            opt.zone = timeutil::Zone::local();
        }
        opt.zone_given = true;
    }
    opt.channel = !o.channel.empty() ? o.channel : ctx.config().import.default_channel;
    opt.dry_run = o.dry_run;
    opt.batch_size = o.batch;
    opt.own_addresses = ctx.config().mail.own_addresses;
    opt.own_addresses.insert(opt.own_addresses.end(), o.own.begin(), o.own.end());
    opt.rejects_file = o.rejects;
    std::string db_dir = std::filesystem::absolute(ctx.db_path()).parent_path().string();
    opt.rejects_dir = !ctx.config().import.rejects_dir.empty() ? ctx.config().import.rejects_dir
                                                               : db_dir + "/rejects";

    // Rules are checked before anything is written: a bad rules file stops the import here.
    Classifier classifier = make_classifier(ctx, o.rules);
    // A dry run writes nothing, not even a new database file: without one it checks against an
    // empty store in memory.
    std::unique_ptr<Store> scratch;
    if (o.dry_run && !std::filesystem::exists(ctx.db_path())) {
        scratch = Store::open(":memory:", StoreMode::Write);
    }
    Store& store = scratch ? *scratch : ctx.store(o.dry_run ? StoreMode::Read : StoreMode::Write);

    auto printer = ctx.printer({{"source", "file"},
                                {"kind", "kind"},
                                {"new", "new", true},
                                {"duplicate", "duplicate", true},
                                {"rejected", "rejected", true},
                                {"flagged", "flagged", true},
                                {"rejects", "rejects", false, true}});
    bool any_rejected = false;
    // An input that cannot be read at all (missing, not a CSV or mail, no message column) is
    // reported, and the others are imported all the same; the exit code then says that one
    // failed (its own records are not written; those of the others are).
    std::vector<std::string> failed;
    int failed_exit = k_exit_ok;
    for (const auto& path : o.paths) {
        ProgressLine line(ctx.stderr_tty(), path);
        import::Summary s;
        try {
            s = import::import_path(store, path, opt, classifier, ctx.now(),
                                    [&line](const import::Progress& p) { line.update(p); });
        } catch (const Error& e) {
            if (o.paths.size() == 1) {
                throw;
            }
            line.clear();
            Context::error(e.what(), e.hint());
            failed.push_back(path);
            failed_exit = failed_exit == k_exit_ok ? e.exit_code() : failed_exit;
            continue;
        }
        line.clear();
        for (const auto& note : s.notes) {
            ctx.note(fmt::format("{}: {}", path, note));
        }
        for (const auto& r : s.dry_rejects) {
            ctx.note(text::escape_controls(fmt::format("{}: would reject {}", path, r), false));
        }
        if (s.n_rejected > s.dry_rejects.size() && !s.dry_rejects.empty()) {
            ctx.note(fmt::format("{}: … and {} more that would be rejected", path,
                                 s.n_rejected - s.dry_rejects.size()));
        }
        for (const auto& f : s.flagged) {
            ctx.warn(fmt::format("{}: decoded with replacement characters (U+FFFD): {}", path, f));
        }
        any_rejected = any_rejected || s.n_rejected > 0;
        nlohmann::ordered_json rec;
        rec["source"] = s.source;
        rec["kind"] = s.kind;
        rec["encoding"] = s.encoding;
        rec["records"] = s.records;
        rec["new"] = s.n_new;
        rec["duplicate"] = s.n_duplicate;
        rec["rejected"] = s.n_rejected;
        rec["flagged"] = s.n_flagged;
        rec["replies"] = s.n_replies;
        rec["skipped"] = s.n_skipped;
        rec["rejects"] = s.rejects_path;
        rec["dry_run"] = o.dry_run;
        if (ctx.format() == Format::Table) {
            std::string line_out = fmt::format("{}: {} new, {} duplicate, {} rejected", path, s.n_new,
                                               s.n_duplicate, s.n_rejected);
            if (s.n_flagged > 0) {
                line_out += fmt::format(", {} flagged", s.n_flagged);
            }
            if (s.n_replies > 0) {
                line_out += fmt::format(", {} seller replies", s.n_replies);
            }
            line_out += fmt::format(" ({}{})", s.kind, s.encoding.empty() ? "" : ", " + s.encoding);
            if (o.dry_run) {
                line_out += " — dry run, nothing written";
            }
            ctx.out() << text::escape_controls(line_out, false) << '\n';
            if (!s.rejects_path.empty()) {
                ctx.out() << text::escape_controls(fmt::format("  rejected records with line and reason: {}",
                                                               s.rejects_path), false)
                          << '\n';
            }
        } else {
            printer.add(rec);
        }
    }
    printer.finish();
    if (!failed.empty()) {
        std::string names;
        for (const auto& f : failed) {
            names += (names.empty() ? "" : ", ") + f;
        }
        Context::error(fmt::format("{} of {} inputs not imported: {}", failed.size(), o.paths.size(), names),
                       "the errors above say why; the other inputs were imported");
        return failed_exit;
    }
    return any_rejected ? k_exit_rejected : k_exit_ok;
}

void register_import(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ImportOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "import", "Import inquiries: CSV exports, mbox, maildir, .eml, or - for stdin",
        "  kefu import orders.csv                      # columns found by their (Chinese or English) names\n"
        "  kefu import 导出.csv --encoding gb18030        # force an encoding (else detected)\n"
        "  kefu import chats.csv --map body=Nachricht --map customer=Kunde\n"
        "  kefu import alipay.csv --preset alipay\n"
        "  kefu import ~/Mail/shop.mbox ~/Maildir/INBOX\n"
        "  cat export.csv | kefu import -\n"
        "  kefu import big.csv --dry-run               # check without writing\n"
        "\nExit codes: 0 all imported, 4 some records rejected (see the reject file),\n"
        "1 the input could not be read (nothing written), 2 bad command line.\n",
        std::nullopt, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("FILE", o->paths, "CSV file, mbox, maildir folder, .eml, or - for stdin")->required();
    cmd->add_option("--type", o->type, "csv, mbox, maildir or eml (else from the name and content)")
        ->check(CLI::IsMember({"csv", "mbox", "maildir", "eml"}));
    cmd->add_option("--encoding", o->encoding, "encoding of a CSV: utf-8, gb18030 (gbk, gb2312), big5, utf-16le…");
    cmd->add_option("--delimiter", o->delimiter, "CSV delimiter: , ; tab or | (else sniffed)");
    cmd->add_option("--map", o->maps, "FIELD=Header: which column holds a field (repeatable)");
    cmd->add_option("--preset", o->preset, "column names of a known export (built in: generic, alipay) or FILE.toml");
    cmd->add_option("--timezone", o->timezone, "zone of times written without one: +08:00 or Asia/Shanghai");
    cmd->add_option("--channel", o->channel, "channel of rows that have no channel column");
    cmd->add_option("--rejects", o->rejects,
                    "where to write rejected records, added to if it exists (default: beside the database)");
    cmd->add_option("--own", o->own, "a seller address: its mails are replies, not inquiries (repeatable)");
    cmd->add_option("--rules", o->rules, "a rules file to use instead of $XDG_CONFIG_HOME/kefu/rules.toml");
    cmd->add_option("--batch", o->batch,
                    "records per transaction at most; a batch is also committed after a second")
        ->check(CLI::Range(1, 1000000));
    cmd->add_flag("--dry-run", o->dry_run, "read and check everything, write nothing");
}

}  // namespace

KEFU_COMMAND(20, "import", register_import);

}  // namespace kefu::cli
