#include "core/triage/manual_tags.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "core/triage/recompute.h"

namespace kefu::triage {
namespace {

void check_name(const std::string& name) {
    if (!is_valid_tag(name)) {
        throw usage_error("bad tag", fmt::format("\"{}\": a tag is one word of at most 64 bytes, "
                                                 "without spaces, commas or control characters",
                                                 text::escape_controls(name, false)));
    }
}

// The names in order of first appearance, each once.
std::vector<std::string> unique_names(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& name : names) {
        if (std::find(out.begin(), out.end(), name) == out.end()) {
            out.push_back(name);
        }
    }
    return out;
}

}  // namespace

TagEditResult edit_tags(Store& store, int64_t id, const TagEdit& asked, TimePoint now,
                        bool dry_run) {
    TagEdit edit{unique_names(asked.add), unique_names(asked.remove)};
    for (const auto& name : edit.add) {
        check_name(name);
        if (std::find(edit.remove.begin(), edit.remove.end(), name) != edit.remove.end()) {
            throw usage_error("bad tag", fmt::format("\"{}\" is both added and removed", name));
        }
    }
    for (const auto& name : edit.remove) {
        check_name(name);
    }

    std::unique_ptr<WriteTx> tx;
    if (!dry_run) {
        tx = std::make_unique<WriteTx>(store);
    }
    SQLite::Database& db = store.db();
    SQLite::Statement who(db, "SELECT coalesce(customer_id, 0) FROM inquiry WHERE id = ?");
    who.bind(1, id);
    if (!who.executeStep()) {
        throw Error("no such inquiry", fmt::format("#{}", id), "there is no inquiry with this id",
                    "`kefu list --status all` shows the ids");
    }
    int64_t customer = who.getColumn(0).getInt64();
    std::map<std::string, TagSource> tags;
    SQLite::Statement read(db, "SELECT name, source FROM tag WHERE inquiry_id = ?");
    read.bind(1, id);
    while (read.executeStep()) {
        tags[read.getColumn(0).getString()] = static_cast<TagSource>(read.getColumn(1).getInt());
    }

    TagEditResult result;
    std::map<std::string, TagSource> writes;
    for (const auto& name : edit.add) {
        auto it = tags.find(name);
        if (it == tags.end() || it->second == TagSource::Removed) {
            result.added.push_back(name);
            writes[name] = TagSource::Added;
        } else if (it->second == TagSource::Rule) {
            result.kept.push_back(name);
            writes[name] = TagSource::Added;
        }
    }
    for (const auto& name : edit.remove) {
        auto it = tags.find(name);
        if (it == tags.end() || it->second == TagSource::Removed) {
            result.absent.push_back(name);
        } else {
            result.removed.push_back(name);
            writes[name] = TagSource::Removed;
        }
    }
    for (const auto& [name, source] : writes) {
        tags[name] = source;
    }
    for (const auto& [name, source] : tags) {
        if (source != TagSource::Removed) {
            result.tags.push_back(name);
        }
    }
    for (const auto& name : result.added) {
        result.detail += (result.detail.empty() ? "+" : " +") + name;
    }
    for (const auto& name : result.kept) {
        result.detail += (result.detail.empty() ? "+" : " +") + name + " (kept by hand)";
    }
    for (const auto& name : result.removed) {
        result.detail += (result.detail.empty() ? "-" : " -") + name;
    }
    if (dry_run || writes.empty()) {
        return result;
    }
    SQLite::Statement put(db,
                          "INSERT INTO tag(inquiry_id, name, source) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT(inquiry_id, name) DO UPDATE SET source = excluded.source");
    for (const auto& [name, source] : writes) {
        put.reset();
        put.bind(1, id);
        put.bind(2, name);
        put.bind(3, static_cast<int>(source));
        put.exec();
    }
    SQLite::Statement event(db, "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) "
                                "VALUES (?, ?, ?, 'tag', ?)");
    event.bind(1, id);
    if (customer != 0) {
        event.bind(2, customer);
    } else {
        event.bind(2);
    }
    event.bind(3, now);
    event.bind(4, result.detail);
    event.exec();
    tx->commit();
    return result;
}

}  // namespace kefu::triage
