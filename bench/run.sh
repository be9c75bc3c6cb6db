#!/usr/bin/env bash
# kefu's benchmark: bash bench/run.sh KEFU_BIN   (make bench builds a Release kefu and runs this)
#
# Each section is a function section_<name> that measures one thing and appends its figures to
# the summary with add_result; the summary table is printed at the end. To add a section (mail
# import against `notmuch new`, triage throughput, retag, suggest, due, report), write its
# function and add its name to the default of BENCH_SECTIONS.
#
# Environment:
#   BENCH_SIZES     rows of the generated CSVs, in order (default "100000 1000000")
#   BENCH_RUNS      runs of each query command; the median is reported (default 7, at least 3)
#   BENCH_SEED      generator seed (default 1)
#   BENCH_SECTIONS  sections to run (default "csv queries suggest triage triage_share retag due
#                   report mail"; "diag" adds import diagnostics)
#   BENCH_TEMPLATES reply templates generated for the suggest section (default 500)
#   BENCH_REPLIES   replies recorded before suggest is timed, its history (default 300)
#   BENCH_WORK      work folder, emptied at the start (default bench/work)
#   KEFU_GEN        the generator (default: bench/kefu_gen in KEFU_BIN's build folder)
set -euo pipefail
export LC_ALL=C.UTF-8

die() {
    echo "bench: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || die "usage: bash bench/run.sh KEFU_BIN"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ -x $1 && -f $1 ]] || die "kefu binary not found or not executable: $1 (run: make bench)"
KEFU=$(realpath "$1")
BUILD_DIR=$(dirname "$KEFU")
GEN=${KEFU_GEN:-$BUILD_DIR/bench/kefu_gen}
SIZES=${BENCH_SIZES:-100000 1000000}
RUNS=${BENCH_RUNS:-7}
SEED=${BENCH_SEED:-1}
SECTIONS=${BENCH_SECTIONS:-csv queries suggest triage triage_share retag due report mail}
TEMPLATES=${BENCH_TEMPLATES:-500}
REPLIES=${BENCH_REPLIES:-300}
WORK=${BENCH_WORK:-$ROOT/bench/work}

command -v sqlite3 >/dev/null || die "sqlite3 not found: it is the Debian package sqlite3"
[[ $RUNS =~ ^[0-9]+$ && $RUNS -ge 3 ]] || die "BENCH_RUNS must be a number ≥ 3, not '$RUNS'"
[[ $TEMPLATES =~ ^[1-9][0-9]*$ && $TEMPLATES -ge 9 ]] ||
    die "BENCH_TEMPLATES must be a number ≥ 9 (one per category), not '$TEMPLATES'"
[[ $REPLIES =~ ^[0-9]+$ ]] || die "BENCH_REPLIES must be a number, not '$REPLIES'"
for n in $SIZES; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZES must be row counts, not '$n'"
done
if [[ ! -x $GEN ]]; then
    [[ -f $BUILD_DIR/CMakeCache.txt ]] || die "generator not found: $GEN (set KEFU_GEN)"
    echo "bench: building kefu_gen in $BUILD_DIR" >&2
    cmake --build "$BUILD_DIR" --target kefu_gen >/dev/null || die "cannot build kefu_gen"
fi
# Peak RSS comes from GNU time (Debian package `time`), else from python3's getrusage.
if [[ -x /usr/bin/time ]]; then
    RSS_TOOL=time
elif command -v python3 >/dev/null; then
    RSS_TOOL=python3
else
    die "need /usr/bin/time (Debian package time) or python3 to measure peak memory"
fi

case $WORK in
    "" | / | "$ROOT" | "$HOME") die "refusing to use '$WORK' as the work folder" ;;
esac
rm -rf "$WORK"
mkdir -p "$WORK/config" "$WORK/data"
# kefu sees only the work folder: no user config or rules, no default database.
export XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data XDG_CACHE_HOME=$WORK/cache TZ=Asia/Shanghai NO_COLOR=1
unset KEFU_DB KEFU_NOW
SUMMARY=$WORK/summary.txt
NOTES=$WORK/notes.txt
: >"$SUMMARY"
: >"$NOTES"

# measure NAME CMD...: runs CMD with stdout and stderr in $WORK/NAME.out / .err and sets
# M_RC (exit status), M_SECS (wall seconds), M_CPU (user + system seconds; less disturbed by
# other work on the machine than wall time) and M_RSS_KB (peak resident set of CMD).
measure() {
    local name=$1
    shift
    local t0 t1
    t0=$EPOCHREALTIME
    if [[ $RSS_TOOL == time ]]; then
        M_RC=0
        /usr/bin/time -f '%e %U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" \
            2>"$WORK/$name.err" || M_RC=$?
        t1=$EPOCHREALTIME
        M_RSS_KB=$(tail -n 1 "$WORK/$name.time" | awk '{ print $4 }')
        M_CPU=$(tail -n 1 "$WORK/$name.time" | awk '{ printf "%.2f", $2 + $3 }')
    else
        # The fallback times the command itself (python's start-up is not counted), but the
        # child's peak RSS includes the copy of python that it was forked from (about 10 MB).
        M_RC=0
        python3 -c 'import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1] + ".out", "w"),
                     stderr=open(sys.argv[1] + ".err", "w"))
t = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1] + ".time", "w") as f:
    print("%.6f %.2f %d" % (t, u.ru_utime + u.ru_stime, u.ru_maxrss), file=f)
sys.exit(rc)' "$WORK/$name" "$@" || M_RC=$?
        t0=0
        t1=$(awk '{ print $1 }' "$WORK/$name.time")
        M_CPU=$(awk '{ print $2 }' "$WORK/$name.time")
        M_RSS_KB=$(awk '{ print $3 }' "$WORK/$name.time")
    fi
    M_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
}

# Fails the benchmark with the command's own error output.
check_rc() {
    local name=$1
    shift
    local ok
    for ok in "$@"; do
        [[ $M_RC == "$ok" ]] && return 0
    done
    echo "bench: '$name' failed with exit status $M_RC; its stderr:" >&2
    sed 's/^/  /' "$WORK/$name.err" | head -n 20 >&2
    exit 1
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
secs() { awk -v s="$1" 'BEGIN { printf "%.2f", s }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f rows/s", n / s }'; }
# verdict VALUE OP LIMIT: "ok" when VALUE OP LIMIT holds, else "MISS".
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
    ok = (op == "<") ? v < l : (op == "<=") ? v <= l : 0; print ok ? "ok" : "MISS" }'; }
worst() {
    local v
    for v in "$@"; do
        [[ $v == MISS ]] && { echo MISS; return; }
    done
    echo ok
}

# add_result WHAT ROWS FIGURE RSS TARGET RESULT: one line of the summary table.
# Cells are separated by the ASCII unit separator: tabs would merge empty cells when read.
add_result() { printf '%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\n' "$@" >>"$SUMMARY"; }
note() {
    echo "  $*"
    echo "$*" >>"$NOTES"
}

stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# The generated file of N rows (made once per run, shared by the sections).
csv_of() { echo "$WORK/inquiries-$1.csv"; }
generate() {
    local n=$1 file
    file=$(csv_of "$n")
    [[ -f $file ]] && return 0
    measure "gen-$n" "$GEN" --rows "$n" --seed "$SEED" --out "$file" --stats "$file.stats"
    check_rc "gen-$n" 0
    note "generated $n rows, $(stat_of "$file.stats" customers) customers," \
        "$(awk -v b="$(stat_of "$file.stats" bytes)" 'BEGIN { printf "%.1f MB", b / 1048576 }')," \
        "$(stat_of "$file.stats" rows_with_tuikuan) rows with 退款" \
        "(seed $SEED, $(secs "$M_SECS") s)"
}

# CSV import: kefu (parse, triage, store, full-text index) against the sqlite3 shell's
# .import of the same file plus an FTS5 trigram index over the body.
section_csv() {
    local n file db ratio
    for n in $SIZES; do
        echo "== CSV import, $n rows =="
        generate "$n"
        file=$(csv_of "$n")

        db=$WORK/kefu-$n.db
        measure "kefu-import-$n" "$KEFU" --db "$db" import --format jsonl \
            --rejects "$WORK/rejects-$n.csv" "$file"
        check_rc "kefu-import-$n" 0 4
        local k_secs=$M_SECS k_cpu=$M_CPU k_rss=$M_RSS_KB json new rejected
        json=$(cat "$WORK/kefu-import-$n.out")
        new=$(grep -o '"new":[0-9]*' <<<"$json" | cut -d: -f2 || true)
        rejected=$(grep -o '"rejected":[0-9]*' <<<"$json" | cut -d: -f2 || true)
        note "kefu: $(secs "$k_secs") s wall, $k_cpu s CPU, ${new:-?} new, ${rejected:-?}" \
            "rejected of $n rows, database $(mb $(($(stat -c %s "$db") / 1024)))"
        if [[ ${rejected:-0} != 0 ]]; then
            note "WARNING: kefu rejected $rejected generated rows; reasons in $WORK/rejects-$n.csv"
        fi
        # Every generated row is valid: a rejected one is a bug that the figures should not hide.
        add_result "kefu rows imported" "$n" "${new:-?} of $n" "-" "all" \
            "$([[ ${new:-} == "$n" ]] && echo ok || echo MISS)"

        local sdb=$WORK/sqlite-$n.db
        measure "sqlite-import-$n" sqlite3 -bail "$sdb" '.mode csv' ".import '$file' inquiries" \
            "CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='trigram')" \
            'INSERT INTO fts(rowid, body) SELECT rowid, message FROM inquiries'
        check_rc "sqlite-import-$n" 0
        local s_secs=$M_SECS s_cpu=$M_CPU s_rss=$M_RSS_KB s_rows
        s_rows=$(sqlite3 "$sdb" 'SELECT count(*) FROM inquiries')
        [[ $s_rows == "$n" ]] || note "WARNING: sqlite3 imported $s_rows rows, not $n"
        note "sqlite3: $(secs "$s_secs") s wall, $s_cpu s CPU, $s_rows rows," \
            "database $(mb $(($(stat -c %s "$sdb") / 1024)))"

        add_result "kefu import (CSV + FTS)" "$n" "$(secs "$k_secs") s  $(rate "$n" "$k_secs")" \
            "$(mb "$k_rss")" "RSS < 100 MB" "$(verdict "$k_rss" "<" 102400)"
        add_result "sqlite3 .import + FTS5 trigram" "$n" \
            "$(secs "$s_secs") s  $(rate "$n" "$s_secs")" "$(mb "$s_rss")" "(baseline)" "-"
        ratio=$(awk -v a="$k_secs" -v b="$s_secs" 'BEGIN { printf "%.2f", a / b }')
        add_result "import wall time kefu / sqlite3" "$n" "$ratio" "-" "<= 1.00" \
            "$(verdict "$ratio" "<=" 1.0)"
        ratio=$(awk -v a="$k_cpu" -v b="$s_cpu" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
        add_result "import CPU time kefu / sqlite3" "$n" "$ratio" "-" "(load-independent)" "-"
    done
}

# median of the numbers given
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# query LABEL NAME ROWS ARGS...: one warm-up run, then RUNS timed runs of kefu ARGS. The
# target is a median under QUERY_LIMIT_MS (default 50) and a peak RSS under 100 MB.
query() {
    local label=$1 name=$2 n=$3
    shift 3
    local i times=() rss=() med_ms max_rss limit=${QUERY_LIMIT_MS:-50}
    measure "$name-warmup" "$KEFU" "$@"
    check_rc "$name-warmup" 0
    for ((i = 1; i <= RUNS; i++)); do
        measure "$name-$i" "$KEFU" "$@"
        check_rc "$name-$i" 0
        times+=("$(awk -v s="$M_SECS" 'BEGIN { printf "%.1f", s * 1000 }')")
        rss+=("$M_RSS_KB")
    done
    med_ms=$(median "${times[@]}")
    max_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)
    note "$label: runs ${times[*]} ms"
    add_result "$label (median of $RUNS)" "$n" "$(printf '%.1f ms' "$med_ms")" "$(mb "$max_rss")" \
        "< $limit ms, < 100 MB" \
        "$(worst "$(verdict "$med_ms" "<" "$limit")" "$(verdict "$max_rss" "<" 102400)")"
}

# The shell commands a seller runs all day, on the largest database imported above.
section_queries() {
    local n db found expected
    n=$(printf '%s\n' $SIZES | sort -n | tail -n 1)
    db=$WORK/kefu-$n.db
    [[ -f $db ]] || die "section queries needs the csv section's database $db"
    echo "== queries on the $n-row database =="
    query "kefu list --limit 20" "list-$n" "$n" --db "$db" list --limit 20
    query "kefu search 退款" "search-$n" "$n" --db "$db" search 退款
    # The timed runs count up to 1000 matches ("50 of over 1000 shown"); every match, listed
    # once untimed, must be the generator's count.
    found=$("$KEFU" --db "$db" search 退款 --limit 0 --format tsv 2>/dev/null | tail -n +2 | wc -l || true)
    expected=$(stat_of "$(csv_of "$n").stats" rows_with_tuikuan)
    add_result "kefu search 退款 matches" "$n" "${found:-?} of $expected" "-" "all" \
        "$([[ ${found:-} == "$expected" ]] && echo ok || echo MISS)"
}

# Suggestions on the largest database with a library of BENCH_TEMPLATES user templates
# (generated by kefu_gen --templates into the work folder's config) and a history of
# BENCH_REPLIES replies recorded by `kefu reply` with those templates, on inquiries spread over
# the whole database. Then `kefu suggest` is timed on a Chinese and an English inquiry (target:
# under 20 ms), and `kefu reply --dry-run` beside it.
section_suggest() {
    local n db tdir count step zh en id cat tid
    n=$(printf '%s\n' $SIZES | sort -n | tail -n 1)
    db=$WORK/kefu-$n.db
    [[ -f $db ]] || die "section suggest needs the csv section's database $db"
    echo "== suggest on the $n-row database, $TEMPLATES templates =="
    tdir=$XDG_CONFIG_HOME/kefu/templates
    rm -rf "$tdir"
    mkdir -p "$tdir"
    measure "gen-templates" "$GEN" --templates "$TEMPLATES" --seed "$SEED" --out "$tdir"
    check_rc "gen-templates" 0
    measure "templates-check" "$KEFU" templates check
    check_rc "templates-check" 0
    count=$("$KEFU" templates list --format tsv | tail -n +2 | wc -l)
    note "library: $count templates ($TEMPLATES generated, the rest built in)"

    # The history: replies to inquiries spread evenly over the database, each with the
    # generated template of the inquiry's category.
    step=$((n / (REPLIES + 1)))
    ((step > 0)) || step=1
    measure "history" sqlite3 "$db" "SELECT id, category FROM inquiry WHERE id % $step = 0 \
        ORDER BY id LIMIT $REPLIES"
    check_rc "history" 0
    local t0=$EPOCHREALTIME replied=0
    while IFS='|' read -r id cat; do
        # Template i of kefu_gen has category (i - 1) % 9 in kefu_gen's order (product …
        # complaint, other), which is kefu's stored value (other 0, product 1 …) moved by one.
        local per=$((TEMPLATES / 9 > 0 ? TEMPLATES / 9 : 1)) g=$(((cat + 8) % 9))
        tid=$(printf 'bench-%04d' $(((id % per) * 9 + g + 1)))
        "$KEFU" --db "$db" reply "$id" --template "$tid" --no-followup >/dev/null \
            2>>"$WORK/history-replies.err" ||
            die "kefu reply $id --template $tid failed (see $WORK/history-replies.err)"
        replied=$((replied + 1))
    done <"$WORK/history.out"
    note "history: $replied replies recorded with kefu reply in" \
        "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"

    zh=$(sqlite3 "$db" "SELECT id FROM inquiry WHERE language = 'zh' AND category = 3 \
        ORDER BY id DESC LIMIT 1")
    en=$(sqlite3 "$db" "SELECT id FROM inquiry WHERE language = 'en' AND category = 5 \
        ORDER BY id DESC LIMIT 1")
    [[ -n $zh && -n $en ]] || die "no Chinese logistics or English refund inquiry in $db"
    QUERY_LIMIT_MS=20 query "kefu suggest (zh, $count templates)" "suggest-zh-$n" "$n" \
        --db "$db" suggest "$zh"
    QUERY_LIMIT_MS=20 query "kefu suggest (en, $count templates)" "suggest-en-$n" "$n" \
        --db "$db" suggest "$en" --format json
    head -c 300 "$WORK/suggest-zh-$n-1.out" | sed 's/^/    /'
    QUERY_LIMIT_MS=50 query "kefu reply --dry-run" "reply-$n" "$n" --db "$db" reply "$zh" \
        --pick 1 --dry-run
}

# Where kefu's import time goes, on the smallest file: parsing and triage alone (--dry-run
# writes nothing), and the write path with small and large transactions.
section_diag() {
    local n file
    n=$(printf '%s\n' $SIZES | sort -n | head -n 1)
    generate "$n"
    file=$(csv_of "$n")
    echo "== import diagnostics, $n rows =="
    local label args
    for label in "dry-run" "batch 500" "batch 50000"; do
        case $label in
            dry-run) args=(--dry-run) ;;
            "batch 500") args=(--batch 500) ;;
            *) args=(--batch 50000) ;;
        esac
        rm -f "$WORK/diag.db"*
        measure "diag" "$KEFU" --db "$WORK/diag.db" init
        check_rc "diag" 0
        measure "diag" "$KEFU" --db "$WORK/diag.db" import "${args[@]}" \
            --rejects "$WORK/diag-rejects.csv" "$file"
        check_rc "diag" 0 4
        add_result "kefu import ${label}" "$n" "$(secs "$M_SECS") s  $(rate "$n" "$M_SECS")" \
            "$(mb "$M_RSS_KB")" "(diagnostic)" "-"
    done
}

# Prints the summary aligned by display width (a CJK character takes two columns).
width() {
    local s=$1 chars bytes
    chars=${#s}
    bytes=$(LC_ALL=C; echo "${#s}")
    echo $((chars + (bytes - chars) / 2))
}
print_summary() {
    local -a widths=(0 0 0 0 0 0) lines=()
    local line i w
    local -a f
    lines+=($'what\x1frows\x1ffigure\x1fpeak RSS\x1ftarget\x1fresult')
    while IFS= read -r line; do
        lines+=("$line")
    done <"$SUMMARY"
    for line in "${lines[@]}"; do
        IFS=$'\x1f' read -r -a f <<<"$line"
        for i in 0 1 2 3 4 5; do
            w=$(width "${f[i]:-}")
            ((w > widths[i])) && widths[i]=$w
        done
    done
    echo
    echo "== summary: $KEFU, sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(nproc) CPUs," \
        "RSS by $RSS_TOOL," \
        "load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end =="
    for line in "${lines[@]}"; do
        IFS=$'\x1f' read -r -a f <<<"$line"
        local out=""
        for i in 0 1 2 3 4 5; do
            local cell=${f[i]:-}
            w=$(width "$cell")
            out+="$cell$(printf '%*s' $((widths[i] - w + 2)) '')"
        done
        echo "${out%"${out##*[![:space:]]}"}"
    done
    echo
    echo "Targets: kefu's import with its full-text index no slower than sqlite3 .import + FTS5"
    echo "trigram (ratio ≤ 1.00); peak RSS under 100 MB; list and search under 50 ms;"
    echo "suggest under 20 ms (500 user templates, 300 past replies)."
    echo "Details: $NOTES; outputs of every command in $WORK."
}

# mail, triage, triage_share, retag, due and report
source "$ROOT/bench/sections_more.sh"

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for section in $SECTIONS; do
    declare -F "section_$section" >/dev/null || die "no section '$section'"
    "section_$section"
done
print_summary
