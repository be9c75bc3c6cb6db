// kefu report: the figures of a period in the terminal, as JSON, or as one HTML file.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "cmd/commands.h"
#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/report/figures.h"
#include "core/report/html.h"
#include "core/report/terminal.h"
#include "core/time.h"

namespace kefu::cli {
namespace {

struct ReportOptions {
    std::string since = "30d";
    std::string until;
    std::string html;
    size_t top = 10;
};

// Writes `data` to `path` (created 0600: the report names customers), replacing it.
void write_file(const std::string& path, const std::string& data) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw Error("cannot write the report", path, std::strerror(errno));
    }
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int err = errno;
            ::close(fd);
            throw Error("cannot write the report", path, std::strerror(err));
        }
        done += static_cast<size_t>(n);
    }
    if (::close(fd) != 0) {
        throw Error("cannot write the report", path, std::strerror(errno));
    }
}

int run(Context& ctx, const ReportOptions& o) {
    if (ctx.format() == Format::Tsv || ctx.format() == Format::Csv) {
        throw usage_error("bad --format for report", "a report is printed as table, json or jsonl",
                          "use `kefu export` for the inquiries as CSV");
    }
    report::Options opt;
    opt.now = ctx.now();
    std::string why;
    auto since = timeutil::parse_since(o.since, ctx.now(), &why);
    if (!since) {
        throw usage_error("bad --since", why, "use a duration (30d, 12h) or a date (2026-11-01)");
    }
    opt.since = *since;
    opt.until = ctx.now();
    if (!o.until.empty()) {
        auto until = timeutil::parse_since(o.until, ctx.now(), &why);
        if (!until) {
            throw usage_error("bad --until", why,
                              "use a duration (1d) or a date (2026-11-30 18:00)");
        }
        opt.until = *until;
    }
    opt.sla_first_response = ctx.config().sla.first_response;
    opt.top = o.top;
    opt.model = priority_model(ctx);
    report::Figures f = report::compute(ctx.store(), opt);

    if (!o.html.empty()) {
        write_file(o.html, report::render_html(f, ctx.config().shop.name));
        ctx.note(fmt::format("report written to {}", o.html));
        return 0;
    }
    if (ctx.format() == Format::Table) {
        ctx.out() << report::render_text(f, ctx.stdout_terminal().width);
        return 0;
    }
    // One object (not a list of records): pretty for json, one line for jsonl.
    auto j = report::to_json(f);
    ctx.out() << (ctx.format() == Format::Json
                      ? escape_c1_json(j.dump(2, ' ', false,
                                              nlohmann::ordered_json::error_handler_t::replace))
                      : to_json_line(j))
              << '\n';
    return 0;
}

void register_report(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ReportOptions>();
    CLI::App* cmd =
        add_command(app, ctx, "report",
                    "Backlog, volume by category/channel/day, response times, SLA breaches, repeat "
                    "buyers, templates",
                    "  kefu report                         # the last 30 days\n"
                    "  kefu report --since 2026-11-01 --until 2026-11-12\n"
                    "  kefu report --since 7d --format json\n"
                    "  kefu report --html report.html      # one file with charts, prints on A4\n",
                    StoreMode::Read, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("--since", o->since,
                    "start of the period: a duration back from now (30d) or a date")
        ->capture_default_str();
    cmd->add_option("--until", o->until, "end of the period (default: now)");
    cmd->add_option("--html", o->html,
                    "write the report as one self-contained HTML file with charts");
    cmd->add_option("--top", o->top, "rows in the lists of repeat buyers and templates")
        ->capture_default_str();
}

}  // namespace

KEFU_COMMAND(75, "report", register_report);

}  // namespace kefu::cli
