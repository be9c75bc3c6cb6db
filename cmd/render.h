#pragma once
// How inquiries look on the command line: the JSON record with the stable field names of the
// README (DESIGN.md "Data"), table columns, colours, and times in local time.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cmd/printer.h"
#include "core/model.h"

namespace kefu::cli {

// The stable record of an inquiry: id, received_at, channel, customer, customer_id, contact,
// order_id, product, subject, body, status, category, tags, priority, level, language,
// thread_id. Contacts are masked unless `mask` is false.
nlohmann::ordered_json inquiry_json(const Inquiry& r, bool mask = true);

// A priority as every command shows it: one decimal, halves rounded away from zero.
double shown_priority(double priority);

// The queue's table columns (id, level, status, category, received, customer, text).
std::vector<Column> queue_columns();

// Who wrote it, for tables: the name, else the (masked) contact, else "?".
std::string display_customer(const Inquiry& r, bool mask);

// ANSI colour of a priority level.
std::string level_color(const std::string& level);

// A time for tables: "11-02 09:16" this year, "2025-11-02" before.
std::string short_time(TimePoint t, TimePoint now);

// Reads an inquiry id from the command line ("12" or "#12"); usage error otherwise.
int64_t parse_id(const std::string& s);

}  // namespace kefu::cli
