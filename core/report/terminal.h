#pragma once
// The report for a terminal: aligned tables and horizontal bar charts drawn with Unicode
// block characters (eighths of a cell, so that small differences still show), laid out by
// display width (a CJK character takes two columns) to fit `width` columns. Every text that
// came from buyers or the seller (names, channels, template ids) is made safe with
// text::one_line and cut to its column.

#include <string>

#include "core/report/figures.h"

namespace kefu::report {

// The whole report as text, lines ending in '\n'. `width` below 60 is taken as 60.
std::string render_text(const Figures& f, size_t width);

// A bar of `value / max` of `cells` cells, in eighths; a non-zero value shows at least an
// eighth. Exposed for tests.
std::string bar(int64_t value, int64_t max, size_t cells);

}  // namespace kefu::report
