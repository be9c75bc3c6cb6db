# Malformed input ends with a clear one-line error or with rejects: never a crash or a hang.
. "$(dirname "$0")/lib/common.sh"

kefu 0 init
# Every kefu run here must end within 60 s and without a signal.
guarded() {
    local want=$1
    shift
    local got=0
    timeout 60 "$KEFU" "$@" >"$T/out" 2>"$T/err" || got=$?
    [ "$got" -lt 124 ] || fail "crashed or hung (exit $got): $*"
    [ "$got" = "$want" ] || fail "exit $got, wanted $want: $* — $(head -c 300 "$T/err")"
    if [ "$got" = 1 ]; then
        [ "$(grep -c '^kefu: error: ' "$T/err")" = 1 ] || fail "not one error line: $(cat "$T/err")"
    fi
}

# Binary garbage.
head -c 300000 /dev/urandom > "$T/garbage.csv"
guarded 1 import "$T/garbage.csv"
contains err "kefu: error: no message column"

# Binary garbage after a good header: every line rejected, nothing crashes.
{ printf 'time,buyer,message\n'; head -c 200000 /dev/urandom; } > "$T/garbage2.csv"
guarded 4 import "$T/garbage2.csv"

# A 50 MB single field: rejected as too long, with its line; the next row still imports.
python3 - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("time,buyer,message\n2026-11-01 10:00,a,\"" + "长" * (50 * 1024 * 1024 // 3) + "\"\n")
    f.write("2026-11-01 10:01,b,after the big one\n")
PY
guarded 4 import "$T/big.csv"
contains out "1 new, 0 duplicate, 1 rejected"
same "$(sql "select count(*) from inquiry where body = 'after the big one'")" 1 "row after the big field"
rej=$(sed -n 's/.*reason: //p' "$T/out")
grep -q ',2,"record longer than 4 MiB"' "$rej" || fail "big field reason"

# NUL bytes inside a message.
printf 'time,buyer,message\n2026-11-01 10:00,a,nul\0inside\n2026-11-01 10:02,b,fine\n' > "$T/nul.csv"
guarded 4 import "$T/nul.csv"
contains out "1 new, 0 duplicate, 1 rejected"

# An empty file, a header-only file.
: > "$T/empty.csv"
guarded 1 import "$T/empty.csv"
contains err "kefu: error: nothing to import ($T/empty.csv): the file is empty"
printf 'time,buyer,message\n' > "$T/header.csv"
guarded 0 import "$T/header.csv"
contains out "0 new, 0 duplicate, 0 rejected"

# A missing file, a folder, an unreadable file.
guarded 1 import "$T/does-not-exist.csv"
contains err "kefu: error: cannot read ($T/does-not-exist.csv): No such file or directory"
mkdir -p "$T/folder"
guarded 1 import "$T/folder"
contains err "kefu: error:"
printf 'time,buyer,message\n' > "$T/noread.csv"
chmod 000 "$T/noread.csv"
if [ "$(id -u)" != 0 ]; then
    guarded 1 import "$T/noread.csv"
    contains err "Permission denied"
fi

# Nothing of the above left the database damaged.
guarded 0 check
