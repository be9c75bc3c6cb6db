#include "core/triage/priority.h"

#include <algorithm>

namespace kefu::triage {

// The table in priority.h describes these values; change both together.
const std::vector<std::pair<std::string, double>>& default_coefficients() {
    static const std::vector<std::pair<std::string, double>> k_defaults{
        {"category_complaint", 6.0},
        {"category_payment", 4.5},
        {"category_refund", 4.5},
        {"category_technical", 4.0},
        {"category_order", 3.5},
        {"category_account", 3.5},
        {"category_logistics", 3.0},
        {"category_product", 3.0},
        {"category_other", 1.0},
        {"anger", 4.0},
        {"negative", 1.5},
        {"shouting", 2.0},
        {"urgency", 2.5},
        {"vip", 4.0},
        {"repeat", 1.5},
        {"difficulty", 1.0},
        {"goods_virtual", 1.5},
        {"goods_physical", 0.0},
        {"age", 4.0},
    };
    return k_defaults;
}

// The caps are listed in the table of priority.h too; change both together.
double raw_cap(std::string_view term) {
    if (term == "anger" || term == "negative" || term == "difficulty") {
        return 3;
    }
    if (term == "urgency") {
        return 2;
    }
    if (term == "repeat") {
        return 4;
    }
    if (term == "age") {
        return k_age_raw_max;
    }
    if (term == "shouting" || term == "vip" || term.starts_with("goods_") ||
        term.starts_with("category_")) {
        return 1;
    }
    return -1;
}

bool is_computed_term(std::string_view term) {
    return term.starts_with("category_") || term.starts_with("goods_") || term == "vip" ||
           term == "repeat" || term == "difficulty" || term == "age";
}

bool is_valid_term_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string category_term(Category c) { return "category_" + std::string(to_string(c)); }

std::string_view level_name(double total, const Levels& levels) {
    if (total >= levels.urgent) {
        return "urgent";
    }
    if (total >= levels.high) {
        return "high";
    }
    if (total >= levels.normal) {
        return "normal";
    }
    return "low";
}

double age_raw(int64_t elapsed_seconds, int64_t sla_seconds) {
    if (elapsed_seconds <= 0 || sla_seconds <= 0) {
        return 0;
    }
    double fraction = static_cast<double>(elapsed_seconds) / static_cast<double>(sla_seconds);
    fraction = std::min(fraction, k_age_fraction_cap);
    return fraction * fraction;
}

}  // namespace kefu::triage
