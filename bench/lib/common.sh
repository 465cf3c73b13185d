# Shared by the benchmark scripts (sourced, not run): where the binaries are, failing with a
# fix, free ports, the machine header, starting the release server, signing in.
# The sourcing script sets `repo` (the clone) and `bench_name` (for messages) first.

target=${CARGO_TARGET_DIR:-$HOME/.cache/equipflow/target}
bin=${BENCH_BIN:-$target/release/equipflow}
ceiling_bin=${BENCH_CEILING_BIN:-$target/release/bench-ceiling}
site_root=${BENCH_SITE_ROOT:-}
if [ -z "$site_root" ]; then
    # cargo-leptos puts the site at the workspace's `site-root` ("target/site"), which is
    # relative to the workspace directory, not to CARGO_TARGET_DIR.
    site_root=$repo/target/site
    [ -d "$site_root" ] || site_root=$target/site
fi
admin=${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
password=${EQUIPFLOW_DEMO_PASSWORD:-equipflow-demo}
export PGOPTIONS='-c client_min_messages=warning'

die() { # MESSAGE [FIX]
    echo "$bench_name: $1" >&2
    [ $# -lt 2 ] || echo "  fix: $2" >&2
    exit 1
}

require_release_server() {
    [ -x "$bin" ] || die "the release server $bin is missing" \
        "(cd $repo && CARGO_TARGET_DIR=$target cargo leptos build --release), or set BENCH_BIN"
}

# A port nothing listens on, below Linux's ephemeral range (32768 and up), which the load
# generators' own ends use.
free_port() {
    local port
    for _ in $(seq 200); do
        port=$((20000 + RANDOM % 12000))
        (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null || { echo "$port"; return; }
    done
    die "no free port found"
}

wait_ready() { # URL PID LOG
    for _ in $(seq 300); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return
        kill -0 "$2" 2>/dev/null || die "the process serving $1 exited: see $3"
        sleep 0.1
    done
    die "$1 is not ready after 30 s: see $3"
}

print_machine() { # the first lines of every report
    local cpu mem
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "== machine"
    echo "date:       $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu:        $(nproc) cores, $cpu; $mem; kernel $(uname -r)"
    echo "postgres:   $(psql "$admin" -qtAc 'SHOW server_version')"
    echo "redis:      $(redis-cli -u "$redis_url" info server | awk -F: '/^redis_version/ { sub(/\r/, "", $2); print $2 }')"
    local rev=${BENCH_REV:-"$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?') (this clone's HEAD)"}
    echo "server:     $bin ($(date -u -r "$bin" '+built %Y-%m-%d %H:%M UTC'), source $rev)"
}

# start_server LOG: the release server on a free port, ready; sets server_pid and origin.
start_server() {
    local port
    port=$(free_port)
    origin=http://127.0.0.1:$port
    # A build with hashed file names lists them in hash.txt beside the binary.
    local hashed=false
    [ -f "$(dirname "$bin")/hash.txt" ] && hashed=true
    EQUIPFLOW_ADDR=127.0.0.1:$port LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_OUTPUT_NAME=equipflow \
        LEPTOS_SITE_ROOT=$site_root LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD \
        LEPTOS_HASH_FILES=$hashed LEPTOS_HASH_FILE_NAME=hash.txt \
        EQUIPFLOW_LOGIN_ADDRESS_FAILURES=1000 \
        "$bin" serve >"$1" 2>&1 &
    server_pid=$!
    wait_ready "$origin/readyz" "$server_pid" "$1"
}

# sign_in USERNAME DIR: signs in at $origin; prints the session cookie's value.
sign_in() {
    local status session
    status=$(curl -s -o "$2/login.json" -w '%{http_code}' -c "$2/cookies.txt" \
        -H "Origin: $origin" -H 'Accept: application/json' \
        --data-urlencode "username=$1" --data-urlencode "password=$password" \
        "$origin/api/rpc/auth/login")
    [ "$status" = 200 ] || die "signing in as $1 answered $status: $(cat "$2/login.json")"
    session=$(awk -F'\t' '$6 == "equipflow" { print $7 }' "$2/cookies.txt")
    [ -n "$session" ] || die "no equipflow cookie after signing in (see $2/cookies.txt)"
    echo "$session"
}

proc_ticks() { # PID [1 = with reaped children]: utime + stime in clock ticks
    awk -v c="${2:-0}" '{ sub(/^.*\) /, ""); t = $12 + $13; if (c) t += $14 + $15; print t }' \
        "/proc/$1/stat" 2>/dev/null || echo 0
}
