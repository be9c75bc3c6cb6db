# kefu export: the round trip through an empty database, --excel's BOM and CRLF, masking,
# JSON/JSONL and filters.
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
canonical="SELECT i.external_id, i.received_at, i.channel, c.name, i.contact, i.order_id, i.product,
           i.goods_kind, i.subject, i.body FROM inquiry i LEFT JOIN customer c ON c.id = i.customer_id
           ORDER BY i.external_id"

# Round trip: export with contacts, import into an empty database, the same inquiries.
kefu 0 export --no-mask -o "$T/all.csv"
contains err "66 inquiries written to $T/all.csv"
same "$(stat -c %a "$T/all.csv")" 600 "the export holds buyers' messages: private file"
head -1 "$T/all.csv" | grep -q '^id,received_at,channel,customer,contact,order_id,product,goods_kind,subject,body,' ||
    fail "export header"
KEFU_DB="$T/copy.db" kefu 0 import "$T/all.csv"
contains out "66 new, 0 duplicate, 0 rejected"
sqlite3 -readonly "$KEFU_DB" "$canonical" >"$T/original.txt"
sqlite3 -readonly "$T/copy.db" "$canonical" >"$T/copy.txt"
[ "$(wc -l <"$T/original.txt")" -ge 66 ] || fail "nothing to compare"
diff -u "$T/original.txt" "$T/copy.txt" >&2 || fail "the round trip changed inquiries"
# The id column dedupes: importing again, or into the original, adds nothing.
KEFU_DB="$T/copy.db" kefu 0 import "$T/all.csv"
contains out "0 new, 66 duplicate"
kefu 0 import "$T/all.csv"
contains out "0 new, 66 duplicate"

# --excel: UTF-8 with a BOM, CRLF after every record (67 with the header), and it imports.
kefu 0 export --excel --no-mask
same "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" "efbbbf" "BOM"
same "$(grep -c $'\r$' "$T/out")" 67 "CRLF line ends"
same "$(tail -c 2 "$T/out" | od -An -tx1 | tr -d ' ')" "0d0a" "last record ends in CRLF"
cp "$T/out" "$T/excel.csv"
KEFU_DB="$T/excel.db" kefu 0 import "$T/excel.csv"
contains out "66 new, 0 duplicate, 0 rejected"
sqlite3 -readonly "$T/excel.db" "$canonical" >"$T/excel.txt"
diff -u "$T/original.txt" "$T/excel.txt" >&2 || fail "the Excel round trip changed inquiries"

# Masked by default, in a column the importer does not read.
kefu 0 export
contains out ",contact (masked),"
contains out "138****5678"
lacks out "13812345678"
lacks out "mbrown.design@yahoo.com"

kefu 0 export --format jsonl --status all
same "$(wc -l <"$T/out")" 66 "jsonl rows"
python3 - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = ["id", "external_id", "received_at", "channel", "customer", "customer_id", "contact", "order_id",
        "product", "goods_kind", "subject", "body", "status", "category", "tags", "priority", "level",
        "language", "thread_id", "replies"]
assert list(rows[0]) == want, list(rows[0])
assert rows[0]["external_id"] == "Q1001" and rows[0]["id"] == 1
assert all(isinstance(r["replies"], list) for r in rows)
PY
kefu 0 --format json export --since 2026-11-14
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r) == 2, len(r)' "$T/out"
refunds=$(sql "SELECT count(*) FROM inquiry WHERE category = 5")
kefu 0 export --category refund --format jsonl
same "$(wc -l <"$T/out")" "$refunds" "--category refund"
kefu 0 export --status resolved
same "$(wc -l <"$T/out")" 1 "only the header when nothing matches"
kefu 2 export --excel --format json
contains err "--excel needs CSV"
kefu 2 export --status done
contains err "bad --status"
