#include "core/workflow/log.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/queue.h"
#include "core/workflow/status.h"

namespace kefu::workflow {

std::vector<LogEntry> thread_log(Store& store, int64_t inquiry_id, bool with_replies) {
    std::vector<LogEntry> out;
    int64_t thread = thread_of(store, inquiry_id);
    if (thread == 0) {
        return out;
    }
    SQLite::Statement ids(store.db(),
                          "SELECT id FROM inquiry WHERE thread_id = ? ORDER BY received_at, id");
    ids.bind(1, thread);
    while (ids.executeStep()) {
        int64_t id = ids.getColumn(0).getInt64();
        for (auto& h : history(store, id)) {
            if (h.kind == "reply") {
                continue;  // listed below from the reply table, with its text
            }
            out.push_back({h.at, id, std::move(h.kind), std::move(h.detail)});
        }
    }
    if (with_replies) {
        for (const auto& r : thread_replies(store, thread)) {
            std::string by = r.source == "mail" ? "by mail"
                             : r.template_id.empty() ? "written by hand"
                                                     : "template " + r.template_id;
            if (!r.language.empty()) {
                by += " (" + r.language + ")";
            }
            out.push_back({r.sent_at, r.inquiry_id, "reply", by + ": " + r.text});
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const LogEntry& a, const LogEntry& b) { return a.at < b.at; });
    return out;
}

}  // namespace kefu::workflow
