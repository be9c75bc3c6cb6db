# Status, notes and the history: batches from pipes, one transaction per batch, every change
# in `kefu log` with its time; bad ids, statuses and times are usage errors naming the value.
. "$(dirname "$0")/lib/common.sh"

at() { export KEFU_NOW="$1"; }

kefu 0 import "$SAMPLES/inquiries.csv"

# Thread 4 has messages 4 and 5: the status is set on both, logged once.
at "2026-11-15 12:10"
kefu 0 status 5 open --reason "checking stock"
expect_out <<'OUT'
#5  new → open
OUT
same "$(sql "select group_concat(status) from inquiry where thread_id = 4")" "1,1" "thread status"
# Several ids at once; a second message of the same thread is named, not changed twice.
at "2026-11-15 12:20"
kefu 0 status 3 4 5 6 resolved
expect_out <<'OUT'
#3  new → resolved
#4  open → resolved
#6  new → resolved
OUT
contains err "#5 is in the same conversation as #4"
same "$(sql "select count(*) from inquiry where status = 3 and resolved_at > 0")" 4 "resolved_at"
same "$(sql "select count(*) from inquiry where status = 3 and first_response_at is not null")" 4 \
    "first_response_at"
kefu 0 status 3 resolved
expect_out </dev/null
contains err "already resolved: #3"

# Unknown ids: an error naming them, and nothing changed.
before=$(sql "select group_concat(status) from inquiry")
events=$(sql "select count(*) from event")
kefu 1 status 6 9998 13 9999 closed
contains err "kefu: error: no such inquiries (#9998, #9999)"
contains err "nothing was changed"
same "$(sql "select group_concat(status) from inquiry")" "$before" "statuses untouched"
same "$(sql "select count(*) from event")" "$events" "no events"

# Ids from a pipe: the TSV of kefu list, header and all, or a cut column; blank lines skipped.
at "2026-11-15 12:30"
kefu 0 list --customer 张伟 --limit 0 --format tsv
tail -n +2 "$T/out" | cut -f1 | sort -n > "$T/want"
[ "$(wc -l <"$T/want")" -ge 2 ] || fail "张伟 should have several threads in the sample"
run 0 sh -c "\"\$KEFU\" list --customer 张伟 --limit 0 --format tsv | \"\$KEFU\" status - waiting"
same "$(sed 's/^#\([0-9]*\) .*/\1/' "$T/out" | sort -n)" "$(cat "$T/want")" "batch from a pipe"
printf 'id\n\n7\n\n8\n' > "$T/ids"
run 0 sh -c "\"\$KEFU\" status - closed < \"$T/ids\""
same "$(sql "select group_concat(distinct status) from inquiry where id in (7, 8)")" 4 "from stdin"
printf '13\nnot-an-id\n' > "$T/bad"
run 2 sh -c "\"\$KEFU\" status - closed < \"$T/bad\""
contains err 'bad id (stdin:2): "not-an-id" is not an inquiry id'
run 0 sh -c "\"\$KEFU\" status - closed < /dev/null"
contains err "nothing changed"

# Notes, follow-ups and snoozes; the log has every change with its time.
at "2026-11-15 13:00"
kefu 0 note 4 "called the buyer: wants the blue one"
contains err "note added to #4"
at "2026-11-15 13:05"
kefu 0 followup 4 --at "tomorrow 9:00" --note "ship the blue one"
at "2026-11-15 13:10"
kefu 0 status 4 open
at "2026-11-15 13:15"
kefu 0 snooze 4 --until "2026-11-15 18:00"
at "2026-11-15 13:20"
kefu 0 snooze 4 --clear
# --sort due puts the conversation with the next follow-up first and keeps all the others.
kefu 0 --format tsv list --sort due --limit 0
same "$(sed -n 2p "$T/out" | cut -f1)" "$(sql "select id from inquiry where is_head = 1 and thread_id =
    (select thread_id from inquiry where id = 4)")" "first by follow-up"
same "$(($(wc -l < "$T/out") - 1))" "$(sql "select count(*) from inquiry where is_head = 1 and status < 2")" \
    "every conversation in --sort due"
at "2026-11-16 09:30"
kefu 0 done 5
kefu 0 log 4
expect_out <<OUT
TIME              ID  KIND      DETAIL
2026-11-15 12:00  #4  imported  from $SAMPLES/inquiries.csv:8 (import #1)
2026-11-15 12:00  #5  imported  from $SAMPLES/inquiries.csv:10 (import #1)
2026-11-15 12:10  #5  status    new → open: checking stock
2026-11-15 12:20  #4  status    open → resolved
2026-11-15 13:00  #4  note      called the buyer: wants the blue one
2026-11-15 13:05  #4  followup  follow-up #1 due 2026-11-16 09:00 +08:00: ship the blue one
2026-11-15 13:10  #4  status    resolved → open
2026-11-15 13:15  #4  snooze    snoozed until 2026-11-15 18:00 +08:00
2026-11-15 13:20  #4  snooze    snooze cleared
2026-11-16 09:30  #5  followup  follow-up #1 done (was due 2026-11-16 09:00 +08:00)
OUT
kefu 0 log 5 --format jsonl
python3 - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 10, rows
assert all(list(r) == ["at", "id", "kind", "detail"] for r in rows), rows[0]
assert rows[2]["at"] == "2026-11-15T12:10:00+08:00" and rows[2]["kind"] == "status", rows[2]
PY
kefu 0 followup list --all --format json
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1 and d[0]["done_at"] == "2026-11-16T09:30:00+08:00", d' "$T/out"

# Bad input: exit 2, the message names the value.
kefu 2 followup 4 --in 2x
contains err 'bad --in: "2x" is not a duration'
kefu 2 followup 4 --at "2026-13-01 10:00"
contains err 'bad --at: "2026-13-01 10:00" is not a time'
kefu 2 followup 4 --at "2026-11-01 10:00"
contains err "in the past"
kefu 2 followup 4
contains err "give exactly one of --in DURATION or --at TIME"
kefu 2 followup 4x --in 1d
contains err 'bad id: "4x" is not an inquiry id'
kefu 2 snooze 4 --until "someday"
contains err 'bad --until: "someday" is neither a time nor a duration'
kefu 2 status 4 pending
contains err 'bad status: "pending"'
kefu 2 status 4 new
kefu 2 due --within 2x
contains err 'bad --within: "2x"'
kefu 2 note 4 "   "
contains err "empty note"
kefu 1 followup 9999 --in 1d
contains err "no such inquiry (#9999)"
kefu 1 log 9999
contains err "no such inquiry (#9999)"
lacks err "nothing was changed"
same "$(sql "select count(*) from followup")" 1 "no follow-up from a failed command"
