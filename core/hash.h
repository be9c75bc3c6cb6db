#pragma once
// Stable 64-bit hashes (XXH3). They are persisted (dedupe keys), so the function must never
// change: XXH3_64bits with seed 0, over the exact bytes given.

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kefu {

inline uint64_t hash64(std::string_view bytes) {
    return XXH3_64bits(bytes.data(), bytes.size());
}

// A hash for unordered containers keyed by std::string that are searched with a string_view
// (no string is made to look a key up): use with std::equal_to<>.
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Hashes several fields so that ("ab","c") and ("a","bc") differ: each is followed by a 0x1F.
class Hasher {
public:
    Hasher() { XXH3_64bits_reset(m_state); }
    ~Hasher() { XXH3_freeState(m_state); }
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    Hasher& add(std::string_view field) {
        static constexpr char k_sep = 0x1F;
        XXH3_64bits_update(m_state, field.data(), field.size());
        XXH3_64bits_update(m_state, &k_sep, 1);
        return *this;
    }
    uint64_t digest() const { return XXH3_64bits_digest(m_state); }

private:
    XXH3_state_t* m_state = XXH3_createState();
};

// Like Hasher, for short keys, without allocating: the fields are gathered in a buffer that is
// kept between uses and hashed in one call. Same separator, same result as Hasher.
class FieldHash {
public:
    FieldHash& add(std::string_view field) {
        m_buf.append(field);
        m_buf.push_back('\x1F');
        return *this;
    }
    void reset() { m_buf.clear(); }
    uint64_t digest() const { return XXH3_64bits(m_buf.data(), m_buf.size()); }

private:
    std::string m_buf;
};

}  // namespace kefu
