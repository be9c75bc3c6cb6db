#include "core/triage/matcher.h"

#include <algorithm>
#include <deque>

namespace kefu::triage {

uint32_t KeywordMatcher::add(std::string_view pattern, bool word_start, bool word_end) {
    std::string key;
    key += word_start ? '1' : '0';
    key += word_end ? '1' : '0';
    key += pattern;
    auto [it, added] = m_index.emplace(std::move(key), static_cast<uint32_t>(m_patterns.size()));
    if (added) {
        m_patterns.push_back({std::string(pattern), word_start, word_end});
    }
    return it->second;
}

void KeywordMatcher::build() {
    std::vector<uint32_t> all(m_patterns.size());
    for (uint32_t id = 0; id < m_patterns.size(); ++id) {
        all[id] = id;
    }
    m_all.build(m_patterns, all);
}

void KeywordMatcher::Automaton::build(const std::vector<Pattern>& patterns,
                                      const std::vector<uint32_t>& ids) {
    // Byte classes: every byte that occurs in a pattern gets its own class; the rest share
    // class 0, which always leads back towards the root.
    std::fill(cls.begin(), cls.end(), 0);
    classes = 1;
    max_length = 0;
    for (uint32_t id : ids) {
        max_length = std::max(max_length, patterns[id].text.size());
        for (char ch : patterns[id].text) {
            auto b = static_cast<unsigned char>(ch);
            if (cls[b] == 0) {
                cls[b] = static_cast<uint8_t>(classes++);
            }
        }
    }

    // The trie of the patterns.
    Children children(1);
    std::vector<std::vector<uint32_t>> own(1);
    auto child = [&](uint32_t s, uint8_t c) -> uint32_t {
        for (const auto& [k, next] : children[s]) {
            if (k == c) {
                return next;
            }
        }
        return 0;
    };
    for (uint32_t id : ids) {
        uint32_t s = 0;
        for (char ch : patterns[id].text) {
            uint8_t c = cls[static_cast<unsigned char>(ch)];
            uint32_t next = child(s, c);
            if (next == 0) {
                next = static_cast<uint32_t>(children.size());
                children.emplace_back();
                own.emplace_back();
                children[s].emplace_back(c, next);
            }
            s = next;
        }
        own[s].push_back(id);
    }

    const size_t states = children.size();
    std::vector<std::vector<uint32_t>> lists(states);
    delta16.clear();
    delta32.clear();
    if (states <= 0x10000) {
        fill(delta16, children, own, lists);
    } else {
        fill(delta32, children, own, lists);
    }
    out_begin.assign(states + 1, 0);
    out.clear();
    for (size_t s = 0; s < states; ++s) {
        out_begin[s] = static_cast<uint32_t>(out.size());
        out.insert(out.end(), lists[s].begin(), lists[s].end());
    }
    out_begin[states] = static_cast<uint32_t>(out.size());
    has_output.assign(states / 64 + 1, 0);
    for (size_t s = 0; s < states; ++s) {
        if (out_begin[s] != out_begin[s + 1]) {
            has_output[s / 64] |= uint64_t{1} << (s % 64);
        }
    }
}

// Breadth-first over the trie: failure links, the dense transition table and the output
// lists (a state's own patterns plus those of its failure state, which is already complete).
// Built directly in the table's final width, so no wider copy is ever made.
template <typename T>
void KeywordMatcher::Automaton::fill(std::vector<T>& delta, const Children& children,
                                     const std::vector<std::vector<uint32_t>>& own,
                                     std::vector<std::vector<uint32_t>>& lists) const {
    const size_t states = children.size();
    delta.assign(states * classes, 0);
    std::vector<size_t> fail(states, 0);
    std::deque<size_t> queue;
    for (const auto& [c, next] : children[0]) {
        delta[c] = static_cast<T>(next);
        queue.push_back(next);
    }
    lists[0] = own[0];
    while (!queue.empty()) {
        size_t s = queue.front();
        queue.pop_front();
        lists[s] = own[s];
        lists[s].insert(lists[s].end(), lists[fail[s]].begin(), lists[fail[s]].end());
        std::copy_n(delta.begin() + static_cast<std::ptrdiff_t>(fail[s] * classes), classes,
                    delta.begin() + static_cast<std::ptrdiff_t>(s * classes));
        for (const auto& [c, next] : children[s]) {
            fail[next] = delta[fail[s] * classes + c];
            delta[s * classes + c] = static_cast<T>(next);
            queue.push_back(next);
        }
    }
}

}  // namespace kefu::triage
