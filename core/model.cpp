#include "core/model.h"

#include <array>
#include <utility>

namespace kefu {
namespace {

template <typename E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
    for (const auto& [v, name] : table) {
        if (v == value) {
            return name;
        }
    }
    return "unknown";
}

template <typename E, size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
    for (const auto& [v, n] : table) {
        if (n == name) {
            return v;
        }
    }
    return std::nullopt;
}

constexpr std::array<std::pair<Status, std::string_view>, 5> k_statuses{{
    {Status::New, "new"},
    {Status::Open, "open"},
    {Status::Waiting, "waiting"},
    {Status::Resolved, "resolved"},
    {Status::Closed, "closed"},
}};

constexpr std::array<std::pair<Category, std::string_view>, 9> k_categories{{
    {Category::Product, "product"},
    {Category::Order, "order"},
    {Category::Logistics, "logistics"},
    {Category::Payment, "payment"},
    {Category::Refund, "refund"},
    {Category::Account, "account"},
    {Category::Technical, "technical"},
    {Category::Complaint, "complaint"},
    {Category::Other, "other"},
}};

constexpr std::array<std::pair<GoodsKind, std::string_view>, 3> k_goods{{
    {GoodsKind::Unknown, "unknown"},
    {GoodsKind::Physical, "physical"},
    {GoodsKind::Virtual, "virtual"},
}};

constexpr std::array<std::pair<IdentityKind, std::string_view>, 3> k_identities{{
    {IdentityKind::Email, "email"},
    {IdentityKind::Phone, "phone"},
    {IdentityKind::Handle, "handle"},
}};

}  // namespace

std::string_view to_string(Status s) { return name_of(k_statuses, s); }
std::string_view to_string(Category c) { return name_of(k_categories, c); }
std::string_view to_string(GoodsKind g) { return name_of(k_goods, g); }
std::string_view to_string(IdentityKind k) { return name_of(k_identities, k); }
std::optional<Status> parse_status(std::string_view s) { return value_of(k_statuses, s); }
std::optional<Category> parse_category(std::string_view s) { return value_of(k_categories, s); }
std::optional<GoodsKind> parse_goods_kind(std::string_view s) { return value_of(k_goods, s); }
std::optional<IdentityKind> parse_identity_kind(std::string_view s) {
    return value_of(k_identities, s);
}

const std::vector<Status>& all_statuses() {
    static const std::vector<Status> k_all{Status::New, Status::Open, Status::Waiting,
                                           Status::Resolved, Status::Closed};
    return k_all;
}

const std::vector<Category>& all_categories() {
    static const std::vector<Category> k_all = [] {
        std::vector<Category> v;
        for (const auto& [c, name] : k_categories) {
            v.push_back(c);
        }
        return v;
    }();
    return k_all;
}

}  // namespace kefu
