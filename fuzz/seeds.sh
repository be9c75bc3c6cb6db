#!/usr/bin/env bash
# Copies seed inputs for every fuzz target into OUT/<target>/ (a build folder, never the
# source tree): the project's own data, the checked-in regression inputs and, when it is
# there, the read-only external corpora folder. Usage: seeds.sh SOURCE_DIR OUT [CORPORA_DIR]
set -euo pipefail
src=$1
out=$2
corpora=${3:-$src/../shared/corpora}
[ -d "$corpora" ] || corpora=""

# put TARGET MAX_BYTES FILE...: copies each regular file no larger than MAX_BYTES, named by its
# content hash so that re-running is idempotent.
put() {
    local target=$1 max=$2
    shift 2
    mkdir -p "$out/$target"
    local f size
    for f in "$@"; do
        [ -f "$f" ] || continue
        size=$(stat -c %s "$f")
        [ "$size" -le "$max" ] || continue
        cp "$f" "$out/$target/seed-$(md5sum < "$f" | cut -c1-16)"
    done
}

# split_toml TARGET FILE HEADER N: the tables of FILE that start with HEADER, N per seed, so
# that seeds stay small and quick to run.
split_toml() {
    local target=$1 file=$2 header=$3 n=$4
    local tmp
    tmp=$(mktemp -d)
    awk -v h="$header" -v n="$n" -v dir="$tmp" '
        index($0, h) == 1 { k++ }
        k > 0 { print > (dir "/part-" int((k - 1) / n)) }
    ' "$file"
    put "$target" 1048576 "$tmp"/part-*
    rm -rf "$tmp"
}

corpus_files() {  # corpus_files PATTERN...: files of the external corpora matching any pattern
    [ -n "$corpora" ] || return 0
    local args=() p
    for p in "$@"; do
        args+=(-o -iname "$p")
    done
    find "$corpora" -type f \( "${args[@]:1}" \) 2>/dev/null | sort
}

regressions() {  # regressions TARGET: the checked-in inputs that once crashed it
    local d="$src/tests/corpora/fuzz-regressions/$1"
    [ -d "$d" ] && find "$d" -type f | sort
    return 0
}

# CSV: samples, external CSV suites and the CJK encoding pairs (plain text is a CSV too).
mapfile -t f < <({ find "$src/data/samples" -type f -name '*.csv'; find "$src/tests/data" -type f;
                   corpus_files '*.csv' '*.tsv' 'gb*.txt' 'big5*.txt' 'hz*.txt'; regressions csv; })
put csv 262144 "${f[@]}"

# One message: every .eml/.msg/.raw and the mbox pieces of the external corpora.
mapfile -t f < <({ corpus_files '*.eml' '*.msg' '*.raw' 'msg_*.txt' 'mail_*' 'mbox.rlug-*';
                   regressions mail_message; })
put mail_message 131072 "${f[@]}"

# mbox: the mbox files, plus a few single messages (a message alone is an mbox of one).
mapfile -t f < <({ corpus_files '*.mbox' '*.mbox.txt' 'mbox.rlug'; regressions mbox; })
put mbox 1048576 "${f[@]}"
mapfile -t f < <(corpus_files '*.eml' | head -n 40)
put mbox 131072 "${f[@]}"

# Rules: the built-in rules, a few rules per seed.
split_toml rules "$src/data/rules.toml" '[[rule]]' 4
mapfile -t f < <(regressions rules)
put rules 1048576 "${f[@]}"

# Templates: the built-in library, two templates per seed, and the CSV presets (TOML too).
for t in "$src"/templates/*.toml; do
    split_toml templates "$t" '[[template]]' 2
done
mapfile -t f < <({ find "$src/data/presets" -name '*.toml'; regressions templates; })
put templates 1048576 "${f[@]}"

# Durations and dates: one form per line, as users and exports write them.
mkdir -p "$out/time"
printf '%s\n' 30m 4h 2d 1w 90s 1d12h '1h 30m' 0 2x '' -1d 99999999999999999999d \
    '2024-01-04T09:16:06Z' '2024-01-04 09:16:06+08:00' '2024-01-04 09:16' '2024/1/4 9:16' \
    '2024.1.4 9:16:06' '2024年1月4日 09:16' 2024-01-04 1704330966 1704330966123 now today \
    'tomorrow 9:00' yesterday 17:30 25:00 2026-13-01 '2026-02-30 10:00' +08:00 +0800 UTC Z \
    > "$out/time/seed-all"
i=0
while IFS= read -r line; do
    printf '%s' "$line" > "$out/time/seed-line-$i"
    i=$((i + 1))
done < "$out/time/seed-all"
mapfile -t f < <(regressions time)
put time 4096 "${f[@]}"

# Config: the documented keys.
mkdir -p "$out/config"
cat > "$out/config/seed-full" <<'TOML'
timezone = "Asia/Shanghai"
[shop]
name = "小米的店"
signature = "小米的店 客服小米"
agent = "小米"
[sla]
first_response = "24h"
followup_response = "1d12h"
[sla.first_response_by_level]
urgent = "2h"
high = "8h"
[priority]
anger = 6.0
urgency = 3.0
[priority.levels]
urgent = 12
high = 8
normal = 3
[mail]
own_addresses = ["shop@example.com"]
[import]
rejects_dir = "/tmp"
default_channel = "taobao"
[placeholders]
coupon_code = "SAVE10"
TOML
printf 'timezone = "UTC"\n' > "$out/config/seed-tz"
mapfile -t f < <(regressions config)
put config 65536 "${f[@]}"

for d in "$out"/*/; do
    printf '%-14s %5d seeds\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done
