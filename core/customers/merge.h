#pragma once
// Merging two customers who are one buyer (the same person wrote from a marketplace handle
// and from a mailbox). Everything of the absorbed customer moves to the kept one: inquiries,
// identities and events; the kept customer takes the absorbed one's name, salutation and note
// where its own are empty, and is VIP when either was. The absorbed customer row is deleted.
// A "merge" event on the kept customer records what moved (detail: JSON, see MergePlan).

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu::customers {

// What a merge moves (or, with dry_run, would move).
struct MergePlan {
    int64_t keep = 0;
    int64_t absorb = 0;
    std::string keep_name;
    std::string absorb_name;
    std::vector<int64_t> inquiries;       // ids of the absorbed customer's inquiries
    std::vector<std::string> identities;  // "email: a@b.c", "handle (taobao): x", …
    int64_t events = 0;                   // events recorded against the absorbed customer
    bool vip_after = false;
    std::string name_after;
    std::vector<int64_t>
        rescore;  // active inquiries of the merged customer (see on_customer_changed)
};

// Plans the merge of `absorb` into `keep` and, unless `dry_run`, carries it out in one write
// transaction and calls on_customer_changed for the kept customer. Throws kefu::Error when
// either customer does not exist, or when both are the same customer.
MergePlan merge_customers(Store& store, int64_t keep, int64_t absorb, TimePoint now, bool dry_run);

}  // namespace kefu::customers
