#pragma once
// `kefu export`: the inquiries out again, streamed row by row (memory does not grow with the
// number of rows), in import order. Seller mails are left out (they are the replies).
//
// CSV (the default) is a persistent format: a header row, then one RFC 4180 record per
// inquiry, fields quoted when they hold a comma, quote, line break or edge space. Columns:
//   id               the export's own id (external id / Message-ID) as imported; "" if none
//   received_at      ISO 8601 with offset, local time
//   channel, customer, contact, order_id, product, goods_kind, subject, body
//   status, category, tags (comma-separated), priority, level, language
//   kefu_id, customer_id, thread_id   kefu's own ids
//   reply_count, replies   the replies recorded against the inquiry: "time (template): text",
//                          separated by a blank line
// The names are ones `kefu import` recognises (data/presets/generic.toml), so an exported
// file imports into an empty database as the same inquiries, deduplicated by `id` (or, when
// that is empty, by customer, time and text, as the original import was). With masking on,
// the contact column is named "contact (masked)", which the importer does not read: a masked
// contact such as z***@example.com must never become a buyer's identity.
// --excel: UTF-8 with a byte order mark, CRLF between records, and cells that a spreadsheet
// would run as a formula (starting with = + - @ and not a plain number) prefixed with '.
//
// JSON (an array) and JSONL (one object per line) use the stable field names of an inquiry
// (README): id is kefu's id there, the export's own id is external_id; replies is an array.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <vector>

#include "core/model.h"
#include "core/queue.h"
#include "core/store/store.h"

namespace kefu::exporting {

enum class Format { Csv, Json, Jsonl };

struct Options {
    Format format = Format::Csv;
    std::optional<TimePoint> since;
    std::optional<TimePoint> until;
    std::vector<Status> statuses;  // empty = every status
    std::optional<Category> category;
    bool mask = true;     // contacts through kefu::mask_contact
    bool excel = false;   // CSV only: BOM, CRLF, formula guard
    PriorityModel model;  // priority and level as `kefu list` shows them
    TimePoint now = 0;
};

// Writes the export to `out`; returns the number of inquiries written.
uint64_t export_inquiries(Store& store, const Options& options, std::ostream& out);

// A CSV field as written (quoted when needed; with `excel`, guarded against formulas).
std::string csv_field(std::string_view value, bool excel);

}  // namespace kefu::exporting
