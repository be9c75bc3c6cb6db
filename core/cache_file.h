#pragma once
// Cache files: results that are costly to compute and cheap to read back (the parsed reply
// library, the normalization tables), kept between runs under $XDG_CACHE_HOME/kefu. A cache
// only saves time: a missing, stale, corrupt or unwritable file is never an error, it is
// ignored and rewritten.
//
// File layout (integers little-endian as the machine writes them):
//   magic    the caller's magic bytes (names the format and its version)
//   key      u64 length, then that many bytes: the fingerprint of everything the contents
//            were made from; a file with another key is stale
//   payload  u64 length, then that many bytes (the caller's format, written with Writer)
//   check    u64 XXH3 of the payload
// Files are written next to their final place and renamed there (mode 0600), so that a reader
// sees the old file or the new one, never half of one.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kefu::cache {

// Appends values in the machine's byte order. A str is a u64 length and its bytes; a list is a
// u64 count and its items.
class Writer {
public:
    void u8(uint8_t v) { m_out.push_back(static_cast<char>(v)); }
    void u64(uint64_t v) { raw(&v, sizeof v); }
    void i64(int64_t v) { raw(&v, sizeof v); }
    void i32(int32_t v) { raw(&v, sizeof v); }
    void f64(double v) { raw(&v, sizeof v); }
    void str(std::string_view s) {
        u64(s.size());
        m_out.append(s);
    }
    void strs(const std::vector<std::string>& list) {
        u64(list.size());
        for (const std::string& s : list) {
            str(s);
        }
    }
    // A vector of plain values as one block: its count, then its bytes.
    template <class T>
    void pods(const std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        u64(v.size());
        raw(v.data(), v.size() * sizeof(T));
    }
    std::string& out() { return m_out; }

private:
    void raw(const void* p, size_t n) { m_out.append(static_cast<const char*>(p), n); }
    std::string m_out;
};

// Reads what Writer wrote. Every read checks the bounds, and after the first failure every
// read fails (returning zeros and empty values), so that a caller checks ok() once at the end.
class Reader {
public:
    explicit Reader(std::string_view in) : m_in(in) {}

    bool ok() const { return m_ok; }
    void fail() { m_ok = false; }
    bool at_end() const { return m_at == m_in.size(); }
    uint8_t u8() { return value<uint8_t>(); }
    uint64_t u64() { return value<uint64_t>(); }
    int64_t i64() { return value<int64_t>(); }
    int32_t i32() { return value<int32_t>(); }
    double f64() { return value<double>(); }
    std::string_view view(uint64_t n);
    std::string str() { return std::string(view(u64())); }
    // A count of items that take at least `min_size` bytes each: one larger than what is
    // left could hold fails at once, so that a corrupt count never allocates much.
    uint64_t count(size_t min_size);
    std::vector<std::string> strs();
    template <class T>
    std::vector<T> pods() {
        static_assert(std::is_trivially_copyable_v<T>);
        std::vector<T> v(count(sizeof(T)));
        std::string_view bytes = view(v.size() * sizeof(T));
        if (!bytes.empty()) {
            std::memcpy(v.data(), bytes.data(), bytes.size());
        }
        return v;
    }

private:
    template <class T>
    T value() {
        T v{};
        std::string_view bytes = view(sizeof v);
        if (m_ok) {
            std::memcpy(&v, bytes.data(), sizeof v);
        }
        return v;
    }
    std::string_view m_in;
    size_t m_at = 0;
    bool m_ok = true;
};

// A cache file's payload, mapped read-only from the file (no copy: the page cache holds it).
class Payload {
public:
    Payload(void* base, size_t size, std::string_view payload)
        : m_base(base), m_size(size), m_payload(payload) {}
    Payload(Payload&& other) noexcept;
    Payload& operator=(Payload&&) = delete;
    Payload(const Payload&) = delete;
    Payload& operator=(const Payload&) = delete;
    ~Payload();
    std::string_view view() const { return m_payload; }

private:
    void* m_base;
    size_t m_size;
    std::string_view m_payload;
};

// The payload of the cache file at `path` when it has `magic`, exactly `key`, and a payload
// that matches its checksum; nullopt otherwise.
std::optional<Payload> read(const std::string& path, std::string_view magic,
                            std::string_view key);

// Writes the cache file atomically, creating its folder; failures are ignored.
void write(const std::string& path, std::string_view magic, std::string_view key,
           std::string_view payload);

// Appends the size, modification time and inode of `path` to `w`, for a key that changes
// when the file does; false when the file cannot be stat'ed.
bool add_file_stamp(Writer& w, const std::string& path);

}  // namespace kefu::cache
