// kefu export: the inquiries out again as CSV, JSON or JSONL, streamed.
#include "core/export/export.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "cmd/commands.h"
#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::cli {
namespace {

struct ExportOptions {
    std::string since;
    std::string until;
    std::vector<std::string> statuses;
    std::string category;
    std::string format;
    bool excel = false;
    bool no_mask = false;
    std::string output;
};

std::vector<Status> parse_statuses(const std::vector<std::string>& given) {
    std::vector<Status> out;
    for (const auto& s : given) {
        for (auto part : text::split(s, ',')) {
            std::string name(text::trim(part));
            if (name == "all") {
                return {};
            }
            if (name == "active") {
                out.insert(out.end(), {Status::New, Status::Open, Status::Waiting});
                continue;
            }
            auto st = parse_status(name);
            if (!st) {
                throw usage_error(
                    "bad --status",
                    fmt::format("\"{}\": use new, open, waiting, resolved, closed, active or all",
                                name));
            }
            out.push_back(*st);
        }
    }
    return out;
}

int run(Context& ctx, const ExportOptions& o) {
    exporting::Options opt;
    // export has its own --format; the global one counts when it names a format export knows.
    std::string format = o.format;
    if (format.empty()) {
        format = ctx.opts.format == "json" || ctx.opts.format == "jsonl" ? ctx.opts.format : "csv";
    }
    opt.format = format == "json"    ? exporting::Format::Json
                 : format == "jsonl" ? exporting::Format::Jsonl
                                     : exporting::Format::Csv;
    if (o.excel && opt.format != exporting::Format::Csv) {
        throw usage_error("--excel needs CSV", fmt::format("--format is {}", format),
                          "--excel writes CSV with a BOM and CRLF for spreadsheets");
    }
    std::string why;
    if (!o.since.empty()) {
        opt.since = timeutil::parse_since(o.since, ctx.now(), &why);
        if (!opt.since) {
            throw usage_error("bad --since", why,
                              "use a duration (30d, 12h) or a date (2026-11-01)");
        }
    }
    if (!o.until.empty()) {
        opt.until = timeutil::parse_since(o.until, ctx.now(), &why);
        if (!opt.until) {
            throw usage_error("bad --until", why,
                              "use a duration (1d) or a date (2026-11-30 18:00)");
        }
    }
    opt.statuses = parse_statuses(o.statuses);
    if (!o.category.empty()) {
        opt.category = parse_category(o.category);
        if (!opt.category) {
            throw usage_error("bad --category",
                              fmt::format("\"{}\": use product, order, logistics, payment, "
                                          "refund, account, technical, complaint or other",
                                          o.category));
        }
    }
    opt.mask = !o.no_mask;
    opt.excel = o.excel;
    opt.now = ctx.now();
    opt.model = priority_model(ctx);
    Store& store = ctx.store();
    uint64_t n = 0;
    if (o.output.empty() || o.output == "-") {
        n = exporting::export_inquiries(store, opt, ctx.out());
    } else {
        // The file holds buyers' messages: private to the user, like the database.
        int fd = ::open(o.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            throw Error("cannot write the export", o.output, std::strerror(errno));
        }
        ::close(fd);
        std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
        n = exporting::export_inquiries(store, opt, file);
        file.close();
        if (!file) {
            throw Error("cannot write the export", o.output, "writing failed (disk full?)");
        }
        ctx.note(fmt::format("{} inquir{} written to {}", n, n == 1 ? "y" : "ies", o.output));
    }
    return 0;
}

void register_export(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ExportOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "export",
        "The inquiries as CSV (default), JSON or JSONL; contacts masked unless --no-mask",
        "  kefu export > inquiries.csv\n"
        "  kefu export --excel -o inquiries.csv          # opens in Excel with Chinese intact\n"
        "  kefu export --since 30d --status active --format jsonl\n"
        "  kefu export --no-mask -o backup.csv            # re-imports with contacts: kefu import "
        "backup.csv\n",
        StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("--since", o->since, "received since: 30d, 2026-11-01");
    cmd->add_option("--until", o->until, "received until");
    cmd->add_option("--status", o->statuses,
                    "new, open, waiting, resolved, closed, active or all (default all)");
    cmd->add_option("--category", o->category, "only this category");
    cmd->add_option("--format", o->format, "csv (default), json or jsonl")
        ->check(CLI::IsMember({"csv", "json", "jsonl"}));
    cmd->add_flag("--excel", o->excel, "CSV for spreadsheets: UTF-8 with BOM, CRLF line ends");
    cmd->add_flag("--no-mask", o->no_mask,
                  "contacts in full (needed to import the file back with contacts)");
    cmd->add_option("-o,--output", o->output,
                    "write to FILE (created private, 0600) instead of stdout");
}

}  // namespace

KEFU_COMMAND(80, "export", register_export);

}  // namespace kefu::cli
