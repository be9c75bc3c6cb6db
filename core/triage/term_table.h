#pragma once
// The priority terms as a text table, for `kefu explain` and `kefu rules test`:
//
//   TERM             RAW  COEFF  SCORE  WHY
//   category_refund    1    4.5    4.5  refund.money (退款) +3
//   anger              1      4      4  anger.threat (差评) +1
//                                -----
//   total                          8.5  high
//
// Numbers have two decimals at most; the WHY column is not cut (it names the rules and the
// words they fired on) and is made one line with control characters escaped.

#include <string>
#include <string_view>
#include <vector>

#include "core/triage/engine.h"

namespace kefu::triage {

// A score for people: two decimals at most, trailing zeros cut ("8.5", "12", "4.25").
std::string format_score(double v);

// The table above, each line ending in '\n'. The heading is the first line.
std::string format_terms(const std::vector<Term>& terms, double total, std::string_view level);

// The rules that fired and their words, one "  rule.id  word, word" line each ("(regex)"
// for a rule that fired on a regex alone); empty when none fired.
std::string format_fired(const std::vector<Fired>& fired);

}  // namespace kefu::triage
