// Runner for the corpus tests: skips (exit 77) when ../shared/corpora is not there.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>

#include "tests/corpora/corpora.h"

namespace kefu_test {
std::filesystem::path corpora_dir() {
    const char* dir = std::getenv("KEFU_CORPORA");
    return dir == nullptr ? std::filesystem::path(KEFU_SOURCE_DIR) / ".." / "shared" / "corpora"
                          : std::filesystem::path(dir);
}
}  // namespace kefu_test

int main(int argc, char** argv) {
    std::error_code ec;
    if (!std::filesystem::is_directory(kefu_test::corpora_dir(), ec)) {
        std::cout << "corpora not found at " << kefu_test::corpora_dir() << ": skipped\n";
        return 77;
    }
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    return context.run();
}
