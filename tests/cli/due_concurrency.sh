# `kefu due` run over and over while a large import writes: it never fails (never
# "database is locked"), always prints whole JSON records, and the import completes.
# With MARK_EVERY=N (due_concurrency_mark.sh) every Nth run uses --mark-notified, which
# writes: it takes the write lock between the import's batches.
. "$(dirname "$0")/lib/common.sh"

rows=${DUE_TEST_ROWS:-200000}
runs=100
mark_every=${MARK_EVERY:-0}
export KEFU_NOW="2026-11-15 12:00"
kefu 0 import "$SAMPLES/inquiries.csv"
kefu 0 followup 3 --in 1h --note "courier"
export KEFU_NOW="2026-11-15 14:00"
# Messages of the last 20 hours (not late yet), and one in 500 from days ago (late at once),
# so that what is due changes while the import runs.
python3 - "$T/big.csv" "$rows" <<'PY'
import sys, random
random.seed(7)
words = ["退款", "发货", "快递", "尺码", "refund", "where is my parcel", "谢谢", "怎么还没到"]
with open(sys.argv[1], "w") as f:
    f.write("id,time,buyer,phone,order,message\n")
    for i in range(int(sys.argv[2])):
        body = " ".join(random.choice(words) for _ in range(random.randint(3, 20)))
        if i % 500 == 0:
            when = f"2026-11-{1 + i % 9:02d} 10:{i % 60:02d}"
        else:
            minutes = 18 * 60 + i * 20 * 60 // int(sys.argv[2])
            day, minute = 14 + minutes // 1440, minutes % 1440
            when = f"2026-11-{day:02d} {minute // 60:02d}:{minute % 60:02d}"
        f.write(f"C{i},{when},buyer{i % 3000},139{i % 3000:08d},O{i % 20000},{body}\n")
PY

"$KEFU" import "$T/big.csv" --batch 2000 >"$T/import.out" 2>"$T/import.err" &
pid=$!
overlapped=0
codes=""
for i in $(seq 1 "$runs"); do
    alive=0
    kill -0 "$pid" 2>/dev/null && alive=1
    flag=""
    [ "$mark_every" != 0 ] && [ $((i % mark_every)) = 0 ] && flag="--mark-notified"
    got=0
    "$KEFU" due --exit-code $flag --format jsonl >"$T/due.$i.out" 2>"$T/due.$i.err" || got=$?
    codes="$codes $got"
    if [ "$got" != 3 ] && [ "$got" != 0 ]; then
        fail "due run $i exited $got: $(head -c 300 "$T/due.$i.err")"
    fi
    [ -s "$T/due.$i.err" ] && fail "due run $i wrote to stderr: $(head -c 300 "$T/due.$i.err")"
    kill -0 "$pid" 2>/dev/null && [ "$alive" = 1 ] && overlapped=$((overlapped + 1))
done
still=0
kill -0 "$pid" 2>/dev/null && still=1
got=0
wait "$pid" || got=$?
same "$got" 0 "import exit code ($(head -c 300 "$T/import.err"))"
same "$(sql "select count(*) from inquiry")" "$((rows + 66))" "every row imported"
# Every run printed whole records, and the import's late rows showed up as they came.
python3 - "$T" "$runs" "$mark_every" <<'PY' || fail "due printed broken or inconsistent output"
import json, sys
folder, runs, mark_every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
counts = []
for i in range(1, runs + 1):
    items = [json.loads(line) for line in open(f"{folder}/due.{i}.out")]
    for d in items:
        assert set(["id", "kind", "due_at", "late_by", "customer", "note"]) <= set(d), d
    if mark_every == 0 or i % mark_every:
        counts.append(len(items))
assert counts[0] >= 40, counts[:3]           # the sample's late threads and the follow-up
assert max(counts) > counts[0], counts[-3:]  # late rows arrived during the loop
PY
# All the runs overlapped the import; if this fails the machine imports faster than
# expected: raise DUE_TEST_ROWS.
same "$overlapped" "$runs" "due runs during the import"
same "$still" 1 "import still running after the last due"
kefu 0 check
