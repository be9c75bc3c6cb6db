#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz (clang-14, ASan+UBSan) and runs each for
# FUZZ_SECONDS (default 60). Prints executions per second, coverage and corpus size per
# target; exits non-zero when any target crashed, leaked, timed out or ran out of memory.
#
#   FUZZ_SECONDS=600 bash fuzz/run.sh          every target, ten minutes each
#   FUZZ_TARGETS="csv time" bash fuzz/run.sh   a subset
#
# Seeds are copied into build-fuzz/seeds (see seeds.sh); what libFuzzer finds is kept in
# build-fuzz/corpus/<target> and reused by the next run; crashing inputs land in
# build-fuzz/crashes/<target>/. A crash input that is fixed belongs in
# tests/corpora/fuzz-regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${JOBS:-2}
targets=${FUZZ_TARGETS:-"csv mail_message mbox rules templates time config"}
cc=${FUZZ_CC:-clang-14}
cxx=${FUZZ_CXX:-clang++-14}

# The longest input each target is given: large enough for real files of its kind, small
# enough to keep executions fast.
max_len() {
    case $1 in
        csv) echo 65536 ;;
        mail_message) echo 131072 ;;
        mbox) echo 262144 ;;
        rules | templates) echo 16384 ;;
        time) echo 512 ;;
        config) echo 4096 ;;
        *) echo 4096 ;;
    esac
}

if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=$cc CXX=$cxx cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DKEFU_FUZZ=ON -DKEFU_SANITIZE=ON
fi
build_targets=()
for t in $targets; do
    build_targets+=(--target "fuzz_$t")
done
cmake --build "$build" -j "$jobs" "${build_targets[@]}"

bash "$root/fuzz/seeds.sh" "$root" "$build/seeds" "${KEFU_CORPORA:-$root/../shared/corpora}" >/dev/null

# Leaks are bugs too; GMime and GLib keep one-time global state, which is still reachable
# at exit and so not reported.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
summary=()
for t in $targets; do
    corpus=$build/corpus/$t
    crashes=$build/crashes/$t
    log=$build/logs/$t.log
    mkdir -p "$corpus" "$crashes" "$build/logs"
    echo "== fuzz_$t: ${seconds}s, max_len $(max_len "$t")"
    rc=0
    "$build/fuzz/fuzz_$t" "$corpus" "$build/seeds/$t" \
        -max_total_time="$seconds" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout=20 \
        -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || rc=$?
    # The last status line has the coverage ("cov: N ft: M corp: K/size").
    status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
    corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$status")
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
    eps=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
    rss=$(sed -nE 's/^stat::peak_rss_mb: *([0-9]+)/\1/p' "$log")
    result=ok
    if [ "$rc" -ne 0 ]; then
        result="FAILED (exit $rc, see $log and $crashes)"
        failed+=("$t")
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 || true
    fi
    line=$(printf '%-13s %8s runs %6s exec/s  cov %6s  ft %6s  corpus %5s  rss %5s MB  %s' \
        "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$result")
    echo "$line"
    summary+=("$line")
done

echo
echo "fuzz summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "crashes in: ${failed[*]}" >&2
    exit 1
fi
