#include "core/replies/history.h"

#include <cmath>
#include <optional>

namespace kefu::replies {

namespace {

void put_le(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
}

uint64_t get_le(std::string_view in, size_t at, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
        v |= static_cast<uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
    }
    return v;
}

constexpr size_t k_pair_bytes = 12;

}  // namespace

std::string encode_terms(const TermCounts& terms) {
    std::string out;
    out.reserve(1 + terms.size() * k_pair_bytes);
    out.push_back(static_cast<char>(k_terms_format));
    for (const auto& [hash, count] : terms) {
        put_le(out, hash, 8);
        put_le(out, static_cast<uint64_t>(std::lround(count)), 4);
    }
    return out;
}

std::optional<TermCounts> decode_terms(std::string_view blob) {
    if (blob.empty() || static_cast<uint8_t>(blob[0]) != k_terms_format ||
        (blob.size() - 1) % k_pair_bytes != 0) {
        return std::nullopt;
    }
    TermCounts terms((blob.size() - 1) / k_pair_bytes);
    for (size_t i = 0; i < terms.size(); ++i) {
        size_t at = 1 + i * k_pair_bytes;
        uint64_t hash = get_le(blob, at, 8);
        uint64_t count = get_le(blob, at + 8, 4);
        if (count == 0 || (i > 0 && hash <= terms[i - 1].first)) {
            return std::nullopt;
        }
        terms[i] = {hash, static_cast<double>(count)};
    }
    return terms;
}

std::optional<AnsweredInquiry> answered_inquiry(Store& store, int64_t inquiry_id) {
    SQLite::Statement q(store.db(), "SELECT subject, body, category FROM inquiry WHERE id = ?");
    q.bind(1, inquiry_id);
    if (!q.executeStep()) {
        return std::nullopt;
    }
    AnsweredInquiry a;
    a.terms = encode_terms(
        term_counts(q.getColumn(0).getString() + "\n" + q.getColumn(1).getString()));
    a.category = static_cast<Category>(q.getColumn(2).getInt());
    return a;
}

std::vector<PastChoice> past_choices(Store& store, int64_t exclude_id, Category category) {
    // The inner query walks the index reply_sent (sent_at, template_id) backwards from the
    // newest reply and reads those replies, which lie together at the end of the table.
    SQLite::Statement q(store.db(),
                        "SELECT template_id, category, terms, inquiry_id "
                        "FROM (SELECT inquiry_id, template_id, sent_at, id, category, terms "
                        "      FROM reply WHERE template_id <> '' AND source = 'kefu' "
                        "      ORDER BY sent_at DESC LIMIT ?) "
                        "WHERE inquiry_id <> ? "
                        "ORDER BY category = ? DESC, sent_at DESC, id DESC LIMIT ?");
    q.bind(1, k_history_scan);
    q.bind(2, exclude_id);
    q.bind(3, static_cast<int>(category));
    q.bind(4, k_history_keep);
    std::optional<SQLite::Statement> text;  // for replies without their counts
    std::vector<PastChoice> out;
    while (q.executeStep()) {
        PastChoice c;
        c.template_id = q.getColumn(0).getString();
        c.category = static_cast<Category>(q.getColumn(1).getInt());
        SQLite::Column blob = q.getColumn(2);
        std::optional<TermCounts> terms;
        if (blob.isBlob()) {
            terms = decode_terms(std::string_view(static_cast<const char*>(blob.getBlob()),
                                                  static_cast<size_t>(blob.getBytes())));
        }
        if (terms) {
            c.terms = std::move(*terms);
        } else {
            if (!text) {
                text.emplace(store.db(), "SELECT subject, body FROM inquiry WHERE id = ?");
            }
            text->reset();
            text->bind(1, q.getColumn(3).getInt64());
            if (text->executeStep()) {
                c.text = text->getColumn(0).getString() + "\n" + text->getColumn(1).getString();
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace kefu::replies
