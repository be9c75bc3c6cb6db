#include "cmd/render.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/privacy.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::cli {

double shown_priority(double priority) { return std::round(priority * 10) / 10; }

nlohmann::ordered_json inquiry_json(const Inquiry& r, bool mask) {
    nlohmann::ordered_json j;
    j["id"] = r.id;
    j["received_at"] = timeutil::format_iso(r.received_at);
    j["channel"] = r.channel;
    j["customer"] = r.customer;
    j["customer_id"] = r.customer_id;
    j["contact"] = mask ? mask_contact(r.contact) : r.contact;
    j["order_id"] = r.order_id;
    j["product"] = r.product;
    j["subject"] = r.subject;
    j["body"] = r.body;
    j["status"] = std::string(to_string(r.status));
    j["category"] = std::string(to_string(r.category));
    j["tags"] = r.tags;
    j["priority"] = shown_priority(r.priority);
    j["level"] = r.level;
    j["language"] = r.language;
    j["thread_id"] = r.thread_id;
    return j;
}

std::string display_customer(const Inquiry& r, bool mask) {
    if (!r.customer.empty()) {
        return r.customer;
    }
    if (!r.contact.empty()) {
        return mask ? mask_contact(r.contact) : r.contact;
    }
    return "?";
}

std::string level_color(const std::string& level) {
    if (level == "urgent") {
        return std::string(k_bold) + k_red;
    }
    if (level == "high") {
        return k_yellow;
    }
    if (level == "low") {
        return k_dim;
    }
    return {};
}

std::vector<Column> queue_columns() {
    std::vector<Column> cols;
    cols.push_back({"id", "ID", true});
    Column level{"level", "LEVEL"};
    level.color = [](const nlohmann::ordered_json& v) { return v.is_string() ? level_color(v.get<std::string>()) : ""; };
    level.drop = 1;  // PRI says it in figures
    cols.push_back(level);
    cols.push_back({"priority", "PRI", true});
    cols.push_back({"status", "STATUS", false, false, 2});  // the queue is new and open ones
    Column sla{"sla", "SLA"};
    sla.color = [](const nlohmann::ordered_json& v) {
        return v.is_string() && !v.get<std::string>().empty() ? level_color("urgent") : "";
    };
    cols.push_back(sla);
    cols.push_back({"category", "CATEGORY"});
    cols.push_back({"when", "RECEIVED"});
    cols.push_back({"customer", "CUSTOMER", false, true});
    cols.push_back({"channel", "CHANNEL", false, false, 3});
    cols.push_back({"text", "MESSAGE", false, true});
    return cols;
}

std::string short_time(TimePoint t, TimePoint now) {
    std::string full = timeutil::format_local(t);
    std::string this_year = timeutil::format_local(now).substr(0, 4);
    if (full.starts_with(this_year)) {
        return full.substr(5);
    }
    return full.substr(0, 10);
}

int64_t parse_id(const std::string& s) {
    std::string_view v = text::trim(s);
    if (v.starts_with('#')) {
        v.remove_prefix(1);
    }
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string_view::npos) {
        throw usage_error("bad id", fmt::format("\"{}\" is not an inquiry id (a number such as 12)", s));
    }
    return std::stoll(std::string(v));
}

}  // namespace kefu::cli
