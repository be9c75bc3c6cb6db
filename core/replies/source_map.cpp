#include "core/replies/source_map.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "core/text.h"

namespace kefu::replies {

SourceMap::SourceMap(std::string_view text) : m_text(text) {
    m_starts.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            m_starts.push_back(i + 1);
        }
    }
}

size_t SourceMap::offset_of(size_t line, size_t column) const {
    if (line == 0 || line > m_starts.size()) {
        return m_text.size();
    }
    size_t i = m_starts[line - 1];
    for (size_t c = 1; c < column && i < m_text.size() && m_text[i] != '\n'; ++c) {
        text::next_code_point(m_text, i);
    }
    return i;
}

std::pair<size_t, size_t> SourceMap::position_of(size_t offset) const {
    auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    size_t line = static_cast<size_t>(it - m_starts.begin());
    size_t i = m_starts[line - 1];
    size_t column = 1;
    while (i < offset && i < m_text.size()) {
        text::next_code_point(m_text, i);
        ++column;
    }
    return {line, column};
}

std::vector<size_t> content_offsets(std::string_view file, size_t start, size_t decoded_size) {
    std::vector<size_t> map;
    map.reserve(decoded_size + 1);
    size_t i = start;
    if (i >= file.size()) {
        map.assign(decoded_size + 1, file.size());
        return map;
    }
    bool basic = file[i] == '"';
    bool multiline = file.substr(i, 3) == std::string_view(basic ? "\"\"\"" : "'''");
    i += multiline ? 3 : 1;
    if (multiline && file.substr(i, 1) == "\n") {
        i += 1;
    } else if (multiline && file.substr(i, 2) == "\r\n") {
        i += 2;
    }
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (map.size() < decoded_size && i < file.size()) {
        if (!basic || file[i] != '\\' || i + 1 >= file.size()) {
            map.push_back(i++);
            continue;
        }
        char e = file[i + 1];
        if (e == 'u' || e == 'U') {
            size_t digits = e == 'u' ? 4 : 8;
            unsigned long cp =
                std::strtoul(std::string(file.substr(i + 2, digits)).c_str(), nullptr, 16);
            size_t len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            map.insert(map.end(), len, i);
            i += 2 + digits;
        } else if (is_space(e)) {
            i += 1;  // a line-ending backslash: the white space after it is dropped
            while (i < file.size() && is_space(file[i])) {
                ++i;
            }
        } else {
            map.push_back(i);  // a two-character escape decodes to one byte
            i += 2;
        }
    }
    while (map.size() <= decoded_size) {
        map.push_back(i);
    }
    return map;
}

}  // namespace kefu::replies
