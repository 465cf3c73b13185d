#!/usr/bin/env bash
# Read-path benchmark at 1,000,000 rows (issue 4): figures, not assertions.
#
#   bench/read_path.sh [--reuse] [--drop]
#
#   --reuse   keep database equipflow_bench_read if it already holds >= 1,000,000 items
#             (default: drop it, migrate, seed the demo and 1,000,000 items, VACUUM ANALYZE)
#   --drop    drop the database at exit (default: leave it for reruns)
#
# (a) detail reads, 64 connections: GET /api/v1/equipment/{id} (two-level cache) and the
#     SSR page /equipment/{id}, next to their ceiling, a bare axum handler doing one Redis
#     GET per request (bench/ceiling), and redis-benchmark GET -c 64. Beside the SSR page,
#     two floors: the signed-in frame alone (/account/password: layout, bell, a two-field
#     form, no data) and a bare Leptos page after the same Redis GET (bench/ceiling /leptos).
# (b) list reads, 8 connections: /api/v1/equipment?page=1, ?page=100 and the keyset cursor
#     of page 10,000, each next to the same two statements (page + capped count) run
#     directly by pgbench.
# (c) a summary table and the ratios against the issue's targets.
# Runs alternate A B A B … (ROUNDS of them); the summary takes the median of the rounds, and
# each ratio is taken within a round (A and B minutes apart), then the median of those.
#
# Environment: CARGO_TARGET_DIR (~/.cache/equipflow/target), BENCH_BIN (release equipflow),
# BENCH_CEILING_BIN, BENCH_SITE_ROOT, BENCH_ADMIN_URL, REDIS_URL, AMQP_URL,
# EQUIPFLOW_DEMO_PASSWORD, ROUNDS (3), DURATION (15 s), WARMUP (5 s), THREADS (2),
# DETAIL_CONNS (64), LIST_CONNS (8), BENCH_OUT (where logs go; a new temporary directory),
# BENCH_REV (what the server was built from, for the header; default this clone's HEAD).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
bench_name=read_path.sh
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

reuse=0
drop=0
for arg in "$@"; do
    case $arg in
        --reuse) reuse=1 ;;
        --drop) drop=1 ;;
        -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $arg (see $0 --help)" >&2; exit 2 ;;
    esac
done

db=equipflow_bench_read
url=postgres://equipflow:equipflow@127.0.0.1:5432/$db
rows=1000000
rounds=${ROUNDS:-3}
duration=${DURATION:-15}
warmup=${WARMUP:-5}
threads=${THREADS:-2}
detail_conns=${DETAIL_CONNS:-64}
list_conns=${LIST_CONNS:-8}

# --- tools and binaries ----------------------------------------------------------------
missing=()
for tool in wrk redis-benchmark redis-cli pgbench psql curl awk; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    packages=()
    for tool in "${missing[@]}"; do
        case $tool in
            wrk) packages+=(wrk) ;;
            redis-benchmark | redis-cli) packages+=(redis-tools) ;;
            pgbench | psql) packages+=(postgresql-client) ;;
            curl) packages+=(curl) ;;
            awk) packages+=(gawk) ;;
        esac
    done
    die "missing: ${missing[*]}" "apt-get install -y $(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')"
fi
require_release_server
if [ ! -x "$ceiling_bin" ]; then
    echo "building the ceiling: cargo build --release -p bench-ceiling" >&2
    CARGO_TARGET_DIR=$target cargo build --release -p bench-ceiling ||
        die "cargo build --release -p bench-ceiling failed"
fi
psql "$admin" -qtAc 'SELECT 1' >/dev/null ||
    die "PostgreSQL is not reachable at $admin" "start it (scripts/run does), or set BENCH_ADMIN_URL"
redis-cli -u "$redis_url" ping >/dev/null || die "Redis is not reachable at $redis_url"

# Two runs at once would drop each other's database and share the cores.
exec 9>"${TMPDIR:-/tmp}/equipflow-bench-read.lock"
flock -n 9 || die "another bench/read_path.sh is running (it holds ${TMPDIR:-/tmp}/equipflow-bench-read.lock)"

out=${BENCH_OUT:-$(mktemp -d /tmp/equipflow-read-path.XXXXXX)}
mkdir -p "$out"

# --- machine ---------------------------------------------------------------------------
print_machine
echo "tools:      $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2), $(pgbench --version), $(redis-benchmark --version 2>/dev/null | cut -d' ' -f1-2)"
echo "site root:  $site_root"
echo "logs:       $out"
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) before the run"

# --- database --------------------------------------------------------------------------
export DATABASE_URL=$url EQUIPFLOW_REDIS_PREFIX=bench EQUIPFLOW_AMQP_PREFIX=bench \
    EQUIPFLOW_DEMO_PASSWORD=$password RUST_LOG=warn
have=0
if [ "$reuse" = 1 ] &&
    [ "$(psql "$admin" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ]; then
    have=$(psql "$url" -qtAc 'SELECT count(*) FROM equipment' 2>/dev/null || echo 0)
fi
echo
echo "== database $db"
if [ "$have" -ge "$rows" ]; then
    echo "reusing it: $have items"
else
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER equipflow"
    # Cached items and sessions of an earlier database would name rows that are gone.
    redis-cli -u "$redis_url" --scan --pattern 'bench:*' | xargs -r -n 500 redis-cli -u "$redis_url" del >/dev/null
    "$bin" migrate >"$out/migrate.log" 2>&1 || die "equipflow migrate failed: see $out/migrate.log"
    "$bin" seed --demo >"$out/seed-demo.log" 2>&1 || die "equipflow seed --demo failed: see $out/seed-demo.log"
    start=$(date +%s.%N)
    "$bin" seed --equipment "$rows" >"$out/seed-bulk.log" 2>&1 ||
        die "equipflow seed --equipment $rows failed: see $out/seed-bulk.log"
    seeded=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    # As the superuser, so that the shared catalogues are not skipped with a warning each.
    psql "${admin%/*}/$db" -qc 'VACUUM ANALYZE'
    echo "migrated, demo seeded, $rows items bulk-seeded in $seeded s, VACUUM ANALYZE done"
fi
psql "$url" -qtAc "SELECT count(*) || ' items, table ' || pg_size_pretty(pg_table_size('equipment')) || ', list index ' || pg_size_pretty(pg_relation_size('equipment_list_covering_idx')) FROM equipment"

# --- servers ---------------------------------------------------------------------------
server_pid=
ceiling_pid=
cleanup() {
    local rc=$?
    for pid in $server_pid $ceiling_pid; do
        if kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
    done
    if [ "$drop" = 1 ]; then
        psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server "$out/server.log"

ceiling_port=$(free_port)
ceiling_cookie=ceiling-$RANDOM$RANDOM
BENCH_CEILING_ADDR=127.0.0.1:$ceiling_port BENCH_CEILING_PREFIX=bench:ceiling \
    BENCH_CEILING_COOKIE=$ceiling_cookie REDIS_URL=$redis_url \
    "$ceiling_bin" >"$out/ceiling.log" 2>&1 &
ceiling_pid=$!
wait_ready "http://127.0.0.1:$ceiling_port/healthz" "$ceiling_pid" "$out/ceiling.log"

# --- sign in ---------------------------------------------------------------------------
session=$(sign_in demo-user "$out")
cookie="Cookie: equipflow=$session"

# --- what to read ----------------------------------------------------------------------
id=$(psql "$url" -qtAc "SELECT id FROM equipment ORDER BY id OFFSET $((rows / 2)) LIMIT 1")
# The last row of page 9,999 (newest first, 20 a page); its cursor opens page 10,000.
IFS='|' read -r cursor_ts cursor_id cursor first_id < <(psql "$url" -qtA <<'SQL'
SET TIME ZONE 'UTC';
WITH last AS (
    SELECT created_at, id FROM equipment
    ORDER BY created_at DESC, id DESC OFFSET 20 * 9999 - 1 LIMIT 1
)
SELECT created_at, id,
       'v1.' || encode(convert_to((extract(epoch FROM created_at) * 1000000)::bigint || ':' || id, 'UTF8'), 'hex'),
       (SELECT e.id FROM equipment e WHERE (e.created_at, e.id) < (last.created_at, last.id)
        ORDER BY e.created_at DESC, e.id DESC LIMIT 1)
FROM last
SQL
)
probe() {
    curl -s -o "$out/probe.body" -w '%{http_code}' -H "${2:-$cookie}" -H 'Accept: application/json' "$1"
}
detail_json=$origin/api/v1/equipment/$id
detail_page=$origin/equipment/$id
frame_page=$origin/account/password
ceiling_url=http://127.0.0.1:$ceiling_port/
leptos_url=http://127.0.0.1:$ceiling_port/leptos
list1="$origin/api/v1/equipment?page=1"
list100="$origin/api/v1/equipment?page=100"
keyset="$origin/api/v1/equipment?cursor=$cursor"
declare -A code
for name in detail_json detail_page frame_page list1 list100 keyset; do
    code[$name]=$(probe "${!name}")
done
code[ceiling_url]=$(probe "$ceiling_url" "Cookie: equipflow=$ceiling_cookie")
code[leptos_url]=$(probe "$leptos_url" "Cookie: equipflow=$ceiling_cookie")
[ "${code[frame_page]}" = 200 ] || die "GET $frame_page answered ${code[frame_page]}"
[ "${code[leptos_url]}" = 200 ] || die "the bare Leptos page answered ${code[leptos_url]}"
[ "${code[detail_json]}" = 200 ] || die "GET $detail_json answered ${code[detail_json]}"
[ "${code[ceiling_url]}" = 200 ] || die "the ceiling answered ${code[ceiling_url]}"
for name in list1 list100 keyset; do
    [ "${code[$name]}" = 200 ] || die "GET ${!name} answered ${code[$name]}"
done
# The keyset page must start right after the cursor's row.
probe "$keyset" >/dev/null
[ "$(grep -o '"id":[0-9]*' "$out/probe.body" | head -n1)" = "\"id\":$first_id" ] ||
    die "the keyset page does not start at item $first_id: $(head -c 300 "$out/probe.body")"
echo
echo "== reads"
echo "item $id: JSON ${code[detail_json]}, SSR page ${code[detail_page]}; cursor of page 10,000: $cursor ($cursor_ts, id $cursor_id)"

# --- measuring -------------------------------------------------------------------------
# wrk prints its own report (kept in $out) and, from done(), one line: requests/s, p50 and
# p99 in ms, and the count of non-2xx answers and socket errors.
cat >"$out/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, summary.requests))
end
LUA
results=$out/results.txt
: >"$results"

# Where the CPU went during a measured run, in % of the whole machine ($(nproc) cores =
# 100 %): the app (or the ceiling), Redis, PostgreSQL (live processes plus the reaped
# backends the postmaster accounts for), the rest (the load generator, anything else) and
# idle. On a small machine the load generator shares the cores with what it measures.
cpu_snapshot() { # total busy app redis postgres
    local app=0 redis=0 pg=0 pid postmaster
    [ -z "$1" ] || app=$(proc_ticks "$1")
    for pid in $(pgrep -x redis-server); do redis=$((redis + $(proc_ticks "$pid"))); done
    postmaster=$(pgrep -o -x postgres || true)
    for pid in $(pgrep -x postgres); do
        pg=$((pg + $(proc_ticks "$pid" "$([ "$pid" = "$postmaster" ] && echo 1 || echo 0)")))
    done
    awk -v a="$app" -v r="$redis" -v p="$pg" '/^cpu / {
        busy = $2 + $3 + $4 + $7 + $8 + $9; print busy + $5 + $6, busy, a, r, p }' /proc/stat
}
cpu_split() { # BEFORE AFTER: "app r% redis r% pg r% rest r% idle r%"
    awk -v b="$1" -v a="$2" 'BEGIN {
        split(b, x, " "); split(a, y, " "); t = y[1] - x[1]; if (t <= 0) t = 1
        app = y[3] - x[3]; redis = y[4] - x[4]; pg = y[5] - x[5]; busy = y[2] - x[2]
        printf "cpu: app %.0f%%, redis %.0f%%, pg %.0f%%, rest %.0f%%, idle %.0f%%",
            100 * app / t, 100 * redis / t, 100 * pg / t, 100 * (busy - app - redis - pg) / t, 100 * (t - busy) / t
    }'
}

# measure_wrk LABEL ROUND CONNECTIONS URL [header [PID of the process served]]
measure_wrk() {
    local label=$1 round=$2 conns=$3 target_url=$4 header=${5:-$cookie} pid=${6:-$server_pid}
    local log before t=$((threads < conns ? threads : conns))
    log=$out/wrk-$label-$round.txt
    wrk -t"$t" -c"$conns" -d"${warmup}s" -H "$header" "$target_url" >/dev/null
    before=$(cpu_snapshot "$pid")
    wrk -t"$t" -c"$conns" -d"${duration}s" --latency -s "$out/report.lua" \
        -H "$header" "$target_url" >"$log"
    awk -v l="$label" -v r="$round" '/^RESULT/ { print l, r, $2, $3, $4, $5, $6 }' "$log" >>"$results"
    echo "$(tail -n1 "$results")  $(cpu_split "$before" "$(cpu_snapshot "$pid")")"
}

# measure_pgbench LABEL ROUND SCRIPT: transactions/s and p50/p99 of the per-transaction
# latencies pgbench logs (-l, microseconds, third column).
measure_pgbench() {
    local label=$1 round=$2 script=$3 dir before after
    dir=$out/pgbench-$label-$round
    mkdir -p "$dir"
    pgbench -n -M prepared -f "$script" -c "$list_conns" -j "$threads" -T "$warmup" \
        -D ts="$cursor_ts" -D cid="$cursor_id" "$url" >/dev/null 2>&1
    before=$(cpu_snapshot "")
    pgbench -n -M prepared -f "$script" -c "$list_conns" -j "$threads" -T "$duration" -r \
        -l --log-prefix="$dir/log" -D ts="$cursor_ts" -D cid="$cursor_id" "$url" \
        >"$dir/report.txt" 2>&1
    after=$(cpu_snapshot "")
    local tps n
    tps=$(awk '/^tps = / { print $3; exit }' "$dir/report.txt")
    cat "$dir"/log.* | awk '{ print $3 }' | sort -n >"$dir/latencies"
    n=$(wc -l <"$dir/latencies")
    awk -v l="$label" -v r="$round" -v t="$tps" -v n="$n" '
        NR == int(n * 0.50 + 0.5) { p50 = $1 }
        NR == int(n * 0.99 + 0.5) { p99 = $1 }
        END { printf "%s %s %.1f %.3f %.3f 0 0\n", l, r, t, p50 / 1000, p99 / 1000 }
    ' "$dir/latencies" >>"$results"
    rm -f "$dir"/log.* "$dir/latencies"
    echo "$(tail -n1 "$results")  $(cpu_split "$before" "$after")"
}

measure_redis() {
    local round=$1 before
    before=$(cpu_snapshot "")
    redis-benchmark -u "$redis_url" -t get -c "$detail_conns" -n 200000 --csv \
        >"$out/redis-benchmark-$round.csv" 2>/dev/null
    awk -F'"' -v r="$round" '$2 == "GET" { print "redis-benchmark", r, $4, $10, $14, 0, 0 }' \
        "$out/redis-benchmark-$round.csv" >>"$results"
    echo "$(tail -n1 "$results")  $(cpu_split "$before" "$(cpu_snapshot "")")"
}

# The app's statements, as app/src/equipment/repo.rs builds them with no filter: the page
# (LIMIT size + 1) and the capped count (LIMIT 10,001), parameters bound as the app binds them.
columns='id, asset_code, name, model, status, category_id, department_id, location, holder_id, created_at'
count_sql='SELECT count(*) FROM (SELECT 1 FROM equipment WHERE TRUE LIMIT :cap) AS capped;'
for page in 1 100; do
    cat >"$out/page$page.sql" <<SQL
\\set lim 21
\\set off $(((page - 1) * 20))
\\set cap 10001
SELECT $columns FROM equipment WHERE TRUE ORDER BY created_at DESC, id DESC LIMIT :lim OFFSET :off;
$count_sql
SQL
done
cat >"$out/keyset.sql" <<SQL
\\set lim 21
\\set cap 10001
SELECT $columns FROM equipment WHERE TRUE AND (created_at, id) < (:ts::timestamptz, :cid::bigint) ORDER BY created_at DESC, id DESC LIMIT :lim;
$count_sql
SQL

echo
echo "== (a) detail reads, $detail_conns connections, ${duration} s each after ${warmup} s warm-up, $rounds rounds"
echo "label round req/s p50_ms p99_ms non2xx socket_errors"
for round in $(seq "$rounds"); do
    measure_wrk ceiling "$round" "$detail_conns" "$ceiling_url" "Cookie: equipflow=$ceiling_cookie" "$ceiling_pid"
    measure_wrk detail-json "$round" "$detail_conns" "$detail_json"
    measure_wrk detail-ssr "$round" "$detail_conns" "$detail_page"
    measure_wrk frame-ssr "$round" "$detail_conns" "$frame_page"
    measure_wrk leptos-floor "$round" "$detail_conns" "$leptos_url" "Cookie: equipflow=$ceiling_cookie" "$ceiling_pid"
    measure_redis "$round"
done

# Redis commands per request: the server-wide command counter around 3 s of one connection
# (anything else using this Redis adds to it).
redis_commands() { redis-cli -u "$redis_url" info stats | awk -F: '/^total_commands_processed/ { print $2 + 0 }'; }
per_request() { # LABEL URL [header]
    local before after
    before=$(redis_commands)
    wrk -t1 -c1 -d3s -s "$out/report.lua" -H "${3:-$cookie}" "$2" >"$out/redis-per-request-$1.txt"
    after=$(redis_commands)
    awk -v l="$1" -v d="$((after - before - 1))" '/^RESULT/ { printf "%s %.2f  ", l, d / $7 }' \
        "$out/redis-per-request-$1.txt"
}
echo "Redis commands per request: $(per_request ceiling "$ceiling_url" "Cookie: equipflow=$ceiling_cookie")$(per_request detail-json "$detail_json")$(per_request detail-ssr "$detail_page")$(per_request list-page1 "$list1")"

echo
echo "== (b) list reads at $rows rows, $list_conns connections, ${duration} s each after ${warmup} s warm-up, $rounds rounds"
echo "label round req/s p50_ms p99_ms non2xx socket_errors"
for round in $(seq "$rounds"); do
    measure_wrk list-page1 "$round" "$list_conns" "$list1"
    measure_pgbench pgbench-page1 "$round" "$out/page1.sql"
    measure_wrk list-page100 "$round" "$list_conns" "$list100"
    measure_pgbench pgbench-page100 "$round" "$out/page100.sql"
    measure_wrk list-keyset10000 "$round" "$list_conns" "$keyset"
    measure_pgbench pgbench-keyset10000 "$round" "$out/keyset.sql"
done

echo
echo "== (b') the same list reads one at a time (1 connection, ${duration} s each, 1 round)"
measure_wrk list-page1-c1 1 1 "$list1"
measure_wrk list-page100-c1 1 1 "$list100"
measure_wrk list-keyset10000-c1 1 1 "$keyset"

# Plans, for the record: EXPLAIN ANALYZE of each statement once, warm, values inlined.
{
    for file in page1 page100 keyset; do
        echo "-- $file"
        sed -e '/^\\set/d' -e 's/:lim/21/; s/:cap/10001/' \
            -e "s/:off/$(awk '$2 == "off" { print $3 }' "$out/$file.sql")/" \
            -e "s/:ts::/'$cursor_ts'::/; s/:cid::/$cursor_id::/" \
            -e 's/^SELECT/EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT/' "$out/$file.sql" |
            psql "$url" -qX
    done
} >"$out/plans.txt" 2>&1
echo
echo "== plans ($out/plans.txt)"
awk '
    /^-- / { name = $2; statement = 0 }
    /QUERY PLAN/ { statement++; label = name (statement == 1 ? " page " : " count"); shown = 0 }
    /Scan|Sort / && !shown {
        node = $0; sub(/^ *(-> *)?/, "", node); sub(/ +\(cost=.*/, "", node)
        rows = $0; sub(/.*actual (time=[^ ]* )?/, "", rows); sub(/ loops.*/, "", rows)
        printf "%-15s %s, %s", label, node, rows; shown = 1
    }
    /Execution Time/ { printf ", %s %s\n", $3, $4 }
' "$out/plans.txt"
echo "pgbench per statement (mean ms under $list_conns clients, round 1):"
for file in page1 page100 keyset; do
    awk -v f="$file" '/^ +[0-9.]+ +[0-9]+ +SELECT/ { printf "  %-8s %-6s %s\n", f, ($4 == "count(*)" ? "count" : "page"), $1 }' \
        "$out/pgbench-pgbench-$file$([ "$file" = keyset ] && echo 10000)-1/report.txt"
done

echo
echo "== cache counters at /metrics after the run"
curl -s "$origin/metrics" | grep '^equipflow_cache_events_total' || echo "(none exported)"

# --- summary ---------------------------------------------------------------------------
# Median over the rounds of each figure.
summary=$out/summary.txt
awk '
    { key[$1] = 1; n[$1]++; rps[$1, n[$1]] = $3; p50[$1, n[$1]] = $4; p99[$1, n[$1]] = $5; bad[$1] += $6 + $7 }
    function median(a, k, c,    i, j, t, v) {
        for (i = 1; i <= c; i++) v[i] = a[k, i]
        for (i = 2; i <= c; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
    }
    END { for (k in key) printf "%s %.1f %.3f %.3f %d\n", k, median(rps, k, n[k]), median(p50, k, n[k]), median(p99, k, n[k]), bad[k] }
' "$results" >"$summary"
get() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$summary"; }

echo
echo "== (c) summary (median of $rounds rounds)"
printf '%-24s %10s %9s %9s %s\n' read req/s p50_ms p99_ms note
row() {
    local label=$1 note=${2:-}
    printf '%-24s %10s %9s %9s %s\n' "$label" "$(get "$label" 2)" "$(get "$label" 3)" "$(get "$label" 4)" "$note"
}
row ceiling "axum + 1 Redis GET, $detail_conns conns"
row redis-benchmark "redis-benchmark GET -c $detail_conns (no HTTP)"
row detail-json "GET /api/v1/equipment/$id: ${code[detail_json]}"
row detail-ssr "GET /equipment/$id: ${code[detail_page]}$([ "${code[detail_page]}" = 200 ] || echo ' (not the page: measured what it answers)')"
row frame-ssr "GET /account/password: the signed-in frame, no data"
row leptos-floor "axum + 1 Redis GET + a bare Leptos page"
row list-page1 "GET ?page=1, $list_conns conns"
row pgbench-page1 "same SQL in pgbench"
row list-page100 "GET ?page=100"
row pgbench-page100 "same SQL in pgbench"
row list-keyset10000 "GET ?cursor=<page 10,000>"
row pgbench-keyset10000 "same SQL in pgbench"
row list-page1-c1 "GET ?page=1, 1 connection"
row list-page100-c1 "GET ?page=100, 1 connection"
row list-keyset10000-c1 "GET ?cursor=<page 10,000>, 1 connection"
awk '$5 > 0 { printf "note: %s had %d non-2xx answers or socket errors\n", $1, $5 }' "$summary"

# ratio NUMERATOR FIELD DENOMINATOR FIELD: the ratio within each round (fields: 3 req/s,
# 4 p50, 5 p99), as "median (min-max)".
ratio() {
    awk -v a="$1" -v b="$3" -v fa="$2" -v fb="$4" '
        $1 == a { x[$2] = $fa } $1 == b { y[$2] = $fb }
        END {
            for (r in x) if ((r in y) && y[r] > 0) v[++n] = x[r] / y[r]
            if (!n) { print "n/a"; exit }
            for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
            m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            if (n == 1) printf "%.2f", m; else printf "%.2f (%.2f-%.2f)", m, v[1], v[n]
        }' "$results"
}

echo
echo "ratios, each within a round, median (min-max) over $rounds rounds; [target]"
printf '  detail JSON / ceiling, req/s        %s  [>= 0.5], p99 %s ms [<= 10]\n' \
    "$(ratio detail-json 3 ceiling 3)" "$(get detail-json 4)"
printf '  SSR page / ceiling, req/s           %s  [>= 0.25]%s\n' "$(ratio detail-ssr 3 ceiling 3)" \
    "$([ "${code[detail_page]}" = 200 ] || echo " (status ${code[detail_page]}: not the page)")"
printf '  signed-in frame / ceiling, req/s    %s  (no data: what every page costs)\n' "$(ratio frame-ssr 3 ceiling 3)"
printf '  bare Leptos page / ceiling, req/s   %s  (the floor of any SSR page)\n' "$(ratio leptos-floor 3 ceiling 3)"
printf '  keyset page 10,000 / page 1, p50    %s  [<= 1.5]\n' "$(ratio list-keyset10000 4 list-page1 4)"
for list in page1 page100 keyset10000; do
    printf '  app / pgbench %-12s req/s %s, p50 %s\n' "$list" \
        "$(ratio "list-$list" 3 "pgbench-$list" 3)" "$(ratio "list-$list" 4 "pgbench-$list" 4)"
done
printf '  worst list p99, %s connections       %s ms  [<= 20, counts included]\n' "$list_conns" \
    "$(awk '$1 ~ /^list-/ && $1 !~ /-c1$/ && $4 > m { m = $4 } END { print m + 0 }' "$summary")"
printf '  worst list p99, 1 connection        %s ms\n' \
    "$(awk '$1 ~ /-c1$/ && $4 > m { m = $4 } END { print m + 0 }' "$summary")"
echo
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) after the run"
[ "$drop" = 1 ] || echo "database $db left for reruns (bench/read_path.sh --reuse; --drop removes it)"
