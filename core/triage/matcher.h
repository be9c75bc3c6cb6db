#pragma once
// A multi-pattern matcher (Aho–Corasick) that finds every occurrence of every keyword of every
// rule in one pass over the text, so that the cost of matching grows with the length of the
// message, not with the number of rules.
//
// The automaton works on bytes of UTF-8 and is compiled into a dense transition table over
// byte classes (bytes that occur in no pattern share one class), so a step is one table
// lookup. Patterns may ask for word boundaries, checked where a match ends: a boundary is
// any position whose neighbouring byte is not an ASCII letter or digit. CJK keywords do not
// ask for them (Chinese has no spaces between words); Latin ones do, so that "app" does not
// match inside "happy".

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kefu::triage {

class KeywordMatcher {
public:
    // Adds a pattern (bytes, not empty) and returns its id, 0, 1, 2 … in the order added.
    // Adding the same pattern with the same boundary flags again returns the first id.
    uint32_t add(std::string_view pattern, bool word_start, bool word_end);

    // Compiles the automata; call once after the last add() and before scan(). Patterns are
    // valid UTF-8, so at most 243 distinct byte values occur and the classes fit a byte.
    void build();

    size_t size() const { return m_patterns.size(); }
    const std::string& pattern(uint32_t id) const { return m_patterns[id].text; }
    // Bytes of the transition table, for measurements.
    size_t table_bytes() const { return m_all.table_bytes(); }

    // Calls on_match(id) for every occurrence of a pattern in `text` that satisfies its
    // boundary flags. Occurrences near the middle of a long text may be reported twice, and
    // not in the order of the text (see Automaton::scan_with).
    template <typename F>
    void scan(std::string_view text, F&& on_match) const {
        const Automaton& a = m_all;
        if (!a.delta16.empty()) {
            a.scan_with(a.delta16.data(), m_patterns, text, on_match);
        } else {
            a.scan_with(a.delta32.data(), m_patterns, text, on_match);
        }
    }

private:
    struct Pattern {
        std::string text;
        bool word_start = false;
        bool word_end = false;
    };

    static bool is_word_byte(unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    // One Aho–Corasick automaton as a dense table over byte classes. It holds 16-bit state
    // numbers when there are few enough states (the built-in rules need about 11,000),
    // halving the memory a scan touches; otherwise 32-bit.
    struct Automaton {
        std::vector<uint8_t> cls = std::vector<uint8_t>(256, 0);
        size_t classes = 1;
        size_t max_length = 0;                // of the longest pattern, in bytes
        std::vector<uint16_t> delta16;        // states × classes, when states ≤ 65536
        std::vector<uint32_t> delta32{0};     // states × classes, otherwise
        std::vector<uint64_t> has_output{0};  // one bit per state: some pattern ends here
        std::vector<uint32_t> out_begin{0, 0};  // per state, into out
        std::vector<uint32_t> out;            // pattern ids ending in each state

        size_t table_bytes() const {
            return delta16.size() * sizeof(uint16_t) + delta32.size() * sizeof(uint32_t);
        }

        // Builds the automaton of the patterns in `ids`.
        void build(const std::vector<Pattern>& patterns, const std::vector<uint32_t>& ids);

        // A scan is a chain of dependent table lookups, so its speed is the latency of one
        // lookup per byte. A long text is therefore scanned as two halves at once, two
        // independent chains that the processor overlaps; the second half starts early by
        // the longest pattern's length, so that every occurrence lies wholly within one half.
        template <typename T, typename F>
        void scan_with(const T* delta, const std::vector<Pattern>& patterns,
                       std::string_view text, F& on_match) const {
            const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
            const uint8_t* c = cls.data();
            const uint64_t* output = has_output.data();
            const size_t n = text.size();
            size_t a = 0;
            size_t b = n;
            uint32_t sa = 0;
            uint32_t sb = 0;
            if (n >= 2 * max_length + 64) {
                size_t mid = n / 2;
                b = mid - max_length;
                for (; a < mid; ++a, ++b) {
                    sa = delta[static_cast<size_t>(sa) * classes + c[bytes[a]]];
                    sb = delta[static_cast<size_t>(sb) * classes + c[bytes[b]]];
                    if (((output[sa >> 6] >> (sa & 63)) & 1) != 0) {
                        report(patterns, text, a + 1, sa, on_match);
                    }
                    if (((output[sb >> 6] >> (sb & 63)) & 1) != 0) {
                        report(patterns, text, b + 1, sb, on_match);
                    }
                }
            }
            // The rest of the second half (or, for a short text, all of it) in one chain.
            uint32_t state = sb;
            for (size_t i = a == 0 ? 0 : b; i < n; ++i) {
                state = delta[static_cast<size_t>(state) * classes + c[bytes[i]]];
                if (((output[state >> 6] >> (state & 63)) & 1) != 0) {
                    report(patterns, text, i + 1, state, on_match);
                }
            }
        }

        template <typename F>
        void report(const std::vector<Pattern>& patterns, std::string_view text, size_t end,
                    uint32_t state, F& on_match) const {
            for (uint32_t k = out_begin[state]; k < out_begin[state + 1]; ++k) {
                uint32_t id = out[k];
                const Pattern& p = patterns[id];
                size_t start = end - p.text.size();
                if (p.word_start && start > 0 &&
                    is_word_byte(static_cast<unsigned char>(text[start - 1]))) {
                    continue;
                }
                if (p.word_end && end < text.size() &&
                    is_word_byte(static_cast<unsigned char>(text[end]))) {
                    continue;
                }
                on_match(id);
            }
        }

        using Children = std::vector<std::vector<std::pair<uint8_t, uint32_t>>>;
        template <typename T>
        void fill(std::vector<T>& delta, const Children& children,
                  const std::vector<std::vector<uint32_t>>& own,
                  std::vector<std::vector<uint32_t>>& lists) const;
    };

    std::vector<Pattern> m_patterns;
    std::unordered_map<std::string, uint32_t> m_index;  // flags + text → id
    Automaton m_all;  // of every pattern
};

}  // namespace kefu::triage
