# Triage from the command line: the order of the queue (anger, VIP, age), kefu explain whose
# terms add up to the total, tags by hand that survive retag, rules test/check, and a bad
# user rules file that stops an import before anything is written.
. "$(dirname "$0")/lib/common.sh"

cat >"$T/a.csv" <<'CSV'
id,time,buyer,phone,message
A1,2026-11-15 11:00,王一,13800000001,请问这个杯子什么时候发货？
A2,2026-11-15 11:00,王二,13800000002,到底什么时候发货？？再不发货我就投诉给差评！！！骗子
A3,2026-11-15 11:00,王三,13800000003,请问这个杯子什么时候发货？
A4,2026-11-14 16:00,王四,13800000004,请问这个杯子什么时候发货？
A5,2026-11-15 11:00,Tom,13800000005,When will my order ship?
A6,2026-11-15 11:00,Ann,13800000006,WHEN WILL MY ORDER SHIP??? This is a SCAM. I will file a chargeback!!!
CSV
kefu 0 import "$T/a.csv"
pri() { sql "SELECT priority_static FROM inquiry WHERE external_id = '$1'"; }
above() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$1" "$2"; }

# Same category and age: the angry one first, in Chinese and in English.
same "$(sql "SELECT count(DISTINCT category) FROM inquiry WHERE external_id IN ('A1', 'A3', 'A4', 'A5')")" 1 \
    "the polite ones share a category"
above "$(pri A2)" "$(pri A1)" || fail "angry (zh) above polite: $(pri A2) vs $(pri A1)"
above "$(pri A6)" "$(pri A5)" || fail "angry (en) above polite: $(pri A6) vs $(pri A5)"
kefu 0 list --format tsv --limit 2
same "$(tail -n +2 "$T/out" | cut -f1 | sort | tr '\n' ' ')" "2 6 " "the two angry ones head the queue"

# 20 hours into the 24-hour SLA ranks above a fresh one (the age term of the queue).
kefu 0 list --format json --limit 0
python3 - "$T/out" <<'PY' || fail "age: 20 h old above fresh"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
assert rows[4]["priority"] > rows[1]["priority"], (rows[4]["priority"], rows[1]["priority"])
PY

# VIP: marking a buyer moves their inquiry up at once.
before=$(pri A3)
kefu 0 customer vip 13800000003
contains err "priority recomputed for 1 active inquiry"
above "$(pri A3)" "$before" || fail "VIP raised the priority: $(pri A3) vs $before"
above "$(pri A3)" "$(pri A1)" || fail "VIP above non-VIP"

# explain: every term, and the contributions add up to the total shown.
kefu 0 explain 2
contains out "anger"
contains out "total"
kefu 0 explain 2 --format json
python3 - "$T/out" <<'PY' || fail "explain terms add up"
import json, sys
d = json.load(open(sys.argv[1]))[0]
total = sum(t["contribution"] for t in d["terms"])
assert abs(total - d["priority"]) < 1e-6, (total, d["priority"])
assert any(t["name"] == "age" for t in d["terms"]), d["terms"]
assert any(f["rule"].startswith("tone.") for f in d["fired"]), d["fired"]
PY
kefu 1 explain 999
contains err "999"

# Tags by hand survive retag; a tag removed by hand is not added back.
kefu 0 tag 1 +gift -nosuch
kefu 0 tag 2 -angry
kefu 0 retag --all
kefu 0 tag 1
contains out "gift"
same "$(sql "SELECT count(*) FROM tag WHERE inquiry_id = 2 AND name = 'angry' AND source <> 2")" 0 \
    "a tag removed by hand stays removed"

# rules test classifies a text; an .eml is decoded first.
kefu 0 rules test '收到的杯子碎了，我要退款！！！'
contains out "refund"
printf 'From: a@b.c\nSubject: =?UTF-8?B?5oiR6KaB6YCA5qy+?=\nContent-Type: text/plain; charset=utf-8\n\nhello\n' >"$T/m.eml"
kefu 0 rules test --file "$T/m.eml" --format json
contains out '"category":"refund"'

# rules check: every problem with its line; exit 1. The built-in rules are fine.
kefu 0 rules check
cat >"$T/bad.toml" <<'TOML'
[[rule]]
id = "x.one"
category = "nosuch"
any = ["退货"]

[[rule]]
id = "x.two"
regex = "(unclosed"

[[rule]]
any = ["a"]
TOML
kefu 1 rules check "$T/bad.toml"
contains out "bad.toml:3:12: unknown category"
contains out "bad.toml:8:9: bad regex"
contains out "bad.toml:10:1: the rule has no \"id\""
contains err "4 problems"

# A bad user rules file: import fails with those problems and writes nothing.
count=$(sql "SELECT count(*) FROM inquiry")
imports=$(sql "SELECT count(*) FROM import")
mkdir -p "$XDG_CONFIG_HOME/kefu"
cp "$T/bad.toml" "$XDG_CONFIG_HOME/kefu/rules.toml"
kefu 1 import "$SAMPLES/inquiries.csv"
contains err "kefu: error: bad rules file (4 problems) ($XDG_CONFIG_HOME/kefu/rules.toml:3:12): unknown category"
contains err "(and 3 more)"
contains err "kefu rules check"
same "$(grep -c 'kefu: error:' "$T/err")" 1 "one error line"
[ "$(head -n 1 "$T/err" | wc -c)" -lt 400 ] || fail "a long error line: $(head -c 400 "$T/err")"
same "$(sql "SELECT count(*) FROM inquiry")" "$count" "nothing imported"
same "$(sql "SELECT count(*) FROM import")" "$imports" "no import recorded"
rm "$XDG_CONFIG_HOME/kefu/rules.toml"

# A user rule overrides a built-in one by id, and adds its own.
cat >"$XDG_CONFIG_HOME/kefu/rules.toml" <<'TOML'
[[rule]]
id = "shop.gift"
any = ["礼盒", "gift box"]
tags = ["gift-box"]
TOML
kefu 0 rules test '有礼盒包装吗'
contains out "gift-box"

# Import computes the same triage as retag: right after importing the samples (CSV, the GBK
# twin, mail with threads and seller replies) a retag has nothing to change.
rm "$XDG_CONFIG_HOME/kefu/rules.toml"
export KEFU_DB="$T/fresh.db"
kefu 0 import "$SAMPLES/inquiries.csv" "$SAMPLES/inquiries-gbk.csv"
kefu 0 import "$SAMPLES/mail.mbox" --own shop@example.com
kefu 0 retag --all --dry-run
contains out ", 0 changed"
