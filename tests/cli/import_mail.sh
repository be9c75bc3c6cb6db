# kefu import of mail: mbox, maildir, .eml, stdin; seller replies, threads, quoted history.
. "$(dirname "$0")/lib/common.sh"

mbox="$SAMPLES/mail.mbox"
kefu 0 import "$mbox" --own shop@example.com
expect_out <<OUT
$mbox: 13 new, 0 duplicate, 0 rejected, 2 seller replies (mbox)
OUT
kefu 0 import "$mbox" --own shop@example.com
contains out "0 new, 15 duplicate, 0 rejected (mbox)"

# The Chinese Outlook-style reply: quoted history cut from the body, kept in the full text.
id=$(sql "select id from inquiry where subject like '答复:%'")
[ -n "$id" ] || fail "no 答复 message"
same "$(sql "select instr(body, '原始邮件') = 0 and instr(body, '发件人') = 0 from inquiry where id = $id")" 1 "quote cut"
same "$(sql "select instr(body_full, '-----原始邮件-----') > 0 from inquiry where id = $id")" 1 "full text kept"
kefu 0 show "$id"
contains out "Thread (3 messages)"
contains out "seller: 回复: Office 订单开发票"
contains out "quoted history cut"
kefu 0 show "$id" --full
contains out "-----原始邮件-----"
# A mail's attachments: show lists their names and sizes, JSON has them as an array.
photo=$(sql "select id from inquiry where subject = 'Mug arrived broken (photo attached)'")
[ -n "$photo" ] || fail "no mail with an attachment"
kefu 0 show "$photo"
contains out "Attachments (1)"
contains out "  IMG_4821.jpg (194 B)"
kefu 0 show "$photo" --format json
python3 - "$T/out" <<'PY' || fail "show --format json: attachments"
import json, sys
d = json.load(open(sys.argv[1]))[0]
assert d["attachments"] == [{"name": "IMG_4821.jpg", "size": 194}], d.get("attachments")
PY
kefu 0 show "$id" --format json
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))[0]["attachments"] == []' "$T/out" ||
    fail "show --format json: no attachments is an empty array"
# The seller's reply made the thread wait; the buyer's answer reopened it.
same "$(sql "select status from inquiry where id = $id")" 1 "thread reopened"
same "$(sql "select count(*) from reply where source = 'mail'")" 2 "seller replies recorded"
# The same buyer as in the CSV sample (same email) is one customer.
kefu 0 import "$SAMPLES/inquiries.csv"
same "$(sql "select count(distinct customer_id) from inquiry where contact = 'lina.li@163.com'")" 1 "one customer"

# The same mail as a maildir gives the same inquiries, and adds nothing to a database that has it.
python3 - "$mbox" "$T/Maildir" <<'PY'
import mailbox, re, sys
src = mailbox.mbox(sys.argv[1])
dst = mailbox.Maildir(sys.argv[2], create=True)
for m in src:
    # The sample is mboxrd: undo its ">From " quoting, which Python's mbox keeps.
    raw = re.sub(rb"(?m)^>(>*From )", rb"\1", m.as_bytes())
    dst.add(mailbox.MaildirMessage(raw))
PY
kefu 0 --db "$T/maildir.db" import "$T/Maildir" --own shop@example.com
contains out "13 new, 0 duplicate, 0 rejected, 2 seller replies (maildir)"
q="select group_concat(external_id || '|' || subject || '|' || body, char(10)) from (select * from inquiry where channel = 'email' and source not like '%.csv:%' order by external_id)"
same "$(sqlite3 "$T/maildir.db" "$q")" "$(sql "$q")" "mbox and maildir give the same inquiries"
kefu 0 import "$T/Maildir" --own shop@example.com
contains out "0 new, 15 duplicate"
[ -z "$(find "$T/Maildir/tmp" -type f)" ] && [ "$(find "$T/Maildir" -type f | wc -l)" = 15 ] || fail "maildir changed"
# A file in the folder that is not mail is left out, and named.
printf 'just some notes\n' > "$T/Maildir/cur/notes.txt"
kefu 0 import "$T/Maildir" --own shop@example.com
contains err "1 file(s) that are not mail were left out: $T/Maildir/cur/notes.txt"
rm "$T/Maildir/cur/notes.txt"

# One message on stdin, and an .eml file.
python3 - "$T/one.eml" <<'PY'
import sys
open(sys.argv[1], "w").write("From: 小王 <wang@example.cn>\nTo: shop@example.com\nSubject: =?UTF-8?B?5Zyo5ZCX?=\n"
    "Message-ID: <one@example.cn>\nDate: Sat, 14 Nov 2026 10:00:00 +0800\nContent-Type: text/plain; charset=utf-8\n\n在吗，发货了吗？\n")
PY
"$KEFU" import - < "$T/one.eml" > "$T/out"
contains out "-: 1 new, 0 duplicate, 0 rejected (eml)"
kefu 0 import "$T/one.eml"
contains out "0 new, 1 duplicate"
same "$(sql "select subject || '|' || body from inquiry where external_id = 'one@example.cn'")" "在吗|在吗，发货了吗？" "stdin mail"

# Own addresses from config.
mkdir -p "$XDG_CONFIG_HOME/kefu"
printf '[mail]\nown_addresses = ["shop@example.com"]\n' > "$XDG_CONFIG_HOME/kefu/config.toml"
kefu 0 --db "$T/cfg.db" import "$mbox"
contains out "2 seller replies"

# A folder with nothing that is mail, an empty mbox.
mkdir -p "$T/empty"
kefu 1 import "$T/empty"
contains err "kefu: error: nothing to import ($T/empty): the folder holds no mail files"
: > "$T/empty.mbox"
kefu 1 import "$T/empty.mbox"
contains err "kefu: error:"
kefu 0 check

# An mbox that starts with a UTF-8 byte order mark is still an mbox.
printf '\xEF\xBB\xBFFrom a@b Sat Nov  1 10:00:00 2026\nFrom: bom@example.com\nSubject: hi\n\nwith a BOM\n' \
    > "$T/bom-mail.txt"
kefu 0 --db "$T/bom.db" import "$T/bom-mail.txt"
contains out "1 new, 0 duplicate, 0 rejected (mbox"
same "$(sqlite3 "$T/bom.db" "select body from inquiry")" "with a BOM" "BOM mbox body"
