#include "core/config.h"

#include <unistd.h>

#include <fmt/format.h>
#include <toml++/toml.h>


#include "core/error.h"
#include "core/files.h"
#include "core/time.h"

namespace kefu {
namespace {

std::string where(const std::string& origin, const toml::node& node) {
    const auto& src = node.source();
    return fmt::format("{}:{}:{}", origin, src.begin.line, src.begin.column);
}

[[noreturn]] void bad(const std::string& origin, const toml::node& node, const std::string& why) {
    throw Error("bad config", where(origin, node), why);
}

std::string get_string(const std::string& origin, const toml::node& node, std::string_view key) {
    if (auto s = node.value<std::string>()) {
        return *s;
    }
    bad(origin, node, fmt::format("\"{}\" must be a string", key));
}

int64_t get_duration(const std::string& origin, const toml::node& node, std::string_view key) {
    std::string why;
    auto d = timeutil::parse_duration(get_string(origin, node, key), &why);
    if (!d) {
        bad(origin, node, fmt::format("\"{}\": {}", key, why));
    }
    return *d;
}

double get_number(const std::string& origin, const toml::node& node, std::string_view key) {
    if (auto v = node.value<double>()) {
        return *v;
    }
    bad(origin, node, fmt::format("\"{}\" must be a number", key));
}

const toml::table& as_table(const std::string& origin, const toml::node& node, std::string_view key) {
    if (const toml::table* t = node.as_table()) {
        return *t;
    }
    bad(origin, node, fmt::format("\"{}\" must be a table ([{}])", key, key));
}

}  // namespace

Config Config::parse(std::string_view toml_text, const std::string& origin) {
    toml::table root;
    try {
        root = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        const auto& src = e.source();
        throw Error("bad config", fmt::format("{}:{}:{}", origin, src.begin.line, src.begin.column),
                    std::string(e.description()));
    }
    Config c;
    c.path = origin;
    for (const auto& [key, node] : root) {
        std::string k(key.str());
        if (k == "timezone") {
            c.timezone = get_string(origin, node, k);
        } else if (k == "shop") {
            for (const auto& [sk, sn] : as_table(origin, node, k)) {
                std::string s(sk.str());
                if (s == "name") {
                    c.shop.name = get_string(origin, sn, s);
                } else if (s == "signature") {
                    c.shop.signature = get_string(origin, sn, s);
                } else if (s == "agent") {
                    c.shop.agent = get_string(origin, sn, s);
                } else {
                    bad(origin, sn, fmt::format("unknown key \"shop.{}\" (known: name, signature, agent)", s));
                }
            }
        } else if (k == "sla") {
            for (const auto& [sk, sn] : as_table(origin, node, k)) {
                std::string s(sk.str());
                if (s == "first_response") {
                    c.sla.first_response = get_duration(origin, sn, s);
                } else if (s == "followup_response") {
                    c.sla.followup_response = get_duration(origin, sn, s);
                } else if (s == "first_response_by_level") {
                    for (const auto& [lk, ln] : as_table(origin, sn, s)) {
                        std::string level(lk.str());
                        if (level != "urgent" && level != "high" && level != "normal" && level != "low") {
                            bad(origin, ln, fmt::format("unknown level \"{}\" (urgent, high, normal, low)", level));
                        }
                        c.sla.first_response_by_level[level] = get_duration(origin, ln, level);
                    }
                } else {
                    bad(origin, sn, fmt::format("unknown key \"sla.{}\" (known: first_response, "
                                                "followup_response, first_response_by_level)", s));
                }
            }
        } else if (k == "priority") {
            for (const auto& [pk, pn] : as_table(origin, node, k)) {
                std::string p(pk.str());
                if (p == "levels") {
                    for (const auto& [lk, ln] : as_table(origin, pn, p)) {
                        std::string level(lk.str());
                        if (level != "urgent" && level != "high" && level != "normal") {
                            bad(origin, ln, fmt::format("unknown level \"{}\" (urgent, high, normal)", level));
                        }
                        c.levels[level] = get_number(origin, ln, level);
                    }
                } else {
                    c.priority[p] = get_number(origin, pn, p);
                }
            }
        } else if (k == "mail") {
            for (const auto& [mk, mn] : as_table(origin, node, k)) {
                std::string m(mk.str());
                if (m != "own_addresses") {
                    bad(origin, mn, fmt::format("unknown key \"mail.{}\" (known: own_addresses)", m));
                }
                const toml::array* arr = mn.as_array();
                if (arr == nullptr) {
                    bad(origin, mn, "\"own_addresses\" must be a list of strings");
                }
                for (const auto& item : *arr) {
                    c.mail.own_addresses.push_back(get_string(origin, item, "own_addresses"));
                }
            }
        } else if (k == "import") {
            for (const auto& [ik, in] : as_table(origin, node, k)) {
                std::string i(ik.str());
                if (i == "rejects_dir") {
                    c.import.rejects_dir = get_string(origin, in, i);
                } else if (i == "default_channel") {
                    c.import.default_channel = get_string(origin, in, i);
                } else {
                    bad(origin, in, fmt::format("unknown key \"import.{}\" (known: rejects_dir, default_channel)", i));
                }
            }
        } else if (k == "placeholders") {
            for (const auto& [pk, pn] : as_table(origin, node, k)) {
                c.placeholders[std::string(pk.str())] = get_string(origin, pn, pk.str());
            }
        } else {
            bad(origin, node, fmt::format("unknown key \"{}\" (known: timezone, shop, sla, priority, "
                                          "mail, import, placeholders)", k));
        }
    }
    return c;
}

Config Config::load(const std::string& path, bool must_exist) {
    if (!must_exist && ::access(path.c_str(), R_OK) != 0) {
        return Config{};
    }
    return parse(files::read_file(path, "config"), path);
}

}  // namespace kefu
