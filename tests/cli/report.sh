# kefu report on the sample data (KEFU_NOW fixed): figures checked against values worked out
# by hand from data/samples/inquiries.csv, the terminal layout at 80 columns, JSON, errors.
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
# Answers and resolutions as `kefu reply` / `kefu status` record them (on every message of the
# thread): the conversations of Q1001, Q1003, Q1004, Q1006 and Q1007 were first answered 1h,
# 2h, 5h, 26h and 49h after their first message; Q1003's was resolved after 10h, Q1008's
# after 30h.
answer() {  # answer EXTERNAL_ID SECONDS
    sqlite3 "$KEFU_DB" "UPDATE inquiry SET first_response_at = (SELECT received_at FROM inquiry WHERE external_id = '$1') + $2
                        WHERE thread_id = (SELECT thread_id FROM inquiry WHERE external_id = '$1')"
}
answer Q1001 3600
answer Q1003 7200
answer Q1004 18000
answer Q1006 93600
answer Q1007 176400
sqlite3 "$KEFU_DB" "UPDATE inquiry SET status = 3, resolved_at = received_at + 36000 WHERE external_id = 'Q1003';
                    UPDATE inquiry SET status = 3, resolved_at = received_at + 108000 WHERE external_id = 'Q1008';
                    INSERT INTO reply(inquiry_id, template_id, text, sent_at) VALUES
                      (1, 'refund_ack', 'ok', strftime('%s', '2026-11-10')), (3, 'refund_ack', 'ok', strftime('%s', '2026-11-10')),
                      (4, 'size_help', 'ok', strftime('%s', '2026-11-11')), (5, '', 'mail', strftime('%s', '2026-11-11'))"
for id in Q1001 Q1003 Q1004 Q1006 Q1007 Q1008; do
    same "$(sql "SELECT id = thread_id FROM inquiry WHERE external_id = '$id'")" 1 "$id starts a conversation"
done
threads=$(sql "SELECT count(*) FROM inquiry WHERE id = thread_id")
# Unanswered conversations older than a day (the SLA) at 2026-11-15 12:00 +08:00.
waiting=$(sql "SELECT count(*) FROM inquiry WHERE id = thread_id AND first_response_at IS NULL
               AND status < 3 AND received_at < strftime('%s', '2026-11-14 04:00')")

kefu 0 report --format json
python3 - "$T/out" "$threads" "$waiting" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
threads, waiting = int(sys.argv[2]), int(sys.argv[3])
t = r["totals"]
assert (t["inquiries"], t["customers"], t["replies"]) == (66, 17, 4), t
assert t["threads"] == threads, (t, threads)
# Counted by hand from the channel column.
assert r["volume"]["by_channel"] == {"taobao": 14, "pinduoduo": 13, "xianyu": 11, "ebay": 8, "email": 8,
                                     "wechat": 5, "etsy": 4, "vinted": 3}, r["volume"]["by_channel"]
days = [(d["date"], d["total"]) for d in r["volume"]["by_day"]]
assert days == [("2026-10-29", 2), ("2026-10-30", 3), ("2026-10-31", 3), ("2026-11-01", 4), ("2026-11-02", 5),
                ("2026-11-03", 6), ("2026-11-04", 10), ("2026-11-05", 3), ("2026-11-06", 5), ("2026-11-07", 4),
                ("2026-11-08", 5), ("2026-11-09", 4), ("2026-11-10", 5), ("2026-11-11", 2), ("2026-11-12", 1),
                ("2026-11-13", 2), ("2026-11-14", 2), ("2026-11-15", 0)], days
# 1h 2h 5h 26h 49h: nearest rank, median = 3rd = 5h, 90th = 5th = 49h.
f = r["first_response"]
assert (f["count"], f["median_seconds"], f["p90_seconds"]) == (5, 18000, 176400), f
assert [b["count"] for b in f["histogram"]] == [0, 2, 1, 0, 1, 1, 0], f["histogram"]
assert f["unanswered"] == threads - 5
res = r["resolution"]
assert (res["count"], res["median_seconds"], res["p90_seconds"]) == (2, 36000, 108000), res
sla = r["sla"]
assert (sla["answered_late"], sla["met"], sla["waiting_past_sla"]) == (2, 3, waiting), (sla, waiting)
assert sla["breached"] == 2 + waiting
b = r["backlog"]
assert b["total"] == threads - 2 and b["by_status"] == {"new": threads - 2, "open": 0, "waiting": 0}, b
assert r["templates"] == [{"template": "refund_ack", "count": 2}, {"template": "size_help", "count": 1}]
assert r["repeat_customers"]["of"] == 17
assert r["period"]["since"] == "2026-10-16T12:00:00+08:00", r["period"]
PY

# A period of one day: 2026-11-04 had ten messages.
kefu 0 report --since 2026-11-04 --until "2026-11-04 23:59:59" --format jsonl
same "$(wc -l <"$T/out")" 1 "jsonl is one line"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["totals"]["inquiries"] == 10, r["totals"]' "$T/out"

# The terminal report: every line fits 80 columns (CJK counted as two).
COLUMNS=80 kefu 0 report
contains out "kefu report: 2026-10-16 12:00 → 2026-11-15 12:00 (30 days)"
contains out "66 messages in $threads new conversations"
contains out "  taobao     "
contains out "  first response                5         5h      2d 1h"
contains out "  $((2 + waiting)) breached (2 answered late, $waiting still waiting), 3 met"
python3 - "$T/out" <<'PY'
import sys, unicodedata
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    assert width < 80, (width, line)
PY
grep -q "█" "$T/out" || fail "no bars drawn"

kefu 2 report --format tsv
contains err "a report is printed as table, json or jsonl"
kefu 2 report --since yesterdayish
contains err "bad --since"
kefu 2 report --since 2026-11-10 --until 2026-11-01
contains err "empty period"
