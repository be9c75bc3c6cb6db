# kefu import of CSV files: summary, duplicates, GBK, rejects and exit codes.
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
expect_out <<OUT
$SAMPLES/inquiries.csv: 66 new, 0 duplicate, 0 rejected (csv, UTF-8)
OUT
before=$(sql "select count(*), max(id), group_concat(status || is_head) from inquiry")
kefu 0 import "$SAMPLES/inquiries.csv" "$SAMPLES/inquiries-gbk.csv"
expect_out <<OUT
$SAMPLES/inquiries.csv: 0 new, 66 duplicate, 0 rejected (csv, UTF-8)
$SAMPLES/inquiries-gbk.csv: 0 new, 66 duplicate, 0 rejected (csv, GB18030)
OUT
same "$(sql "select count(*), max(id), group_concat(status || is_head) from inquiry")" "$before" "database changed"
same "$(sql "select count(*) from import")" 3 "import batches"

# The GBK file alone, into a new database: no --map, no --encoding.
kefu 0 --db "$T/gbk.db" import "$SAMPLES/inquiries-gbk.csv"
same "$(sqlite3 "$T/gbk.db" "select group_concat(body, '|') from (select body from inquiry order by id)")" \
     "$(sql "select group_concat(body, '|') from (select body from inquiry order by id)")" "GBK bodies"

# stdin, JSON summary.
printf 'time,buyer,message\n2026-11-01 10:00,stdin买家,从标准输入来的\n' | "$KEFU" --format json import - >"$T/out"
contains out '"source":"-"'
contains out '"new":1'

# Rejected records: exit 4, reject file beside the database with line and reason.
printf 'time,buyer,message\n2026-11-01 10:00,a,ok\n2026-99-01 10:00,b,bad date\n2026-11-01 11:00,c,"x"y"\n' > "$T/some-bad.csv"
kefu 4 import "$T/some-bad.csv"
contains out "$T/some-bad.csv: 1 new, 0 duplicate, 2 rejected (csv, UTF-8)"
contains out "rejected records with line and reason: $T/db/rejects/some-bad.csv-20261115-120000.csv"
rej="$T/db/rejects/some-bad.csv-20261115-120000.csv"
[ -f "$rej" ] || fail "no reject file"
same "$(stat -c %a "$rej")" 600 "reject file mode"
grep -q '^"'"$T"'/some-bad.csv",3,"\\"2026-99-01 10:00\\" is not a valid date' "$rej" ||
    grep -q ',3,".*not a valid date' "$rej" || fail "line 3 reason missing"
grep -q ',4,"text after a closing quote (line 4' "$rej" || fail "line 4 reason missing"
kefu 4 import "$T/some-bad.csv" --rejects "$T/mine.csv"
[ -f "$T/mine.csv" ] || fail "--rejects ignored"

# UTF-16 with a lone surrogate in one record: that record is rejected (never stored with
# U+FFFD), and the records after it still read in step.
python3 -c '
import sys
rows = "\ufefftime,buyer,message\n2026-11-01 10:00,甲,第一条\n".encode("utf-16-le")
rows += "2026-11-01 11:00,乙,坏".encode("utf-16-le") + b"\x00\xd8" + "了\n".encode("utf-16-le")
rows += "2026-11-01 12:00,丙,第三条\n".encode("utf-16-le")
open(sys.argv[1], "wb").write(rows)' "$T/u16.csv"
kefu 4 import "$T/u16.csv" --rejects "$T/u16-rejects.csv"
contains out "$T/u16.csv: 2 new, 0 duplicate, 1 rejected (csv, UTF-16LE)"
contains err "1 character(s) were not valid UTF-16LE"
grep -qF ',3,"column ""message"" holds characters that are not valid UTF-16LE (each shown as \xFF)","2026-11-01 11:00,乙,坏\xFF了"' \
    "$T/u16-rejects.csv" || fail "UTF-16 reject: $(cat "$T/u16-rejects.csv")"
same "$(sql "select count(*) from inquiry where body in ('第一条', '第三条')")" 2 "UTF-16 rows around the bad one"
same "$(sql "select count(*) from inquiry where body like '%坏%' or instr(body, char(65533)) > 0")" 0 \
    "UTF-16 bad record stored"

# --map, --dry-run, --delimiter.
printf 'Datum;Kunde;Nachricht\n2026-11-02 08:00;Hans;Wo ist mein Paket?\n' > "$T/de.csv"
kefu 1 import "$T/de.csv"
contains err "kefu: error: no message column ($T/de.csv:1): the headers are \"Datum\", \"Kunde\", \"Nachricht\""
contains err "--map body=HEADER"
kefu 0 import "$T/de.csv" --map body=Nachricht --map customer=Kunde --map received=Datum --dry-run
contains out "1 new, 0 duplicate, 0 rejected (csv, UTF-8) — dry run, nothing written"
same "$(sql "select count(*) from inquiry where body like 'Wo ist%'")" 0 "dry run wrote"
kefu 0 import "$T/de.csv" --map body=Nachricht --map customer=Kunde --map received=Datum
same "$(sql "select count(*) from inquiry where body = 'Wo ist mein Paket?'")" 1 "--map import"
kefu 2 import "$T/de.csv" --map nosuchfield=X
contains err "bad --map"
kefu 1 import "$T/de.csv" --map body=Missing
contains err "no such column"

# A preset, and an unknown one.
kefu 1 import "$T/de.csv" --preset nosuch
contains err "unknown preset (nosuch): built-in presets: alipay, generic"
