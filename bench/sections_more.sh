# More sections of kefu's benchmark, sourced by bench/run.sh (they use its helpers measure,
# check_rc, add_result, note, verdict, worst, median, query, generate, csv_of, stat_of and its
# variables KEFU, BUILD_DIR, ROOT, WORK, SIZES, RUNS, SEED):
#
#   mail          import of a generated mbox (bench/gen_mbox.py) against `notmuch new` on the
#                 same messages as a maildir; peak RSS of a small and a large mbox
#   triage        classification throughput on one core, text in memory (bench/triage_speed)
#   triage_share  CSV import with the built-in rules against one with every rule switched off
#   retag         `kefu retag --all` on the largest database of the csv section
#   due           `kefu due` on that database with BENCH_FOLLOWUPS open follow-ups added
#   report        `kefu report` (30 days) and `kefu report --since 365d` on that database
#
# Environment (besides run.sh's):
#   BENCH_MAIL_SIZES  messages of the generated mboxes (default "20000 100000"); the largest
#                     is also written as a maildir for notmuch, the baseline
#   BENCH_FOLLOWUPS   open follow-ups added for the due section (default 10000)
#   BENCH_SHARE_RUNS  imports with and without the rules in the triage_share section, each
#                     (default 3; the fastest counts)
#   BENCH_NOW         KEFU_NOW of the due and report sections (default "2026-01-01 00:00": the
#                     generated inquiries span 2025, so the default report covers its December)
#   TRIAGE_SPEED      the throughput program (default: bench/triage_speed in KEFU_BIN's build
#                     folder, built there when missing)

MAIL_SIZES=${BENCH_MAIL_SIZES:-20000 100000}
FOLLOWUPS=${BENCH_FOLLOWUPS:-10000}
SHARE_RUNS=${BENCH_SHARE_RUNS:-3}
BENCH_NOW=${BENCH_NOW:-2026-01-01 00:00}
TRIAGE_SPEED=${TRIAGE_SPEED:-$BUILD_DIR/bench/triage_speed}

for n in $MAIL_SIZES; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_MAIL_SIZES must be message counts, not '$n'"
done
[[ $FOLLOWUPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_FOLLOWUPS must be a number ≥ 1, not '$FOLLOWUPS'"
[[ $SHARE_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_SHARE_RUNS must be a number ≥ 1, not '$SHARE_RUNS'"

# at_least VALUE LIMIT: "ok" when VALUE ≥ LIMIT, else "MISS" (verdict knows only < and <=).
at_least() { awk -v v="$1" -v l="$2" 'BEGIN { print (v >= l) ? "ok" : "MISS" }'; }
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
smallest_size() { printf '%s\n' $SIZES | sort -n | head -n 1; }
largest_size() { printf '%s\n' $SIZES | sort -n | tail -n 1; }
# The value of "key":NUMBER in a JSON line.
json_number() { grep -o "\"$1\":[0-9]*" <<<"$2" | head -n 1 | cut -d: -f2 || true; }

# Mail import: `kefu import FILE.mbox` into a new database for every size of BENCH_MAIL_SIZES
# (messages per second, peak RSS), and as the baseline `notmuch new` over the largest set of
# messages written as a maildir (notmuch configured by a file in the work folder). Targets:
# kefu at least 5 times notmuch's messages per second, and a peak RSS that does not grow with
# the mbox (the largest under 1.5 times the smallest).
section_mail() {
    command -v notmuch >/dev/null || die "notmuch not found: it is the Debian package notmuch"
    local sizes n largest smallest mbox db json new rejected k_rate=0 k_cpu=0 rss_small=0
    local rss_large=0
    sizes=$(printf '%s\n' $MAIL_SIZES | sort -n | uniq)
    smallest=$(head -n 1 <<<"$sizes")
    largest=$(tail -n 1 <<<"$sizes")
    for n in $sizes; do
        echo "== mail import, $n messages =="
        mbox=$WORK/mail-$n.mbox
        local maildir_args=()
        [[ $n == "$largest" ]] && maildir_args=(--maildir "$WORK/maildir-$n")
        measure "gen-mail-$n" python3 "$ROOT/bench/gen_mbox.py" --messages "$n" --seed "$SEED" \
            --mbox "$mbox" "${maildir_args[@]}" --stats "$mbox.stats"
        check_rc "gen-mail-$n" 0
        note "generated $n messages, $(mb $(($(stat_of "$mbox.stats" bytes) / 1024))):" \
            "$(stat_of "$mbox.stats" base64) base64, $(stat_of "$mbox.stats" quoted_printable)" \
            "quoted-printable, $(stat_of "$mbox.stats" plain) 8bit/7bit," \
            "$(stat_of "$mbox.stats" gb) gb2312/gbk, $(stat_of "$mbox.stats" multipart)" \
            "multipart, $(stat_of "$mbox.stats" replies) replies (seed $SEED, $(secs "$M_SECS") s)"

        db=$WORK/mail-$n.db
        measure "kefu-mail-$n" "$KEFU" --db "$db" import --format jsonl \
            --rejects "$WORK/mail-rejects-$n.csv" "$mbox"
        check_rc "kefu-mail-$n" 0 4
        json=$(tail -n 1 "$WORK/kefu-mail-$n.out")
        new=$(json_number new "$json")
        rejected=$(json_number rejected "$json")
        note "kefu: $(secs "$M_SECS") s wall, $M_CPU s CPU, ${new:-?} new," \
            "$(json_number duplicate "$json") duplicate, ${rejected:-?} rejected," \
            "$(json_number flagged "$json") flagged, $(json_number skipped "$json") skipped" \
            "of $n messages, database $(mb $(($(stat -c %s "$db") / 1024)))"
        add_result "kefu messages imported (mbox)" "$n" "${new:-?} of $n" "-" "all" \
            "$([[ ${new:-} == "$n" ]] && echo ok || echo MISS)"
        add_result "kefu import (mbox)" "$n" \
            "$(secs "$M_SECS") s  $(awk -v n="$n" -v s="$M_SECS" \
                'BEGIN { printf "%.0f msg/s", n / s }')" \
            "$(mb "$M_RSS_KB")" "RSS < 100 MB" "$(verdict "$M_RSS_KB" "<" 102400)"
        [[ $n == "$smallest" ]] && rss_small=$M_RSS_KB
        [[ $n == "$largest" ]] && {
            rss_large=$M_RSS_KB
            k_rate=$(awk -v n="$n" -v s="$M_SECS" 'BEGIN { printf "%.1f", n / s }')
            k_cpu=$M_CPU
        }
    done

    n=$largest
    echo "== notmuch new, $n messages =="
    local cfg=$WORK/notmuch-config maildir=$WORK/maildir-$n count
    cat >"$cfg" <<EOF
[database]
path=$maildir
[user]
name=Bench Shop
primary_email=shop@example.com
[new]
tags=unread;inbox;
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
EOF
    measure "notmuch-new-$n" env NOTMUCH_CONFIG="$cfg" notmuch new --quiet
    check_rc "notmuch-new-$n" 0
    local n_secs=$M_SECS n_cpu=$M_CPU n_rss=$M_RSS_KB n_rate
    count=$(NOTMUCH_CONFIG=$cfg notmuch count '*')
    [[ $count == "$n" ]] || note "WARNING: notmuch indexed $count messages, not $n"
    n_rate=$(awk -v n="$n" -v s="$n_secs" 'BEGIN { printf "%.1f", n / s }')
    note "notmuch new: $(secs "$n_secs") s wall, $n_cpu s CPU, $count messages," \
        "database $(du -sh "$maildir/.notmuch" | cut -f1)"
    add_result "notmuch new (maildir)" "$n" \
        "$(secs "$n_secs") s  $(printf '%.0f' "$n_rate") msg/s" "$(mb "$n_rss")" "(baseline)" "-"
    local ratio
    ratio=$(ratio_of "$k_rate" "$n_rate")
    add_result "mail msg/s kefu / notmuch" "$n" "$ratio" "-" ">= 5.00" "$(at_least "$ratio" 5)"
    # CPU seconds per message, notmuch / kefu: the same comparison, much less moved by load.
    ratio=$(ratio_of "$n_cpu" "$k_cpu")
    add_result "mail CPU time notmuch / kefu" "$n" "$ratio" "-" "(load-independent)" "-"
    if [[ $smallest != "$largest" ]]; then
        ratio=$(ratio_of "$rss_large" "$rss_small")
        add_result "mail peak RSS ${largest} / ${smallest}" "$n" "$ratio" "-" "< 1.50" \
            "$(verdict "$ratio" "<" 1.5)"
    fi
}

# Classification throughput on one core with the built-in rules, the texts of the smallest
# generated CSV held in memory (bench/triage_speed; best of 3 rounds of thread CPU time).
section_triage() {
    local n file rate
    n=$(smallest_size)
    echo "== triage throughput, texts of the $n-row CSV =="
    generate "$n"
    file=$(csv_of "$n")
    if [[ ! -x $TRIAGE_SPEED ]]; then
        [[ -f $BUILD_DIR/CMakeCache.txt ]] || die "triage_speed not found: $TRIAGE_SPEED"
        echo "bench: building triage_speed in $BUILD_DIR" >&2
        cmake --build "$BUILD_DIR" --target triage_speed >/dev/null ||
            die "cannot build triage_speed"
    fi
    measure "triage-speed-$n" "$TRIAGE_SPEED" --csv "$file" --rounds 3
    check_rc "triage-speed-$n" 0
    rate=$(stat_of "$WORK/triage-speed-$n.out" rate)
    note "classify: $(stat_of "$WORK/triage-speed-$n.out" texts) texts of" \
        "$(stat_of "$WORK/triage-speed-$n.out" bytes) bytes on average," \
        "$(stat_of "$WORK/triage-speed-$n.out" other) of them 'other', best round" \
        "$(stat_of "$WORK/triage-speed-$n.out" seconds) s CPU"
    add_result "classify, 1 core, in memory (best of 3)" "$n" "$rate inquiries/s" \
        "$(mb "$M_RSS_KB")" ">= 200000/s" "$(at_least "$rate" 200000)"
}

# What triage costs the import: the smallest CSV into a new database with the built-in rules,
# and with a rules file that switches every built-in rule off (`kefu import --rules`),
# BENCH_SHARE_RUNS times each, alternating, the fastest run of each counted. The verdict is on
# CPU time, which other work on the machine disturbs much less than wall time; the wall-time
# share is printed beside it.
section_triage_share() {
    local n file off mode i
    n=$(smallest_size)
    echo "== triage share of the import, $n rows, $SHARE_RUNS runs each =="
    generate "$n"
    file=$(csv_of "$n")
    off=$WORK/rules-off.toml
    sed -n 's/^id *= *\("[^"]*"\).*/[[rule]]\nid = \1\nenabled = false\n/p' \
        "$ROOT/data/rules.toml" >"$off"
    note "rules off: $(grep -c '^id' "$off") built-in rules switched off in $off"
    local -A wall cpu rss runs
    for ((i = 1; i <= SHARE_RUNS; i++)); do
        for mode in on off; do
            local args=() name=import-rules-$mode-$n-$i
            [[ $mode == off ]] && args=(--rules "$off")
            rm -f "$WORK/rules-$mode-$n.db"*
            measure "$name" "$KEFU" --db "$WORK/rules-$mode-$n.db" import --format jsonl \
                --rejects "$WORK/rules-$mode-rejects-$n.csv" "${args[@]}" "$file"
            check_rc "$name" 0 4
            runs[$mode]+="$(secs "$M_SECS")/$M_CPU "
            if [[ -z ${cpu[$mode]:-} ]] || awk -v a="$M_CPU" -v b="${cpu[$mode]}" \
                'BEGIN { exit !(a < b) }'; then
                cpu[$mode]=$M_CPU
            fi
            if [[ -z ${wall[$mode]:-} ]] || awk -v a="$M_SECS" -v b="${wall[$mode]}" \
                'BEGIN { exit !(a < b) }'; then
                wall[$mode]=$M_SECS
            fi
            rss[$mode]=$M_RSS_KB
        done
    done
    for mode in on off; do
        note "import with rules $mode, wall/CPU seconds of each run: ${runs[$mode]}"
        add_result "kefu import, rules $mode (best of $SHARE_RUNS)" "$n" \
            "$(secs "${wall[$mode]}") s  ${cpu[$mode]} s CPU" "$(mb "${rss[$mode]}")" "-" "-"
    done
    local other
    other=$(sqlite3 "$WORK/rules-off-$n.db" "SELECT count(*) FROM inquiry WHERE category != 0")
    [[ $other == 0 ]] || note "WARNING: $other inquiries got a category with every rule off"
    local share_cpu share_wall
    share_cpu=$(awk -v a="${cpu[on]}" -v b="${cpu[off]}" \
        'BEGIN { printf "%.1f", (b > 0) ? (a - b) / b * 100 : 0 }')
    share_wall=$(awk -v a="${wall[on]}" -v b="${wall[off]}" \
        'BEGIN { printf "%.1f", (b > 0) ? (a - b) / b * 100 : 0 }')
    add_result "triage adds to import (CPU)" "$n" "+$share_cpu%" "-" "< 20%" \
        "$(verdict "$share_cpu" "<" 20)"
    add_result "triage adds to import (wall)" "$n" "+$share_wall%" "-" "(load-dependent)" "-"
}

# `kefu retag --all` on the largest database of the csv section: every inquiry classified
# again and its stored category, tags and score updated. Target: under 30 s.
section_retag() {
    local n db
    n=$(largest_size)
    db=$WORK/kefu-$n.db
    [[ -f $db ]] || die "section retag needs the csv section's database $db"
    echo "== retag --all on the $n-row database =="
    measure "retag-$n" "$KEFU" --db "$db" retag --all
    check_rc "retag-$n" 0
    note "retag: $(secs "$M_SECS") s wall, $M_CPU s CPU; $(tail -n 1 "$WORK/retag-$n.err")"
    add_result "kefu retag --all" "$n" "$(secs "$M_SECS") s  $(rate "$n" "$M_SECS")" \
        "$(mb "$M_RSS_KB")" "< 30 s" "$(verdict "$M_SECS" "<" 30)"
}

# The largest database as a seller who works the queue would have it: a copy of the csv
# section's database in which every conversation whose last message is more than 3 days older
# than BENCH_NOW is answered 2 hours after each message and resolved a day later. The generated
# inquiries are never answered, so in the database as imported all of them are open and past
# their SLA: `kefu due` lists every thread and the report's backlog is the whole history.
# Sets WORKED_DB; made once per run.
worked_db() {
    local n=$1 src now
    src=$WORK/kefu-$n.db
    WORKED_DB=$WORK/kefu-$n-worked.db
    [[ -f $WORKED_DB ]] && return 0
    now=$(TZ=Asia/Shanghai date -d "$BENCH_NOW" +%s) || die "bad BENCH_NOW '$BENCH_NOW'"
    measure "worked-db-$n" sqlite3 "$src" ".backup '$WORKED_DB'"
    check_rc "worked-db-$n" 0
    measure "worked-db-$n" sqlite3 "$WORKED_DB" "UPDATE inquiry SET status = 3,
        first_response_at = received_at + 7200, resolved_at = received_at + 86400
        WHERE thread_id IN (SELECT thread_id FROM inquiry GROUP BY thread_id
                            HAVING max(received_at) < $now - 3 * 86400);
        SELECT count(*) FROM inquiry WHERE is_head = 1 AND status < 3;"
    check_rc "worked-db-$n" 0
    note "worked queue: $(cat "$WORK/worked-db-$n.out") conversations still open in" \
        "$WORKED_DB (the others answered and resolved)"
}

# add_followups DB: BENCH_FOLLOWUPS open follow-ups on inquiries spread over DB, due from 30
# days before BENCH_NOW to 30 days after (the same ones on every database of one size).
add_followups() {
    local db=$1 n=$2 now step name
    now=$(TZ=Asia/Shanghai date -d "$BENCH_NOW" +%s) || die "bad BENCH_NOW '$BENCH_NOW'"
    step=$((n / FOLLOWUPS))
    ((step > 0)) || step=1
    name=followups-$(basename "$db" .db)
    measure "$name" sqlite3 "$db" "DELETE FROM followup WHERE note = 'bench';
        INSERT INTO followup (inquiry_id, due_at, note, created_at)
        SELECT id, $now - 30 * 86400 + (id * 7919) % (60 * 86400), 'bench', $now - 40 * 86400
        FROM inquiry WHERE id % $step = 0 ORDER BY id LIMIT $FOLLOWUPS;
        SELECT count(*), sum(due_at <= $now) FROM followup WHERE done_at IS NULL;"
    check_rc "$name" 0
    note "follow-ups in $(basename "$db"):" \
        "$(tr '|' ' ' <"$WORK/$name.out" | awk '{ print $1 " open, " $2 }') due at $BENCH_NOW"
}

# `kefu due` at BENCH_NOW with BENCH_FOLLOWUPS open follow-ups, on the largest database as
# imported (nothing ever answered: every thread is an SLA breach and is listed) and as a
# worked queue (worked_db). Target: a median under 20 ms.
section_due() {
    local n db items
    n=$(largest_size)
    db=$WORK/kefu-$n.db
    [[ -f $db ]] || die "section due needs the csv section's database $db"
    echo "== due on the $n-row database, $FOLLOWUPS follow-ups =="
    worked_db "$n"
    add_followups "$db" "$n"
    add_followups "$WORKED_DB" "$n"
    export KEFU_NOW=$BENCH_NOW
    QUERY_LIMIT_MS=20 query "kefu due (worked queue)" "due-worked-$n" "$n" --db "$WORKED_DB" due
    items=$(($(wc -l <"$WORK/due-worked-$n-1.out") - 1))
    note "kefu due on the worked queue listed $items items"
    QUERY_LIMIT_MS=20 query "kefu due (nothing answered)" "due-$n" "$n" --db "$db" due
    items=$(($(wc -l <"$WORK/due-$n-1.out") - 1))
    note "kefu due on the database as imported listed $items items"
    QUERY_LIMIT_MS=20 query "kefu due --limit 20 (nothing answered)" "due-limit-$n" "$n" \
        --db "$db" due --limit 20
    unset KEFU_NOW
}

# `kefu report` at BENCH_NOW, the default 30 days and a year, on the largest database as a
# worked queue and as imported (where the backlog is every conversation). Target: a median
# under 500 ms.
section_report() {
    local n db
    n=$(largest_size)
    db=$WORK/kefu-$n.db
    [[ -f $db ]] || die "section report needs the csv section's database $db"
    echo "== report on the $n-row database =="
    worked_db "$n"
    export KEFU_NOW=$BENCH_NOW
    QUERY_LIMIT_MS=500 query "kefu report (worked queue)" "report-worked-$n" "$n" \
        --db "$WORKED_DB" report
    QUERY_LIMIT_MS=500 query "kefu report --since 365d (worked queue)" "report-year-worked-$n" \
        "$n" --db "$WORKED_DB" report --since 365d
    QUERY_LIMIT_MS=500 query "kefu report (nothing answered)" "report-$n" "$n" --db "$db" report
    QUERY_LIMIT_MS=500 query "kefu report --since 365d (nothing answered)" "report-year-$n" \
        "$n" --db "$db" report --since 365d
    unset KEFU_NOW
}
