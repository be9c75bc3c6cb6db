-- kefu's database schema, as numbered steps.
--
-- Each "-- step N: title" line starts step N; the store runs every step above the file's
-- PRAGMA user_version, each in one BEGIN IMMEDIATE … COMMIT together with
-- PRAGMA user_version = N. Steps are only ever appended: never edit one that has shipped.
-- PRAGMA application_id is set by the store (0x6B656675, "kefu") so that a foreign SQLite
-- file is refused.
--
-- Conventions: times are INTEGER seconds since the Unix epoch, UTC. Enums are INTEGERs whose
-- values are defined in core/model.h (Status, Category, GoodsKind, IdentityKind) and never
-- reused. Text is always valid UTF-8. Derived data (tags from rules, priority, language, the
-- full-text index) can be recomputed from the canonical columns by `kefu retag`.

-- step 1: inquiries, customers, identities, imports, events, tags, follow-ups, replies

-- One buyer, across channels.
CREATE TABLE customer (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL DEFAULT '',      -- display name, used whole (never split)
    salutation  TEXT NOT NULL DEFAULT '',      -- e.g. 张先生, Ms. Smith; used by replies
    vip         INTEGER NOT NULL DEFAULT 0,    -- 0/1
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

-- Ways to recognise a buyer: normalized email (lower case), phone (digits, no country
-- prefix for +86) or marketplace handle (per channel). The same identity is one customer.
CREATE TABLE identity (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
    kind        INTEGER NOT NULL,              -- IdentityKind: 1 email, 2 phone, 3 handle
    channel     TEXT NOT NULL DEFAULT '',      -- for handles: the marketplace; else ''
    value       TEXT NOT NULL,                 -- normalized
    display     TEXT NOT NULL DEFAULT '',      -- as first seen
    UNIQUE (kind, channel, value)
);
CREATE INDEX identity_customer ON identity(customer_id);

-- Each file (or stdin) imported: what came in and what became of it.
CREATE TABLE import (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,                -- path as given, or '-'
    kind         TEXT NOT NULL,                -- csv, mbox, maildir, eml
    content_hash TEXT NOT NULL DEFAULT '',     -- XXH3-128 of the bytes, hex
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,                      -- NULL while running or when interrupted
    n_new        INTEGER NOT NULL DEFAULT 0,
    n_duplicate  INTEGER NOT NULL DEFAULT 0,
    n_rejected   INTEGER NOT NULL DEFAULT 0,
    n_flagged    INTEGER NOT NULL DEFAULT 0,   -- imported with replacement characters
    rejects_path TEXT NOT NULL DEFAULT ''
);

-- One message from a buyer (or, flagged, from the seller in a mail thread).
CREATE TABLE inquiry (
    id               INTEGER PRIMARY KEY,
    import_id        INTEGER REFERENCES import(id) ON DELETE SET NULL,
    source           TEXT NOT NULL,            -- "file.csv:17", "mbox:offset" or Message-ID
    external_id      TEXT NOT NULL DEFAULT '', -- id column of the export, or Message-ID
    dedupe_key       INTEGER NOT NULL UNIQUE,  -- identity of the record (see inquiry_writer.h)
    received_at      INTEGER NOT NULL,
    channel          TEXT NOT NULL DEFAULT '',
    customer_id      INTEGER REFERENCES customer(id) ON DELETE CASCADE,
    contact          TEXT NOT NULL DEFAULT '', -- email/phone/handle as given in the record
    order_id         TEXT NOT NULL DEFAULT '',
    product          TEXT NOT NULL DEFAULT '',
    goods_kind       INTEGER NOT NULL DEFAULT 0,
    subject          TEXT NOT NULL DEFAULT '',
    thread_subject   TEXT NOT NULL DEFAULT '', -- mail: subject without Re:/回复: chains
    body             TEXT NOT NULL,
    body_full        TEXT NOT NULL DEFAULT '', -- mail: whole decoded text before quotes were cut
    mail_to          TEXT NOT NULL DEFAULT '',
    attachments      TEXT NOT NULL DEFAULT '', -- JSON array of {name, size}; never content
    thread_id        INTEGER NOT NULL DEFAULT 0, -- id of the thread's first inquiry
    is_head          INTEGER NOT NULL DEFAULT 1, -- 1 for the latest message of its thread
    status           INTEGER NOT NULL DEFAULT 0, -- Status
    category         INTEGER NOT NULL DEFAULT 0, -- Category
    priority_static  REAL NOT NULL DEFAULT 0,    -- stored part of the priority
    triage           TEXT NOT NULL DEFAULT '',   -- JSON: captured values (core/store/captures.h)
    language         TEXT NOT NULL DEFAULT '',
    flags            INTEGER NOT NULL DEFAULT 0, -- InquiryFlag bits
    snooze_until     INTEGER,
    snooze_or_reply  INTEGER NOT NULL DEFAULT 0,
    first_response_at INTEGER,
    resolved_at      INTEGER,
    updated_at       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inquiry_customer ON inquiry(customer_id, channel, received_at);
CREATE INDEX inquiry_thread ON inquiry(thread_id, received_at);
-- The queue: active threads (new, open, waiting) in priority order, read until enough. The
-- status, first response and flags make it cover the report's backlog too (no row is read).
CREATE INDEX inquiry_queue
    ON inquiry(priority_static DESC, received_at, status, first_response_at, flags)
    WHERE is_head = 1 AND status < 3;

-- For kefu due, run by cron every minute: it reads only what is due, never every inquiry.
-- Messages the seller has not answered yet in threads that wait for the seller (new, open):
-- the first-response and follow-up-response SLAs are found by a range on received_at over
-- these. first_response_at is set on each message of a thread when the seller first
-- answers after it (core/workflow/status.h, record_response). thread_id and flags are in
-- the index so that `kefu due` finds the threads without reading the rows.
CREATE INDEX inquiry_unanswered ON inquiry(received_at, thread_id, flags)
    WHERE first_response_at IS NULL AND status < 2;
-- Snoozed threads (the snooze is kept on every message; the latest one is read), by the end
-- of their snooze: `kefu due` lists the snoozes that ended since its last run.
CREATE INDEX inquiry_snooze ON inquiry(snooze_until)
    WHERE snooze_until IS NOT NULL AND is_head = 1;

-- For kefu report, which must answer in well under a second on a million inquiries: these
-- let every figure of a period be counted from index entries instead of table rows (measured: about
-- half the time of the report). They cost an import a few per cent.
-- The messages of a period with what the volume figures group by: read from the index alone.
CREATE INDEX inquiry_period
    ON inquiry(received_at, customer_id, category, channel, thread_id, flags);
-- The first message of each of a buyer's conversations (seller mails left out): a buyer's
-- conversations up to a time are counted from this index alone, so that repeat buyers are
-- found without reading every message of every buyer of the period. thread_id and flags are
-- in the index only so that SQLite can check the WHERE without reading the row.
CREATE INDEX inquiry_thread_start ON inquiry(customer_id, received_at, thread_id, flags)
    WHERE id = thread_id AND flags & 2 = 0;

-- The Message-IDs a mail refers to (its In-Reply-To and References), by their dedupe key, so
-- that a message arriving after its replies (or sharing a missing parent with them) is put in
-- their thread.
CREATE TABLE mail_ref (
    ref_key     INTEGER NOT NULL,
    inquiry_id  INTEGER NOT NULL REFERENCES inquiry(id) ON DELETE CASCADE,
    PRIMARY KEY (ref_key, inquiry_id)
) WITHOUT ROWID;

-- Tags of an inquiry. source: 0 set by a rule (recomputed by retag), 1 added by hand,
-- 2 removed by hand (keeps a rule from adding it back).
CREATE TABLE tag (
    inquiry_id  INTEGER NOT NULL REFERENCES inquiry(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    source      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (inquiry_id, name)
) WITHOUT ROWID;
CREATE INDEX tag_name ON tag(name, inquiry_id);

-- Append-only history of every change to an inquiry. Imports are recorded in `import`
-- and shown by `kefu log` from inquiry.import_id, not as one event per row.
CREATE TABLE event (
    id          INTEGER PRIMARY KEY,
    inquiry_id  INTEGER REFERENCES inquiry(id) ON DELETE CASCADE,
    customer_id INTEGER REFERENCES customer(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,                 -- status, note, tag, reply, followup, merge, …
    detail      TEXT NOT NULL DEFAULT ''       -- human-readable, or JSON for structured kinds
);
CREATE INDEX event_inquiry ON event(inquiry_id, at);
CREATE INDEX event_customer ON event(customer_id, at);

-- A promise to come back to an inquiry.
CREATE TABLE followup (
    id           INTEGER PRIMARY KEY,
    inquiry_id   INTEGER NOT NULL REFERENCES inquiry(id) ON DELETE CASCADE,
    due_at       INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    done_at      INTEGER,
    notified_at  INTEGER                       -- last time `due --mark-notified` showed it
);
CREATE INDEX followup_open ON followup(due_at) WHERE done_at IS NULL;
CREATE INDEX followup_inquiry ON followup(inquiry_id);

-- A reply sent to an inquiry: rendered from a template by `kefu reply`, or a seller's mail.
CREATE TABLE reply (
    id          INTEGER PRIMARY KEY,
    inquiry_id  INTEGER NOT NULL REFERENCES inquiry(id) ON DELETE CASCADE,
    template_id TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    source      TEXT NOT NULL DEFAULT 'kefu'   -- kefu (rendered here) or mail (imported)
);
CREATE INDEX reply_inquiry ON reply(inquiry_id);
CREATE INDEX reply_template ON reply(template_id);
-- Replies by time, with the template: the templates of a period are counted from this index
-- alone instead of from every reply ever recorded.
CREATE INDEX reply_sent ON reply(sent_at, template_id);

-- Which items `kefu due --mark-notified` has shown, so that cron does not repeat them
-- until they change. key: "followup:ID", "sla:ID", "snooze:ID"; stamp: what it was about.
CREATE TABLE notified (
    key         TEXT PRIMARY KEY,
    stamp       INTEGER NOT NULL,
    at          INTEGER NOT NULL
) WITHOUT ROWID;

-- Full-text index over subject and body (external content: the text lives in inquiry).
-- Tokenizer "kefu": Latin words case-folded, CJK runs as overlapping character bigrams plus
-- the run's last character, so that any substring of two or more CJK characters is a phrase
-- of bigrams and one character is a prefix query (core/store/fts.cpp).
CREATE VIRTUAL TABLE inquiry_fts USING fts5(
    subject, body, content='inquiry', content_rowid='id', tokenize='kefu'
);

-- step 2: kefu report reads the conversations from one index

-- The first message of each conversation (seller mails left out), by the time it was
-- received, with what kefu report needs of it: the response and resolution times and SLA
-- breaches of the conversations of a period, and each buyer's conversations up to its end
-- (repeat buyers), are counted from this index alone. thread_id and flags are in it only so
-- that SQLite takes it as covering the WHERE. It replaces inquiry_thread_start, which only
-- the report read.
CREATE INDEX inquiry_start
    ON inquiry(received_at, customer_id, status, first_response_at, resolved_at, thread_id, flags)
    WHERE id = thread_id AND flags & 2 = 0;
DROP INDEX IF EXISTS inquiry_thread_start;

-- step 3: each reply keeps what kefu suggest needs of the inquiry it answered

-- kefu suggest weighs the seller's latest replies by how similar the inquiries they answered
-- are to the one at hand. Reading those inquiries meant a few hundred pages from all over the
-- file and tokenizing their texts on every run; a reply recorded by kefu reply now keeps the
-- category its inquiry had then and the counts of the inquiry's tokens (the format is in
-- core/replies/history.h). terms is NULL where it is not known: replies recorded before this
-- step, replies imported from mail, and replies whose inquiry's text kefu forget or redact
-- rewrote (the counts would still say what the text said). kefu suggest reads the inquiry's
-- text for those.
ALTER TABLE reply ADD COLUMN category INTEGER NOT NULL DEFAULT 0; -- Category of the inquiry
ALTER TABLE reply ADD COLUMN terms BLOB;
UPDATE reply SET category = (SELECT i.category FROM inquiry i WHERE i.id = reply.inquiry_id);
