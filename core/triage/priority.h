#pragma once
// The priority score: a sum of coefficient × raw value over named terms, like Taskwarrior's
// urgency. The coefficients below are the defaults; each can be overridden under [priority]
// in config.toml by the same name (the names are also those shown by `kefu explain`), and
// rules may feed new terms of their own, whose coefficient is 1 unless config sets one.
//
//   term             raw value                                                  cap  coeff.
//   category_<name>  1 for the inquiry's category (one per category)            1    see below
//   anger            threats and escalation (差评, 投诉, 12315, scam, chargeback) 3    4
//   negative         negative tone (失望, 太差, terrible), less praise (很满意)   3    1.5
//   shouting         "!!!" or a message written in capitals                     1    2
//   urgency          urgency words (急, 马上, 今天, asap, urgent)                 2    2.5
//   vip              the customer is marked VIP                                 1    4
//   repeat           other open inquiries of the customer + earlier messages    4    1.5
//                    in the thread
//   difficulty       other categories voted for with 1 or more, a very long     3    1
//                    message (600 bytes and up), repeated contact (3 open
//                    inquiries, or 3 messages in the thread)
//   goods_virtual    virtual goods (activation codes, downloads …)              1    1.5
//   goods_physical   physical goods                                             1    0
//   age              (time waiting / SLA)², the SLA fraction capped at 1.5      2.25 4
//
// Category coefficients: complaint 6, payment 4.5, refund 4.5, technical 4, order 3.5,
// account 3.5, logistics 3, product 3, other 1. The raw value of a built-in term stays
// within [0, cap]; a term of a user's rules is taken as the rules add it up.
//
// Levels come from the total: urgent ≥ 12, high ≥ 8, normal ≥ 3, else low; the thresholds
// are set under [priority.levels]. The age term is the only part that changes with time: it
// is computed when the queue is listed and is never more than 2.25 × the age coefficient
// (9 by default), which lets a sorted scan stop early.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"

namespace kefu::triage {

// Every built-in term with its default coefficient, in the order explain lists them.
const std::vector<std::pair<std::string, double>>& default_coefficients();

// The cap on a built-in term's raw value, or a negative number when it has none.
double raw_cap(std::string_view term);

// True for the terms the engine computes itself (category_*, vip, repeat, difficulty,
// goods_*, age): rules may not add to them.
bool is_computed_term(std::string_view term);

// True when `name` can name a term: lower-case ASCII letters, digits and '_', starting with
// a letter (so that it can be written as a bare key in config.toml).
bool is_valid_term_name(std::string_view name);

// "category_refund" for Category::Refund.
std::string category_term(Category c);

struct Levels {
    double urgent = 12;
    double high = 8;
    double normal = 3;
};

// "urgent", "high", "normal" or "low".
std::string_view level_name(double total, const Levels& levels);

// The largest raw value of the age term: the SLA fraction is capped at k_age_fraction_cap.
inline constexpr double k_age_fraction_cap = 1.5;
inline constexpr double k_age_raw_max = k_age_fraction_cap * k_age_fraction_cap;

// The raw age term: (elapsed / sla)² with the fraction capped at k_age_fraction_cap; 0 for a
// negative elapsed time. Rises slowly at first and steeply as the SLA approaches.
double age_raw(int64_t elapsed_seconds, int64_t sla_seconds);

}  // namespace kefu::triage
