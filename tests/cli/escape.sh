# Terminal escapes in buyer text: names, subjects, bodies, order ids, notes and mail headers
# holding ESC sequences (colour, clear screen, window title), other C0 controls, DEL and C1
# controls (U+009B, the one-byte CSI) never reach the terminal raw. Every command that shows
# buyer text prints them escaped (\e[31m …), in a table, on a (fake) terminal and in JSON.
. "$(dirname "$0")/lib/common.sh"

# scan FILE WHAT: fails when FILE holds a raw control byte other than newline and tab: C0,
# DEL, a C1 control in UTF-8 (U+0080–U+009F) or a lone 0x80–0x9F byte that is no part of a
# UTF-8 sequence. `allow_sgr` lets kefu's own colour codes (ESC [ digits m) through.
scan() {
    python3 - "$1" "$2" "${3:-}" <<'PY'
import re, sys
path, what, allow = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(path, "rb").read()
if allow == "allow_sgr":
    data = re.sub(rb"\x1b\[[0-9;]*m", b"", data)
if allow in ("tty", "allow_sgr"):
    data = data.replace(b"\r\n", b"\n")  # the pty turns \n into \r\n
text = data.decode("utf-8", errors="surrogateescape")
bad = [(i, hex(ord(c))) for i, c in enumerate(text)
       if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
       or 0xdc80 <= ord(c) <= 0xdc9f]
if bad:
    at = bad[0][0]
    print(f"{what}: raw control characters at {bad[:5]}: {text[max(0, at - 40):at + 20]!r}")
    sys.exit(1)
PY
}

# check_cmd WHAT ARGS...: runs kefu ARGS as a table, as JSON, JSONL, TSV and CSV (when it takes
# --format) and on a fake terminal; none may hold a raw control byte.
check_cmd() {
    local what=$1
    shift
    kefu 0 "$@"
    scan "$T/out" "$what (table)" || fail "$what: raw control in table output"
    scan "$T/err" "$what (stderr)" || fail "$what: raw control on stderr"
    cp "$T/out" "$T/last-table"
    local f
    for f in json jsonl tsv csv; do
        if "$KEFU" "$@" --format "$f" >"$T/out.$f" 2>/dev/null; then
            scan "$T/out.$f" "$what ($f)" || fail "$what: raw control in $f output"
        fi
    done
    # On a terminal, without colour and with it (kefu's own SGR codes allowed).
    local cmd
    cmd=$(printf '%q ' "$KEFU" "$@")
    script -qec "$cmd" /dev/null >"$T/tty.out" 2>&1 </dev/null || fail "$what: failed on a terminal"
    scan "$T/tty.out" "$what (terminal)" tty || fail "$what: raw control on a terminal"
    env -u NO_COLOR script -qec "$cmd" /dev/null >"$T/tty-color.out" 2>&1 </dev/null ||
        fail "$what: failed on a colour terminal"
    scan "$T/tty-color.out" "$what (colour terminal)" allow_sgr ||
        fail "$what: raw control on a colour terminal"
    # The input's own sequences must not survive even where colour codes are allowed.
    if grep -aqF $'\e[31mRED' "$T/tty-color.out" || grep -aqF $'\e]0;' "$T/tty-color.out" ||
       grep -aqF $'\e[2J' "$T/tty-color.out"; then
        fail "$what: input escape sequence reached a colour terminal"
    fi
}

# A CSV whose name, subject, order id, product and body hold escapes.
python3 - "$T/evil.csv" <<'PY'
import sys
esc = "\x1b"
rows = [
    ("E1", "2026-11-14 10:00", f"Mallory{esc}[31mRED{esc}[0m", f"m{esc}[2J@example.com",
     f"ord{esc}]0;pwned{chr(7)}", f"pro{chr(0x9b)}31mduct", f"subj {esc}[31mRED bell{chr(7)}",
     f"退款 refund {esc}]0;title{chr(7)} back{chr(8)}space nul-ish{chr(1)} del{chr(0x7f)} "
     f"csi{chr(0x9b)}2J end {esc}[2J"),
    ("E2", "2026-11-14 11:00", f"张{esc}[5m伟", "13800000001", "E20261114", "手机壳",
     "second", f"快递 where is my parcel{chr(0x85)} {esc}[31mRED again"),
]
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("id,time,buyer,contact,order,product,subject,message\n")
    for r in rows:
        f.write(",".join('"' + c.replace('"', '""') + '"' for c in r) + "\n")
PY
kefu 0 import "$T/evil.csv"
contains out "2 new"

# A mail with escapes in encoded and raw headers, a quoted-printable C1 and a raw 0x9B byte.
printf '%s\r\n' \
    'From: "Eve =?utf-8?q?=1B=5B31mRED?=" <eve@example.com>' \
    'To: shop@example.com' \
    "Subject: =?utf-8?b?$(printf '\033]0;title\007 退款' | base64 -w0)?= plain$(printf '\033')[2J" \
    'Date: Fri, 14 Nov 2026 09:00:00 +0800' \
    'Message-ID: <evil-1@example.com>' \
    'MIME-Version: 1.0' \
    'Content-Type: text/plain; charset=utf-8' \
    'Content-Transfer-Encoding: quoted-printable' \
    '' \
    'Hello =1B[31mRED=1B[0m and a C1 =C2=9B2J and OSC =1B]0;title=07 退款' \
    > "$T/evil.eml"
printf 'raw byte \x9b[2J and \x1b[31mRED raw\r\n' >> "$T/evil.eml"
kefu 0 import "$T/evil.eml"
contains out "1 new"

ids=$(sql "select id from inquiry order by id" | tr '\n' ' ')
cust=$(sql "select customer_id from inquiry where external_id = 'E1'")
mail_id=$(sql "select id from inquiry where source like '%evil-1%' or external_id like '%evil-1%'")
[ -n "$mail_id" ] || mail_id=3

# A note and a follow-up note with escapes, shown by show, log and due.
kefu 0 note 1 "$(printf 'note \033[31mRED\033[0m \033]0;title\007 \302\233X')"
kefu 0 followup 1 --at "2026-11-15 13:00" --note "$(printf 'call \033[31mRED\033[0m\007')"
kefu 0 followup "$mail_id" --at "2026-11-15 13:00"

check_cmd "list" list --status all
contains last-table '\e[31mRED'
check_cmd "list --no-mask" list --status all --no-mask
for id in $ids; do
    check_cmd "show $id" show "$id"
    check_cmd "show --full $id" show "$id" --full
    check_cmd "log $id" log "$id"
    check_cmd "explain $id" explain "$id"
done
kefu 0 show 1
contains out '\e[31mRED'
contains out '\e]0;title\x07'
contains out '\u009b2J'
kefu 0 show "$mail_id"
contains out '\e[31mRED'
check_cmd "search" search 退款
check_cmd "search parcel" search parcel
check_cmd "customer show" customer show "$cust"
check_cmd "customer list" customer list --no-mask
export KEFU_NOW="2026-11-15 14:00"
check_cmd "due" due
contains last-table 'call \e[31mRED'
check_cmd "report" report --since 30d
check_cmd "followup list" followup list --all

# export on a terminal shows the escapes as list and show do, as CSV, --excel, JSON and JSONL;
# to a pipe or a file it stays byte for byte, so that the file imports back the same.
for args in "" "--excel" "--format json" "--format jsonl"; do
    script -qec "$(printf '%q ' "$KEFU" export --no-mask) $args" /dev/null >"$T/tty.out" 2>&1 </dev/null ||
        fail "export $args: failed on a terminal"
    # The pty makes every \n a \r\n; --excel's own CRLF line ends are kept on a terminal.
    python3 - "$T/tty.out" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[1], "wb").write(re.sub(rb"\r+\n", b"\n", data))
PY
    scan "$T/tty.out" "export $args (terminal)" || fail "export $args: raw control on a terminal"
    case "$args" in
        *json*) grep -aqF '\u001b[31mRED' "$T/tty.out" || fail "export $args: no \\u001b on a terminal" ;;
        *) grep -aqF '\e[31mRED' "$T/tty.out" || fail "export $args: no \\e on a terminal" ;;
    esac
    grep -aqF 'pro\u009b31mduct' "$T/tty.out" || fail "export $args: C1 control not shown escaped"
done
kefu 0 export --no-mask
grep -aqF $'\e[31mRED' "$T/out" || fail "export to a pipe is no longer exact"
kefu 0 export --no-mask --format jsonl
python3 - "$T/out" <<'PY' || fail "export --format jsonl to a pipe is no longer exact"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert any(r["product"] == "pro\x9b31mduct" for r in rows), [r["product"] for r in rows]
PY
kefu 0 export --no-mask -o "$T/evil-export.csv"
KEFU_DB="$T/evil-copy.db" kefu 0 import "$T/evil-export.csv"
q="SELECT i.external_id, c.name, i.contact, i.order_id, i.product, i.subject, i.body FROM inquiry i
   LEFT JOIN customer c ON c.id = i.customer_id ORDER BY i.external_id"
sqlite3 -readonly "$KEFU_DB" ".mode quote" "$q" >"$T/evil-original.txt"
sqlite3 -readonly "$T/evil-copy.db" ".mode quote" "$q" >"$T/evil-copy.txt"
same "$(sql "SELECT count(*) FROM inquiry")" 3 "inquiries to compare"
diff -u "$T/evil-original.txt" "$T/evil-copy.txt" >&2 || fail "the export changed escapes on the way to a file"

# An attachment's name is buyer text too: show lists it escaped.
printf '%s\r\n' \
    'From: Eve <eve@example.com>' \
    'To: shop@example.com' \
    'Subject: see the attached' \
    'Date: Fri, 14 Nov 2026 09:30:00 +0800' \
    'Message-ID: <evil-2@example.com>' \
    'MIME-Version: 1.0' \
    'Content-Type: multipart/mixed; boundary="b"' \
    '' \
    '--b' \
    'Content-Type: text/plain; charset=utf-8' \
    '' \
    'the file' \
    '--b' \
    'Content-Type: application/octet-stream' \
    "Content-Disposition: attachment; filename*=utf-8''bad%1B%5B31mRED%1B%5D0%3Btitle%07.txt" \
    '' \
    'hello' \
    '--b--' > "$T/evil-attach.eml"
kefu 0 import "$T/evil-attach.eml"
contains out "1 new"
att_id=$(sql "select id from inquiry where external_id like '%evil-2%'")
check_cmd "show attachment" show "$att_id"
contains last-table 'bad\e[31mRED\e]0;title\x07.txt'
