#include "core/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace kefu::files {

std::string read_file(const std::string& path, std::string_view what, size_t max_bytes) {
    std::string title = what.empty() ? "cannot read" : "cannot read " + std::string(what);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw Error(title, path, "it is a folder");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(title, path, errno == ENOENT ? "no such file" : std::strerror(errno));
    }
    std::string data;
    if (auto size = std::filesystem::file_size(path, ec); !ec) {
        data.reserve(static_cast<size_t>(std::min<std::uintmax_t>(size, max_bytes)));
    }
    char buffer[65536];
    while (data.size() < max_bytes && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
        data.append(buffer, std::min(static_cast<size_t>(in.gcount()), max_bytes - data.size()));
    }
    if (in.bad()) {
        throw Error(title, path, "read error");
    }
    return data;
}

}  // namespace kefu::files
