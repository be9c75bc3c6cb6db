# Shared set-up for the CLI tests: a private HOME, database, time zone and clock, and helpers
# that run the real kefu binary and compare what it prints. Source it first in every test.
# On failure the temporary folder is kept and its path printed; on success it is removed.
set -euo pipefail

: "${KEFU:?KEFU must name the kefu binary}"
: "${KEFU_SOURCE_DIR:?KEFU_SOURCE_DIR must name the source tree}"
T=$(mktemp -d /tmp/kefu-cli-XXXXXX)
export HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share" XDG_CONFIG_HOME="$T/home/.config"
export XDG_CACHE_HOME="$T/home/.cache"
export KEFU_DB="$T/db/kefu.db" TZ=Asia/Shanghai KEFU_NOW="2026-11-15 12:00" COLUMNS=100 NO_COLOR=1
unset KEFU_CONFIG
mkdir -p "$HOME"
SAMPLES="$KEFU_SOURCE_DIR/data/samples"
FAILED=0

finish() {
    local rc=$?
    if [ "$rc" -ne 0 ] || [ "$FAILED" -ne 0 ]; then
        echo "FAILED: files kept in $T" >&2
        exit 1
    fi
    rm -rf "$T"
}
trap finish EXIT

fail() {
    echo "not ok: $*" >&2
    FAILED=1
}

# run CODE CMD...: runs CMD, keeps its output in $T/out and $T/err, checks the exit code.
run() {
    local want=$1
    shift
    local got=0
    "$@" >"$T/out" 2>"$T/err" || got=$?
    if [ "$got" != "$want" ]; then
        fail "exit $got, wanted $want: $*"
        echo "--- stdout" >&2; head -c 2000 "$T/out" >&2
        echo "--- stderr" >&2; head -c 2000 "$T/err" >&2
    fi
}

# kefu CODE ARGS...: run the kefu binary.
kefu() {
    local want=$1
    shift
    run "$want" "$KEFU" "$@"
}

# expect_out: stdout of the last run equals stdin.
expect_out() {
    if ! diff -u - "$T/out" >"$T/diff"; then
        fail "stdout differs"
        cat "$T/diff" >&2
    fi
}

# expect_err: stderr of the last run equals stdin.
expect_err() {
    if ! diff -u - "$T/err" >"$T/diff"; then
        fail "stderr differs"
        cat "$T/diff" >&2
    fi
}

# contains FILE TEXT: FILE (out or err) of the last run contains TEXT.
contains() {
    if ! grep -qF -- "$2" "$T/$1"; then
        fail "$1 lacks: $2"
        echo "--- $1" >&2; head -c 2000 "$T/$1" >&2
    fi
}

lacks() {
    if grep -qF -- "$2" "$T/$1"; then
        fail "$1 should not contain: $2"
    fi
}

# same A B: two values are equal.
same() {
    if [ "$1" != "$2" ]; then
        fail "${3:-values differ}: '$1' != '$2'"
    fi
}

# sql QUERY: runs a query on the test database with the sqlite3 CLI (read only).
sql() {
    sqlite3 -readonly "$KEFU_DB" "$1"
}
