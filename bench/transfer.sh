#!/usr/bin/env bash
# What a phone downloads, and when the page answers (issue 16.7): figures, not assertions.
#
#   bench/transfer.sh
#
# Starts the release server (built by `cargo leptos build --release --precompress`) on a
# free port against a database of its own (equipflow_bench_transfer: migrated, demo seeded),
# then, as demo-user in Chromium at 390 x 844 throttled to Lighthouse's mobile profile
# (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower), opens PAGE twice:
# a first visit (empty cache) and a repeat visit (warm cache), RUNS times. Once asking for
# nothing compressed (what the server sent before it compressed), once as the browser asks.
# Bytes are Chromium's own count of what crossed the wire (headers and bodies);
# "interactive" is when the page is hydrated. Then the sizes of the built files on disk.
#
# Environment as bench/read_path.sh (CARGO_TARGET_DIR, BENCH_BIN, BENCH_SITE_ROOT,
# BENCH_ADMIN_URL, REDIS_URL, EQUIPFLOW_DEMO_PASSWORD), PAGE (/equipment), RUNS (5).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
bench_name=transfer.sh
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

case ${1:-} in
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    '') ;;
    *) echo "unknown option: $1 (see $0 --help)" >&2; exit 2 ;;
esac

db=equipflow_bench_transfer
page=${PAGE:-/equipment}
runs=${RUNS:-5}
require_release_server
[ -d "$repo/end2end/node_modules/@playwright/test" ] ||
    die "Playwright is not installed" "(cd end2end && npm ci)"
[ -x /usr/bin/chromium ] || die "chromium is missing" "apt-get install -y chromium"

out=${BENCH_OUT:-$(mktemp -d /tmp/equipflow-transfer.XXXXXX)}
print_machine
echo "logs:       $out"

server_pid=
cleanup() {
    local rc=$?
    if [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; then wait "$server_pid" 2>/dev/null || true; fi
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DATABASE_URL=postgres://equipflow:equipflow@127.0.0.1:5432/$db \
    EQUIPFLOW_REDIS_PREFIX=bench-transfer EQUIPFLOW_AMQP_PREFIX=bench-transfer \
    EQUIPFLOW_DEMO_PASSWORD=$password RUST_LOG=warn
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER equipflow"
redis-cli -u "$redis_url" --scan --pattern 'bench-transfer:*' | xargs -r -n 500 redis-cli -u "$redis_url" del >/dev/null
"$bin" seed --demo >"$out/seed.log" 2>&1 || die "seed --demo failed: see $out/seed.log"
start_server "$out/server.log"

for encoding in identity default; do
    echo
    echo "== $page, $runs runs, encoding: $encoding"
    ENCODING=$encoding BASE_URL=$origin node "$repo/end2end/tools/transfer.mjs" "$page" "$runs" |
        tee "$out/transfer-$encoding.jsonl"
done

echo
echo "== built files (bytes): raw, gzip, brotli"
for file in "$site_root"/pkg/*; do
    case $file in *.gz | *.br) continue ;; esac
    printf '%-48s %9s %9s %9s\n' "${file##*/}" "$(stat -c %s "$file")" \
        "$(stat -c %s "$file.gz" 2>/dev/null || echo -)" "$(stat -c %s "$file.br" 2>/dev/null || echo -)"
done
