// Cache files: what Writer writes, Reader reads back; a file is accepted only with its magic,
// its exact key and an intact payload; a failed read never throws or allocates wildly.

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/cache_file.h"

namespace fs = std::filesystem;
using namespace kefu;

namespace {

fs::path temp_folder() {
    static int counter = 0;
    fs::path p = fs::temp_directory_path() /
                 ("kefu-cache-file-test-" + std::to_string(::getpid()) + "-" +
                  std::to_string(++counter));
    fs::remove_all(p);
    return p;
}

void overwrite(const fs::path& p, size_t at, std::string_view bytes) {
    std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("cache::Writer and Reader: values round trip, and a short input fails") {
    cache::Writer w;
    w.u8(7);
    w.u64(1ULL << 40);
    w.i64(-5);
    w.i32(-70000);
    w.f64(2.5);
    w.str("退货 refund");
    w.strs({"a", "", "bc"});
    w.pods(std::vector<uint32_t>{1, 2, 0xFFFFFFFF});
    w.pods(std::vector<uint16_t>{});
    const std::string bytes = w.out();

    cache::Reader r(bytes);
    CHECK(r.u8() == 7);
    CHECK(r.u64() == (1ULL << 40));
    CHECK(r.i64() == -5);
    CHECK(r.i32() == -70000);
    CHECK(r.f64() == 2.5);
    CHECK(r.str() == "退货 refund");
    CHECK(r.strs() == std::vector<std::string>{"a", "", "bc"});
    CHECK(r.pods<uint32_t>() == std::vector<uint32_t>{1, 2, 0xFFFFFFFF});
    CHECK(r.pods<uint16_t>().empty());
    CHECK(r.ok());
    CHECK(r.at_end());

    // Every prefix of the input fails somewhere, and no read after the failure succeeds.
    for (size_t n = 0; n < bytes.size(); ++n) {
        cache::Reader cut(std::string_view(bytes).substr(0, n));
        cut.u8();
        cut.u64();
        cut.i64();
        cut.i32();
        cut.f64();
        cut.str();
        cut.strs();
        cut.pods<uint32_t>();
        cut.pods<uint16_t>();
        CHECK_FALSE(cut.ok());
    }

    // A count larger than the input could hold fails before anything is allocated.
    cache::Writer huge;
    huge.u64(uint64_t{1} << 60);
    cache::Reader hr(huge.out());
    CHECK(hr.pods<uint64_t>().empty());
    CHECK_FALSE(hr.ok());
}

TEST_CASE("cache::read: only the file with the same magic and key, intact") {
    fs::path dir = temp_folder();
    std::string path = (dir / "sub" / "x.cache").string();
    std::string payload(100000, 'p');
    payload[5] = 'q';

    CHECK_FALSE(cache::read(path, "MAGIC001", "key").has_value());  // no file yet
    cache::write(path, "MAGIC001", "key", payload);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    auto got = cache::read(path, "MAGIC001", "key");
    REQUIRE(got.has_value());
    CHECK(got->view() == payload);
    CHECK_FALSE(cache::read(path, "MAGIC002", "key").has_value());
    CHECK_FALSE(cache::read(path, "MAGIC001", "other key").has_value());
    CHECK_FALSE(cache::read(path, "MAGIC001", "ke").has_value());

    // One changed byte of the payload, then a truncated file: both ignored.
    overwrite(path, 8 + 8 + 3 + 8 + 500, "Z");
    CHECK_FALSE(cache::read(path, "MAGIC001", "key").has_value());
    cache::write(path, "MAGIC001", "key", payload);
    REQUIRE(cache::read(path, "MAGIC001", "key").has_value());
    fs::resize_file(path, fs::file_size(path) - 1);
    CHECK_FALSE(cache::read(path, "MAGIC001", "key").has_value());

    // No temporary file is left beside the cache.
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "sub")) {
        ++files;
    }
    CHECK(files == 1);

    // A folder that cannot be made: write() gives up quietly.
    std::ofstream(dir / "file") << "x";
    cache::write((dir / "file" / "y.cache").string(), "MAGIC001", "key", payload);
    CHECK_FALSE(fs::exists(dir / "file" / "y.cache"));
    fs::remove_all(dir);
}

TEST_CASE("cache::add_file_stamp: changes when the file does") {
    fs::path dir = temp_folder();
    fs::create_directories(dir);
    std::string path = (dir / "f").string();
    std::ofstream(path) << "one";
    cache::Writer a;
    REQUIRE(cache::add_file_stamp(a, path));
    std::ofstream(path, std::ios::app) << "two";
    cache::Writer b;
    REQUIRE(cache::add_file_stamp(b, path));
    CHECK(a.out() != b.out());
    cache::Writer c;
    CHECK_FALSE(cache::add_file_stamp(c, (dir / "missing").string()));
    fs::remove_all(dir);
}
