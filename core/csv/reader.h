#pragma once
// A streaming RFC 4180 CSV reader over bytes: quoted fields, doubled quotes, newlines inside
// quotes, CRLF / LF / CR line ends, a missing final newline. It works on the raw bytes of any
// ASCII-compatible encoding (UTF-8, GB18030, Big5: their multibyte sequences never contain
// the delimiters, quotes or line ends), so fields are decoded afterwards; UTF-16 goes through
// a TranscodingSource first. Memory is bounded by the longest record, which is capped.
//
// It is strict where strictness protects data and lenient where intent is clear:
//  - a quote inside an unquoted field, or text after a closing quote, makes the record
//    malformed (reported with line and column), and reading resumes at the next line;
//  - spaces before an opening quote are dropped (`a, "b, c"` has two fields);
//  - an unterminated quote at the end of input makes that record malformed.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"

namespace kefu::csv {

// Where bytes come from. read() returns 0 at the end; it throws kefu::Error on I/O errors.
class Source {
public:
    virtual ~Source() = default;
    virtual size_t read(char* buf, size_t capacity) = 0;
};

// A file descriptor (a file, or stdin). It does not own the descriptor.
class FdSource : public Source {
public:
    FdSource(int fd, std::string name) : m_fd(fd), m_name(std::move(name)) {}
    size_t read(char* buf, size_t capacity) override;

private:
    int m_fd;
    std::string m_name;
};

// Bytes already in memory (tests, fuzzing, a sample put back in front of a stream).
class MemorySource : public Source {
public:
    explicit MemorySource(std::string_view data) : m_data(data) {}
    size_t read(char* buf, size_t capacity) override;

private:
    std::string_view m_data;
    size_t m_pos = 0;
};

// First the bytes of `prefix`, then the rest of `inner`: lets a caller sniff the start of a
// stream (stdin cannot seek) and still read it whole.
class PrefixedSource : public Source {
public:
    PrefixedSource(std::string prefix, Source& inner) : m_prefix(std::move(prefix)), m_inner(inner) {}
    size_t read(char* buf, size_t capacity) override;

private:
    std::string m_prefix;
    size_t m_pos = 0;
    Source& m_inner;
};

// Converts another source to UTF-8 on the fly (for UTF-16 and other encodings that are not
// ASCII-compatible). Each code unit that does not convert (two bytes of UTF-16, four of
// UTF-32, one byte of the 7-bit encodings) is skipped whole, so that what follows is read in
// step, and becomes the byte 0xFF: never valid UTF-8 and never a CSV delimiter, quote or line
// end, so the record that holds it fails the UTF-8 check and is rejected, and the rest of the
// file reads as it should. Counted.
class TranscodingSource : public Source {
public:
    TranscodingSource(Source& inner, const std::string& encoding);
    ~TranscodingSource() override;
    size_t read(char* buf, size_t capacity) override;
    size_t bad_units() const { return m_bad_units; }

private:
    Source& m_inner;
    void* m_cd;
    std::string m_in;
    std::string m_out;
    size_t m_out_pos = 0;
    bool m_eof = false;
    size_t m_bad_units = 0;
    size_t m_unit = 1;  // bytes per code unit of the input encoding
};

struct Record {
    std::vector<std::string> fields;
    uint64_t line = 0;      // input line where the record starts (1-based)
    uint64_t end_line = 0;  // input line where it ends
    std::string raw;        // the record's bytes as in the input, without the line end (capped)
    bool raw_truncated = false;
    std::string error;      // why the record is malformed; empty when it is fine
};

struct Options {
    char delimiter = 0;                          // 0 = sniff from the first lines
    size_t max_record_bytes = size_t{4} << 20;   // longer records are malformed
};

class Reader {
public:
    Reader(Source& source, Options options);

    // Reads the next record; false at the end of input. A blank line is a record with one
    // empty field (as RFC 4180 says); callers decide whether to skip it.
    bool next(Record& record);

    // The delimiter in use (sniffed on the first call to next()).
    char delimiter() const { return m_delimiter; }

private:
    bool fill();  // reads more input; false when there is none
    int get();    // next byte or -1; counts lines
    int peek();
    void flush_raw(Record& record);
    void append_raw(Record& record, const char* from, size_t n);

    Source& m_source;
    Options m_options;
    char m_delimiter;
    std::string m_buf;
    size_t m_pos = 0;
    size_t m_raw_start = 0;
    bool m_eof = false;
    uint64_t m_line = 1;
    uint64_t m_col = 0;
};

// The delimiter (',', ';' or '\t') that splits the lines of `sample` most consistently,
// outside quotes; ',' when nothing stands out.
char sniff_delimiter(std::string_view sample);

}  // namespace kefu::csv
