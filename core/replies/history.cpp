#include "core/replies/history.h"

namespace kefu::replies {

std::vector<PastChoice> past_choices(Store& store, int64_t exclude_id, Category category) {
    // The inner query walks the index reply_sent (sent_at, template_id) backwards from the
    // newest reply; the outer one reads the inquiries of those replies by their primary key.
    SQLite::Statement q(store.db(),
                        "SELECT r.template_id, i.subject, i.body, i.category "
                        "FROM (SELECT inquiry_id, template_id, sent_at, id FROM reply "
                        "      WHERE template_id <> '' AND source = 'kefu' "
                        "      ORDER BY sent_at DESC LIMIT ?) AS r "
                        "JOIN inquiry i ON i.id = r.inquiry_id "
                        "WHERE r.inquiry_id <> ? "
                        "ORDER BY i.category = ? DESC, r.sent_at DESC, r.id DESC LIMIT ?");
    q.bind(1, k_history_scan);
    q.bind(2, exclude_id);
    q.bind(3, static_cast<int>(category));
    q.bind(4, k_history_keep);
    std::vector<PastChoice> out;
    while (q.executeStep()) {
        PastChoice c;
        c.template_id = q.getColumn(0).getString();
        c.text = q.getColumn(1).getString() + "\n" + q.getColumn(2).getString();
        c.category = static_cast<Category>(q.getColumn(3).getInt());
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace kefu::replies
