#pragma once
// HTML mail bodies as readable text, for messages that have no text/plain part.

#include <string>
#include <string_view>

namespace kefu::mail {

// Converts UTF-8 HTML to plain text with gumbo (an HTML5 parser, so broken markup is read the
// way browsers read it). Block elements (p, div, li, tr, headings …) and <br> become line
// breaks, other white space collapses to one space, link text is kept (the address only when a
// link has no text), lists get "- " bullets, lines inside <blockquote> get a "> " prefix so
// that strip_quoted() can cut them, and head, script and style are dropped. Entities are
// decoded. The result has at most one blank line in a row and no trailing spaces.
//
// gumbo's time grows with the square of the nesting depth, so markup whose tags would nest
// deeper than a fixed budget allows (only seen in hostile input) is instead reduced by a
// simple tag stripper; the result is still readable text, and the call stays fast.
std::string html_to_text(std::string_view html);

}  // namespace kefu::mail
