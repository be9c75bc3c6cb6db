#include "core/store/captures.h"

#include <nlohmann/json.hpp>

namespace kefu {

std::string captures_record(const std::map<std::string, std::string>& captures) {
    // Called for every imported row, most of which capture nothing or only an order id.
    if (captures.empty() || (captures.size() == 1 && captures.contains("order_id"))) {
        return {};
    }
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, value] : captures) {
        if (name != "order_id") {
            j[name] = value;
        }
    }
    // Invalid UTF-8 in a captured value is replaced rather than failing the import.
    return j.empty() ? std::string() : j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, std::string> captures_from_record(std::string_view record) {
    std::map<std::string, std::string> out;
    if (record.empty()) {
        return out;
    }
    nlohmann::json j = nlohmann::json::parse(record, nullptr, false);
    if (!j.is_object()) {
        return out;
    }
    for (const auto& [name, value] : j.items()) {
        if (value.is_string()) {
            out[name] = value.get<std::string>();
        }
    }
    return out;
}

}  // namespace kefu
