#include "core/store/customers.h"

#include <fmt/format.h>

#include "core/hash.h"
#include "core/text.h"

namespace kefu {
namespace {
constexpr size_t k_cache_limit = 250000;

uint64_t cache_key(IdentityKind kind, const std::string& channel, const std::string& value) {
    thread_local FieldHash h;
    h.reset();
    char k = static_cast<char>('0' + static_cast<int>(kind));
    return h.add(std::string_view(&k, 1)).add(channel).add(value).digest();
}
}  // namespace

std::string normalize_email(std::string_view s) {
    std::string e = text::ascii_lower(text::trim(s));
    if (e.size() >= 2 && e.front() == '<' && e.back() == '>') {
        e = e.substr(1, e.size() - 2);
    }
    if (e.starts_with("mailto:")) {
        e = e.substr(7);
    }
    size_t at = e.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= e.size() || e.find('@', at + 1) != std::string::npos ||
        e.find_first_of(" \t\r\n,;<>") != std::string::npos) {
        return {};
    }
    return e;
}

std::string normalize_phone(std::string_view s) {
    std::string digits;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' || c == '.') {
            continue;
        } else {
            return {};  // letters, @ …: not a phone number
        }
    }
    if (digits.size() == 13 && digits.starts_with("86") && digits[2] == '1') {
        digits = digits.substr(2);
    } else if (digits.size() == 15 && digits.starts_with("0086") && digits[4] == '1') {
        digits = digits.substr(4);
    }
    if (digits.size() < 6 || digits.size() > 15) {
        return {};
    }
    return digits;
}

CustomerResolver::CustomerResolver(Store& store, TimePoint now)
    : m_store(store),
      m_now(now),
      m_find(store.db(), "SELECT customer_id FROM identity WHERE kind = ? AND channel = ? AND value = ?"),
      m_insert_identity(store.db(),
                        "INSERT OR IGNORE INTO identity(customer_id, kind, channel, value, display) "
                        "VALUES (?, ?, ?, ?, ?)"),
      m_insert_customer(store.db(), "INSERT INTO customer(name, created_at) VALUES (?, ?)") {}

std::optional<int64_t> CustomerResolver::lookup(IdentityKind kind, const std::string& channel,
                                                const std::string& value) {
    uint64_t key = cache_key(kind, channel, value);
    if (auto it = m_cache.find(key); it != m_cache.end()) {
        return it->second;
    }
    m_find.reset();
    m_find.bind(1, static_cast<int>(kind));
    m_find.bind(2, channel);
    m_find.bind(3, value);
    std::optional<int64_t> found;
    if (m_find.executeStep()) {
        found = m_find.getColumn(0).getInt64();
        if (m_cache.size() >= k_cache_limit) {
            m_cache.clear();
        }
        m_cache.emplace(key, *found);
    }
    return found;
}

void CustomerResolver::attach(int64_t customer, IdentityKind kind, const std::string& channel,
                              const std::string& value, const std::string& display) {
    m_insert_identity.reset();
    m_insert_identity.bind(1, customer);
    m_insert_identity.bind(2, static_cast<int>(kind));
    m_insert_identity.bind(3, channel);
    m_insert_identity.bind(4, value);
    m_insert_identity.bind(5, display);
    m_insert_identity.exec();
    if (m_cache.size() >= k_cache_limit) {
        m_cache.clear();
    }
    m_cache[cache_key(kind, channel, value)] = customer;
}

int64_t CustomerResolver::resolve(const BuyerInfo& info) {
    struct Id {
        IdentityKind kind;
        std::string channel;
        std::string value;
        std::string display;
    };
    Id ids[3];
    size_t n = 0;
    if (std::string e = normalize_email(info.email); !e.empty()) {
        ids[n++] = {IdentityKind::Email, "", e, std::string(text::trim(info.email))};
    }
    if (std::string p = normalize_phone(info.phone); !p.empty()) {
        ids[n++] = {IdentityKind::Phone, "", p, std::string(text::trim(info.phone))};
    }
    std::string name(text::trim(info.name));
    if (info.name_is_handle && !name.empty()) {
        ids[n++] = {IdentityKind::Handle, info.channel, name, name};
    }
    if (n == 0) {
        if (name.empty()) {
            return 0;
        }
        // Only a display name: an identity of its own kind would wrongly join two buyers
        // with the same name, so a name alone is a handle on the record's channel.
        ids[n++] = {IdentityKind::Handle, info.channel, name, name};
    }
    int64_t customer = 0;
    for (size_t i = 0; i < n && customer == 0; ++i) {
        if (auto c = lookup(ids[i].kind, ids[i].channel, ids[i].value)) {
            customer = *c;
        }
    }
    if (customer == 0) {
        m_insert_customer.reset();
        m_insert_customer.bind(1, name);
        m_insert_customer.bind(2, m_now);
        m_insert_customer.exec();
        customer = m_store.db().getLastInsertRowid();
        for (size_t i = 0; i < n; ++i) {
            attach(customer, ids[i].kind, ids[i].channel, ids[i].value, ids[i].display);
        }
        return customer;
    }
    for (size_t i = 0; i < n; ++i) {
        if (!lookup(ids[i].kind, ids[i].channel, ids[i].value)) {
            attach(customer, ids[i].kind, ids[i].channel, ids[i].value, ids[i].display);
        }
    }
    return customer;
}

}  // namespace kefu
