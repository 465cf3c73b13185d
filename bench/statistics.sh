#!/usr/bin/env bash
# Statistics benchmark at 1,000,000 items and 1,000,000 requests (issue 6): figures, not
# assertions.
#
#   bench/statistics.sh [--reuse] [--drop]
#
#   --reuse   keep database equipflow_bench_read (shared with read_path.sh) if it holds
#             >= 1,000,000 items and requests (default: drop it, migrate, seed the demo,
#             1,000,000 items and 1,000,000 requests)
#   --drop    drop the database at exit
#
# (a) the refresh: `equipflow refresh-statistics` recomputes every scope's figures in one
#     snapshot, ROUNDS times; beside it the heaviest of its statements alone (items by
#     department, category and status over the whole table), run directly by psql.
# (b) reads, 8 connections, signed in as demo-admin (the whole organisation): the page
#     /leader/statistics, one chart (weeks-by-kind.svg) and one CSV, next to what they
#     stand on, the snapshot row read directly by pgbench, and the signed-in frame alone
#     (/account/password). Target: the page under 300 ms.
#
# Environment as bench/read_path.sh: CARGO_TARGET_DIR, BENCH_BIN, BENCH_SITE_ROOT,
# BENCH_ADMIN_URL, REDIS_URL, EQUIPFLOW_DEMO_PASSWORD, ROUNDS (3), DURATION (10 s),
# WARMUP (3 s), THREADS (2), CONNS (8), BENCH_OUT.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
bench_name=statistics.sh
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

reuse=0
drop=0
for arg in "$@"; do
    case $arg in
        --reuse) reuse=1 ;;
        --drop) drop=1 ;;
        -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $arg (see $0 --help)" >&2; exit 2 ;;
    esac
done

db=equipflow_bench_read
url=postgres://equipflow:equipflow@127.0.0.1:5432/$db
rows=1000000
requests=1000000
rounds=${ROUNDS:-3}
duration=${DURATION:-10}
warmup=${WARMUP:-3}
threads=${THREADS:-2}
conns=${CONNS:-8}

for tool in wrk pgbench psql curl awk redis-cli; do
    command -v "$tool" >/dev/null ||
        die "missing: $tool" "apt-get install -y wrk postgresql-client curl gawk redis-tools"
done
require_release_server
psql "$admin" -qtAc 'SELECT 1' >/dev/null ||
    die "PostgreSQL is not reachable at $admin" "start it (scripts/run does), or set BENCH_ADMIN_URL"
exec 9>"${TMPDIR:-/tmp}/equipflow-bench-read.lock"
flock -n 9 || die "another benchmark holds ${TMPDIR:-/tmp}/equipflow-bench-read.lock"

out=${BENCH_OUT:-$(mktemp -d /tmp/equipflow-statistics.XXXXXX)}
mkdir -p "$out"
print_machine
echo "tools:      $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2), $(pgbench --version)"
echo "logs:       $out"
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) before the run"

# --- database --------------------------------------------------------------------------
export DATABASE_URL=$url EQUIPFLOW_REDIS_PREFIX=bench EQUIPFLOW_AMQP_PREFIX=bench \
    EQUIPFLOW_DEMO_PASSWORD=$password RUST_LOG=warn
have_items=0
if [ "$reuse" = 1 ] &&
    [ "$(psql "$admin" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ]; then
    have_items=$(psql "$url" -qtAc 'SELECT count(*) FROM equipment' 2>/dev/null || echo 0)
fi
echo
echo "== database $db"
if [ "$have_items" -lt "$rows" ]; then
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER equipflow"
    redis-cli -u "$redis_url" --scan --pattern 'bench:*' | xargs -r -n 500 redis-cli -u "$redis_url" del >/dev/null
    "$bin" seed --demo >"$out/seed-demo.log" 2>&1 || die "seed --demo failed: see $out/seed-demo.log"
    "$bin" seed --equipment "$rows" >"$out/seed-items.log" 2>&1 ||
        die "seed --equipment failed: see $out/seed-items.log"
else
    "$bin" migrate >"$out/migrate.log" 2>&1 || die "equipflow migrate failed: see $out/migrate.log"
fi
have_requests=$(psql "$url" -qtAc 'SELECT count(*) FROM equipment_requests')
if [ "$have_requests" -lt "$requests" ]; then
    "$bin" seed --requests $((requests - have_requests)) >"$out/seed-requests.log" 2>&1 ||
        die "seed --requests failed: see $out/seed-requests.log"
    psql "${admin%/*}/$db" -qc 'VACUUM ANALYZE'
fi
psql "$url" -qtAc "SELECT (SELECT count(*) FROM equipment) || ' items, ' || (SELECT count(*) FROM equipment_requests) || ' requests, ' || (SELECT count(*) FROM departments) || ' departments, ' || (SELECT count(*) FROM users) || ' people'"

# --- (a) the refresh -------------------------------------------------------------------
echo
echo "== (a) refresh: every scope's figures in one snapshot"
for round in $(seq "$rounds"); do
    "$bin" refresh-statistics >"$out/refresh-$round.log" 2>&1 || die "refresh failed: see $out/refresh-$round.log"
    echo "round $round: $(tail -n1 "$out/refresh-$round.log")"
    start=$(date +%s%N)
    psql "$url" -qtAc 'SELECT count(*) FROM (SELECT department_id, category_id, status, count(*) FROM equipment GROUP BY 1, 2, 3) g' >/dev/null
    echo "round $round: the items GROUP BY alone, run directly: $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
psql "$url" -qtAc "SELECT 'snapshot: ' || count(*) || ' scopes, ' || pg_size_pretty(sum(pg_column_size(figures))) || ' of figures' FROM statistics_snapshots"

# --- (b) reads -------------------------------------------------------------------------
server_pid=
cleanup() {
    local rc=$?
    if [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; then wait "$server_pid" 2>/dev/null || true; fi
    if [ "$drop" = 1 ]; then psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A long interval: the snapshot refreshed above is the one read.
EQUIPFLOW_STATISTICS_EVERY_SECS=86400 start_server "$out/server.log"
cookie="Cookie: equipflow=$(sign_in demo-admin "$out")"
page=$origin/leader/statistics
chart="$origin/leader/statistics/weeks-by-kind.svg?lang=en"
table="$origin/leader/statistics/categories.csv?lang=en"
frame=$origin/account/password
for target_url in "$page" "$chart" "$table" "$frame"; do
    status=$(curl -s -o "$out/probe.body" -w '%{http_code}' -H "$cookie" "$target_url")
    [ "$status" = 200 ] || die "GET $target_url answered $status"
done
grep -q 'data-testid="stats-freshness"' <(curl -s -H "$cookie" "$page") ||
    die "the statistics page shows no figures (no snapshot?)"

cat >"$out/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
LUA
cat >"$out/snapshot.sql" <<'SQL'
SELECT computed_at, figures FROM statistics_snapshots WHERE scope = 0;
SQL
results=$out/results.txt
: >"$results"
measure() { # LABEL ROUND URL
    local t=$((threads < conns ? threads : conns))
    wrk -t"$t" -c"$conns" -d"${warmup}s" -H "$cookie" "$3" >/dev/null
    wrk -t"$t" -c"$conns" -d"${duration}s" --latency -s "$out/report.lua" -H "$cookie" "$3" >"$out/wrk-$1-$2.txt"
    awk -v l="$1" -v r="$2" '/^RESULT/ { print l, r, $2, $3, $4, $5 }' "$out/wrk-$1-$2.txt" | tee -a "$results"
}
measure_snapshot() { # ROUND
    local dir=$out/pgbench-$1
    mkdir -p "$dir"
    pgbench -n -M prepared -f "$out/snapshot.sql" -c "$conns" -j "$threads" -T "$duration" -l \
        --log-prefix="$dir/log" "$url" >"$dir/report.txt" 2>&1
    cat "$dir"/log.* | awk '{ print $3 }' | sort -n >"$dir/lat"
    awk -v r="$1" -v t="$(awk '/^tps = / { print $3; exit }' "$dir/report.txt")" -v n="$(wc -l <"$dir/lat")" '
        NR == int(n * 0.50 + 0.5) { p50 = $1 } NR == int(n * 0.99 + 0.5) { p99 = $1 }
        END { printf "snapshot-sql %s %.1f %.3f %.3f 0\n", r, t, p50 / 1000, p99 / 1000 }' "$dir/lat" | tee -a "$results"
    rm -f "$dir"/log.* "$dir/lat"
}
echo
echo "== (b) reads, $conns connections: label round req/s p50_ms p99_ms non2xx"
for round in $(seq "$rounds"); do
    measure page "$round" "$page"
    measure chart "$round" "$chart"
    measure csv "$round" "$table"
    measure frame "$round" "$frame"
    measure_snapshot "$round"
done

echo
echo "== summary (median of $rounds rounds)"
printf '%-14s %10s %9s %9s\n' what req/s p50_ms p99_ms
for label in page chart csv frame snapshot-sql; do
    awk -v l="$label" '$1 == l { print $3, $4, $5 }' "$results" | sort -n | awk -v l="$label" '
        { r[NR] = $1; p50[NR] = $2; p99[NR] = $3 }
        END { m = int((NR + 1) / 2); printf "%-14s %10.1f %9.2f %9.2f\n", l, r[m], p50[m], p99[m] }'
done
echo "target: the page under 300 ms (p99 above); the refresh's time is in (a)."
