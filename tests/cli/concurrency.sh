# Concurrency: two imports of different files at once, while `kefu due`, `kefu list` and
# `kefu note` run in loops beside them. Every command must succeed (a writer waits for the
# other within the busy timeout), and the final counts must be exact.
#
#   CONCURRENCY_SECONDS  how long the loops run (default 30; 60 with KEFU_STRESS=1)
#   CONCURRENCY_ROWS     rows per imported file (default 15000; 4 files per importer)
. "$(dirname "$0")/lib/common.sh"

if [ "${KEFU_STRESS:-0}" = 1 ]; then
    seconds=${CONCURRENCY_SECONDS:-60}
    rows=${CONCURRENCY_ROWS:-60000}
else
    seconds=${CONCURRENCY_SECONDS:-30}
    rows=${CONCURRENCY_ROWS:-15000}
fi
files=4

# Two importers, each with its own files: different ids and buyers, so nothing is a duplicate
# of the other's rows; some buyers write in both, so both importers touch the same customers.
python3 - "$T" "$rows" "$files" <<'PY'
import random, sys
out, rows, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(11)
words = ["退款", "发货", "快递", "差评", "急", "refund", "where is my parcel", "asap", "谢谢"]
for who in "ab":
    for k in range(files):
        with open(f"{out}/{who}{k}.csv", "w", encoding="utf-8") as f:
            f.write("id,time,buyer,phone,message\n")
            for i in range(rows):
                n = k * rows + i
                body = " ".join(random.choice(words) for _ in range(random.randint(2, 12)))
                f.write(f"{who.upper()}{n},2026-11-{1 + n % 14:02d} {n % 24:02d}:{n % 60:02d},"
                        f"buyer{n % 700},139{n % 700:08d},{body}\n")
PY

# A few inquiries to write notes to and follow-ups for `due` to find, before the race starts.
kefu 0 import "$SAMPLES/inquiries.csv"
base=$(sql "select count(*) from inquiry")
kefu 0 followup 1 --at "2026-11-15 13:00"
export KEFU_NOW="2026-11-16 12:00"

deadline=$(( $(date +%s) + seconds ))
mkdir -p "$T/logs"

# loop NAME CMD...: runs CMD until the deadline; counts runs and failures in $T/logs/NAME.*.
loop() {
    local name=$1
    shift
    local n=0 bad=0 rc
    while [ "$(date +%s)" -lt "$deadline" ]; do
        rc=0
        timeout 60 "$KEFU" "$@" >/dev/null 2>"$T/logs/$name.err.tmp" || rc=$?
        n=$((n + 1))
        if [ "$rc" != 0 ]; then
            bad=$((bad + 1))
            { echo "exit $rc: $*"; cat "$T/logs/$name.err.tmp"; } >> "$T/logs/$name.err"
        fi
    done
    echo "$n $bad" > "$T/logs/$name.count"
}

# importer WHO: imports its files one after the other, then again (all duplicates) until
# the deadline.
importer() {
    local who=$1 n=0 bad=0 pass=0 rc k
    while [ "$pass" = 0 ] || [ "$(date +%s)" -lt "$deadline" ]; do
        for k in $(seq 0 $((files - 1))); do
            rc=0
            timeout 300 "$KEFU" import "$T/$who$k.csv" >"$T/logs/import-$who.out.tmp" \
                2>"$T/logs/import-$who.err.tmp" || rc=$?
            n=$((n + 1))
            if [ "$rc" != 0 ]; then
                bad=$((bad + 1))
                { echo "exit $rc: import $who$k.csv"; cat "$T/logs/import-$who.err.tmp"; } \
                    >> "$T/logs/import-$who.err"
            elif [ "$pass" = 0 ]; then
                grep -q "$rows new, 0 duplicate, 0 rejected" "$T/logs/import-$who.out.tmp" ||
                    echo "first import of $who$k: $(cat "$T/logs/import-$who.out.tmp")" \
                        >> "$T/logs/import-$who.err"
            else
                grep -q "0 new, $rows duplicate, 0 rejected" "$T/logs/import-$who.out.tmp" ||
                    echo "re-import of $who$k: $(cat "$T/logs/import-$who.out.tmp")" \
                        >> "$T/logs/import-$who.err"
            fi
        done
        pass=$((pass + 1))
    done
    echo "$n $bad" > "$T/logs/import-$who.count"
}

importer a &
pids=($!)
importer b &
pids+=($!)
loop due due --within 1d &
pids+=($!)
loop list list --limit 20 --status all &
pids+=($!)
loop search search 退款 --limit 5 &
pids+=($!)
loop note note 1 "a note written during the imports" &
pids+=($!)
for p in "${pids[@]}"; do
    wait "$p"
done

total_runs=0
for f in "$T"/logs/*.count; do
    read -r n bad < "$f"
    name=$(basename "$f" .count)
    echo "$name: $n runs, $bad failed"
    total_runs=$((total_runs + n))
    [ "$n" -gt 0 ] || fail "$name never ran"
done
for f in "$T"/logs/*.err; do
    [ -f "$f" ] || continue
    fail "$(basename "$f" .err) failed: $(head -c 600 "$f")"
done

# Exact counts: every row of both importers once, one event per note.
read -r notes _ < "$T/logs/note.count"
same "$(sql "select count(*) from inquiry")" "$((base + 2 * files * rows))" "inquiries"
same "$(sql "select count(*) from inquiry where external_id like 'A%'")" "$((files * rows))" "rows of a"
same "$(sql "select count(*) from inquiry where external_id like 'B%'")" "$((files * rows))" "rows of b"
same "$(sql "select count(*) - count(distinct dedupe_key) from inquiry")" 0 "duplicates"
same "$(sql "select count(*) from event where kind = 'note'")" "$notes" "note events"
same "$(sql "select count(*) from import where finished_at is null")" 0 "unfinished imports"
kefu 0 check
echo "concurrency: $total_runs commands in ${seconds}s"
