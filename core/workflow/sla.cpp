#include "core/workflow/sla.h"

#include <algorithm>

namespace kefu::workflow {

std::string_view to_string(SlaKind kind) {
    switch (kind) {
        case SlaKind::FirstResponse:
            return "first_response";
        case SlaKind::FollowupResponse:
            return "followup_response";
        case SlaKind::None:
            break;
    }
    return "";
}

int64_t first_response_limit(const Config::Sla& sla, std::string_view level) {
    if (auto it = sla.first_response_by_level.find(std::string(level));
        it != sla.first_response_by_level.end()) {
        return it->second;
    }
    return sla.first_response;
}

int64_t shortest_limit(const Config::Sla& sla) {
    int64_t shortest = std::min(sla.first_response, sla.followup_response);
    for (const auto& [level, limit] : sla.first_response_by_level) {
        shortest = std::min(shortest, limit);
    }
    return shortest;
}

ThreadWait thread_wait(Store& store, int64_t thread_id) {
    return ThreadWaitReader(store).read(thread_id);
}

ThreadWaitReader::ThreadWaitReader(Store& store)
    : m_messages(store.db(),
                 "SELECT id, received_at, first_response_at, flags, is_head, status, "
                 "priority_static, snooze_until FROM inquiry WHERE thread_id = ? "
                 "ORDER BY received_at, id"),
      m_replies(store.db(),
                "SELECT max(r.sent_at) FROM reply r JOIN inquiry m ON m.id = r.inquiry_id "
                "WHERE m.thread_id = ?") {}

ThreadWait ThreadWaitReader::read(int64_t thread_id) {
    ThreadWait w;
    w.thread_id = thread_id;
    SQLite::Statement& q = m_messages;
    q.reset();
    q.bind(1, thread_id);
    struct Message {
        TimePoint received_at;
        bool answered;
    };
    std::vector<Message> buyer;
    std::optional<TimePoint> last_response;
    auto responded = [&](TimePoint t) {
        last_response = last_response ? std::max(*last_response, t) : t;
    };
    while (q.executeStep()) {
        TimePoint received = q.getColumn(1).getInt64();
        bool answered = !q.getColumn(2).isNull();
        if (answered) {
            responded(q.getColumn(2).getInt64());
        }
        if ((q.getColumn(3).getInt64() & k_flag_from_seller) != 0) {
            responded(received);
            continue;
        }
        buyer.push_back({received, answered});
        if (q.getColumn(4).getInt() == 1 || w.head_id == 0) {
            w.head_id = q.getColumn(0).getInt64();
            w.status = static_cast<Status>(q.getColumn(5).getInt());
            w.head_priority_static = q.getColumn(6).getDouble();
            w.snooze_until = q.getColumn(7).isNull()
                                 ? std::nullopt
                                 : std::optional<TimePoint>(q.getColumn(7).getInt64());
        }
    }
    if (w.head_id == 0 || (w.status != Status::New && w.status != Status::Open)) {
        return w;
    }
    SQLite::Statement& r = m_replies;
    r.reset();
    r.bind(1, thread_id);
    if (r.executeStep() && !r.getColumn(0).isNull()) {
        responded(r.getColumn(0).getInt64());
    }
    r.reset();  // never leave a read open (see due.cpp, Notified)
    for (const Message& m : buyer) {
        // A message received before the latest response was answered by it, whether or not
        // first_response_at was recorded on it (a reply may have come from elsewhere).
        if (!m.answered && (!last_response || m.received_at > *last_response)) {
            w.kind = last_response ? SlaKind::FollowupResponse : SlaKind::FirstResponse;
            w.since = m.received_at;
            break;
        }
    }
    return w;
}

SlaState sla_of(const ThreadWait& wait, const Config::Sla& sla, std::string_view level,
                TimePoint now) {
    SlaState s;
    s.kind = wait.kind;
    if (s.kind == SlaKind::None) {
        return s;
    }
    s.level = std::string(level);
    s.since = wait.since;
    s.limit = s.kind == SlaKind::FirstResponse ? first_response_limit(sla, level)
                                               : sla.followup_response;
    s.deadline = s.since + s.limit;
    s.breached = s.deadline <= now;
    return s;
}

std::string sla_level(const PriorityModel& model, double priority_static) {
    return model.level ? model.level(priority_static) : std::string();
}

SlaState sla_state(Store& store, const Inquiry& inquiry, const Config& config,
                   const PriorityModel& model, TimePoint now) {
    ThreadWaitReader reader(store);
    return sla_state(reader, inquiry, config, model, now);
}

SlaState sla_state(ThreadWaitReader& reader, const Inquiry& inquiry, const Config& config,
                   const PriorityModel& model, TimePoint now) {
    ThreadWait w = reader.read(inquiry.thread_id == 0 ? inquiry.id : inquiry.thread_id);
    return sla_of(w, config.sla, sla_level(model, w.head_priority_static), now);
}

std::string_view sla_label(const SlaState& state) {
    return state.kind != SlaKind::None && state.breached ? "breached" : "";
}

}  // namespace kefu::workflow
