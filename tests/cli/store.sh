# kefu init, check and backup; refusing foreign and newer databases.
. "$(dirname "$0")/lib/common.sh"

kefu 0 init
contains out "kefu database ready: $KEFU_DB (schema version "
same "$(sql 'pragma user_version')" "$(sed -n 's/.*schema version \([0-9]*\))$/\1/p' "$T/out")" "schema version"
same "$(stat -c %a "$KEFU_DB")" 600 "database mode"
same "$(stat -c %a "$(dirname "$KEFU_DB")")" 700 "database folder mode"
kefu 0 init
kefu 0 check
contains out "passed every check"

kefu 0 import "$SAMPLES/inquiries.csv"
kefu 0 backup "$T/copy.db"
same "$(sqlite3 "$T/copy.db" 'select count(*) from inquiry')" 66 "backup rows"
same "$(stat -c %a "$T/copy.db")" 600 "backup mode"
kefu 1 backup "$T/copy.db"
expect_err <<OUT
kefu: error: cannot back up ($T/copy.db): the file exists already
kefu: hint: give a new file name
OUT

# The default path: $XDG_DATA_HOME/kefu/kefu.db.
env -u KEFU_DB "$KEFU" init >"$T/out"
contains out "$XDG_DATA_HOME/kefu/kefu.db"

# A file another program made, a file that is not SQLite, a newer kefu's database.
sqlite3 "$T/other.db" "create table t(x); insert into t values (1)"
kefu 1 --db "$T/other.db" list
contains err "kefu: error: not a kefu database ($T/other.db): it is an SQLite file that another program made"
same "$(sqlite3 "$T/other.db" 'select count(*) from sqlite_schema')" 1 "foreign file untouched"
head -c 5000 /dev/urandom > "$T/junk.db"
kefu 1 --db "$T/junk.db" check
contains err "not a kefu database"
cp "$KEFU_DB" "$T/newer.db"
sqlite3 "$T/newer.db" "pragma user_version = 99"
kefu 1 --db "$T/newer.db" list
contains err "database is from a newer kefu ($T/newer.db): its schema is version 99"
kefu 1 --db "$T/missing.db" list
contains err "no database ($T/missing.db)"
[ ! -e "$T/missing.db" ] || fail "a read command created a database"

# A damaged full-text index is found by check.
cp "$KEFU_DB" "$T/broken.db"
sqlite3 "$T/broken.db" "delete from inquiry_fts_data where id > 10"
kefu 1 --db "$T/broken.db" check
contains err "database check failed"

# A database of schema version 1 with data and replies (made from this one by undoing steps
# 3 and 2): read commands refuse it and say how to upgrade; `kefu init` backs it up, upgrades
# it and keeps every figure and suggestion; the backup is the file as it was.
printf 'buyer,message\n阿强,物流显示已经签收了，可是我根本没收到快递\n阿珍,物流显示签收了，可我没收到快递啊\n' |
    kefu 0 import - --type csv
kefu 0 reply 67 --template shipping-delay --no-followup
kefu 0 reply 68 --template shipping-delay --no-followup
kefu 0 reply 62 --template refund-issued --no-followup
kefu 0 --format json report --since 90d
cp "$T/out" "$T/report-v2.json"
kefu 0 --format json suggest 23
contains out "× before for similar inquiries"
cp "$T/out" "$T/suggest-v3.json"
cp "$KEFU_DB" "$T/v1.db"
sqlite3 "$T/v1.db" "ALTER TABLE reply DROP COLUMN terms;
    ALTER TABLE reply DROP COLUMN category;
    DROP INDEX inquiry_start;
    CREATE INDEX inquiry_thread_start ON inquiry(customer_id, received_at, thread_id, flags)
        WHERE id = thread_id AND flags & 2 = 0;
    PRAGMA user_version = 1;"
kefu 1 --db "$T/v1.db" list
contains err "database needs an upgrade ($T/v1.db): its schema is version 1"
contains err "run \`kefu init\` to upgrade it"
same "$(sqlite3 "$T/v1.db" 'pragma user_version')" 1 "read command left the version"
kefu 0 --db "$T/v1.db" init
same "$(sqlite3 "$T/v1.db" 'pragma user_version')" 3 "upgraded version"
contains err "kefu: database upgraded from schema version 1 to 3; the file as it was is kept in $T/v1.db.v1.bak"
same "$(sqlite3 "$T/v1.db" "select group_concat(name) from sqlite_schema
    where name in ('inquiry_start', 'inquiry_thread_start')")" inquiry_start "step 2 indexes"
same "$(sqlite3 "$T/v1.db.v1.bak" 'pragma user_version')" 1 "backup version"
same "$(sqlite3 "$T/v1.db.v1.bak" 'select count(*) from inquiry')" 68 "backup rows"
# Step 3: the replies get their inquiries' categories; their token counts are not known.
same "$(sqlite3 "$T/v1.db" 'select count(*) from reply r join inquiry i on i.id = r.inquiry_id
    where r.category = i.category and r.terms is null')" 3 "replies after step 3"
kefu 0 --db "$T/v1.db" check
kefu 0 --db "$T/v1.db" --format json report --since 90d
cmp -s "$T/out" "$T/report-v2.json" || fail "report differs after the upgrade"
# Suggestions read the inquiries' texts where the counts are missing: the same ranking.
same "$(sqlite3 "$KEFU_DB" 'select count(*) from reply where terms is not null')" 3 \
    "replies keep their counts"
kefu 0 --db "$T/v1.db" --format json suggest 23
cmp -s "$T/out" "$T/suggest-v3.json" || fail "suggestions differ after the upgrade"
