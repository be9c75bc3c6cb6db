#pragma once
// Helpers for the tests over ../shared/corpora (external material, read only). The runner
// exits with 77 (CTest's skip) when the folder is absent, as it is in a user's clone.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace kefu_test {

// The corpora folder ($KEFU_CORPORA, set by CTest).
std::filesystem::path corpora_dir();

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace kefu_test
