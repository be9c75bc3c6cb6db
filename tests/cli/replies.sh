# Replies: the template library commands, ranked suggestions, and `kefu reply` (rendered to
# stdout, recorded with its status change and follow-up in one transaction, or nothing at
# all when a placeholder has no value); the seller's choices move the ranking.
. "$(dirname "$0")/lib/common.sh"

at() { export KEFU_NOW="$1"; }
# json_get EXPR: evaluates a Python expression over the JSON of the last run's stdout (j).
json_get() {
    python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$T/out" "$1"
}

mkdir -p "$XDG_CONFIG_HOME/kefu"
cat >"$XDG_CONFIG_HOME/kefu/config.toml" <<'TOML'
[shop]
name = "小鹿的店"
agent = "小鹿"
TOML

# ---- templates check / list / show / export ------------------------------------------------
kefu 0 templates check
contains out "ok: built-in:"
builtin_count=$(sed -n 's/^ok: built-in: \([0-9]*\) templates$/\1/p' "$T/out")
[ "${builtin_count:-0}" -ge 50 ] || fail "fewer than 50 built-in templates: '$builtin_count'"

kefu 0 templates list --format json
same "$(json_get 'len(j)')" "$builtin_count" "templates list counts every template"
same "$(json_get 'sorted({c for t in j for c in [t["category"]]}) == sorted(["product", "order",
    "logistics", "payment", "refund", "account", "technical", "complaint", "other"])')" True \
    "every category has templates"
same "$(json_get 'all(t["languages"] == ["en", "zh"] for t in j)')" True "zh and en everywhere"
kefu 0 templates list --category refund
contains out "refund-issued"
lacks out "delivered-not-received"
same "$(tail -n +2 "$T/out" | awk '{print $2}' | sort -u)" "refund" "only refund templates"
kefu 2 templates list --category nonsense
contains err "bad --category"

kefu 0 templates show delivered-not-received
contains out "category   logistics"
contains out "follow-up  1d"
contains out "[zh]"
contains out "[en]"
contains out "{salutation|亲}"
kefu 0 templates show delivered-not-received --lang en
lacks out "[zh]"
contains out "Hi {salutation|there},"
kefu 1 templates show no-such-template
contains err "no such template"

kefu 0 templates export "$T/exported"
same "$(ls "$T/exported" | wc -l)" "$(ls "$KEFU_SOURCE_DIR"/templates/*.toml | wc -l)" "every file"
cmp -s "$T/exported/logistics.toml" "$KEFU_SOURCE_DIR/templates/logistics.toml" ||
    fail "export changed logistics.toml"
echo "# mine" >>"$T/exported/general.toml"
kefu 1 templates export "$T/exported"
contains err "does not overwrite"
same "$(tail -n 1 "$T/exported/general.toml")" "# mine" "export left the existing file alone"
kefu 0 templates check "$T/exported"
contains out "ok: $T/exported: $builtin_count templates ($builtin_count replace built-in ones)"

# A broken file: every problem with its file:line, exit 1.
mkdir -p "$T/broken"
cat >"$T/broken/bad.toml" <<'TOML'
[[template]]
id = "bad-one"
title = "Bad"
category = "logistics"
colour = "red"
followup = "soon"
[template.body]
zh = "亲，{ordre_id} 已发出"
en = "Your order {order_id} is on its way }"
TOML
kefu 1 templates check "$T/broken"
contains out "$T/broken/bad.toml:5:"
contains out "colour"
contains out "$T/broken/bad.toml:6:"
contains out "$T/broken/bad.toml:8:"
contains out "ordre_id"
contains out "$T/broken/bad.toml:9:"
contains err "problems in reply templates"

# ---- an inquiry database -------------------------------------------------------------------
kefu 0 import "$SAMPLES/inquiries.csv"

# suggest: ranked, each with why and its text, in the buyer's language.
kefu 0 suggest 23 --format json
same "$(json_get 'len(j)')" 3 "three suggestions by default"
same "$(json_get 'sorted(j[0].keys()) == sorted(["rank", "template", "title", "category",
    "language", "score", "why", "text", "missing", "how_to_set"])')" True "suggestion fields"
same "$(json_get 'j[0]["category"]')" logistics "a logistics inquiry gets a logistics reply"
same "$(json_get 'j[0]["language"]')" zh "a Chinese buyer gets Chinese"
same "$(json_get 'j[0]["score"] >= j[1]["score"] >= j[2]["score"]')" True "ranked"
same "$(json_get 'any(w.endswith("category logistics") for w in j[0]["why"])')" True "why"
same "$(json_get '"{" in (j[0]["text"] or "{")')" False "rendered completely"
kefu 0 suggest 23 -n 5
same "$(grep -c '^[0-9]\. ' "$T/out")" 5 "-n 5 gives five"
contains out "   why: +"
contains err "send one: kefu reply 23 --template "
kefu 0 suggest 20 -n 1 --format json
same "$(json_get 'j[0]["language"]')" en "an English buyer gets English"
kefu 0 suggest 20 -n 1 --lang zh --format json
same "$(json_get 'j[0]["language"]')" zh "--lang chooses the language"
kefu 2 suggest 23 -n 0
kefu 2 suggest 23 --lang 中文
kefu 2 suggest 23 --set "no equals sign"
contains err "bad --set"
kefu 1 suggest 9999
contains err "no such inquiry"

# A template that needs a value shows which one and how to set it, instead of its text.
kefu 0 suggest 38 -n 10 --format json
same "$(json_get '[s["missing"] for s in j if s["template"] == "shipped-tracking"]')" \
    "[['tracking_number']]" "shipped-tracking lacks the tracking number"
same "$(json_get '[s["text"] for s in j if s["template"] == "shipped-tracking"]')" "[None]" \
    "no text while a placeholder is missing"
same "$(json_get '[s["how_to_set"][0].startswith("--set tracking_number=") for s in j
    if s["template"] == "shipped-tracking"]')" "[True]" "how to set it"

# ---- reply: missing placeholder → exit 1, nothing recorded --------------------------------
snapshot() {
    sql "select (select count(*) from reply), (select count(*) from event),
        (select count(*) from followup), (select group_concat(status) from inquiry)"
}
before=$(snapshot)
kefu 1 reply 38 --template shipped-tracking
contains err "missing placeholder {tracking_number}"
contains err "--set tracking_number="
same "$(cat "$T/out")" "" "nothing on stdout"
same "$(snapshot)" "$before" "nothing recorded"
# Usage errors and unknown templates record nothing either.
kefu 2 reply 38
contains err "give exactly one of --template ID, --pick N or --text TEXT"
kefu 2 reply 38 --template greeting --text "hi"
kefu 2 reply 38 --template greeting --set 1bad=x
kefu 1 reply 38 --template no-such-template
contains err "no such template"
kefu 1 reply 9999 --template greeting
contains err "no such inquiry"
kefu 1 reply 38 --template greeting --lang fr
contains err 'no "fr" text'
same "$(snapshot)" "$before" "nothing recorded by failed replies"
# --dry-run prints the text and records nothing.
kefu 0 reply 38 --template shipped-tracking --set tracking_number=SF1428765093321 --dry-run
contains out "SF1428765093321"
contains err "dry run: nothing recorded"
same "$(snapshot)" "$before" "nothing recorded by --dry-run"

# ---- reply: recorded, waiting, follow-up ---------------------------------------------------
# Inquiry 23 (物流显示签收了，可是我根本没收到): the template's follow-up is 1 day.
at "2026-11-15 12:00"
kefu 0 reply 23 --template delivered-not-received
contains out "别着急，我来帮您查"
lacks out "{"
contains err "#23: reply #1 recorded (template delivered-not-received), new → waiting,"
contains err "due 2026-11-16 12:00 (in 1d)"
same "$(sql "select inquiry_id, template_id, language, sent_at, source from reply")" \
    "23|delivered-not-received|zh|$(date -d '2026-11-15 12:00 +0800' +%s)|kefu" "reply row"
same "$(sql "select text from reply" | head -n 1)" "$(head -n 1 "$T/out")" "the text as printed"
thread=$(sql "select thread_id from inquiry where id = 23")
same "$(sql "select group_concat(distinct status) from inquiry where thread_id = $thread")" 2 \
    "the thread waits"
same "$(sql "select count(*) from inquiry where thread_id = $thread and first_response_at is null
    and received_at <= $(date -d '2026-11-15 12:00 +0800' +%s)")" 0 "response recorded"
same "$(sql "select inquiry_id, due_at from followup")" \
    "23|$(date -d '2026-11-16 12:00 +0800' +%s)" "follow-up in 1d"
same "$(sql "select group_concat(kind, ',') from (select kind from event where inquiry_id = 23
    order by id)")" "reply,status,followup" "events"
kefu 0 followup list
contains out "23"
contains out "after reply delivered-not-received"
kefu 0 due --format json
same "$(json_get 'any(i["id"] == 23 and i["kind"] == "followup" for i in j)')" False \
    "not due yet"
at "2026-11-16 12:30"
kefu 0 due --format json
same "$(json_get 'any(i["id"] == 23 and i["kind"] == "followup" for i in j)')" True \
    "due a day later"
kefu 0 show 23
contains out "delivered-not-received (zh)"

# --no-followup, a template's status_after, and a reply written by hand.
at "2026-11-16 13:00"
kefu 0 reply 29 --template delivered-not-received --no-followup --format json
same "$(json_get 'j[0]["followup_id"]')" None "--no-followup"
same "$(sql "select count(*) from followup where inquiry_id = 29")" 0 "no follow-up for 29"
kefu 0 templates list --category refund --format json
resolved_tpl=$(json_get '[t["id"] for t in j if t["status_after"] == "resolved"][0]')
kefu 0 reply 52 --template "$resolved_tpl" --set refund_amount=89 --format json
same "$(json_get 'j[0]["status"]')" resolved "status_after = resolved"
same "$(sql "select status from inquiry where id = 52")" 3 "resolved in the store"
kefu 0 reply 40 --text "Glad it fits! Thanks for letting me know." --followup 3d
contains out "Glad it fits!"
same "$(sql "select template_id || '|' || language from reply where inquiry_id = 40")" "|en" \
    "hand-written: no template, the buyer's language"
same "$(sql "select count(*) from followup where inquiry_id = 40")" 1 "--followup 3d"

# ---- placeholders: config, fallbacks, a user template replacing a built-in one ------------
mkdir -p "$XDG_CONFIG_HOME/kefu/templates"
cat >"$XDG_CONFIG_HOME/kefu/templates/mine.toml" <<'TOML'
[[template]]
id = "greeting"
title = "我的问候 / My greeting"
category = "other"
keywords = ["在吗"]
placeholders = ["gift"]
[template.body]
zh = "{salutation|亲}好，这里是{shop}，{agent}为您服务。下单送{gift|小礼物}一份。"
en = "Hi {salutation|there}, this is {shop}. Every order comes with {gift|a small gift}."
TOML
kefu 0 templates check
contains out "ok: $XDG_CONFIG_HOME/kefu/templates: 1 template (1 replaces built-in ones)"
kefu 0 templates list --format json
same "$(json_get '[t["source"] for t in j if t["id"] == "greeting"]')" \
    "['user, replaces built-in']" "the user template replaces the built-in one"
same "$(json_get 'len(j)')" "$builtin_count" "replaced, not added"
kefu 0 reply 1 --template greeting --dry-run
expect_out <<'OUT'
小鹿爱购物好，这里是小鹿的店，小鹿为您服务。下单送小礼物一份。
OUT
kefu 0 reply 1 --template greeting --dry-run --set gift=钥匙扣 --lang en
expect_out <<'OUT'
Hi 小鹿爱购物, this is 小鹿的店. Every order comes with 钥匙扣.
OUT
# A salutation recorded for the customer is used whole.
sqlite3 "$KEFU_DB" "update customer set salutation = '鹿小姐'
    where id = (select customer_id from inquiry where id = 1)"
kefu 0 reply 1 --template greeting --dry-run
contains out "鹿小姐好，"
# The config's [shop] name is needed: without it, the error names it and how to set it.
printf '[shop]\nagent = "小鹿"\n' >"$XDG_CONFIG_HOME/kefu/config.toml"
kefu 1 reply 1 --template greeting
contains err "missing placeholder {shop}"
contains err "[shop] name"
rm -r "$XDG_CONFIG_HOME/kefu/templates"
kefu 0 templates show greeting
contains out "(built-in)"

# ---- the seller's choices become the top suggestion ----------------------------------------
# Five buyers ask when their order ships. The seller answers the first four with a template
# that is not the top suggestion; for the fifth, that template comes first.
cat >"$T/ship.csv" <<'CSV'
id,received,channel,customer,contact,order_id,product,goods_kind,subject,message
S1,2026-11-15 09:00,taobao,买家一号,买家一号,,羊毛围巾,physical,,拍了三天了怎么还不发货，什么时候能发出？
S2,2026-11-15 09:10,taobao,买家二号,买家二号,,羊毛围巾,physical,,请问我的订单什么时候发货呀，都好几天了还没发
S3,2026-11-15 09:20,taobao,买家三号,买家三号,,羊毛围巾,physical,,怎么还没发货？付款好几天了，什么时候能发
S4,2026-11-15 09:30,taobao,买家四号,买家四号,,羊毛围巾,physical,,还没发货吗，大概什么时候能发出来
S5,2026-11-15 09:40,taobao,买家五号,买家五号,,羊毛围巾,physical,,几天了还不发货，到底什么时候发？
CSV
at "2026-11-15 12:00"
kefu 0 import "$T/ship.csv"
id_of() { sql "select id from inquiry where external_id = '$1'"; }
new_id=$(id_of S5)
kefu 0 suggest "$new_id" -n 5 --format json
top_before=$(json_get 'j[0]["template"]')
# The seller's habit: the third suggestion (another template of the same topic or not).
chosen=$(json_get 'j[2]["template"]')
sets=$(json_get '" ".join("--set %s=明天" % m for m in j[2]["missing"])')
[ "$chosen" != "$top_before" ] || fail "the chosen template is already the top one"
for s in S1 S2 S3 S4; do
    # shellcheck disable=SC2086
    kefu 0 reply "$(id_of $s)" --template "$chosen" $sets --no-followup
done
kefu 0 suggest "$new_id" -n 3 --format json
same "$(json_get 'j[0]["template"]')" "$chosen" "the seller's choice is now the top suggestion"
same "$(json_get 'any("before for similar inquiries" in w for w in j[0]["why"])')" True \
    "why says so"
# --pick 1 takes it.
kefu 0 reply "$new_id" --pick 1 $sets --dry-run --format json
same "$(json_get 'j[0]["template"]')" "$chosen" "--pick 1 is the top suggestion"
kefu 2 reply "$new_id" --pick -1
kefu 1 reply "$new_id" --pick 500
contains err "no suggestion 500"

# A tracking number a rule captured at import fills {tracking_number} without --set, and a
# retag writes it back when it is missing.
export KEFU_DB="$T/captures.db"
printf 'id,time,buyer,message\nT1,2026-11-14 10:00,小王,运单号 SF1234567890 三天没更新了，到哪了？\n' >"$T/tracking.csv"
kefu 0 import "$T/tracking.csv"
same "$(sql "SELECT triage FROM inquiry")" '{"tracking_number":"SF1234567890"}' "captures stored"
kefu 0 reply 1 --template shipped-tracking --dry-run
contains out "SF1234567890"
sqlite3 "$KEFU_DB" "UPDATE inquiry SET triage = ''"
kefu 0 retag --all
same "$(sql "SELECT triage FROM inquiry")" '{"tracking_number":"SF1234567890"}' "retag restores captures"

# A user's broken template folder: one short error line with the first problem, and the
# command that lists them all.
mkdir -p "$T/brokencfg/kefu"
cp -r "$T/broken" "$T/brokencfg/kefu/templates"
XDG_CONFIG_HOME="$T/brokencfg" kefu 1 suggest 23
contains err "problems in reply templates ($T/brokencfg/kefu/templates/bad.toml:"
contains err "more)"
contains err "kefu: hint: run \`kefu templates check"
[ "$(head -n 1 "$T/err" | wc -c)" -lt 400 ] || fail "a long error line: $(head -c 400 "$T/err")"
