#pragma once
// Reading mbox files (mboxo and mboxrd) one message at a time, from any std::istream, in
// memory bounded by the largest message (never the whole file).
//
// Format as read here: a message starts at a "From " line (the From_ line) and runs to the next
// one. The first line of the input always starts a message (with or without a From_ line, so
// a single message on stdin reads as one message). Later "From " lines start a message only
// when they look like a From_ line — "From " + sender, then nothing or a date with a time of
// day ("From - ", "From a@b Tue Mar  4 03:33:20 2003", "From 1844347792267117879@xxx") — and
// the next line is a header field. A blank line before it is usual but not required: real
// mboxes (Netscape's among them) omit it. So "From time to time" or "From Russia with love"
// in an unescaped body stays in the body. Content-Length headers are not trusted.
//
// Quoting: lines matching ">+From " lose one '>' (mboxrd). In an mboxo file ">From " is the
// only escape and is undone the same way; ">>From " there was written by the sender and loses
// a '>' too, which cannot be told apart and is the usual reading.
//
// Each message comes back with its From_ line removed and the blank line that separates it
// from the next message (the last line, if blank) removed; line ends (LF or CRLF) are kept as
// they are. A UTF-8 byte order mark at the start of the input is skipped.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

namespace kefu::mail {

// True when the first bytes of an input (a few hundred are enough) are an mbox rather than a
// single message: they start, after an optional UTF-8 byte order mark, with "From " (a
// message's own header would be "From:").
bool looks_like_mbox(std::string_view first_bytes);

class MboxReader {
public:
    // Messages longer than this are cut (see truncated()); they are rare and would otherwise
    // let one bad file take all memory.
    static constexpr size_t k_default_max_message_bytes = 64u << 20;

    explicit MboxReader(std::istream& in, size_t max_message_bytes = k_default_max_message_bytes);

    // Reads the next message into `raw` (replacing its content). `start_line` is the 1-based
    // line of its From_ line (or of its first line when it had none). Returns false at the end
    // of the input; a stream error also ends the input (check the stream to tell them apart).
    // Messages that are empty (a From_ line and nothing else) are skipped.
    bool next(std::string& raw, uint64_t& start_line);

    // The From_ line of the message last returned, without its line end ("" if it had none).
    const std::string& from_line() const { return m_current_from; }
    // Byte offset in the input of that message's first line (its From_ line, if any).
    uint64_t start_offset() const { return m_current_offset; }
    // True when the message last returned was longer than the limit and has been cut there.
    bool truncated() const { return m_truncated; }

private:
    struct Line {
        std::string text;  // with its line end
        uint64_t number = 0;
        uint64_t offset = 0;
        bool valid = false;
    };

    bool read_line(Line& line);
    bool take_line(Line& line);

    std::istream& m_in;
    size_t m_max_message_bytes;
    std::string m_buffer;
    size_t m_buffer_pos = 0;
    size_t m_buffer_len = 0;
    uint64_t m_line_number = 0;
    uint64_t m_offset = 0;
    bool m_at_start = true;
    bool m_eof = false;
    Line m_lookahead;
    // The From_ line that starts the next message, already read.
    Line m_next_from;
    std::string m_current_from;
    uint64_t m_current_offset = 0;
    bool m_truncated = false;
};

}  // namespace kefu::mail
