#pragma once
// Buyers as a seller sees them: the list of customers with their activity, one customer whole
// (identities, inquiries, replies, follow-ups), the VIP flag, and the hook that tells triage a
// customer's priorities are stale. Merging lives in merge.h, duplicate candidates in
// candidates.h. Everything reads and writes through bound parameters only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu::customers {

enum class ListSort { Last, Inquiries };

struct ListFilter {
    bool vip_only = false;
    ListSort sort = ListSort::Last;
    size_t limit = 50;  // 0 = all
};

// One row of `kefu customer list`. Seller mails (inquiry flag from_seller) are not counted.
struct CustomerRow {
    int64_t id = 0;
    std::string name;
    bool vip = false;
    int64_t inquiries = 0;        // buyer messages
    int64_t threads = 0;          // conversations
    int64_t open_threads = 0;     // new, open or waiting
    TimePoint first_contact = 0;  // 0 when the customer has no inquiry
    TimePoint last_contact = 0;
    std::string contact;                // the first identity (email, else phone, else handle), raw
    std::vector<std::string> channels;  // sorted
};

struct ListPage {
    std::vector<CustomerRow> rows;
    bool more = false;
};

ListPage list_customers(Store& store, const ListFilter& filter);

// The customer meant by `who` (id, email, phone, handle or name, as core/queue.h
// find_customers reads it). Throws kefu::Error when nobody matches, and when several do
// (naming them, so that the user can give the id).
int64_t resolve_customer(Store& store, const std::string& who);

struct IdentityRow {
    int64_t id = 0;
    IdentityKind kind = IdentityKind::Handle;
    std::string channel;
    std::string value;    // normalized
    std::string display;  // as first seen
};

struct InquiryRow {
    int64_t id = 0;
    int64_t thread_id = 0;
    TimePoint received_at = 0;
    std::string channel;
    Status status = Status::New;
    Category category = Category::Other;
    std::string subject;
    std::string body;
    int64_t replies = 0;  // replies recorded against this message
};

struct FollowupRow {
    int64_t id = 0;
    int64_t inquiry_id = 0;
    TimePoint due_at = 0;
    std::string note;
};

// One customer whole, for `kefu customer show`.
struct CustomerDetail {
    int64_t id = 0;
    std::string name;
    std::string salutation;
    std::string note;
    bool vip = false;
    TimePoint created_at = 0;
    TimePoint first_contact = 0;
    TimePoint last_contact = 0;
    int64_t threads = 0;
    int64_t open_threads = 0;
    int64_t replies = 0;  // every reply in the customer's threads
    std::vector<IdentityRow> identities;
    std::vector<InquiryRow> inquiries;        // newest first, seller mails left out
    std::vector<FollowupRow> open_followups;  // not done, by due time
};

std::optional<CustomerDetail> customer_detail(Store& store, int64_t customer_id);

// Sets or clears the VIP flag, records a "vip" event and calls on_customer_changed, whose
// ids go to `rescore` when given. Returns false when the flag already had that value (then
// nothing is written). Runs in its own write transaction.
bool set_vip(Store& store, int64_t customer_id, bool vip, TimePoint now,
             std::vector<int64_t>* rescore = nullptr);

// The hook for everything that changes what triage knows about a buyer (VIP flag, a merge
// that makes a repeat buyer): their active inquiries carry a stored priority
// (inquiry.priority_static) that was computed with the old facts. It changes nothing and
// returns the ids of the customer's active thread heads (new, open, waiting), which are
// the inquiries to re-score (the commands retag them once the change is committed). Must be
// called inside the write transaction of the change.
std::vector<int64_t> on_customer_changed(Store& store, int64_t customer_id);

}  // namespace kefu::customers
