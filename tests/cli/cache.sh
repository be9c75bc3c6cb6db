#!/usr/bin/env bash
# Cache files: the normalization tables are kept in $XDG_CACHE_HOME/kefu/normalize.cache after
# the first run and read back by the next; a damaged, foreign or unwritable cache changes
# nothing in what kefu matches, and a damaged one is rewritten.
source "$(dirname "$0")/lib/common.sh"

# Rules whose keywords only match after each step of normalization: t2s phrases that differ
# from converting character by character (彷彿 → 彷佛, 乾隆 stays 乾隆), full-width letters,
# a ligature, a unit sign, Latin-1 capitals, curly quotes, traditional characters.
mkdir -p "$XDG_CONFIG_HOME/kefu"
cat >"$XDG_CONFIG_HOME/kefu/rules.toml" <<'TOML'
[[rule]]
id = "t.phrase"
any = ["彷佛", "乾隆"]
tags = ["phrase"]

[[rule]]
id = "t.width"
any = ["refund now", "file", "5kg", "café", "\"quoted\""]
tags = ["width"]

[[rule]]
id = "t.trad"
any = ["退货", "发票"]
tags = ["trad"]
TOML

texts=("彷彿收到了 乾隆年間的瓷器" "ＲＥＦＵＮＤ　ＮＯＷ ﬁle 5㎏" "CAFÉ “quoted”" "退貨 發票" "plain ascii text"
       "乾隆" "😀 emoji only")
classify() {
    local out=$1 text
    : >"$out"
    for text in "${texts[@]}"; do
        "$KEFU" rules test --format json "$text" >>"$out"
    done
}

export XDG_CACHE_HOME="$T/cache"
cache_file=$XDG_CACHE_HOME/kefu/normalize.cache

# First run: tables built, then written.
classify "$T/first.json"
[ -s "$cache_file" ] || fail "no cache file after the first run"
same "$(stat -c %a "$cache_file")" "600" "cache file mode"
grep -q '"phrase"' "$T/first.json" || fail "t2s phrase rule did not fire"
grep -q '"width"' "$T/first.json" || fail "width rule did not fire"
grep -q '"trad"' "$T/first.json" || fail "traditional rule did not fire"
cp "$cache_file" "$T/good.cache"

# Second run: tables read from the cache; the same results. A run that did not take the
# tables from the cache would write it anew, to a new file renamed into place (a new inode).
inode=$(stat -c %i "$cache_file")
classify "$T/second.json"
cmp -s "$T/first.json" "$T/second.json" || fail "results differ when read from the cache"
same "$(stat -c %i "$cache_file")" "$inode" "cache file kept (read, not rebuilt)"

# Damaged in the middle (checksum no longer matches): ignored and rewritten.
size=$(stat -c %s "$cache_file")
printf 'XXXXXXXX' | dd of="$cache_file" bs=1 seek=$((size / 2)) conv=notrunc status=none
classify "$T/damaged.json"
cmp -s "$T/first.json" "$T/damaged.json" || fail "results differ with a damaged cache"
same "$(stat -c %s "$cache_file")" "$size" "rewritten cache size"
grep -q XXXXXXXX "$cache_file" && fail "damaged cache not rewritten"
cmp -s "$cache_file" "$T/good.cache" || fail "rewritten cache differs from the first one"

# Truncated, empty, or not a cache at all: ignored.
head -c 100 "$T/good.cache" >"$cache_file"
classify "$T/truncated.json"
cmp -s "$T/first.json" "$T/truncated.json" || fail "results differ with a truncated cache"
printf 'KEFURL01 not this cache' >"$cache_file"
classify "$T/foreign.json"
cmp -s "$T/first.json" "$T/foreign.json" || fail "results differ with a foreign cache"

# A cache folder that cannot be made (its parent is a file): tables built, no error.
printf 'a file' >"$T/file"
export XDG_CACHE_HOME="$T/file"
kefu 0 rules test "退貨"
contains out "refund"
[ -s "$T/err" ] && fail "stderr not empty when the cache cannot be written"
[ -f "$T/file" ] || fail "the file in the cache's way was changed"
