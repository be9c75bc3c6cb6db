# kefu list, show and search on the sample data: the table, machine formats, exact search.
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
kefu 0 list --limit 5 --sort received
head -1 "$T/out" | grep -qE '^ID +LEVEL +PRI +SLA +CATEGORY +RECEIVED +CUSTOMER +MESSAGE$' || fail "table header"
same "$(wc -l <"$T/out")" 6 "five rows and a header"
contains err "showing the first 5"
# Columns stay aligned with Chinese names: every row has its message at the same column.
awk 'NR>1 {print}' "$T/out" > "$T/rows"
while IFS= read -r line; do
    [ "$(printf '%s' "$line" | wc -L)" -le 100 ] || fail "row wider than the terminal: $line"
done < "$T/rows"

# JSON records carry the documented field names, contacts masked.
kefu 0 list --format json --limit 3 --status all
python3 - "$T/out" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 3, rows
want = ["id", "received_at", "channel", "customer", "customer_id", "contact", "order_id", "product",
        "subject", "body", "status", "category", "tags", "priority", "level", "language", "thread_id"]
for r in rows:
    assert list(r)[:len(want)] == want, list(r)
    assert isinstance(r["tags"], list)
    assert "+08:00" in r["received_at"]
PY
kefu 0 list --format jsonl --limit 0 --status all --customer 13812345678
[ -s "$T/out" ] || fail "customer by phone found nothing"
grep -q '"contact":"138\*\*\*\*5678"' "$T/out" || fail "phone not masked"
kefu 0 list --format jsonl --limit 0 --status all --customer 13812345678 --no-mask
contains out '"contact":"13812345678"'
kefu 0 list --format tsv --limit 2
same "$(head -1 "$T/out" | cut -f1-3)" "$(printf 'id\treceived_at\tchannel')" "tsv header"
kefu 0 list --format csv --limit 2
same "$(head -1 "$T/out" | cut -d, -f1-3)" "id,received_at,channel" "csv header"
kefu 0 list --customer nobody-at-all
same "$(cat "$T/out")" "" "unknown customer lists nothing"

# show: the whole inquiry, its customer and history.
kefu 0 show 1
contains out "#1"
contains out "小鹿爱购物"
contains out "Received  2026-10-29 20:13"
contains out "imported  from $SAMPLES/inquiries.csv:2 (import #1)"
kefu 0 show 2 --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))[0]; assert d["id"]==2 and len(d["thread"])>=2, d' "$T/out"
kefu 1 show 9999
contains err "kefu: error: no such inquiry (#9999)"
# show masks contacts as list does, in the text and in every format; --no-mask shows them whole.
zhang=$(sql "SELECT max(id) FROM inquiry WHERE contact = '13812345678' AND thread_id <> id")
kefu 0 show "$zhang"
contains out "Contact   138****5678"
contains out "phone: 138****5678"
lacks out "13812345678"
for f in json jsonl tsv csv; do
    kefu 0 show "$zhang" --format "$f"
    contains out "138****5678"
    lacks out "13812345678"
done
kefu 0 show "$zhang" --format json
python3 - "$T/out" <<'PY' || fail "show --format json: contacts masked"
import json, sys
d = json.load(open(sys.argv[1]))[0]
assert d["contact"] == "138****5678", d["contact"]
assert len(d["thread"]) >= 2 and all(m["contact"] == "138****5678" for m in d["thread"]), d["thread"]
PY
kefu 0 show "$zhang" --no-mask
contains out "Contact   13812345678"
contains out "phone: 13812345678"
kefu 0 show "$zhang" --format json --no-mask
contains out '"contact":"13812345678"'

# search: exactly the inquiries whose subject or body contains the query.
for q in 退款 发货 快递 没收到 退 款; do
    kefu 0 search "$q" --limit 0 --format tsv
    got=$(tail -n +2 "$T/out" | cut -f1 | sort -n | tr '\n' ' ')
    want=$(sql "select id from inquiry where (instr(lower(subject), lower('$q')) or instr(lower(body), lower('$q'))) order by id" | tr '\n' ' ')
    same "$got" "$want" "search $q"
done
kefu 0 search 退款
contains out "[退款]"
# Latin words match whole and case-insensitively.
kefu 0 search refund --format tsv --limit 0
lower=$(cut -f1 "$T/out")
kefu 0 search REFUND --format tsv --limit 0
same "$(cut -f1 "$T/out")" "$lower" "search is case-insensitive"
[ "$(echo "$lower" | wc -l)" -gt 1 ] || fail "no English match for refund"
kefu 2 search "，。！"
contains err "nothing to search for"

# The service level: past the 24 h first response the row says how late; answered is not late.
kefu 0 list --status all --format json --limit 0
python3 - "$T/out" <<'PY' || fail "sla in list --format json"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
assert rows[3]["sla"] == "breached", rows[3]
PY
kefu 0 list --limit 0 --sort received
grep -E '^ *3 .* late [0-9]' "$T/out" >/dev/null || fail "a late first response is flagged in the table"
kefu 0 show 3
contains out "first response overdue by"
kefu 0 status 3 waiting
kefu 0 show 3 --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))[0]; assert d["sla"] == "", d["sla"]' "$T/out" \
    || fail "waiting for the buyer: no SLA"
# list --tag finds a conversation by a tag of any of its messages, not only of the latest.
early=$(sql "SELECT min(id) FROM inquiry WHERE is_head = 0 AND status < 3")
kefu 0 tag "$early" +earlytag
kefu 0 --format tsv list --tag earlytag --status all
same "$(sed -n 2p "$T/out" | cut -f1)" "$(sql "SELECT id FROM inquiry WHERE is_head = 1 AND thread_id =
    (SELECT thread_id FROM inquiry WHERE id = $early)")" "list --tag of an earlier message"
# The table fits the terminal: on a narrow one the columns least needed are left out before the
# message is cut short; on a wide one every column is there.
COLUMNS=80 kefu 0 list --limit 0
python3 - "$T/out" <<'PY' || fail "a row wider than 80 columns"
import sys, unicodedata
for line in open(sys.argv[1], encoding="utf-8"):
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line.rstrip("\n"))
    assert w <= 80, (w, line)
PY
head -1 "$T/out" | grep -qE '^ID +PRI +SLA +CATEGORY +RECEIVED +CUSTOMER +MESSAGE$' || fail "80-column header"
COLUMNS=140 kefu 0 list --limit 3
head -1 "$T/out" | grep -qE '^ID +LEVEL +PRI +STATUS +SLA +CATEGORY +RECEIVED +CUSTOMER +CHANNEL +MESSAGE$' ||
    fail "140-column header"
# --until a date takes in the whole of that day (Q1062 came on 2026-11-12 at 19:20).
kefu 0 --format tsv list --status all --since 2026-11-12 --until 2026-11-12 --limit 0
contains out "退款申请你们同意了没"
kefu 0 --format tsv list --status all --since 2026-11-12 --until "2026-11-12 19:00" --limit 0
lacks out "退款申请你们同意了没"
