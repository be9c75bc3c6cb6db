#pragma once
// Likely duplicate customers: two customer records that are probably one buyer. They are
// only suggested, never merged: the seller decides with `kefu customer merge`.
//
// Evidence, with its weight in the score:
//   same phone  3  a phone number (or email) that is an identity of one customer appears as
//                  the contact of, or inside the text of, the other's inquiries
//   same order  3  both have inquiries about the same order id (5 characters or more)
//   same name   1  the same name (NFKC, case-folded) on channels they do not share, unless
//                  both have phone numbers (identities or numbers they wrote) and none in
//                  common: two buyers with one common name and two phones are two people
// Every pair with some evidence is suggested, the strongest first. Names shared by more than
// k_max_name_group customers are too common to mean anything and are not compared.

#include <cstdint>
#include <string>
#include <vector>

#include "core/store/store.h"

namespace kefu::customers {

inline constexpr size_t k_max_name_group = 20;

struct Candidate {
    int64_t a = 0;  // the smaller id
    int64_t b = 0;
    std::string name_a;
    std::string name_b;
    int score = 0;
    std::vector<std::string> reasons;  // "same phone 138****5678", "same order 3412…"
};

// Every candidate pair, highest score first, then by ids. Contacts in reasons are masked
// unless `mask` is false.
std::vector<Candidate> duplicate_candidates(Store& store, bool mask = true);

}  // namespace kefu::customers
