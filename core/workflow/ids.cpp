#include "core/workflow/ids.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "core/error.h"
#include "core/text.h"

namespace kefu::workflow {
namespace {

constexpr size_t k_max_id_digits = 18;  // fits an int64_t whatever the digits

std::optional<int64_t> read_id(std::string_view v) {
    v = text::trim(v);
    if (v.starts_with('#')) {
        v.remove_prefix(1);
    }
    if (v.empty() || v.size() > k_max_id_digits ||
        v.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    int64_t id = 0;
    for (char c : v) {
        id = id * 10 + (c - '0');
    }
    if (id == 0) {
        return std::nullopt;
    }
    return id;
}

std::string shown(std::string_view s) { return text::one_line(s); }

}  // namespace

int64_t parse_id_word(std::string_view word) {
    if (auto id = read_id(word)) {
        return *id;
    }
    throw usage_error("bad id", fmt::format("\"{}\" is not an inquiry id (a number such as 12)",
                                            shown(word)));
}

std::vector<int64_t> parse_id_lines(std::string_view text_in, std::string_view origin) {
    std::vector<int64_t> ids;
    size_t line_no = 0;
    for (std::string_view line : text::split(text_in, '\n')) {
        ++line_no;
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        std::string_view t = text::trim(line);
        if (t.empty()) {
            continue;
        }
        std::string_view first = t.substr(0, t.find_first_of("\t, "));
        if (first.size() >= 2 && first.front() == '"' && first.back() == '"') {
            first = first.substr(1, first.size() - 2);  // a quoted CSV field
        }
        if (first == "id" || first == "ID") {
            continue;
        }
        auto id = read_id(first);
        if (!id) {
            throw Error("bad id", fmt::format("{}:{}", origin, line_no),
                        fmt::format("\"{}\" is not an inquiry id (a number such as 12)",
                                    shown(first)),
                        "give one id per line, or lines of `kefu list --format tsv`",
                        k_exit_usage);
        }
        ids.push_back(*id);
    }
    return ids;
}

std::vector<int64_t> ids_from_words(const std::vector<std::string>& words,
                                    const std::function<std::string()>& read_stdin) {
    std::vector<int64_t> ids;
    bool read = false;
    for (const auto& w : words) {
        if (w == "-") {
            if (read) {
                throw usage_error("bad ids", "\"-\" (standard input) may be given only once");
            }
            read = true;
            auto more = parse_id_lines(read_stdin(), "stdin");
            ids.insert(ids.end(), more.begin(), more.end());
        } else {
            ids.push_back(parse_id_word(w));
        }
    }
    if (words.empty()) {
        throw usage_error("no ids", "give at least one inquiry id",
                          "e.g. 12, several (12 15 18), or - to read them from a pipe");
    }
    return unique_ids(ids);
}

std::vector<int64_t> unique_ids(const std::vector<int64_t>& ids) {
    std::vector<int64_t> out;
    std::unordered_set<int64_t> seen;
    for (int64_t id : ids) {
        if (seen.insert(id).second) {
            out.push_back(id);
        }
    }
    return out;
}

void require_inquiries(Store& store, const std::vector<int64_t>& ids, bool writing) {
    SQLite::Statement q(store.db(), "SELECT 1 FROM inquiry WHERE id = ?");
    std::vector<int64_t> missing;
    for (int64_t id : unique_ids(ids)) {
        q.reset();
        q.bind(1, id);
        if (!q.executeStep()) {
            missing.push_back(id);
        }
    }
    if (missing.empty()) {
        return;
    }
    std::string list;
    constexpr size_t k_max_named = 20;
    for (size_t i = 0; i < missing.size() && i < k_max_named; ++i) {
        list += fmt::format("{}#{}", list.empty() ? "" : ", ", missing[i]);
    }
    if (missing.size() > k_max_named) {
        list += fmt::format(" and {} more", missing.size() - k_max_named);
    }
    std::string why = missing.size() == 1 ? "there is no inquiry with this id"
                                          : "there are no inquiries with these ids";
    if (writing) {
        why += ", nothing was changed";
    }
    throw Error(missing.size() == 1 ? "no such inquiry" : "no such inquiries", list, why,
                "`kefu list --status all` shows the ids");
}

}  // namespace kefu::workflow
