#include "core/workflow/followup.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/workflow/ids.h"
#include "core/workflow/status.h"

namespace kefu::workflow {

int64_t record_followup(Store& store, int64_t inquiry_id, TimePoint due_at,
                        const std::string& note, TimePoint now) {
    require_inquiries(store, {inquiry_id});
    std::string clean(text::trim(note));
    SQLite::Statement q(store.db(),
                        "INSERT INTO followup(inquiry_id, due_at, note, created_at) "
                        "VALUES (?, ?, ?, ?)");
    q.bind(1, inquiry_id);
    q.bind(2, due_at);
    q.bind(3, clean);
    q.bind(4, now);
    q.exec();
    int64_t id = store.db().getLastInsertRowid();
    std::string detail = fmt::format("follow-up #{} due {}", id, stamp_text(due_at));
    if (!clean.empty()) {
        detail += ": " + clean;
    }
    log_event(store, inquiry_id, now, "followup", detail);
    return id;
}

std::vector<FollowupRecord> complete_followups(Store& store, int64_t inquiry_id,
                                               TimePoint now) {
    require_inquiries(store, {inquiry_id});
    std::vector<FollowupRecord> done;
    for (auto& f : thread_followups(store, thread_of(store, inquiry_id))) {
        if (!f.done_at) {
            f.done_at = now;
            done.push_back(f);
        }
    }
    SQLite::Statement q(store.db(), "UPDATE followup SET done_at = ? WHERE id = ?");
    for (const auto& f : done) {
        q.reset();
        q.bind(1, now);
        q.bind(2, f.id);
        q.exec();
        log_event(store, inquiry_id, now, "followup",
                  fmt::format("follow-up #{} done (was due {})", f.id, stamp_text(f.due_at)));
    }
    return done;
}

void snooze(Store& store, int64_t inquiry_id, TimePoint until, bool or_reply, TimePoint now) {
    require_inquiries(store, {inquiry_id});
    SQLite::Statement q(store.db(),
                        "UPDATE inquiry SET snooze_until = ?, snooze_or_reply = ?, updated_at = ? "
                        "WHERE thread_id = ?");
    q.bind(1, until);
    q.bind(2, or_reply ? 1 : 0);
    q.bind(3, now);
    q.bind(4, thread_of(store, inquiry_id));
    q.exec();
    log_event(store, inquiry_id, now, "snooze",
              fmt::format("snoozed until {}{}", stamp_text(until),
                          or_reply ? ", or until the buyer writes" : ""));
}

bool unsnooze(Store& store, int64_t inquiry_id, TimePoint now) {
    require_inquiries(store, {inquiry_id});
    int64_t thread = thread_of(store, inquiry_id);
    SQLite::Statement q(store.db(),
                        "UPDATE inquiry SET snooze_until = NULL, snooze_or_reply = 0, "
                        "updated_at = ? WHERE thread_id = ? AND snooze_until > ?");
    q.bind(1, now);
    q.bind(2, thread);
    q.bind(3, now);
    if (q.exec() == 0) {
        return false;
    }
    log_event(store, inquiry_id, now, "snooze", "snooze cleared");
    return true;
}

std::vector<FollowupView> list_followups(Store& store, bool include_done) {
    SQLite::Statement q(store.db(),
                        std::string("SELECT f.id, f.inquiry_id, f.due_at, f.note, f.created_at, "
                                    "f.done_at, i.thread_id, coalesce(i.customer_id, 0), "
                                    "coalesce(c.name, ''), i.contact, i.status FROM followup f "
                                    "JOIN inquiry i ON i.id = f.inquiry_id LEFT JOIN customer c "
                                    "ON c.id = i.customer_id ") +
                            (include_done ? "" : "WHERE f.done_at IS NULL ") +
                            "ORDER BY f.due_at, f.id");
    std::vector<FollowupView> out;
    while (q.executeStep()) {
        FollowupView v;
        v.followup.id = q.getColumn(0).getInt64();
        v.followup.inquiry_id = q.getColumn(1).getInt64();
        v.followup.due_at = q.getColumn(2).getInt64();
        v.followup.note = q.getColumn(3).getString();
        v.followup.created_at = q.getColumn(4).getInt64();
        if (!q.getColumn(5).isNull()) {
            v.followup.done_at = q.getColumn(5).getInt64();
        }
        v.thread_id = q.getColumn(6).getInt64();
        v.customer_id = q.getColumn(7).getInt64();
        v.customer = q.getColumn(8).getString();
        v.contact = q.getColumn(9).getString();
        v.status = static_cast<Status>(q.getColumn(10).getInt());
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace kefu::workflow
