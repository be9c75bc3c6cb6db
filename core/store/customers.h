#pragma once
// Buyers and their identities. An identity is an email, a phone number or a marketplace
// handle, normalized so that the same contact written two ways is one customer:
//  - email: trimmed, lower-cased (both parts; marketplaces and mail servers treat them so);
//  - phone: digits only; a leading +86 / 0086 / 86 on an 11-digit Chinese mobile is dropped;
//  - handle: the name as shown on the marketplace, trimmed, per channel.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu {

std::string normalize_email(std::string_view s);  // "" when it is not an email
std::string normalize_phone(std::string_view s);  // "" when it is not a phone number

// What a record says about its buyer.
struct BuyerInfo {
    std::string name;     // display name / nickname
    std::string channel;  // marketplace the handle belongs to
    std::string email;    // raw
    std::string phone;    // raw
    bool name_is_handle = false;  // the name is a marketplace handle (CSV), not a mail display name
};

// Finds or creates the customer of a record, attaching any identity not yet known to it.
// Keeps a bounded cache of identity → customer for imports. Must run inside a write
// transaction. When identities point at two different customers, the first one found wins
// (the other is left for `kefu customer candidates`, never merged silently).
class CustomerResolver {
public:
    CustomerResolver(Store& store, TimePoint now);
    // 0 when the record names no buyer at all.
    int64_t resolve(const BuyerInfo& info);
    // Forget cached ids (after a rollback).
    void clear_cache() { m_cache.clear(); }

private:
    std::optional<int64_t> lookup(IdentityKind kind, const std::string& channel, const std::string& value);
    void attach(int64_t customer, IdentityKind kind, const std::string& channel,
                const std::string& value, const std::string& display);

    Store& m_store;
    TimePoint m_now;
    SQLite::Statement m_find;
    SQLite::Statement m_insert_identity;
    SQLite::Statement m_insert_customer;
    std::unordered_map<uint64_t, int64_t> m_cache;  // XXH3 of (kind, channel, value) → customer
};

}  // namespace kefu
