# kefu report on a million inquiries answers in under 500 ms (the best of three runs).
# Slow (about a minute to generate the database): runs only with KEFU_SLOW_TESTS=1, else it
# is skipped (77). KEFU_REPORT_LIMIT_MS changes the limit (a loaded machine).
. "$(dirname "$0")/lib/common.sh"

if [ "${KEFU_SLOW_TESTS:-0}" != 1 ]; then
    echo "skipped: set KEFU_SLOW_TESTS=1 to generate a million inquiries and time kefu report" >&2
    trap - EXIT
    rm -rf "$T"
    exit 77
fi
limit=${KEFU_REPORT_LIMIT_MS:-500}

kefu 0 init
now=$(sql "SELECT strftime('%s', '2026-11-15 04:00')")
# A year of a busy shop: 1,000,000 messages from 200,000 buyers over 365 days, spread over 8
# channels and 9 categories; older than three days nearly all resolved or closed, the rest a
# backlog of about 18,000; 90% answered within 48 hours, 60% of them by a template reply.
sqlite3 "$KEFU_DB" <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO customer(id, name, vip, created_at) SELECT i, 'buyer' || i, i % 97 = 0, $now - 400 * 86400 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000),
r AS (SELECT i, $now - 365 * 86400 + i * 31536000 / 1000000 + abs(random() % 600) AS t, abs(random()) AS x FROM n)
INSERT INTO inquiry(id, source, dedupe_key, received_at, channel, customer_id, contact, body, thread_id, is_head,
                    status, category, priority_static, first_response_at, resolved_at)
SELECT i, 'gen:' || i, i, t,
       CASE x % 8 WHEN 0 THEN 'taobao' WHEN 1 THEN 'pinduoduo' WHEN 2 THEN 'xianyu' WHEN 3 THEN 'ebay'
                  WHEN 4 THEN 'email' WHEN 5 THEN 'wechat' WHEN 6 THEN 'etsy' ELSE 'vinted' END,
       1 + (x / 8) % 200000, 'c', '在吗 这个还有货吗 ' || i, i, 1,
       CASE WHEN t < $now - 3 * 86400 THEN (CASE WHEN x % 100 = 0 THEN 2 ELSE 3 + (x / 7) % 2 END)
            ELSE (x / 7) % 3 END,
       (x / 13) % 9, ((x / 17) % 200) / 10.0,
       CASE WHEN (x / 19) % 10 < 9 AND t < $now - 3600 THEN t + (x / 23) % (48 * 3600) END,
       CASE WHEN t < $now - 3 * 86400 AND x % 100 <> 0 THEN t + 3600 + (x / 29) % (5 * 86400) END
FROM r;
INSERT INTO reply(inquiry_id, template_id, language, text, sent_at)
SELECT id, 'tpl_' || (id % 40), 'zh', '好的亲', first_response_at FROM inquiry
WHERE first_response_at IS NOT NULL AND id % 3 <> 0;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
same "$(sql "SELECT count(*) FROM inquiry")" 1000000 "generated inquiries"

best=999999
for run in 1 2 3; do
    start=$(date +%s%N)
    kefu 0 report
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "kefu report (30 days of a million inquiries): $ms ms" >&2
    [ "$ms" -lt "$best" ] && best=$ms
done
contains out "messages in"
[ "$best" -lt "$limit" ] || fail "kefu report took $best ms, more than $limit ms"
