#include "core/mail/html.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/mail/html_text.h"
#include "core/text.h"

namespace kefu::mail {
namespace {

// Sum over the opening tags of their nesting depth: what gumbo's work grows with. 20 million
// is about 0.1 s of gumbo time; ordinary mail HTML stays below 100 thousand.
constexpr uint64_t k_max_nesting_cost = 20'000'000;
// Larger HTML is reduced by the tag stripper, whose cost is linear.
constexpr size_t k_max_gumbo_bytes = 4u << 20;

bool is_skipped(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_HEAD:
        case GUMBO_TAG_SCRIPT:
        case GUMBO_TAG_STYLE:
        case GUMBO_TAG_TITLE:
        case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_NOSCRIPT:
        case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_SVG:
        case GUMBO_TAG_MATH:
        case GUMBO_TAG_SELECT:
            return true;
        default:
            return false;
    }
}

// Line breaks around an element: 2 = blank line, 1 = line break, 0 = inline.
int block_breaks(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_TABLE:
            return 2;
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_CENTER:
        case GUMBO_TAG_FORM:
        case GUMBO_TAG_FIELDSET:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_DETAILS:
        case GUMBO_TAG_SUMMARY:
        case GUMBO_TAG_BODY:
        case GUMBO_TAG_TBODY:
        case GUMBO_TAG_THEAD:
        case GUMBO_TAG_TFOOT:
            return 1;
        default:
            return 0;
    }
}

struct Frame {
    const GumboNode* node;
    size_t next_child;
    size_t size_at_enter;
    bool pre;
};

void enter_element(detail::TextBuilder& b, const GumboNode* node, bool pre) {
    GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_BR) {
        b.br();
        return;
    }
    if (int n = block_breaks(tag); n > 0) {
        b.block(n);
    }
    if (tag == GUMBO_TAG_BLOCKQUOTE) {
        b.enter_quote();
    } else if (tag == GUMBO_TAG_LI) {
        b.text("-", pre);
        b.space();
    }
}

void leave_element(detail::TextBuilder& b, const Frame& f) {
    const GumboNode* node = f.node;
    GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_BLOCKQUOTE) {
        b.leave_quote();
    } else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
        b.space();
    } else if (tag == GUMBO_TAG_A && b.size() == f.size_at_enter) {
        // A link without text: its address is all there is to show.
        const GumboAttribute* href = gumbo_get_attribute(&node->v.element.attributes, "href");
        std::string_view value = href == nullptr ? "" : href->value;
        if (value.starts_with("http://") || value.starts_with("https://")) {
            b.text(value, false);
        }
    }
    if (int n = block_breaks(tag); n > 0) {
        b.block(n);
    }
}

std::string walk(const GumboNode* root) {
    detail::TextBuilder b;
    // An explicit stack: the tree may be deep, and recursion would use the call stack.
    std::vector<Frame> stack;
    stack.push_back({root, 0, 0, false});
    while (!stack.empty()) {
        Frame& f = stack.back();
        const GumboNode* node = f.node;
        const GumboVector* children = nullptr;
        if (node->type == GUMBO_NODE_DOCUMENT) {
            children = &node->v.document.children;
        } else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
            children = &node->v.element.children;
        }
        if (children == nullptr || f.next_child >= children->length) {
            if (node->type == GUMBO_NODE_ELEMENT) {
                Frame done = f;
                stack.pop_back();
                leave_element(b, done);
            } else {
                stack.pop_back();
            }
            continue;
        }
        const auto* child = static_cast<const GumboNode*>(children->data[f.next_child++]);
        bool pre = f.pre;
        switch (child->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_CDATA:
            case GUMBO_NODE_WHITESPACE:
                b.text(child->v.text.text, pre);
                break;
            case GUMBO_NODE_ELEMENT: {
                GumboTag tag = child->v.element.tag;
                if (is_skipped(tag)) {
                    break;
                }
                enter_element(b, child, pre);
                bool child_pre = pre || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_TEXTAREA;
                stack.push_back({child, 0, b.size(), child_pre});
                break;
            }
            default:
                break;
        }
    }
    return b.finish();
}

}  // namespace

std::string html_to_text(std::string_view html) {
    if (html.size() > k_max_gumbo_bytes ||
        detail::nesting_cost(html, k_max_nesting_cost) > k_max_nesting_cost) {
        return detail::strip_tags(html);
    }
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;  // errors are not needed, and recording them costs memory
    GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
    if (output == nullptr) {
        return detail::strip_tags(html);
    }
    std::string result = walk(output->document);
    gumbo_destroy_output(&options, output);
    return result;
}

}  // namespace kefu::mail
