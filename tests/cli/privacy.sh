# kefu purge / forget / redact: after purge no table, no search and no byte of the database
# file holds the buyer; after forget the report's counts are the same and the personal data is
# gone; confirmation on a terminal, --yes in scripts, exit 2 without either.
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
zhang=$(sql "SELECT customer_id FROM inquiry WHERE external_id = 'Q1006'")
first=$(sql "SELECT min(id) FROM inquiry WHERE customer_id = $zhang")
thread=$(sql "SELECT thread_id FROM inquiry WHERE id = $first")
# Around his first conversation: a reply naming him, a follow-up and a note with his phone,
# all about him and to be purged with him.
sqlite3 "$KEFU_DB" "INSERT INTO reply(inquiry_id, template_id, text, sent_at) VALUES ($first, 'ack', '张伟您好，手表已补发', 1794000000);
                    INSERT INTO followup(inquiry_id, due_at, note, created_at) VALUES ($first, 1794800000, '回电 13812345678', 1794000000);
                    INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES ($first, $zhang, 1794000000, 'note', '张伟说下午在家');
                    PRAGMA wal_checkpoint(TRUNCATE);"
# in_file TEXT: the database file or its WAL holds TEXT (read whole: no grep -q in a pipe
# under pipefail).
in_file() {
    cat "$KEFU_DB" "$KEFU_DB-wal" >"$T/bytes" 2>/dev/null || true
    grep -a -q -- "$1" "$T/bytes"
}
in_file "合并一个包裹" || fail "the test text is not in the file to begin with"

# Without a terminal and without --yes: refused, nothing deleted.
kefu 2 purge --customer 13812345678 </dev/null
contains err "add --yes"
same "$(sql "SELECT count(*) FROM inquiry WHERE customer_id = $zhang")" 6 "refused purge deleted something"
# On a terminal it asks; "n" keeps everything.
printf 'n\n' | script -qec "$KEFU purge --customer 13812345678" /dev/null >"$T/tty" 2>&1 && fail "declined purge exited 0"
grep -q "Delete customer #$zhang (张伟) and everything about them" "$T/tty" || fail "no question on the terminal"
grep -q "nothing deleted" "$T/tty" || fail "declining said nothing"
same "$(sql "SELECT count(*) FROM inquiry WHERE customer_id = $zhang")" 6 "declined purge deleted something"

tags=$(sql "SELECT count(*) FROM tag WHERE inquiry_id IN (SELECT id FROM inquiry WHERE customer_id = $zhang)")
kefu 0 purge --customer 13812345678 --yes </dev/null
expect_out <<OUT
Purged customer #$zhang (张伟): 2 identities, 6 inquiries, 1 reply, 1 follow-up, $tags tag$([ "$tags" = 1 ] || echo s), 1 event, and their full-text index entries
OUT
for table in customer identity inquiry reply followup event tag notified import; do
    sqlite3 -readonly "$KEFU_DB" ".mode quote" "SELECT * FROM $table" >"$T/rows.txt"
    for needle in 张伟 13812345678 合并一个包裹 儿童电话手表 补发 下午在家; do
        grep -q "$needle" "$T/rows.txt" && fail "table $table still holds $needle"
    done
done
for needle in 合并一个包裹 13812345678 下午在家; do
    kefu 0 search "$needle"
    same "$(cat "$T/out")" "" "search still finds $needle"
done
kefu 0 search 退款
[ -s "$T/out" ] || fail "the other buyers' messages are no longer found"
kefu 0 check
# The file itself: the deleted text is not left on free pages, in the index or in the WAL.
for needle in 张伟 13812345678 合并一个包裹 儿童电话手表 补发 下午在家; do
    in_file "$needle" && fail "the database file still holds $needle"
done
in_file "小鹿爱购物" || fail "the other buyers' data is gone too"
same "$(stat -c %a "$KEFU_DB")" 600 "the database is no longer private"
kefu 1 purge --customer 13812345678 --yes
contains err "no such customer"

# forget: the report counts stay, the personal data goes.
lina=$(sql "SELECT customer_id FROM inquiry WHERE external_id = 'Q1014'")
kefu 0 report --format json
cp "$T/out" "$T/before.json"
kefu 2 forget --customer lina.li@163.com </dev/null
contains err "add --yes"
kefu 0 forget --customer lina.li@163.com --yes </dev/null
contains out "Forgot customer #$lina (李娜): name and 2 identities removed"
contains out "2 inquiries kept for the statistics"
kefu 0 report --format json
python3 - "$T/before.json" "$T/out" <<'PY'
import json, sys
before, after = (json.load(open(p)) for p in sys.argv[1:3])
for r in (before, after):
    for row in r["repeat_customers"]["top"]:
        row.pop("customer")
assert before == after, "the report changed"
PY
kefu 0 customer show "$lina"
contains out "Customer #$lina [name]"
lacks out "lina.li@163.com"
kefu 0 search 李娜
same "$(cat "$T/out")" "" "search still finds her name"
kefu 0 search 激活码
[ -s "$T/out" ] || fail "her other words are no longer found"
for needle in 李娜 lina.li@163.com; do
    in_file "$needle" && fail "the database file still holds $needle"
done
kefu 0 check

# redact: the address in Q1009 (2026-11-01) is older than 2026-11-02; Q1021's (11-03) is not.
kefu 0 redact --older-than 2026-11-02 --dry-run
same "$(cat "$T/out")" "Would redact 1 text from before 2026-11-02 00:00 (1 placeholder; 11 inquiries looked at)"
in_file "文三路478号" || fail "the dry run changed the text"
kefu 2 redact --older-than 2026-11-02 </dev/null
contains err "add --yes"
kefu 0 redact --older-than 2026-11-02 --yes </dev/null
contains out "Redacted 1 text from before 2026-11-02 00:00"
sql "SELECT body FROM inquiry WHERE external_id = 'Q1009'" | grep -q "\[address\]，小鹿，手机号不变" ||
    fail "the address was not replaced"
sql "SELECT body FROM inquiry WHERE external_id = 'Q1021'" | grep -q "1420 Maple Ave" || fail "a newer text changed"
kefu 0 search 文三路
same "$(cat "$T/out")" "" "search still finds the old address"
in_file "文三路478号" && fail "the database file still holds the old address"
kefu 0 redact --older-than 2026-11-02 --yes </dev/null
contains out "Nothing to redact"
kefu 2 redact --older-than someday --yes
contains err "bad --older-than"
kefu 0 check
