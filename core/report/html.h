#pragma once
// The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts, no
// external fonts or images, so that it opens anywhere (mail attachment, offline) and prints
// on A4 (print CSS: page size and margins, sections kept whole). Charts: messages per day
// stacked by category, the distribution of first-response times, the backlog by priority
// level. Every text that came from buyers or the seller is HTML-escaped.

#include <string>

#include "core/report/figures.h"

namespace kefu::report {

// `shop` (may be empty) is shown in the title.
std::string render_html(const Figures& f, const std::string& shop);

// "&lt;b&gt; &amp; &quot;" for text and attribute values.
std::string html_escape(std::string_view s);

}  // namespace kefu::report
