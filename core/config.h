#pragma once
// config.toml: the user's settings. Every key is optional; defaults live in code. Found at
// $XDG_CONFIG_HOME/kefu/config.toml (~/.config/kefu/config.toml) or --config.
//
//   timezone = "Asia/Shanghai"        # else TZ, else the system zone
//   [shop]     name = "小米的店"  signature = "小米的店 客服小米"  agent = "小米"
//   [sla]      first_response = "24h"  followup_response = "24h"
//              [sla.first_response_by_level] urgent = "2h"  high = "8h"
//   [priority] anger = 6.0  urgency = 3.0 …   (coefficients; see core/triage)
//   [priority.levels] urgent = 12  high = 8  normal = 3     (thresholds on the total)
//   [mail]     own_addresses = ["shop@example.com"]
//   [import]   rejects_dir = "/path"  default_channel = "taobao"
//
// Unknown keys are errors (with file:line), so that a typo is not silently ignored.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kefu {

struct Config {
    std::string path;  // where it was read from ("" = defaults only)
    std::string timezone;

    struct Shop {
        std::string name;
        std::string signature;
        std::string agent;
    } shop;

    struct Sla {
        int64_t first_response = 24 * 3600;
        int64_t followup_response = 24 * 3600;
        std::map<std::string, int64_t> first_response_by_level;  // level → seconds
    } sla;

    // Priority coefficients and level thresholds given by the user; the triage code holds the
    // defaults and the list of valid names.
    std::map<std::string, double> priority;
    std::map<std::string, double> levels;

    struct Mail {
        std::vector<std::string> own_addresses;
    } mail;

    struct Import {
        std::string rejects_dir;
        std::string default_channel;
    } import;

    // Values for reply placeholders set in [placeholders] (name → text).
    std::map<std::string, std::string> placeholders;

    // Reads `path`; a missing file gives the defaults when `must_exist` is false.
    // Throws kefu::Error naming the file and line for a syntax error or an unknown key.
    static Config load(const std::string& path, bool must_exist);
    // Parses TOML text (for tests and `kefu config check`); `origin` names it in errors.
    static Config parse(std::string_view toml_text, const std::string& origin);
};

}  // namespace kefu
