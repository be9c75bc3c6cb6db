#include "core/customers/candidates.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/privacy.h"
#include "core/privacy/redact.h"
#include "core/store/customers.h"
#include "core/text.h"

namespace kefu::customers {
namespace {

constexpr int k_score_contact = 3;
constexpr int k_score_order = 3;
constexpr int k_score_name = 1;
constexpr size_t k_min_order_length = 5;

struct Evidence {
    bool contact = false;
    bool order = false;
    bool name = false;
    std::set<std::string> reasons;
};

using Pair = std::pair<int64_t, int64_t>;
using PhoneSets = std::unordered_map<int64_t, std::set<std::string>>;  // customer → phones known

Pair make_pair_of(int64_t x, int64_t y) {
    return x < y ? Pair{x, y} : Pair{y, x};
}

// Worth running the contact patterns over: an '@', or seven digits or more.
bool may_hold_contact(std::string_view s) {
    if (s.find('@') != std::string_view::npos) {
        return true;
    }
    size_t digits = 0;
    for (char c : s) {
        digits += (c >= '0' && c <= '9') ? 1 : 0;
        if (digits >= 7) {
            return true;
        }
    }
    return false;
}

// Contacts written by the buyers of one customer that are another customer's identity. Fills
// `phones` with every phone number known of each customer: identities and numbers they wrote.
void contact_evidence(Store& store, bool mask, std::map<Pair, Evidence>& pairs, PhoneSets& phones) {
    std::unordered_map<std::string, int64_t> owner;  // "1:value" / "2:value" → customer
    SQLite::Statement ids(store.db(),
                          "SELECT kind, value, customer_id FROM identity WHERE kind IN (1, 2)");
    while (ids.executeStep()) {
        int kind = ids.getColumn(0).getInt();
        std::string value = ids.getColumn(1).getString();
        int64_t customer = ids.getColumn(2).getInt64();
        if (kind == static_cast<int>(IdentityKind::Phone)) {
            phones[customer].insert(value);
        }
        owner.emplace(std::to_string(kind) + ":" + value, customer);
    }
    auto check = [&](int64_t customer, std::string_view raw) {
        std::string key;
        std::string shown;
        if (std::string e = normalize_email(raw); !e.empty()) {
            key = "1:" + e;
            shown = "same email " + (mask ? mask_contact(e) : e);
        } else if (std::string p = normalize_phone(raw); !p.empty()) {
            phones[customer].insert(p);
            key = "2:" + p;
            shown = "same phone " + (mask ? mask_contact(p) : p);
        } else {
            return;
        }
        auto it = owner.find(key);
        if (it == owner.end() || it->second == customer) {
            return;
        }
        Evidence& ev = pairs[make_pair_of(customer, it->second)];
        ev.contact = true;
        ev.reasons.insert(shown);
    };
    SQLite::Statement q(store.db(),
                        "SELECT customer_id, contact, subject, body FROM inquiry "
                        "WHERE customer_id IS NOT NULL AND flags & 2 = 0");
    std::string text;
    while (q.executeStep()) {
        int64_t customer = q.getColumn(0).getInt64();
        check(customer, q.getColumn(1).getString());
        text = q.getColumn(2).getString();
        text += '\n';
        text += q.getColumn(3).getString();
        if (!may_hold_contact(text)) {
            continue;
        }
        for (const auto& span : privacy::find_contacts(text)) {
            check(customer, std::string_view(text).substr(span.begin, span.end - span.begin));
        }
    }
}

void order_evidence(Store& store, std::map<Pair, Evidence>& pairs) {
    SQLite::Statement q(
        store.db(),
        "SELECT DISTINCT a.order_id, a.customer_id, b.customer_id FROM inquiry a "
        "JOIN inquiry b ON b.order_id = a.order_id AND b.customer_id > a.customer_id "
        "WHERE a.order_id <> '' AND length(a.order_id) >= ? AND a.flags & 2 = 0 "
        "AND b.flags & 2 = 0");
    q.bind(1, static_cast<int64_t>(k_min_order_length));
    while (q.executeStep()) {
        Evidence& ev = pairs[{q.getColumn(1).getInt64(), q.getColumn(2).getInt64()}];
        ev.order = true;
        ev.reasons.insert("same order " + q.getColumn(0).getString());
    }
}

void name_evidence(Store& store, const PhoneSets& phones, std::map<Pair, Evidence>& pairs) {
    std::map<std::string, std::vector<int64_t>> by_name;
    SQLite::Statement names(store.db(), "SELECT id, name FROM customer WHERE name <> ''");
    while (names.executeStep()) {
        std::string folded = text::fold(text::trim(names.getColumn(1).getString()));
        if (!folded.empty()) {
            by_name[folded].push_back(names.getColumn(0).getInt64());
        }
    }
    SQLite::Statement facts(
        store.db(),
        "SELECT (SELECT group_concat(ch, ',') FROM (SELECT DISTINCT channel AS ch FROM "
        "inquiry WHERE customer_id = ?1 AND flags & 2 = 0 AND channel <> '' UNION "
        "SELECT channel FROM identity WHERE customer_id = ?1 AND kind = 3 AND channel <> '')), "
        "(SELECT name FROM customer WHERE id = ?1)");
    struct Facts {
        std::set<std::string> channels;
        const std::set<std::string>* phones = nullptr;
        std::string name;
    };
    for (auto& [name, ids] : by_name) {
        if (ids.size() < 2 || ids.size() > k_max_name_group) {
            continue;
        }
        std::vector<Facts> f(ids.size());
        for (size_t k = 0; k < ids.size(); ++k) {
            facts.reset();
            facts.bind(1, ids[k]);
            facts.executeStep();
            std::string chans = facts.getColumn(0).isNull() ? "" : facts.getColumn(0).getString();
            for (auto c : text::split(chans, ',')) {
                if (!c.empty()) {
                    f[k].channels.emplace(c);
                }
            }
            auto known = phones.find(ids[k]);
            f[k].phones = known == phones.end() ? nullptr : &known->second;
            f[k].name = facts.getColumn(1).getString();
        }
        for (size_t x = 0; x < ids.size(); ++x) {
            for (size_t y = x + 1; y < ids.size(); ++y) {
                if (f[x].phones != nullptr && f[y].phones != nullptr &&
                    std::none_of(f[x].phones->begin(), f[x].phones->end(),
                                 [&](const std::string& p) { return f[y].phones->count(p) > 0; })) {
                    continue;  // different phone numbers: two people who share a name
                }
                bool common =
                    std::any_of(f[x].channels.begin(), f[x].channels.end(),
                                [&](const std::string& c) { return f[y].channels.count(c) > 0; });
                if (common) {
                    continue;  // one name on one channel is one handle: these differ on purpose
                }
                auto join = [](const std::set<std::string>& s) {
                    std::string out;
                    for (const auto& c : s) {
                        out += (out.empty() ? "" : ",") + c;
                    }
                    return out.empty() ? std::string("?") : out;
                };
                Pair p = make_pair_of(ids[x], ids[y]);
                bool x_first = p.first == ids[x];
                Evidence& ev = pairs[p];
                ev.name = true;
                ev.reasons.insert(fmt::format("same name {} ({} / {})", text::one_line(f[x].name),
                                              join(x_first ? f[x].channels : f[y].channels),
                                              join(x_first ? f[y].channels : f[x].channels)));
            }
        }
    }
}

}  // namespace

std::vector<Candidate> duplicate_candidates(Store& store, bool mask) {
    std::map<Pair, Evidence> pairs;
    PhoneSets phones;
    contact_evidence(store, mask, pairs, phones);
    order_evidence(store, pairs);
    name_evidence(store, phones, pairs);

    SQLite::Statement name(store.db(), "SELECT name FROM customer WHERE id = ?");
    auto name_of = [&](int64_t id) {
        name.reset();
        name.bind(1, id);
        return name.executeStep() ? name.getColumn(0).getString() : std::string();
    };
    std::vector<Candidate> out;
    for (auto& [p, ev] : pairs) {
        Candidate c;
        c.a = p.first;
        c.b = p.second;
        c.name_a = name_of(c.a);
        c.name_b = name_of(c.b);
        c.score = (ev.contact ? k_score_contact : 0) + (ev.order ? k_score_order : 0) +
                  (ev.name ? k_score_name : 0);
        c.reasons.assign(ev.reasons.begin(), ev.reasons.end());
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [](const Candidate& x, const Candidate& y) {
        if (x.score != y.score) {
            return x.score > y.score;
        }
        return std::pair(x.a, x.b) < std::pair(y.a, y.b);
    });
    return out;
}

}  // namespace kefu::customers
