#include "core/workflow/status.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "core/workflow/ids.h"

namespace kefu::workflow {

Status parse_target_status(std::string_view word) {
    auto s = parse_status(text::trim(word));
    if (!s || *s == Status::New) {
        throw usage_error("bad status",
                          fmt::format("\"{}\": use open, waiting, resolved or closed",
                                      text::one_line(word)));
    }
    return *s;
}

int64_t thread_of(Store& store, int64_t inquiry_id) {
    SQLite::Statement q(store.db(), "SELECT thread_id FROM inquiry WHERE id = ?");
    q.bind(1, inquiry_id);
    if (!q.executeStep()) {
        return 0;
    }
    int64_t thread = q.getColumn(0).getInt64();
    return thread == 0 ? inquiry_id : thread;
}

std::string stamp_text(TimePoint t) {
    int off = timeutil::local_offset(t);
    int a = std::abs(off);
    return fmt::format("{} {}{:02}:{:02}", timeutil::format_local(t), off < 0 ? '-' : '+',
                       a / 3600, a % 3600 / 60);
}

void log_event(Store& store, int64_t inquiry_id, TimePoint at, std::string_view kind,
               const std::string& detail) {
    SQLite::Statement q(store.db(),
                        "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) "
                        "SELECT id, customer_id, ?, ?, ? FROM inquiry WHERE id = ?");
    q.bind(1, at);
    q.bind(2, std::string(kind));
    q.bind(3, detail);
    q.bind(4, inquiry_id);
    q.exec();
}

void record_response(Store& store, int64_t inquiry_id, TimePoint at) {
    int64_t thread = thread_of(store, inquiry_id);
    if (thread == 0) {
        return;
    }
    SQLite::Statement q(store.db(),
                        "UPDATE inquiry SET first_response_at = ? WHERE thread_id = ? AND "
                        "first_response_at IS NULL AND received_at <= ?");
    q.bind(1, at);
    q.bind(2, thread);
    q.bind(3, at);
    q.exec();
}

std::vector<StatusChange> set_status(Store& store, const std::vector<int64_t>& ids,
                                     Status status, TimePoint now, const std::string& reason) {
    require_inquiries(store, ids);
    SQLite::Statement read(store.db(), "SELECT thread_id, status FROM inquiry WHERE id = ?");
    // resolved_at: set on resolving; closing keeps an earlier resolution time.
    SQLite::Statement write(store.db(),
                            "UPDATE inquiry SET status = ?1, updated_at = ?2, resolved_at = "
                            "CASE WHEN ?1 = 3 THEN ?2 WHEN ?1 = 4 THEN coalesce(resolved_at, ?2) "
                            "ELSE resolved_at END WHERE thread_id = ?3");
    std::vector<StatusChange> changes;
    std::map<int64_t, int64_t> done_threads;  // thread → the id that carried it
    for (int64_t id : unique_ids(ids)) {
        read.reset();
        read.bind(1, id);
        read.executeStep();
        StatusChange c;
        c.inquiry_id = id;
        c.thread_id = read.getColumn(0).getInt64() == 0 ? id : read.getColumn(0).getInt64();
        c.from = static_cast<Status>(read.getColumn(1).getInt());
        c.to = status;
        if (auto [it, fresh] = done_threads.emplace(c.thread_id, id); !fresh) {
            c.same_thread_as = it->second;
            changes.push_back(c);
            continue;
        }
        if (c.changed()) {
            write.reset();
            write.bind(1, static_cast<int>(status));
            write.bind(2, now);
            write.bind(3, c.thread_id);
            write.exec();
            bool was_sellers_turn = c.from == Status::New || c.from == Status::Open;
            bool now_handled = status == Status::Waiting || status == Status::Resolved ||
                               status == Status::Closed;
            if (was_sellers_turn && now_handled) {
                record_response(store, id, now);
            }
            std::string detail = fmt::format("{} → {}", to_string(c.from), to_string(status));
            if (!reason.empty()) {
                detail += ": " + reason;
            }
            log_event(store, id, now, "status", detail);
        }
        changes.push_back(c);
    }
    return changes;
}

void add_note(Store& store, int64_t inquiry_id, const std::string& note, TimePoint now) {
    if (text::trim(note).empty()) {
        throw usage_error("empty note", "give the note's text, e.g. kefu note 12 \"called, "
                                        "will ship Monday\"");
    }
    require_inquiries(store, {inquiry_id});
    log_event(store, inquiry_id, now, "note", std::string(text::trim(note)));
}

}  // namespace kefu::workflow
