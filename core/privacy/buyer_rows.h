#pragma once
// Internals shared by purge.cpp and forget.cpp: which inquiry rows belong to a buyer, and the
// full-text index maintenance for rows whose text changes. Not a public interface.

#include <cstdint>
#include <string>

#include "core/privacy/purge.h"
#include "core/store/store.h"

namespace kefu::privacy::detail {

// Fills the temporary table temp.buyer_rows(id) with the inquiries of `customer_id` and the
// seller mails in their threads (they quote and address the buyer). Replaces what an earlier
// call left there.
void collect_buyer_rows(Store& store, int64_t customer_id);

// Counts the rows of the buyer; temp.buyer_rows must be filled. Throws kefu::Error when there
// is no such customer.
Footprint count_buyer(Store& store, int64_t customer_id);

// Takes an inquiry's old subject and body out of the full-text index.
void fts_remove(Store& store, int64_t id, const std::string& subject, const std::string& body);
// Puts an inquiry's subject and body into the full-text index.
void fts_add(Store& store, int64_t id, const std::string& subject, const std::string& body);

}  // namespace kefu::privacy::detail
