#include "cmd/context.h"

#include <fmt/format.h>

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <iterator>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::cli {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string() : std::string(v);
}

namespace {

std::string home_dir() {
    std::string h = env("HOME");
    return h.empty() ? "." : h;
}

}  // namespace

std::string cache_dir() {
    std::string xdg = env("XDG_CACHE_HOME");
    if (xdg.starts_with('/')) {
        return xdg + "/kefu";
    }
    std::string home = env("HOME");
    return home.empty() ? "" : home + "/.cache/kefu";
}

std::string read_stdin() { return std::string(std::istreambuf_iterator<char>(std::cin), {}); }

bool known_timezone(const std::string& name) {
    if (timeutil::parse_fixed_zone(name)) {
        return true;
    }
    if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) {
        return false;
    }
    std::string dir = env("TZDIR");
    if (dir.empty()) {
        dir = "/usr/share/zoneinfo";
    }
    struct stat st {};
    return ::stat((dir + "/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string Context::db_path() const {
    if (!opts.db.empty()) {
        return opts.db;
    }
    if (std::string p = env("KEFU_DB"); !p.empty()) {
        return p;
    }
    std::string data = env("XDG_DATA_HOME");
    if (data.empty()) {
        data = home_dir() + "/.local/share";
    }
    return data + "/kefu/kefu.db";
}

std::string Context::config_dir() const {
    std::string dir = env("XDG_CONFIG_HOME");
    if (dir.empty()) {
        dir = home_dir() + "/.config";
    }
    return dir + "/kefu";
}

std::string Context::config_path() const {
    if (!opts.config.empty()) {
        return opts.config;
    }
    return config_dir() + "/config.toml";
}

void Context::prepare() {
    m_config = Config::load(config_path(), !opts.config.empty());
    if (!m_config.timezone.empty() && !known_timezone(m_config.timezone)) {
        throw Error("bad config", m_config.path,
                    "timezone \"" + m_config.timezone + "\" is not a known time zone",
                    "a name of the tz database such as Asia/Shanghai, or +08:00");
    }
    if (!m_config.timezone.empty() && env("TZ").empty()) {
        setenv("TZ", m_config.timezone.c_str(), 1);
    }
    tzset();
    if (std::string fixed = env("KEFU_NOW"); !fixed.empty()) {
        std::string why;
        auto t = timeutil::parse_timestamp(fixed, timeutil::Zone::local(), &why);
        if (!t) {
            throw Error("bad KEFU_NOW", fixed, why);
        }
        m_now = *t;
    } else {
        m_now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    }
    parse_format(opts.format);  // a bad --format is a usage error before anything runs
}

Store& Context::store(std::optional<StoreMode> mode) {
    if (!m_store) {
        m_store = Store::open(db_path(), mode.value_or(m_declared.value_or(StoreMode::Read)));
        if (m_store->upgraded_from() > 0) {
            note(fmt::format("database upgraded from schema version {} to {}; the file as it was is kept "
                             "in {}",
                             m_store->upgraded_from(), m_store->schema_version(), m_store->upgrade_backup()));
        }
    }
    return *m_store;
}

Terminal Context::stdout_terminal() const {
    Terminal t;
    t.tty = isatty(STDOUT_FILENO) != 0;
    t.color = t.tty && env("NO_COLOR").empty() && env("TERM") != "dumb";
    struct winsize ws {};
    if (t.tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        t.width = ws.ws_col;
    } else if (std::string cols = env("COLUMNS"); !cols.empty()) {
        t.width = static_cast<size_t>(std::max(20, std::atoi(cols.c_str())));
    } else {
        t.width = 100;
    }
    return t;
}

bool Context::stderr_tty() const { return isatty(STDERR_FILENO) != 0; }

RecordPrinter Context::printer(std::vector<Column> table_columns) const {
    return RecordPrinter(std::cout, format(), std::move(table_columns), stdout_terminal());
}

void Context::note(const std::string& text) const { std::cerr << "kefu: " << text << '\n'; }

void Context::warn(const std::string& text) const { std::cerr << "kefu: warning: " << text << '\n'; }

void Context::error(const std::string& message, const std::string& hint) {
    std::cerr << "kefu: error: " << text::escape_controls(message, false) << '\n';
    if (!hint.empty()) {
        std::cerr << "kefu: hint: " << text::escape_controls(hint, false) << '\n';
    }
}

CLI::App* add_command(CLI::App& parent, Context& ctx, const std::string& name,
                      const std::string& description, const std::string& examples,
                      std::optional<StoreMode> mode, std::function<int()> run) {
    CLI::App* cmd = parent.add_subcommand(name, description);
    if (!examples.empty()) {
        cmd->footer("\nExamples:\n" + examples);
    }
    cmd->callback([&ctx, mode, run = std::move(run)] {
        ctx.prepare();
        ctx.declare_store(mode);
        ctx.exit_code = run();
    });
    return cmd;
}

}  // namespace kefu::cli
