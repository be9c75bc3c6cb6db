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
