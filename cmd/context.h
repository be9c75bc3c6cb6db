#pragma once
// What every command shares: the global flags, the clock, the config, the terminal and the
// store, opened once in the mode the command declares (see add_command).

#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cmd/printer.h"
#include "core/config.h"
#include "core/model.h"
#include "core/store/store.h"

namespace kefu::cli {

// The value of an environment variable, "" when it is not set.
std::string env(const char* name);

// kefu's folder of cache files: $XDG_CACHE_HOME/kefu (when that is an absolute path), else
// ~/.cache/kefu; "" when neither can be told.
std::string cache_dir();

// All of standard input (ids given as "-", `kefu rules test --file -`).
std::string read_stdin();

struct GlobalOptions {
    std::string db;
    std::string format = "table";
    std::string config;
};

class Context {
public:
    GlobalOptions opts;
    int exit_code = 0;

    // The database path: --db, else $KEFU_DB, else $XDG_DATA_HOME/kefu/kefu.db.
    std::string db_path() const;
    // The config path: --config, else $XDG_CONFIG_HOME/kefu/config.toml.
    std::string config_path() const;
    // $XDG_CONFIG_HOME/kefu (user rules and templates live here).
    std::string config_dir() const;

    // Loads config and sets up the time zone; called before a command runs.
    void prepare();
    const Config& config() const { return m_config; }

    // Now: $KEFU_NOW (a timestamp or epoch seconds) in tests, else the system clock.
    TimePoint now() const { return m_now; }

    // The store, opened on first use in the mode the command declared (add_command), or in
    // `mode` when given. Opening late lets a command check its flags first, so that a usage
    // error never depends on the database. Later calls return the same store.
    Store& store(std::optional<StoreMode> mode = std::nullopt);
    void declare_store(std::optional<StoreMode> mode) { m_declared = mode; }
    bool has_store() const { return m_store != nullptr; }

    Format format() const { return parse_format(opts.format); }
    Terminal stdout_terminal() const;
    bool stderr_tty() const;
    // A printer of records to stdout in the chosen --format.
    RecordPrinter printer(std::vector<Column> table_columns) const;

    std::ostream& out() const { return std::cout; }
    // A warning or note on stderr: "kefu: <text>".
    void note(const std::string& text) const;
    void warn(const std::string& text) const;
    // An error as DESIGN.md writes it: "kefu: error: <message>" and "kefu: hint: <hint>" on
    // stderr, control characters escaped. For main's catch, and for a command that reports an
    // error and goes on (kefu import of several files).
    static void error(const std::string& message, const std::string& hint);

private:
    Config m_config;
    TimePoint m_now = 0;
    std::unique_ptr<Store> m_store;
    std::optional<StoreMode> m_declared;
};

// True when `name` is a zone of the tz database ("Asia/Shanghai", "UTC") or a fixed offset.
// glibc reads an unknown TZ as UTC without a word, which would shift every time silently.
bool known_timezone(const std::string& name);

// Adds the subcommand `name` to `parent`. When it runs, the context is prepared, the store is
// declared to open in `mode` (none when nullopt) at its first use, and `run` is called; its
// result is the exit code.
// `examples` is shown at the end of --help.
CLI::App* add_command(CLI::App& parent, Context& ctx, const std::string& name,
                      const std::string& description, const std::string& examples,
                      std::optional<StoreMode> mode, std::function<int()> run);

}  // namespace kefu::cli
