#pragma once
// The passes of `kefu report` over the database, for figures.cpp. Each reads one index once,
// through kefu_fold (core/report/fold.h), and fills members of Figures that no other pass
// touches, or a part of its own, so that two threads can run two passes at once, each on its
// own connection. Adding up the parts of the volume and finding the repeat buyers need other
// passes done: they come last.

#include <SQLiteCpp/SQLiteCpp.h>

#include <bit>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/hash.h"
#include "core/report/figures.h"

namespace kefu::report {

// A count per customer id: an array indexed by id for the ids SQLite hands out (1, 2, 3, …);
// an id past k_dense_limit goes to a hash map instead. A count fits 32 bits (a buyer would
// need four billion conversations to overflow it).
class CustomerCounts {
public:
    void add(int64_t id) {
        if (id >= 0 && static_cast<uint64_t>(id) < m_dense.size()) {
            ++m_dense[static_cast<size_t>(id)];
            return;
        }
        add_slow(id);
    }
    int64_t get(int64_t id) const;

private:
    void add_slow(int64_t id);

    static constexpr int64_t k_dense_limit = int64_t{1} << 22;  // 16 MiB of counts at most
    std::vector<uint32_t> m_dense;
    std::unordered_map<int64_t, int64_t> m_sparse;
};

// A set of customer ids: a bit per id for the ids SQLite hands out (1, 2, 3, …), small
// enough to stay in the processor's cache; an id past k_dense_limit goes to a hash set.
class CustomerSet {
public:
    void add(int64_t id) {
        if (id >= 0 && static_cast<uint64_t>(id >> 6) < m_bits.size()) {
            uint64_t& word = m_bits[static_cast<size_t>(id >> 6)];
            uint64_t bit = uint64_t{1} << (id & 63);
            m_size += (word & bit) == 0 ? 1 : 0;
            word |= bit;
            return;
        }
        add_slow(id);
    }
    // Adds the ids of another.
    void merge(const CustomerSet& other);
    int64_t size() const { return m_size; }
    // Calls f(id) for every id, in no particular order.
    template <class F>
    void each(F&& f) const {
        for (size_t w = 0; w < m_bits.size(); ++w) {
            for (uint64_t bits = m_bits[w]; bits != 0; bits &= bits - 1) {
                f(static_cast<int64_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits))));
            }
        }
        for (int64_t id : m_sparse) {
            f(id);
        }
    }

private:
    void add_slow(int64_t id);

    static constexpr int64_t k_dense_limit = int64_t{1} << 26;  // 8 MiB of bits at most
    std::vector<uint64_t> m_bits;
    std::unordered_set<int64_t> m_sparse;
    int64_t m_size = 0;
};

// Counts per name (a channel, a template), looked up by the name as SQLite hands it over,
// without copying it.
class NameCounts {
public:
    void add(std::string_view name) {
        auto it = m_counts.find(name);
        if (it == m_counts.end()) {
            it = m_counts.emplace(std::string(name), 0).first;
        }
        ++it->second;
    }
    // The counts, by name.
    std::map<std::string, int64_t, std::less<>> by_name() const {
        return {m_counts.begin(), m_counts.end()};
    }

private:
    std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> m_counts;
};

// The buyers' messages received from `from` to `to` (a slice of the period; index
// inquiry_period): their number, by category, channel and local day, and who wrote them.
struct VolumePart {
    int64_t inquiries = 0;
    std::vector<int64_t> categories;                       // indexed like all_categories()
    std::map<std::string, int64_t, std::less<>> channels;  // "" as "(none)"
    std::map<int64_t, std::vector<int64_t>> days;          // local day → counts per category
    CustomerSet writers;
};
void count_volume(SQLite::Database& db, TimePoint from, TimePoint to, VolumePart& part);

// The volume of the period from its slices: the totals, by category, channel and day in f,
// the customers who wrote in `writers`.
void add_volume(const Options& o, std::vector<VolumePart>& parts, Figures& f, CustomerSet& writers);

// The backlog now (index inquiry_queue), by status and by level.
void count_backlog(SQLite::Database& db, const Options& o, Figures& f);

// The conversations started in the period (index inquiry_start): their number, first
// response and resolution times and the SLA, and the conversations of each customer among
// them (`conversations`).
void count_conversations(SQLite::Database& db, const Options& o, Figures& f,
                         CustomerCounts& conversations);

// The conversations of each customer started before the period (index inquiry_start).
void count_earlier_conversations(SQLite::Database& db, const Options& o,
                                 CustomerCounts& conversations);

// The replies of the period by template (index reply_sent).
void count_templates(SQLite::Database& db, const Options& o, Figures& f);

// The repeat buyers, from the counts above: the customers who wrote in the period (`writers`)
// with two conversations or more up to its end (`in_period` and `earlier`), and the top ones
// with their names.
void find_repeat_buyers(SQLite::Database& db, const Options& o, const CustomerSet& writers,
                        const CustomerCounts& in_period, const CustomerCounts& earlier, Figures& f);

}  // namespace kefu::report
