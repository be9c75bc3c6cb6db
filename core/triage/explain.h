#pragma once
// The JSON form of a triage result, stored with each inquiry (the `triage` column) so that
// `kefu explain` shows the static terms as they were computed at import, and read back from
// it. This is a persistent format; fields may be added, never renamed:
//
//   {"version": 1, "category": "refund", "tags": ["urgent"], "goods_kind": "virtual",
//    "language": "zh", "static_score": 12.5, "level": "high",
//    "terms": [{"name": "category_refund", "raw": 1, "coefficient": 4.5,
//               "contribution": 4.5, "detail": "refund.money (退款) +3"}, …],
//    "fired": [{"rule": "refund.money", "matched": ["退款"]}, …],
//    "captures": {"order_id": "123456"}}
//
// Numbers are written with enough digits to read back the same doubles, so the terms still
// add up to static_score exactly.

#include <string>
#include <string_view>

#include "core/triage/engine.h"

namespace kefu::triage {

std::string to_json(const Result& result);

// Throws kefu::Error ("bad triage record") when `json` is not a record written by to_json;
// unknown fields are ignored, missing ones keep their defaults.
Result result_from_json(std::string_view json);

}  // namespace kefu::triage
