# kefu customer: candidates find a planted duplicate (not a lookalike), merge moves every
# inquiry (a dry run moves nothing), show, list and vip.
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
# P1/P4: 张伟 by mail, writing the phone number of the pinduoduo buyer 张伟 (a duplicate);
# P2: another 张伟 on taobao with another phone (a lookalike); P3: a second xianyu account
# asking about 阿珍不吃香菜's order.
cat >"$T/planted.csv" <<'CSV'
id,received,channel,customer,email,phone,order_id,message
P1,2026-11-13 10:00,email,张伟,zw.home@example.com,,,"我是之前买手表的，电话 138-1234-5678，手表充不上电"
P2,2026-11-13 11:00,taobao,张伟,,13900001111,,这个充电宝有货吗
P3,2026-11-13 12:00,xianyu,阿珍的小号,,,3698120485732915420,上次那个相机的划痕怎么处理
P4,2026-11-13 13:00,email,张伟,zw.home@example.com,,,还有一个问题
CSV
kefu 0 import "$T/planted.csv"
zhang=$(sql "SELECT customer_id FROM inquiry WHERE external_id = 'Q1006'")
mail=$(sql "SELECT customer_id FROM inquiry WHERE external_id = 'P1'")
lookalike=$(sql "SELECT customer_id FROM inquiry WHERE external_id = 'P2'")
azhen=$(sql "SELECT customer_id FROM inquiry WHERE external_id = 'Q1030'")
second=$(sql "SELECT customer_id FROM inquiry WHERE external_id = 'P3'")

kefu 0 customer candidates
expect_out <<OUT
A   B  SCORE  NAMES                      WHY
$zhang  $mail      4  张伟 / 张伟                same name 张伟 (pinduoduo / email); same phone 138****5678
$azhen  $second      3  阿珍不吃香菜 / 阿珍的小号  same order 3698120485732915420
OUT
contains err "nothing was merged"
kefu 0 customer candidates --format tsv
grep -qP "^$lookalike\t|\t$lookalike\t" "$T/out" && fail "the lookalike 张伟 with another phone was suggested"
kefu 0 customer candidates --format json --no-mask
contains out '"same phone 13812345678"'

# Merge: a dry run changes nothing, then every inquiry, identity and event moves.
before=$(sql "SELECT group_concat(id || ':' || customer_id) FROM inquiry")
kefu 0 customer merge "$zhang" "$mail" --dry-run
expect_out <<OUT
Would merge customer #$mail (张伟) into #$zhang (张伟): 2 inquiries, 2 identities, 0 events
  inquiries: #67, #70
  identity email: zw.home@example.com
  identity handle (email): 张伟
  afterwards: 张伟
OUT
contains err "nothing changed (--dry-run)"
same "$(sql "SELECT group_concat(id || ':' || customer_id) FROM inquiry")" "$before" "dry run moved something"

sqlite3 "$KEFU_DB" "INSERT INTO event(customer_id, at, kind, detail) VALUES ($mail, 1, 'note', 'prefers mail')"
kefu 0 customer merge "$zhang" zw.home@example.com
expect_out <<OUT
Merged customer #$mail (张伟) into #$zhang (张伟): 2 inquiries, 2 identities, 1 event
OUT
contains err "priority recomputed for"
# The merged buyer's active conversations are scored with their repeat contact at once.
for head in $(sql "SELECT id FROM inquiry WHERE customer_id = $zhang AND is_head = 1 AND status < 3"); do
    kefu 0 explain "$head"
    lacks err "out of date"
done
same "$(sql "SELECT count(*) FROM inquiry WHERE customer_id = $mail")" 0 "inquiries left behind"
same "$(sql "SELECT count(*) FROM inquiry WHERE customer_id = $zhang")" 8 "inquiries of the merged customer"
same "$(sql "SELECT count(*) FROM identity WHERE customer_id = $zhang")" 4 "identities of the merged customer"
same "$(sql "SELECT count(*) FROM customer WHERE id = $mail")" 0 "the absorbed customer remains"
same "$(sql "SELECT count(*) FROM event WHERE customer_id = $zhang AND kind = 'note'")" 1 "events did not follow"
sql "SELECT detail FROM event WHERE customer_id = $zhang AND kind = 'merge'" | grep -q "\"from\":$mail" ||
    fail "the merge was not logged"
kefu 0 customer candidates
lacks out "same phone"

# show: by phone, email or id; identities, inquiries, newest first. How the importer threads
# and classifies is not this test's business: those figures come from the database.
conv=$(sql "SELECT count(DISTINCT thread_id) FROM inquiry WHERE customer_id = $zhang")
open=$(sql "SELECT count(DISTINCT thread_id) FROM inquiry WHERE customer_id = $zhang AND status < 3")
kefu 0 customer show zw.home@example.com
head -3 "$T/out" >"$T/head"
cat >"$T/want" <<OUT
Customer #$zhang 张伟
  first contact 2026-10-31 08:25, last 2026-11-13 13:00
  $conv conversations ($open open), 8 messages, 0 replies
OUT
diff -u "$T/want" "$T/head" >&2 || fail "customer show header"
contains out "  email: zw.home@example.com"
contains out "  phone: 13812345678"
grep -q "^  #70    11-13 13:00  new      .*email      还有一个问题$" "$T/out" || fail "the latest inquiry first"
kefu 0 customer show 13812345678 --format json
python3 - "$T/out" <<'PY'
import json, sys
[c] = json.load(open(sys.argv[1]))
assert len(c["inquiries"]) == 8, c
assert [i["kind"] for i in c["identities"]] == ["email", "phone", "handle", "handle"], c["identities"]
assert c["inquiries"][0]["received_at"] > c["inquiries"][-1]["received_at"]
PY
kefu 1 customer show 张伟
contains err "more than one customer matches"
kefu 1 customer show nobody@example.com
contains err "no such customer"

# vip, and the list.
kefu 0 customer vip "$zhang"
same "$(cat "$T/out")" "Customer #$zhang (张伟) is now VIP"
kefu 0 customer vip "$zhang"
contains out "was already VIP"
same "$(sql "SELECT count(*) FROM event WHERE customer_id = $zhang AND kind = 'vip'")" 1 "vip events"
kefu 0 customer list --vip
expect_out <<OUT
ID  NAME  VIP  MSGS  CONV  OPEN  LAST         CONTACT           CHANNELS
 $zhang  张伟  VIP     8     $conv     $open  11-13 13:00  z***@example.com  email,pinduoduo
OUT
kefu 0 customer vip "$zhang" --off
contains out "is no longer VIP"
kefu 0 customer list --vip
contains err "no VIP customers"
kefu 0 customer list --sort inquiries --limit 3 --format tsv
same "$(cut -f1 "$T/out" | sed -n 2p)" "$zhang" "most messages first"
kefu 0 customer list --limit 0 --format jsonl
same "$(wc -l <"$T/out")" 19 "every customer listed (20 less the merged one)"
kefu 2 customer list --sort nonsense
kefu 2 customer merge "$zhang" "$zhang"
contains err "cannot merge a customer with itself"
