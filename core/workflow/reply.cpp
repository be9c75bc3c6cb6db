#include "core/workflow/reply.h"

#include <fmt/format.h>

#include "core/replies/history.h"
#include "core/workflow/followup.h"
#include "core/workflow/ids.h"

namespace kefu::workflow {

RecordedReply record_reply(Store& store, int64_t id, const NewReply& reply, TimePoint now) {
    RecordedReply out;
    WriteTx tx(store);
    require_inquiries(store, {id});
    // There is one: require_inquiries() threw otherwise, and the write lock is held.
    replies::AnsweredInquiry answered = replies::answered_inquiry(store, id).value();
    SQLite::Statement ins(store.db(),
                          "INSERT INTO reply(inquiry_id, template_id, language, text, sent_at, "
                          "source, category, terms) VALUES (?, ?, ?, ?, ?, 'kefu', ?, ?)");
    ins.bind(1, id);
    ins.bind(2, reply.template_id);
    ins.bind(3, reply.language);
    ins.bind(4, reply.text);
    ins.bind(5, now);
    ins.bind(6, static_cast<int>(answered.category));
    ins.bind(7, answered.terms.data(), static_cast<int>(answered.terms.size()));
    ins.exec();
    out.reply_id = store.db().getLastInsertRowid();
    std::string what = reply.template_id.empty() ? "written by hand" : "template " + reply.template_id;
    log_event(store, id, now, "reply",
              fmt::format("reply #{}: {}{}", out.reply_id, what,
                          reply.language.empty() ? "" : " (" + reply.language + ")"));
    record_response(store, id, now);
    out.changes = set_status(store, {id}, reply.status_after, now,
                             "reply #" + std::to_string(out.reply_id));
    if (reply.followup_in > 0) {
        std::string note = reply.template_id.empty()
                               ? std::string("after a reply written by hand")
                               : fmt::format("after reply {}: {}", reply.template_id,
                                             reply.template_title);
        out.followup_id = record_followup(store, id, now + reply.followup_in, note, now);
    }
    tx.commit();
    return out;
}

}  // namespace kefu::workflow
