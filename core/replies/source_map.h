#pragma once
// Positions in a template file: toml++ reports line and column (in characters) of keys and
// values; problems inside a string value (a bad placeholder in a body) are found as offsets in
// the decoded string and must be reported at the line and column where the user sees them.

#include <string_view>
#include <utility>
#include <vector>

namespace kefu::replies {

// Line starts of a file's text, to turn (line, column in characters) into byte offsets and
// back. Lines and columns count from 1.
class SourceMap {
public:
    explicit SourceMap(std::string_view text);

    // The byte offset of a position; the end of the text for a line past its end.
    size_t offset_of(size_t line, size_t column) const;
    // The (line, column) of a byte offset.
    std::pair<size_t, size_t> position_of(size_t offset) const;

    std::string_view text() const { return m_text; }

private:
    std::string_view m_text;
    std::vector<size_t> m_starts;
};

// For a TOML string value whose opening quote is at byte `start` of `file`, the byte offset in
// the file of each byte of its decoded content, plus one entry for its end: escapes in basic
// strings ("\n", "\u4e2d", a line-ending backslash) are followed as TOML decodes them, and the
// newline right after an opening """ or ''' is skipped as TOML skips it.
std::vector<size_t> content_offsets(std::string_view file, size_t start, size_t decoded_size);

}  // namespace kefu::replies
