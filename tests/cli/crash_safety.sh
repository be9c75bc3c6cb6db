# Crash safety: imports, retags and purges killed with SIGKILL at random moments leave a
# consistent database (integrity, foreign keys and the full-text index all check), never a
# duplicated or half-written inquiry, and running the command again ends with exactly the
# content of an uninterrupted run.
#
#   CRASH_ROWS   rows of the generated CSV (default 50000, for `make test`; 1000000 with
#                KEFU_STRESS=1)
#   CRASH_KILLS  how many times the import is killed (default 20)
#   CRASH_SEED   seed of the kill moments (default: random; printed so a failure can be re-run)
. "$(dirname "$0")/lib/common.sh"

if [ "${KEFU_STRESS:-0}" = 1 ]; then
    rows=${CRASH_ROWS:-1000000}
else
    rows=${CRASH_ROWS:-50000}
fi
kills=${CRASH_KILLS:-20}
seed=${CRASH_SEED:-$((RANDOM * 32768 + RANDOM))}
RANDOM=$seed
echo "crash safety: $rows rows, $kills kills, CRASH_SEED=$seed"

# Rows that fire rules (so that inquiries carry tags, categories and priorities), repeat
# buyers, quoted newlines and a few mail-like ids.
python3 - "$T/big.csv" "$rows" <<'PY'
import random, sys
random.seed(7)
words = ["退款", "发货", "快递", "差评", "投诉", "急", "尺码", "激活码", "refund", "chargeback",
         "where is my parcel", "asap", "scam", "!!!", "谢谢", "怎么还没到", "发票", "改地址"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("id,time,buyer,email,order,message\n")
    for i in range(int(sys.argv[2])):
        body = " ".join(random.choice(words) for _ in range(random.randint(2, 20)))
        if i % 11 == 0:
            body = '"' + body + '\n第二行 ""quoted""' + '"'
        f.write(f"C{i},2026-{1 + i % 10:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d},"
                f"买家{i % 3000},b{i % 3000}@example.com,E{i % 50000:08d},{body}\n")
PY

# dump DB: one line per inquiry with what an import decides (id, external id, customer, body,
# category, priority, tags), sorted by external id.
dump() {
    sqlite3 -readonly "$1" "
        select i.external_id, i.id, i.customer_id, i.category, printf('%.6f', i.priority_static),
               i.thread_id, i.status, hex(i.body),
               coalesce((select group_concat(name, ' ') from
                         (select name from tag t where t.inquiry_id = i.id order by name)), '')
        from inquiry i order by i.external_id" | sort
}

# consistent DB WHAT: the invariants that must hold after any kill.
consistent() {
    local db=$1 what=$2 got=0
    "$KEFU" --db "$db" check >"$T/check.out" 2>&1 || got=$?
    [ "$got" = 0 ] || fail "$what: kefu check exit $got: $(head -c 500 "$T/check.out")"
    local q
    q=$(sqlite3 -readonly "$db" "
        select (select count(*) - count(distinct external_id) from inquiry),
               (select count(*) from tag where inquiry_id not in (select id from inquiry)),
               (select count(*) from inquiry where customer_id is not null
                  and customer_id not in (select id from customer)),
               (select count(*) from inquiry where thread_id not in (select id from inquiry)),
               (select count(*) from import where n_new > (select count(*) from inquiry))")
    same "$q" "0|0|0|0|0" "$what: duplicates|orphan tags|orphan customers|broken threads|counts"
    # Every inquiry present is exactly as in the uninterrupted import: nothing half-written
    # (a row without its tags, a tag set from another run).
    dump "$db" > "$T/partial.dump"
    local extra
    extra=$(comm -23 "$T/partial.dump" "$T/ref.dump" | head -n 3)
    [ -z "$extra" ] || fail "$what: rows that differ from the uninterrupted import: ${extra:0:300}"
}

# The reference: one uninterrupted import, timed to spread the kills over its length.
t0=$(date +%s%N)
kefu 0 --db "$T/ref.db" import "$T/big.csv"
ref_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
dump "$T/ref.db" > "$T/ref.dump"
same "$(wc -l < "$T/ref.dump")" "$rows" "reference rows"
echo "uninterrupted import: $ref_ms ms"

# kill_at MS CMD...: runs CMD in the background and kills it with SIGKILL once it has run for
# MS milliseconds. Returns 0 when it was killed, 1 when it had finished by itself (its exit
# code is then checked); $elapsed_ms is how long it ran.
elapsed_ms=0
kill_at() {
    local ms=$1
    shift
    local start rc=0
    start=$(date +%s%N)
    "$@" >"$T/run.out" 2>&1 &
    local pid=$!
    while [ -d "/proc/$pid" ] && [ "$(grep -o '^[0-9]* ([^)]*) [A-Z]' "/proc/$pid/stat" 2>/dev/null |
                                     awk '{print $NF}')" != Z ]; do
        elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
        if [ "$elapsed_ms" -ge "$ms" ]; then
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.02
    done
    wait "$pid" 2>/dev/null || rc=$?
    elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    # 137 = killed by SIGKILL; anything else means it ended before the kill.
    [ "$rc" = 137 ] && return 0
    [ "$rc" = 0 ] || fail "finished with exit $rc: $* — $(head -c 300 "$T/run.out")"
    return 1
}

# Imports killed at random moments. Each round starts from a fresh database and re-runs the
# import after every kill until one run finishes; then the result must equal the reference.
round=0
killed=0
finished_rounds=0
db=""
new_round() {
    [ -z "$db" ] || rm -f "$db" "$db-wal" "$db-shm"
    attempt=0
    round=$((round + 1))
    db="$T/round$round.db"
}
new_round
while [ "$killed" -lt "$kills" ]; do
    # Moments spread over the whole import, including its first milliseconds (opening and
    # creating the database) and a little past its expected end.
    ms=$(( RANDOM % (ref_ms * 11 / 10 + 20) ))
    attempt=$((attempt + 1))
    if kill_at "$ms" "$KEFU" --db "$db" import "$T/big.csv"; then
        killed=$((killed + 1))
        [ -f "$db" ] && consistent "$db" "round $round, kill $killed at ${ms} ms"
    else
        # A run that went from an empty database to the end: the best measure of how long an
        # import takes on this machine now, over which the next kills are spread.
        [ "$attempt" = 1 ] && ref_ms=$elapsed_ms
        consistent "$db" "round $round, finished"
        dump "$db" > "$T/final.dump"
        cmp -s "$T/final.dump" "$T/ref.dump" || fail "round $round: content differs from the reference"
        finished_rounds=$((finished_rounds + 1))
        new_round
    fi
done
# The last round: run to the end.
kefu 0 --db "$db" import "$T/big.csv"
consistent "$db" "round $round, final run"
dump "$db" > "$T/final.dump"
cmp -s "$T/final.dump" "$T/ref.dump" || fail "round $round: content differs from the reference"
same "$(sqlite3 -readonly "$db" 'select count(*) from customer')" \
     "$(sqlite3 -readonly "$T/ref.db" 'select count(*) from customer')" "customers"
echo "import: $killed kills over $round rounds, all consistent"

# retag killed part-way: with rules that move many inquiries, a killed retag leaves each
# inquiry wholly old or wholly new, and a complete run equals an uninterrupted one.
cat > "$T/rules.toml" <<'TOML'
[[rule]]
id = "crash-safety-parcel"
category = "logistics"
any = ["快递", "parcel"]
tags = ["crash-test"]
weight = 50
TOML
if "$KEFU" retag --help 2>/dev/null | grep -q -- '--rules'; then
    cp "$db" "$T/retag-ref.db"
    t0=$(date +%s%N)
    kefu 0 --db "$T/retag-ref.db" retag --all --rules "$T/rules.toml"
    retag_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    dump "$T/retag-ref.db" > "$T/retag.dump"
    grep -q crash-test "$T/retag.dump" || fail "the test rule changed nothing"
    for i in 1 2 3 4 5; do
        ms=$(( RANDOM % (retag_ms + 20) ))
        if kill_at "$ms" "$KEFU" --db "$db" retag --all --rules "$T/rules.toml"; then
            kefu 0 --db "$db" check
            # Each row is either as imported or as retagged.
            dump "$db" > "$T/partial.dump"
            bad=$(comm -23 "$T/partial.dump" <(sort -m "$T/ref.dump" "$T/retag.dump") | head -n 2)
            [ -z "$bad" ] || fail "retag killed at $ms ms: half-changed rows: ${bad:0:300}"
        fi
    done
    kefu 0 --db "$db" retag --all --rules "$T/rules.toml"
    kefu 0 --db "$db" check
    dump "$db" > "$T/final.dump"
    cmp -s "$T/final.dump" "$T/retag.dump" || fail "retag after kills differs from an uninterrupted one"
    echo "retag: 5 kill attempts, consistent (uninterrupted retag: $retag_ms ms)"
fi

# purge killed part-way: the buyer is either wholly there or wholly gone.
who="b17@example.com"
cid=$(sqlite3 -readonly "$db" "select customer_id from identity where value = '$who' limit 1")
before=$(sqlite3 -readonly "$db" "select count(*) from inquiry where customer_id = '${cid:-0}'")
if [ "$before" -gt 0 ] 2>/dev/null; then
    for i in 1 2 3; do
        # A killed purge may have committed before it died: then nothing is left to purge.
        if [ "$(sqlite3 -readonly "$db" "select count(*) from customer where id = '$cid'")" = 0 ]; then
            break
        fi
        ms=$(( RANDOM % 300 ))
        if kill_at "$ms" "$KEFU" --db "$db" purge --customer "$who" --yes; then
            kefu 0 --db "$db" check
            n=$(sqlite3 -readonly "$db" "select count(*) from inquiry where customer_id = '$cid'")
            [ "$n" = 0 ] || [ "$n" = "$before" ] || fail "purge killed at $ms ms left $n of $before rows"
        else
            break  # the purge ran to its end: nothing left to interrupt
        fi
    done
    "$KEFU" --db "$db" purge --customer "$who" --yes >/dev/null 2>&1 || true
    kefu 0 --db "$db" check
    same "$(sqlite3 -readonly "$db" "select count(*) from inquiry where customer_id = '$cid'")" 0 "purged rows"
    same "$(sqlite3 -readonly "$db" "select count(*) from inquiry")" "$((rows - before))" "rows left after purge"
    echo "purge: up to 3 kills, the buyer's $before inquiries wholly there or wholly gone"
else
    echo "note: identity table has no row for $who; purge part skipped"
fi
