#pragma once
// Values the triage rules captured from an inquiry's text that have no column of their own
// (tracking_number, carrier, product …; order_id is stored in its column), kept in
// inquiry.triage so that replies can fill them in. A persistent format: a JSON object of
// strings, {"tracking_number": "SF1234567890"}, or "" when nothing was captured. Written by
// import and by retag.

#include <map>
#include <string>
#include <string_view>

namespace kefu {

// The stored form of `captures`, leaving out order_id; "" when nothing is left.
std::string captures_record(const std::map<std::string, std::string>& captures);

// The captures of a record; empty for "" or for a record this binary cannot read (a reply then
// names the missing value instead of failing).
std::map<std::string, std::string> captures_from_record(std::string_view record);

}  // namespace kefu
