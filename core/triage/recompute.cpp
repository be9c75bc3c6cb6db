#include "core/triage/recompute.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/store/captures.h"
#include "core/text.h"
#include "core/triage/term_table.h"

namespace kefu::triage {
namespace {

// Stored scores are compared with this tolerance: a difference below it is not worth a write.
constexpr double k_score_epsilon = 1e-9;

std::string or_dash(std::string_view s) { return s.empty() ? "—" : std::string(s); }

}  // namespace

void read_stored(SQLite::Statement& q, StoredTriage& s) {
    s.id = q.getColumn(0).getInt64();
    s.customer_id = q.getColumn(1).getInt64();
    s.thread_id = q.getColumn(2).getInt64();
    s.received_at = q.getColumn(3).getInt64();
    s.status = static_cast<Status>(q.getColumn(4).getInt());
    if (!q.getColumn(5).isNull()) {
        s.first_response_at = q.getColumn(5).getInt64();
    }
    s.subject = q.getColumn(6).getString();
    s.body = q.getColumn(7).getString();
    s.goods_kind = static_cast<GoodsKind>(q.getColumn(8).getInt());
    s.order_id = q.getColumn(9).getString();
    s.flags = q.getColumn(10).getInt64();
    s.category = static_cast<Category>(q.getColumn(11).getInt());
    s.priority_static = q.getColumn(12).getDouble();
    s.language = q.getColumn(13).getString();
    s.captures = q.getColumn(14).getString();
}

std::optional<StoredTriage> load_stored(Store& store, int64_t id) {
    SQLite::Database& db = store.db();
    SQLite::Statement q(db, fmt::format("SELECT {} FROM inquiry WHERE id = ?", k_sql_stored_columns));
    q.bind(1, id);
    if (!q.executeStep()) {
        return std::nullopt;
    }
    StoredTriage s;
    read_stored(q, s);

    SQLite::Statement tags(db, "SELECT name, source FROM tag WHERE inquiry_id = ? ORDER BY name");
    tags.bind(1, id);
    while (tags.executeStep()) {
        s.tags.push_back({tags.getColumn(0).getString(),
                          static_cast<TagSource>(tags.getColumn(1).getInt())});
    }

    if (s.customer_id != 0) {
        SQLite::Statement vip(db, "SELECT vip FROM customer WHERE id = ?");
        vip.bind(1, s.customer_id);
        s.signals.vip = vip.executeStep() && vip.getColumn(0).getInt() != 0;
        SQLite::Statement open(db, k_sql_open_threads);
        open.bind(1, s.customer_id);
        open.bind(2, s.thread_id);
        open.bind(3, s.received_at);
        open.executeStep();
        s.signals.open_from_customer = open.getColumn(0).getInt();
    }
    SQLite::Statement thread(db, k_sql_thread_messages);
    thread.bind(1, s.thread_id);
    thread.bind(2, s.received_at);
    thread.bind(3, id);
    thread.executeStep();
    s.signals.thread_messages = std::max(1, thread.getColumn(0).getInt());
    return s;
}

namespace {
bool goods_from_rules(const StoredTriage& s) {
    return s.goods_kind == GoodsKind::Unknown || (s.flags & k_flag_goods_from_rules) != 0;
}
}  // namespace

Input triage_input(const StoredTriage& s) {
    return {s.subject, s.body, goods_from_rules(s) ? GoodsKind::Unknown : s.goods_kind};
}

Recomputed recompute(const StoredTriage& s, const Result& r) {
    Recomputed out;
    out.category = r.category;
    out.priority_static = r.static_score;
    out.language = r.language;
    out.flags = s.flags;
    if (goods_from_rules(s)) {
        out.goods_kind = r.goods_kind;
        out.flags &= ~k_flag_goods_from_rules;
        if (out.goods_kind != GoodsKind::Unknown) {
            out.flags |= k_flag_goods_from_rules;
        }
    } else {
        out.goods_kind = s.goods_kind;
    }
    out.captures = captures_record(r.captures);
    out.order_id = s.order_id;
    if (s.order_id.empty() || (s.flags & k_flag_order_captured) != 0) {
        auto it = r.captures.find("order_id");
        out.order_id = it == r.captures.end() ? std::string() : it->second;
        out.flags &= ~k_flag_order_captured;
        if (!out.order_id.empty()) {
            out.flags |= k_flag_order_captured;
        }
    }
    // Rule tags: what the rules set now, less the tags decided by hand.
    auto by_hand = [&](const std::string& name) {
        return std::any_of(s.tags.begin(), s.tags.end(), [&](const StoredTag& t) {
            return t.name == name && t.source != TagSource::Rule;
        });
    };
    for (const std::string& name : r.tags) {
        bool had = std::any_of(s.tags.begin(), s.tags.end(), [&](const StoredTag& t) {
            return t.name == name && t.source == TagSource::Rule;
        });
        if (!had && !by_hand(name)) {
            out.tags_added.push_back(name);
        }
    }
    for (const StoredTag& t : s.tags) {
        if (t.source == TagSource::Rule &&
            !std::binary_search(r.tags.begin(), r.tags.end(), t.name)) {
            out.tags_removed.push_back(t.name);
        }
    }
    return out;
}

std::string describe_changes(const StoredTriage& s, const Recomputed& r) {
    std::vector<std::string> parts;
    if (r.category != s.category) {
        parts.push_back(fmt::format("category {} → {}", to_string(s.category),
                                    to_string(r.category)));
    }
    if (std::abs(r.priority_static - s.priority_static) > k_score_epsilon) {
        std::string before = format_score(s.priority_static);
        std::string after = format_score(r.priority_static);
        if (before == after) {
            before = fmt::format("{:.6g}", s.priority_static);
            after = fmt::format("{:.6g}", r.priority_static);
        }
        parts.push_back(fmt::format("priority {} → {}", before, after));
    }
    if (!r.tags_added.empty() || !r.tags_removed.empty()) {
        std::string t = "tags";
        for (const auto& name : r.tags_added) {
            t += " +" + name;
        }
        for (const auto& name : r.tags_removed) {
            t += " -" + name;
        }
        parts.push_back(std::move(t));
    }
    if (r.language != s.language) {
        parts.push_back(fmt::format("language {} → {}", or_dash(s.language),
                                    or_dash(r.language)));
    }
    if (r.goods_kind != s.goods_kind) {
        parts.push_back(fmt::format("goods {} → {}", to_string(s.goods_kind),
                                    to_string(r.goods_kind)));
    }
    if (r.order_id != s.order_id) {
        parts.push_back(fmt::format("order id {} → {}", or_dash(s.order_id),
                                    or_dash(r.order_id)));
    }
    if (r.captures != s.captures) {
        parts.push_back(fmt::format("captured {} → {}", or_dash(s.captures), or_dash(r.captures)));
    }
    std::string out;
    for (const auto& p : parts) {
        out += out.empty() ? "" : "; ";
        out += p;
    }
    return out;
}

std::vector<std::string> visible_tags(const std::vector<StoredTag>& tags) {
    std::vector<std::string> out;
    for (const StoredTag& t : tags) {
        if (t.source != TagSource::Removed) {
            out.push_back(t.name);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> visible_tags(const StoredTriage& s, const Recomputed& r) {
    std::vector<StoredTag> tags;
    for (const StoredTag& t : s.tags) {
        if (std::find(r.tags_removed.begin(), r.tags_removed.end(), t.name) ==
            r.tags_removed.end()) {
            tags.push_back(t);
        }
    }
    for (const auto& name : r.tags_added) {
        tags.push_back({name, TagSource::Rule});
    }
    return visible_tags(tags);
}

bool age_applies(Status status, const std::optional<TimePoint>& first_response_at) {
    return !first_response_at && (status == Status::New || status == Status::Open);
}

bool is_valid_tag(std::string_view name) {
    if (name.empty() || name.size() > 64 || name[0] == '+' || name[0] == '-' ||
        !text::valid_utf8(name)) {
        return false;
    }
    return std::none_of(name.begin(), name.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F || c == ' ' || c == ',';
    });
}

}  // namespace kefu::triage
