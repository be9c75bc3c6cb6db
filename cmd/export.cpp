// kefu export: the inquiries out again as CSV, JSON or JSONL, streamed. A file or a pipe gets
// the export byte for byte; a terminal gets it with buyers' control characters escaped.
#include "core/export/export.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <streambuf>

#include "cmd/commands.h"
#include "cmd/printer.h"
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

// What an export shows on a terminal: the text handed on to `out` with the buyers' control
// characters escaped the visible way list and show write them (\e[2J), so that a message cannot
// clear the screen or retitle the window. Text passes a line at a time (a newline is never part
// of a UTF-8 sequence, so no character is split) and the rest when the stream is flushed, which
// export_inquiries does at its end.
class TerminalFilter : public std::streambuf {
public:
    TerminalFilter(std::ostream& out, std::function<std::string(std::string_view)> escape)
        : m_out(out), m_escape(std::move(escape)) {}

protected:
    int_type overflow(int_type ch) override {
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            char c = traits_type::to_char_type(ch);
            xsputn(&c, 1);
        }
        return traits_type::not_eof(ch);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        m_pending.append(s, static_cast<size_t>(n));
        size_t end = m_pending.rfind('\n');
        if (end != std::string::npos) {
            m_out << m_escape(std::string_view(m_pending).substr(0, end + 1));
            m_pending.erase(0, end + 1);
        }
        return n;
    }
    int sync() override {
        m_out << m_escape(m_pending);
        m_pending.clear();
        m_out.flush();
        return m_out ? 0 : -1;
    }

private:
    std::ostream& m_out;
    std::function<std::string(std::string_view)> m_escape;
    std::string m_pending;
};

// The escaping for a terminal. CSV: text::escape_controls with newlines and tabs kept, and with
// --excel its CRLF line ends too. JSON and JSONL already hold C0 controls as \u escapes; DEL
// and the C1 controls are written so too (escape_c1_json), so that they stay valid JSON.
std::function<std::string(std::string_view)> terminal_escape(const exporting::Options& opt) {
    if (opt.format != exporting::Format::Csv) {
        return [](std::string_view s) { return escape_c1_json(std::string(s)); };
    }
    bool excel = opt.excel;
    return [excel](std::string_view s) {
        if (!excel) {
            return text::escape_controls(s, true);
        }
        std::string out;
        size_t start = 0;
        for (size_t at = s.find("\r\n"); at != std::string_view::npos; at = s.find("\r\n", start)) {
            out += text::escape_controls(s.substr(start, at - start), true) + "\r\n";
            start = at + 2;
        }
        return out + text::escape_controls(s.substr(start), true);
    };
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
        opt.until = timeutil::parse_until(o.until, ctx.now(), &why);
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
    if ((o.output.empty() || o.output == "-") && ctx.stdout_terminal().tty) {
        // Read on a terminal: buyers' escape sequences shown, not run. Redirected, the
        // export stays exact (`kefu export --no-mask > f.csv` imports back the same).
        TerminalFilter filter(ctx.out(), terminal_escape(opt));
        std::ostream shown(&filter);
        n = exporting::export_inquiries(store, opt, shown);
    } else if (o.output.empty() || o.output == "-") {
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
    cmd->add_option("--until", o->until, "received until (a date: to the end of that day)");
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
