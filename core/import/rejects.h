#pragma once
// The reject file: every record that could not be imported, with where it was and why, so
// that nothing is lost. A CSV (UTF-8) with the columns input, line, reason, record; `record`
// holds the record's text as it was in the input, with bytes that are not valid text written
// as \xNN (so the file is lossless and readable). Created 0600 (it holds buyers' data), and
// only when there is something to write. An existing file is appended to (its header is
// written once), so that several inputs or runs can share one. A dry run writes nothing and
// keeps the first records' lines and reasons to show instead.

#include <cstdint>
#include <cstdio>
#include <string>
#include <memory>
#include <string_view>
#include <vector>

#include "core/encoding.h"

namespace kefu::import {

// How many rejected records a dry run lists (the count says how many there are in all).
inline constexpr size_t k_dry_rejects_listed = 20;

class RejectWriter {
public:
    // `path` is where the file goes; nothing is created until the first add(), and nothing
    // at all in a dry run.
    RejectWriter(std::string path, std::string input_name, std::string encoding, bool dry_run);
    ~RejectWriter();
    RejectWriter(const RejectWriter&) = delete;
    RejectWriter& operator=(const RejectWriter&) = delete;

    // Throws kefu::Error when the file could not be created later (its folder is not
    // writable, or the path is a folder): called before anything is imported, so that a
    // failed import leaves nothing behind.
    void check_writable() const;

    void add(uint64_t line, std::string_view reason, std::string_view record, bool truncated = false);
    uint64_t count() const { return m_count; }
    // The file when records were written to it, else "".
    std::string written_path() const { return m_created ? m_path : std::string(); }
    // A dry run: the first k_dry_rejects_listed records, "line 12: why" (just why for line 0).
    const std::vector<std::string>& listed() const { return m_listed; }
    void close();

private:
    std::string m_path;
    std::string m_input;
    std::string m_encoding;
    std::unique_ptr<encoding::Decoder> m_decoder;
    bool m_dry_run;
    FILE* m_file = nullptr;
    bool m_created = false;
    uint64_t m_count = 0;
    std::vector<std::string> m_listed;
};

// <folder>/<input file name>-<YYYYmmdd-HHMMSS>.csv ("stdin" for '-').
std::string default_rejects_path(const std::string& folder, const std::string& input, int64_t now);

}  // namespace kefu::import
