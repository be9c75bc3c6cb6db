# kefu import of CSV files: summary, duplicates, GBK, rejects and exit codes.
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
expect_out <<OUT
$SAMPLES/inquiries.csv: 66 new, 0 duplicate, 0 rejected (csv, UTF-8)
OUT
# A buyer's messages about one order are one conversation, even with a message about another
# order in between (Q1051 is about order …232, Q1062 about …231 again).
same "$(sql "select count(distinct thread_id) from inquiry where external_id in ('Q1036', 'Q1047', 'Q1062')")" 1 \
    "one thread per order"
same "$(sql "select count(*) from inquiry where external_id = 'Q1051' and thread_id = id")" 1 \
    "another order, another thread"
same "$(sql "select group_concat(h.external_id) from inquiry i join inquiry h on h.thread_id = i.thread_id
    and h.is_head = 1 where i.external_id = 'Q1036'")" Q1062 "the latest message is the head"
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
kefu 2 import "$T/de.csv" --preset nosuch
contains err "bad --preset: \"nosuch\": built-in presets: alipay, generic"

# A header that names only the message column, on the first line, is the header; traditional
# characters in a header are read as simplified (買家 is 买家).
printf '留言\n你好在吗\n' > "$T/only-body.csv"
kefu 0 --db "$T/one.db" import "$T/only-body.csv"
contains out "1 new, 0 duplicate, 0 rejected"
printf 'foo,message\nx,hi there\n' > "$T/foo-message.csv"
kefu 0 --db "$T/one.db" import "$T/foo-message.csv"
contains out "1 new, 0 duplicate, 0 rejected"
printf '買家,留言,時間\n陳,請問有貨嗎,2026-11-01 10:00\n' > "$T/trad.csv"
kefu 0 --db "$T/one.db" import "$T/trad.csv"
same "$(sqlite3 "$T/one.db" "select c.name || ' ' || datetime(i.received_at, 'unixepoch') from inquiry i
    join customer c on c.id = i.customer_id where i.body = '請問有貨嗎'")" "陳 2026-11-01 02:00:00" \
    "traditional headers"

# Without a time column, importing the file again adds nothing: the buyer and text are the record.
printf '买家,留言\n小王,你好在吗\n小李,你好在吗\n' > "$T/no-time.csv"
kefu 0 --db "$T/nt.db" import "$T/no-time.csv"
contains out "2 new, 0 duplicate, 0 rejected"
KEFU_NOW=2026-11-16T09:00:00+08:00 kefu 0 --db "$T/nt.db" import "$T/no-time.csv"
contains out "0 new, 2 duplicate, 0 rejected"
same "$(sqlite3 "$T/nt.db" "select count(*) from inquiry")" 2 "no-time rows after a second import"

# Several files: one that cannot be read is reported and the others are imported (exit 1).
printf '买家,留言,时间\n小明,有XL码吗,2026-11-20 10:00\n' > "$T/c1.csv"
printf 'foo,bar\nx,hi\n' > "$T/c2.csv"
printf '买家,留言,时间\n小红,退货地址,2026-11-20 11:00\n' > "$T/c3.csv"
kefu 1 --db "$T/multi.db" import "$T/c1.csv" "$T/c2.csv" "$T/nosuch.csv" "$T/c3.csv"
contains out "$T/c1.csv: 1 new"
contains out "$T/c3.csv: 1 new"
contains err "kefu: error: no message column ($T/c2.csv:1)"
contains err "kefu: error: cannot read ($T/nosuch.csv)"
contains err "kefu: error: 2 of 4 inputs not imported: $T/c2.csv, $T/nosuch.csv"
same "$(sqlite3 "$T/multi.db" "select group_concat(body, '|') from inquiry")" "有XL码吗|退货地址" \
    "the readable inputs"

# A spreadsheet saved as a workbook instead of a CSV: said so in one short line.
python3 -c "import zipfile; z = zipfile.ZipFile('$T/orders.xlsx', 'w'); z.writestr('a.xml', 'x' * 300); z.close()"
kefu 1 import "$T/orders.xlsx"
contains err "kefu: error: not a CSV file ($T/orders.xlsx): it is a zip archive, such as an Excel workbook (.xlsx)"
contains err "save it as CSV"
[ "$(wc -c < "$T/err")" -lt 400 ] || fail "long error for a workbook: $(cat "$T/err")"
# A file with many headers and none for the message: the error quotes the first 12, each cut
# at 40 columns.
python3 -c "print(','.join('column number %d with a rather long name' % i for i in range(30)) + ',' + 'y' * 300)
print(','.join(['x'] * 31))" > "$T/wide.csv"
kefu 1 import "$T/wide.csv"
contains err '"column number 11 with a rather long name" and 19 more'
[ "$(head -n 1 "$T/err" | wc -c)" -lt 700 ] || fail "long error for many headers: $(head -c 300 "$T/err")"

# Line ends inside a quoted field are stored as "\n", whatever the file used.
printf 'buyer,message,time\r\nA,"第一行\r\n第二行",2026-11-01 10:00\r\nB,"one\rtwo",2026-11-01 11:00\r\n' \
    > "$T/crlf.csv"
kefu 0 --db "$T/crlf.db" import "$T/crlf.csv"
same "$(sqlite3 "$T/crlf.db" "select count(*) from inquiry where instr(body, char(13)) > 0")" 0 "CR stored"
same "$(sqlite3 "$T/crlf.db" "select group_concat(replace(body, char(10), '/'), '|') from inquiry")" \
    "第一行/第二行|one/two" "line ends"

# --rejects FILE is added to, never overwritten; several inputs can share it.
printf 'buyer,message,time\nA,,2026-11-01 10:00\n' > "$T/r1.csv"
printf 'buyer,message,time\nB,x,notadate\n' > "$T/r2.csv"
kefu 4 --db "$T/rj.db" import "$T/r1.csv" --rejects "$T/shared-rejects.csv"
kefu 4 --db "$T/rj.db" import "$T/r2.csv" "$T/r1.csv" --rejects "$T/shared-rejects.csv"
same "$(grep -c '^input,line,reason,record' "$T/shared-rejects.csv")" 1 "reject file header"
same "$(grep -c "r1.csv\",2," "$T/shared-rejects.csv")" 2 "r1 rejects kept"
same "$(grep -c "r2.csv\",2," "$T/shared-rejects.csv")" 1 "r2 reject added"

# A dry run writes no reject file, and says which records it would reject and why.
kefu 4 --db "$T/dry.db" import "$T/r1.csv" "$T/r2.csv" --dry-run
contains err "kefu: $T/r1.csv: would reject line 2: empty message (the message column is blank)"
contains err "kefu: $T/r2.csv: would reject line 2: cannot read \"notadate\" as a time"
[ ! -e "$T/dry.db" ] || fail "a dry run made a database"
