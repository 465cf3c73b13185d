#!/usr/bin/env bash
# Event-path benchmark (issue 5): figures, not assertions.
#
#   bench/events.sh [--drop]
#
#   --drop    drop the database at exit (default: leave it)
#
# (a) approval commit → SSE event: demo-user files borrow requests (not measured) and keeps
#     the notification stream open; demo-leader approves them at RATE a second for DURATION
#     seconds; each latency runs from just before the leader's POST (so the commit is inside)
#     to the user's client reading the event off the stream. Beside it in every round: a bare
#     RabbitMQ round trip at the same rate (persistent publish with confirms to a quorum
#     queue → a consumer with manual acks).
# (b) concurrent SSE streams: STREAMS streams held on one fresh node, signed in as demo-user,
#     and the node's resident memory before and after; beside it the same on a bare axum SSE
#     endpoint (bench/ceiling, GET /sse). A stream counts as alive when it received a
#     heartbeat (15 s) while held.
# (c) a summary table (medians of the rounds) against the issue's targets.
#
# Environment: CARGO_TARGET_DIR (~/.cache/equipflow/target), BENCH_BIN (release equipflow),
# BENCH_CEILING_BIN, BENCH_EVENTS_BIN, BENCH_SITE_ROOT, BENCH_ADMIN_URL, REDIS_URL,
# AMQP_URL, EQUIPFLOW_DEMO_PASSWORD, ROUNDS (3), RATE (50), DURATION (30 s),
# STREAMS (10000), HOLD (20 s), BENCH_OUT (where logs go; a new temporary directory).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
bench_name=events.sh
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

drop=0
for arg in "$@"; do
    case $arg in
        --drop) drop=1 ;;
        -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $arg (see $0 --help)" >&2; exit 2 ;;
    esac
done

events_bin=${BENCH_EVENTS_BIN:-$target/release/bench-events}
db=equipflow_bench_events
url=postgres://equipflow:equipflow@127.0.0.1:5432/$db
amqp_url=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/%2f}
rounds=${ROUNDS:-3}
rate=${RATE:-50}
duration=${DURATION:-30}
streams=${STREAMS:-10000}
hold=${HOLD:-20}
per_round=$((rate * duration))

# --- tools and binaries ----------------------------------------------------------------
for tool in psql curl awk redis-cli; do
    command -v "$tool" >/dev/null || die "missing: $tool" "apt-get install -y postgresql-client curl gawk redis-tools"
done
require_release_server
if [ ! -x "$ceiling_bin" ] || [ ! -x "$events_bin" ]; then
    echo "building the ceiling and the client: cargo build --release -p bench-ceiling -p bench-events" >&2
    CARGO_TARGET_DIR=$target cargo build --release -p bench-ceiling -p bench-events ||
        die "cargo build --release -p bench-ceiling -p bench-events failed"
fi
psql "$admin" -qtAc 'SELECT 1' >/dev/null ||
    die "PostgreSQL is not reachable at $admin" "start it (scripts/run does), or set BENCH_ADMIN_URL"
redis-cli -u "$redis_url" ping >/dev/null || die "Redis is not reachable at $redis_url"
# Every stream is a socket on both ends.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((streams + 1000)) ] ||
    die "$streams streams need more open files than $(ulimit -n)" "ulimit -n $((streams * 2)) (as root), or set STREAMS"

exec 9>"${TMPDIR:-/tmp}/equipflow-bench-events.lock"
flock -n 9 || die "another bench/events.sh is running"

out=${BENCH_OUT:-$(mktemp -d /tmp/equipflow-events.XXXXXX)}
mkdir -p "$out"

# --- machine ---------------------------------------------------------------------------
print_machine
echo "rabbitmq:   $(rabbitmqctl version 2>/dev/null || echo '(rabbitmqctl not here)')"
echo "logs:       $out"
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) before the run"

# --- database --------------------------------------------------------------------------
export DATABASE_URL=$url EQUIPFLOW_REDIS_PREFIX=bench-events EQUIPFLOW_AMQP_PREFIX=bench-events \
    EQUIPFLOW_DEMO_PASSWORD=$password RUST_LOG=warn AMQP_URL=$amqp_url REDIS_URL=$redis_url
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER equipflow"
redis-cli -u "$redis_url" --scan --pattern 'bench-events:*' | xargs -r -n 500 redis-cli -u "$redis_url" del >/dev/null
"$bin" migrate >"$out/migrate.log" 2>&1 || die "equipflow migrate failed: see $out/migrate.log"
"$bin" seed --demo >"$out/seed-demo.log" 2>&1 || die "equipflow seed --demo failed: see $out/seed-demo.log"
# Available items in demo-user's department (led, through RND, by demo-leader): one per decision.
psql "$url" -qtA >"$out/items.txt" <<SQL
INSERT INTO equipment (asset_code, name, category_id, department_id)
SELECT 'BENCH-EV-' || lpad(g::text, 6, '0'), 'Benchmark laptop ' || g,
       (SELECT id FROM equipment_categories ORDER BY id LIMIT 1),
       (SELECT department_id FROM users WHERE username = 'demo-user')
FROM generate_series(1, $((rounds * per_round))) AS g
RETURNING id;
SQL
for round in $(seq "$rounds"); do
    sed -n "$(((round - 1) * per_round + 1)),$((round * per_round))p" "$out/items.txt" >"$out/items-$round.txt"
done
echo
echo "== database $db: demo seeded, $((rounds * per_round)) available items for the decisions"

# --- servers ---------------------------------------------------------------------------
server_pid=
ceiling_pid=
stop() { # PID
    if [ -n "$1" ] && kill "$1" 2>/dev/null; then wait "$1" 2>/dev/null || true; fi
}
cleanup() {
    local rc=$?
    stop "$server_pid"
    stop "$ceiling_pid"
    if [ "$drop" = 1 ]; then
        psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_ceiling() { # LOG: sets ceiling_pid and ceiling_origin
    local port
    port=$(free_port)
    ceiling_origin=http://127.0.0.1:$port
    BENCH_CEILING_ADDR=127.0.0.1:$port BENCH_CEILING_PREFIX=bench-events:ceiling \
        "$ceiling_bin" >"$1" 2>&1 &
    ceiling_pid=$!
    wait_ready "$ceiling_origin/healthz" "$ceiling_pid" "$1"
}

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

results=$out/results.txt
: >"$results"

# --- (a) approval commit → SSE -------------------------------------------------------
echo
echo "== (a) approval → SSE at $rate decisions/s, $per_round decisions a round, $rounds rounds"
echo "label round measured missing p50_ms p99_ms max_ms"
start_server "$out/server-a.log"
for round in $(seq "$rounds"); do
    "$events_bin" round-trip --rate "$rate" --count "$per_round" --queue "bench-events.round-trip" \
        >"$out/round-trip-$round.txt" 2>&1 || die "the RabbitMQ round trip failed: see $out/round-trip-$round.txt"
    "$events_bin" approvals --origin "$origin" --items "$out/items-$round.txt" --rate "$rate" \
        >"$out/approvals-$round.txt" 2>&1 || die "the approval run failed: see $out/approvals-$round.txt"
    for file in round-trip approvals; do
        awk -v r="$round" '/^RESULT/ { $1 = $2; $2 = r; print }' "$out/$file-$round.txt" | tee -a "$results"
    done
    grep '^DECISIONS' "$out/approvals-$round.txt"
done
stop "$server_pid"
server_pid=

# --- (b) concurrent streams ------------------------------------------------------------
# hold_streams LABEL ROUND URL PID [cookie]: opens $streams streams, reads the server's RSS
# before and once they are all open, and its CPU over the hold.
hold_streams() {
    local label=$1 round=$2 stream_url=$3 pid=$4 cookie=${5:-} log before after ticks_before client
    log=$out/streams-$label-$round.txt
    before=$(rss_kib "$pid")
    "$events_bin" streams --url "$stream_url" ${cookie:+--cookie "$cookie"} --count "$streams" \
        --hold "$hold" >"$log" 2>&1 &
    client=$!
    for _ in $(seq 1200); do
        grep -q '^OPEN' "$log" && break
        kill -0 "$client" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^OPEN' "$log" || die "the stream client did not finish opening: see $log"
    sleep 2
    after=$(rss_kib "$pid")
    ticks_before=$(proc_ticks "$pid")
    wait "$client" || die "the stream client failed: see $log"
    awk -v l="$label" -v r="$round" -v b="$before" -v a="$after" -v t="$(($(proc_ticks "$pid") - ticks_before))" \
        -v hz="$(getconf CLK_TCK)" -v h="$hold" '
        /^OPEN/ { secs = $4 }
        /^RESULT/ { open = $3; failed = $4; heard = $5; closed = $6 }
        END {
            printf "%s %s open=%d failed=%d heard=%d closed=%d opened_in=%ss rss_before=%.1fMiB rss_open=%.1fMiB per_stream=%.1fKiB cpu_while_held=%.1f%%\n",
                l, r, open, failed, heard, closed, secs, b / 1024, a / 1024, open ? (a - b) / open : 0, 100 * t / hz / h
        }' "$log" | tee -a "$out/streams.txt"
}

echo
echo "== (b) $streams concurrent SSE streams on one fresh process, held ${hold} s, $rounds rounds"
for round in $(seq "$rounds"); do
    start_server "$out/server-b-$round.log"
    session=$(sign_in demo-user "$out")
    # One page and one stream first, so the baseline includes a warmed-up node.
    curl -s -o /dev/null -H "Cookie: equipflow=$session" "$origin/equipment"
    curl -s -o /dev/null -m 1 -H "Cookie: equipflow=$session" "$origin/api/notifications/stream" || true
    hold_streams app "$round" "$origin/api/notifications/stream" "$server_pid" "equipflow=$session"
    stop "$server_pid"
    server_pid=

    start_ceiling "$out/ceiling-$round.log"
    curl -s -o /dev/null -m 1 "$ceiling_origin/sse" || true
    hold_streams bare-axum "$round" "$ceiling_origin/sse" "$ceiling_pid"
    stop "$ceiling_pid"
    ceiling_pid=
done

# --- (c) summary -----------------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "nan" }'; }
col() { # LABEL COLUMN (of results.txt)
    awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$results" | median
}
stream_field() { # LABEL FIELD (of streams.txt)
    awk -v l="$1" -v f="$2" '$1 == l { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) { sub(/[a-zA-Z%]+$/, "", kv[2]); print kv[2] } } }' \
        "$out/streams.txt" | median
}
echo
echo "== (c) summary (medians of $rounds rounds)"
echo "| measure | p50 ms | p99 ms | max ms |"
echo "| --- | --- | --- | --- |"
for label in approval-to-sse answer-to-sse decide-answer amqp-round-trip; do
    echo "| $label | $(col "$label" 5) | $(col "$label" 6) | $(col "$label" 7) |"
done
echo
echo "| streams on one process | open | alive (heard a heartbeat) | failed | RSS open MiB | KiB per stream | CPU while held |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for label in app bare-axum; do
    echo "| $label | $(stream_field "$label" open) | $(stream_field "$label" heard) | $(stream_field "$label" failed) | $(stream_field "$label" rss_open) | $(stream_field "$label" per_stream) | $(stream_field "$label" cpu_while_held) % |"
done
echo
awk -v a="$(col approval-to-sse 6)" -v b="$(col amqp-round-trip 6)" -v s="$(stream_field app per_stream)" \
    -v o="$(stream_field app heard)" -v n="$streams" 'BEGIN {
    printf "approval → SSE p99 %.1f ms (target <= 100 ms): %s; %.1f× the bare round trip p99 (%.1f ms)\n", a, a <= 100 ? "met" : "MISSED", a / b, b
    printf "streams alive %d of %d at %.1f KiB each (target >= 10,000 at <= 32 KiB): %s\n", o, n, s, (o >= 10000 && s <= 32) ? "met" : "MISSED"
}'
