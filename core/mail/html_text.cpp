#include "core/mail/html_text.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace kefu::mail::detail {
namespace {

bool is_void_tag(std::string_view name) {
    static constexpr std::string_view k_void[] = {"area",  "base",   "br",    "col",  "embed",
                                                  "hr",    "img",    "input", "link", "meta",
                                                  "param", "source", "track", "wbr"};
    return std::find(std::begin(k_void), std::end(k_void), name) != std::end(k_void);
}

std::string lower_tag_name(std::string_view html, size_t pos) {
    std::string name;
    while (pos < html.size() && name.size() < 16) {
        char c = html[pos];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            break;
        }
        name += c;
        ++pos;
    }
    return name;
}

// Decodes the entity at html[i] ('&') into `out`; returns the length consumed (0 = none).
size_t decode_entity(std::string_view html, size_t i, std::string& out) {
    static constexpr std::pair<std::string_view, std::string_view> k_named[] = {
        {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", " "}};
    std::string_view rest = html.substr(i + 1, 12);
    for (const auto& [name, value] : k_named) {
        if (rest.starts_with(name)) {
            out = value;
            return name.size() + 1;
        }
    }
    if (!rest.starts_with("#")) {
        return 0;
    }
    size_t j = 1;
    bool hex = j < rest.size() && (rest[j] == 'x' || rest[j] == 'X');
    j += hex ? 1 : 0;
    uint32_t cp = 0;
    size_t digits = 0;
    while (j < rest.size() && digits < 7) {
        char c = rest[j];
        int v = (c >= '0' && c <= '9')          ? c - '0'
                : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (hex && c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                : -1;
        if (v < 0) {
            break;
        }
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
        ++digits;
        ++j;
    }
    if (digits == 0 || j >= rest.size() || rest[j] != ';') {
        return 0;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        cp = 0xFFFD;
    }
    out.clear();
    text::append_utf8(out, cp);
    return j + 2;
}

}  // namespace

uint64_t nesting_cost(std::string_view html, uint64_t stop_above) {
    uint64_t depth = 0;
    uint64_t cost = 0;
    for (size_t i = 0; i + 1 < html.size(); ++i) {
        if (html[i] != '<') {
            continue;
        }
        char c = html[i + 1];
        if (c == '/') {
            depth = depth > 0 ? depth - 1 : 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            if (!is_void_tag(lower_tag_name(html, i + 1))) {
                ++depth;
                cost += depth;
                if (cost > stop_above) {
                    return cost;
                }
            }
        }
    }
    return cost;
}

std::string strip_tags(std::string_view html) {
    TextBuilder b;
    std::string entity;
    size_t i = 0;
    size_t text_start = 0;
    auto flush_text = [&](size_t end) {
        if (end > text_start) {
            b.text(html.substr(text_start, end - text_start), false);
        }
    };
    while (i < html.size()) {
        char c = html[i];
        if (c == '&') {
            size_t n = decode_entity(html, i, entity);
            if (n > 0) {
                flush_text(i);
                b.text(entity, false);
                i += n;
                text_start = i;
                continue;
            }
            ++i;
            continue;
        }
        if (c != '<') {
            ++i;
            continue;
        }
        flush_text(i);
        if (html.substr(i, 4) == "<!--") {
            size_t end = html.find("-->", i + 4);
            i = end == std::string_view::npos ? html.size() : end + 3;
            text_start = i;
            continue;
        }
        bool closing = i + 1 < html.size() && html[i + 1] == '/';
        std::string name = lower_tag_name(html, i + (closing ? 2 : 1));
        size_t end = html.find('>', i + 1);
        i = end == std::string_view::npos ? html.size() : end + 1;
        if (!closing && (name == "script" || name == "style" || name == "head")) {
            std::string close = "</" + name;
            size_t pos = i;
            while (pos < html.size()) {
                size_t lt = html.find("</", pos);
                if (lt == std::string_view::npos) {
                    pos = html.size();
                    break;
                }
                if (lower_tag_name(html, lt + 2) == name) {
                    size_t gt = html.find('>', lt);
                    pos = gt == std::string_view::npos ? html.size() : gt + 1;
                    break;
                }
                pos = lt + 2;
            }
            i = pos;
        } else if (name == "br") {
            b.br();
        } else if (name == "p" || name == "div" || name == "li" || name == "tr" ||
                   name == "table" || name == "blockquote" ||
                   (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
            b.block(name == "p" ? 2 : 1);
        } else if (name == "td" || name == "th") {
            b.space();
        }
        text_start = i;
    }
    flush_text(html.size());
    return b.finish();
}

}  // namespace kefu::mail::detail
