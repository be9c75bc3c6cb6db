# An import killed with SIGKILL part-way leaves a consistent database, and running it again
# ends with exactly the rows of an uninterrupted import.
. "$(dirname "$0")/lib/common.sh"

rows=${KILL_TEST_ROWS:-150000}
python3 - "$T/big.csv" "$rows" <<'PY'
import sys, random
random.seed(42)
words = ["退款", "发货", "快递", "尺码", "激活码", "refund", "where is my parcel", "size", "谢谢", "怎么还没到"]
with open(sys.argv[1], "w") as f:
    f.write("id,time,buyer,phone,order,message\n")
    for i in range(int(sys.argv[2])):
        body = " ".join(random.choice(words) for _ in range(random.randint(3, 30)))
        if i % 7 == 0:
            body = '"' + body.replace('"', '""') + '\n第二行"'
        f.write(f"M{i},2026-{1 + i % 11:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d},buyer{i % 5000},"
                f"138{i % 5000:08d},O{i % 40000},{body}\n")
PY

# The reference: an uninterrupted import.
kefu 0 --db "$T/ref.db" import "$T/big.csv" --batch 2000
dump() {
    sqlite3 -readonly "$1" "select id, external_id, received_at, customer_id, order_id, thread_id, is_head, status, body from inquiry order by id" | md5sum
}
ref=$(dump "$T/ref.db")

for attempt in 1 2 3; do
    "$KEFU" import "$T/big.csv" --batch 2000 >/dev/null 2>&1 &
    pid=$!
    sleep "0.$((RANDOM % 9 + 1))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    kefu 0 check
done
n=$(sql "select count(*) from inquiry")
[ "$n" -lt "$rows" ] || echo "note: the import finished before it was killed ($n rows)"
kefu 0 import "$T/big.csv" --batch 2000
kefu 0 check
same "$(dump "$KEFU_DB")" "$ref" "rows after kill and re-run"
same "$(sql "select count(*) from customer")" "$(sqlite3 "$T/ref.db" "select count(*) from customer")" "customers"
