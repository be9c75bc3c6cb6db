#pragma once
// Privacy requests, done to the whole database at once:
//  - purge: delete one buyer and everything about them (identities, inquiries with the seller's
//    mails in their threads, replies, follow-ups, tags, events, full-text index entries);
//  - forget: keep their inquiries for the statistics but replace their name, contacts and the
//    personal data inside every text about them (redact.h) with placeholders;
//  - redact: the same masking of personal data inside texts older than a cutoff, for everyone.
// Each runs in one write transaction; the full-text index (external content) is told the old
// text with its 'delete' command before a row is deleted or changed. Afterwards scrub() makes
// sure the old bytes are gone from the file: secure_delete, an FTS 'optimize' (which drops the
// deleted entries from the index segments), a WAL checkpoint and VACUUM.

#include <cstdint>
#include <string>

#include "core/model.h"
#include "core/store/store.h"

namespace kefu::privacy {

// Rows about one buyer: what purge deletes (or deleted), and what forget rewrites.
struct Footprint {
    int64_t customer_id = 0;
    std::string name;
    int64_t identities = 0;
    int64_t inquiries = 0;  // the buyer's, plus seller mails in their threads
    int64_t replies = 0;
    int64_t followups = 0;
    int64_t tags = 0;
    int64_t events = 0;
};

Footprint footprint(Store& store, int64_t customer_id);

// Deletes the buyer. Throws kefu::Error when there is no such customer.
Footprint purge_customer(Store& store, int64_t customer_id);

struct ForgetResult {
    Footprint rows;
    int64_t texts_changed = 0;  // inquiries, replies, notes and events whose text changed
    int64_t replacements = 0;   // placeholders put in
};

// Anonymizes the buyer; `now` dates the "forget" event. Throws kefu::Error when there is no
// such customer.
ForgetResult forget_customer(Store& store, int64_t customer_id, TimePoint now);

struct RedactResult {
    int64_t inquiries = 0;      // inquiries older than the cutoff, looked at
    int64_t texts_changed = 0;  // inquiries, replies, follow-up notes and events changed
    int64_t replacements = 0;
};

// Masks personal data in texts from before `cutoff`: inquiries received, replies sent,
// follow-ups created and events recorded before it. Contacts and names of customers stay
// (the buyer must still be recognised); names are masked inside the texts. With `dry_run`
// nothing is written and the counts say what would change.
RedactResult redact_older_than(Store& store, TimePoint cutoff, bool dry_run);

// Removes deleted content from the database file (see above). Returns false when another
// connection kept the WAL from being checkpointed completely; the old text may then still be
// in the -wal file until the next checkpoint. Must run outside any transaction.
bool scrub(Store& store);

}  // namespace kefu::privacy
