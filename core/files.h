#pragma once
// Reading whole files: the one place that turns a missing, unreadable or folder path into a
// kefu::Error that names it.

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace kefu::files {

// The bytes of `path`, at most `max_bytes` of them (a caller that must refuse large files
// passes its limit + 1 and checks the size). Throws kefu::Error("cannot read <what>", path,
// why) when the path does not exist, is a folder, or cannot be read; `what` names the kind
// of file for the message ("rules", "config", …) and may be empty.
std::string read_file(const std::string& path, std::string_view what = "",
                      size_t max_bytes = std::numeric_limits<size_t>::max());

}  // namespace kefu::files
