# A seller's day driven by KEFU_NOW: a follow-up comes back from `kefu due` when promised
# and not before, goes when done; a snooze --or-reply ends when the buyer writes again; SLA
# breaches appear when their time passes; cron's --exit-code and --mark-notified.
. "$(dirname "$0")/lib/common.sh"

at() { export KEFU_NOW="$1"; }

at "2026-11-15 12:00"
kefu 0 import "$SAMPLES/inquiries.csv"
# The sample's threads have waited for days: each one whose first message came more than
# 24 h ago is past its first-response SLA, one line per thread.
kefu 0 due
late=$(sql "select count(*) from (select thread_id from inquiry group by thread_id
            having min(received_at) <= cast(strftime('%s', '2026-11-14 04:00') as integer))")
same "$(grep -c 'SLA first reply' "$T/out")" "$late" "one line per late thread"
[ "$(wc -l <"$T/out")" -gt 30 ] || fail "the sample should be mostly late"
# The seller answers them all, in one scripted batch.
kefu 0 list --limit 0 --format tsv
cut -f1 "$T/out" > "$T/ids"
run 0 sh -c "\"\$KEFU\" status - waiting < \"$T/ids\""
same "$(sql "select count(*) from inquiry where status = 2")" 66 "all waiting"
same "$(sql "select count(*) from inquiry where first_response_at is null")" 0 "responses recorded"

# Nothing is due: no output at all, exit 0, also with --exit-code.
kefu 0 due
expect_out </dev/null
expect_err </dev/null
kefu 0 due --exit-code
expect_out </dev/null

# "I'll check with the courier tomorrow."
kefu 0 followup 3 --in 1d --note "ask the courier about the parcel"
expect_out <<'OUT'
#3  follow-up #1 due 2026-11-16 12:00 (in 1d)
OUT
at "2026-11-16 11:59"
kefu 0 due --exit-code
expect_out </dev/null
at "2026-11-16 10:30"
kefu 0 due --within 2h
expect_out <<'OUT'
ID  WHAT       DUE          LATE       CUSTOMER       NOTE
 3  follow-up  11-16 12:00  in 1h 30m  Michael Brown  ask the courier about the parcel
OUT
at "2026-11-16 12:00"
kefu 3 due --exit-code
expect_out <<'OUT'
ID  WHAT       DUE          LATE  CUSTOMER       NOTE
 3  follow-up  11-16 12:00  now   Michael Brown  ask the courier about the parcel
OUT
at "2026-11-16 12:05"
kefu 0 due --format json
python3 - "$T/out" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))
assert len(items) == 1, items
d = items[0]
assert list(d)[:6] == ["id", "kind", "due_at", "late_by", "customer", "note"], list(d)
assert d["id"] == 3 and d["kind"] == "followup", d
assert d["due_at"] == "2026-11-16T12:00:00+08:00", d
assert d["late_by"] == 300, d
assert d["customer"] == "Michael Brown" and d["note"] == "ask the courier about the parcel", d
assert d["followup_id"] == 1 and d["thread_id"] == 3, d
PY
kefu 0 followup list
contains out "Michael Brown"
contains out "5m late"

# Cron with --mark-notified: once, then silent until something changes.
kefu 0 due --mark-notified
contains out "ask the courier"
at "2026-11-16 12:06"
kefu 0 due --mark-notified --exit-code
expect_out </dev/null
kefu 3 due --exit-code
contains out "ask the courier"

# Done: silent again.
kefu 0 done 3
expect_out <<'OUT'
#3  follow-up #1 done (was due 2026-11-16 12:00)
OUT
kefu 0 due --exit-code
expect_out </dev/null
kefu 0 done 3
contains err "#3 has no open follow-up"

# Snooze --or-reply: David Miller's return (thread 53) is hidden for three days, or until he
# writes again.
kefu 0 snooze 56 --until 3d --or-reply
expect_out <<'OUT'
#56  snoozed until 2026-11-19 12:06 (in 3d), or until the buyer writes
OUT
same "$(sql "select count(*) from inquiry where thread_id = 53 and snooze_or_reply = 1")" 2 \
    "the snooze is the thread's"
kefu 0 list --status waiting --limit 0 --format tsv
cut -f1 "$T/out" | grep -qx 56 && fail "a snoozed thread is listed"
cat > "$T/more.csv" <<'CSV'
id,received,channel,customer,contact,order_id,product,goods_kind,subject,message
Q2001,2026-11-16 13:00,ebay,David Miller,dmiller_tx,17-13890-55217,iPhone 12,,,Label sent yet?
Q2002,2026-11-16 13:30,taobao,新买家,newbuyer_01,,,,,请问这个有现货吗
CSV
at "2026-11-16 13:40"
kefu 0 import "$T/more.csv"
same "$(sql "select count(*) from inquiry where thread_id = 53 and snooze_until is not null")" 0 \
    "the buyer's message ended the snooze"
same "$(sql "select status from inquiry where thread_id = 53 and is_head = 1")" 1 "reopened"
kefu 0 list --limit 0 --format tsv
cut -f1 "$T/out" | grep -qx 67 || fail "the thread is back in the queue"
kefu 0 log 56
contains out "snooze    snoozed until 2026-11-19 12:06 +08:00, or until the buyer writes"
contains out "snooze ended: the buyer wrote again"
kefu 0 due
expect_out </dev/null

# SLA: the new buyer's first response is due 24 h after 13:30; David Miller's next answer
# 24 h after 13:00 (both the defaults).
at "2026-11-17 12:59"
kefu 0 due
expect_out </dev/null
at "2026-11-17 13:00"
kefu 3 due --exit-code
expect_out <<'OUT'
ID  WHAT            DUE          LATE  CUSTOMER      NOTE
67  SLA next reply  11-17 13:00  now   David Miller  the buyer wrote again (SLA 1d)
OUT
at "2026-11-17 14:00"
kefu 0 due --format tsv
cut -f1-5 "$T/out" > "$T/cols"
expect_out_of() { diff -u - "$T/$1" >"$T/diff" || { fail "$1 differs"; cat "$T/diff" >&2; }; }
expect_out_of cols <<'OUT'
id	kind	due_at	late_by	customer
67	followup_response	2026-11-17T13:00:00+08:00	3600	David Miller
68	first_response	2026-11-17T13:30:00+08:00	1800	新买家
OUT
contains out "no reply yet (SLA 1d"
# Configured limits apply: an 8 h first response makes the new buyer's breach earlier.
mkdir -p "$XDG_CONFIG_HOME/kefu"
printf '[sla]\nfirst_response = "8h"\n' > "$XDG_CONFIG_HOME/kefu/config.toml"
at "2026-11-16 21:30"
kefu 0 due --format jsonl
got=$(python3 -c 'import json, sys
print([(d["id"], d["kind"], d["late_by"]) for d in map(json.loads, open(sys.argv[1]))])' "$T/out")
same "$got" "[(68, 'first_response', 0)]" "8 h first response"
rm "$XDG_CONFIG_HOME/kefu/config.toml"
# Answering stops the clock.
at "2026-11-17 14:05"
kefu 0 status 67 68 waiting
kefu 0 due
expect_out </dev/null

# A snooze that ends is itself due.
kefu 0 snooze 3 --until "2026-11-17 15:00"
at "2026-11-17 15:10"
kefu 0 due --format tsv
same "$(cut -f1,2 "$T/out" | tail -n +2)" "$(printf '3\tsnooze')" "ended snooze"
