#pragma once
// Recording a reply the seller sends (`kefu reply`): the reply row, its event, the response
// that stops the SLA clock, the conversation's new status and the follow-up it promises,
// all in one write transaction.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store/store.h"
#include "core/workflow/status.h"

namespace kefu::workflow {

struct NewReply {
    std::string template_id;     // "" for a text written by hand
    std::string template_title;  // for the follow-up's note
    std::string language;
    std::string text;
    Status status_after = Status::Waiting;
    int64_t followup_in = 0;  // seconds until the follow-up; 0 for none
};

struct RecordedReply {
    int64_t reply_id = 0;
    int64_t followup_id = 0;  // 0 when none was scheduled
    std::vector<StatusChange> changes;
};

// Records `reply` to inquiry `id` at `now`. Throws kefu::Error (nothing written) when there
// is no such inquiry.
RecordedReply record_reply(Store& store, int64_t id, const NewReply& reply, TimePoint now);

}  // namespace kefu::workflow
