#!/usr/bin/env bash
# shellcheck shell=bash
#
# scripts/lib/setup.sh — machine set-up shared by scripts/run and scripts/test.
#
# Sourced (`source scripts/lib/setup.sh; ef_setup [--e2e]`); executing it directly runs
# `ef_setup "$@"`. Every step prints one "==> ..." line, is cheap when already done, and
# on failure says what failed and what to run. Steps, in order:
#
#   env       PATH (~/.cargo/bin, end2end/node_modules/.bin first so npm's wasm-opt wins),
#             CARGO_TARGET_DIR (outside the clone, reused), SQLX_OFFLINE=true, and the
#             service URLs with the app's defaults (DATABASE_URL, REDIS_URL, AMQP_URL).
#   packages  Debian packages for what is missing: PostgreSQL / Redis / RabbitMQ (only for
#             a local URL whose service does not answer and is not installed), psql,
#             Node.js + npm, a C compiler, and chromium (--e2e). As root on Debian:
#             apt-get update once + apt-get install -y; otherwise print the command, exit 1.
#   services  For each local service that does not answer: start it (commands that work
#             without systemd). A service that answers is never started again; a URL
#             pointing at another host is left alone.
#   database  Role (LOGIN CREATEDB, password from DATABASE_URL) and the databases
#             equipflow (dev) and equipflow_e2e, owned by that role (local URL only).
#   rust      wasm32 target, cargo-leptos 0.3.10, wasm-bindgen CLI = Cargo.lock's version.
#   node      `npm ci` in end2end/ when node_modules is missing or older than the lock.
#
# Environment read (all optional): DATABASE_URL, REDIS_URL, AMQP_URL,
# EQUIPFLOW_E2E_DATABASE_URL (default: DATABASE_URL with database equipflow_e2e),
# CARGO_TARGET_DIR, SQLX_OFFLINE, CHROMIUM_PATH (default /usr/bin/chromium).

EF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

EF_CARGO_LEPTOS_VERSION=0.3.10
EF_DEFAULT_DATABASE_URL='postgres://equipflow:equipflow@127.0.0.1:5432/equipflow'
EF_DEFAULT_REDIS_URL='redis://127.0.0.1:6379'
EF_DEFAULT_AMQP_URL='amqp://guest:guest@127.0.0.1:5672/%2f'
EF_E2E_DB_NAME=equipflow_e2e

# ---------------------------------------------------------------------------------------
# small helpers

say() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$1" >&2
    shift
    local line
    for line in "$@"; do printf '       %s\n' "$line" >&2; done
    exit 1
}

ef_is_root() { [ "$(id -u)" -eq 0 ]; }

# ef_have CMD: CMD is on PATH or in an sbin directory (not on a normal user's PATH).
ef_have() {
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]
}

# ef_tcp_open HOST PORT: something accepts TCP connections there (2 s at most).
ef_tcp_open() {
    local host=$1 port=$2
    [ -n "$host" ] || host=127.0.0.1
    # shellcheck disable=SC2016  # $1/$2 expand in the inner bash
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$host" "$port" >/dev/null 2>&1
}

# ef_wait_until SECONDS CMD...: run CMD every second until it succeeds or time is up.
ef_wait_until() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs; i++)); do
        if "$@"; then return 0; fi
        sleep 1
    done
    "$@"
}

# ef_url_parse URL: sets EF_U_SCHEME EF_U_USER EF_U_PASS EF_U_HOST EF_U_PORT EF_U_PATH.
# Enough for the URLs this project uses (no '/', '@' or '?' inside passwords); with
# several hosts (h1:p1,h2:p2) the first one is taken.
ef_url_parse() {
    local url=$1 rest hostport auth tail
    EF_U_SCHEME=${url%%://*}
    rest=${url#*://}
    rest=${rest%%\?*}
    hostport=${rest%%/*}
    if [[ $rest == */* ]]; then EF_U_PATH=${rest#*/}; else EF_U_PATH=''; fi
    if [[ $hostport == *@* ]]; then
        auth=${hostport%@*}
        hostport=${hostport##*@}
    else
        auth=''
    fi
    EF_U_USER=${auth%%:*}
    if [[ $auth == *:* ]]; then EF_U_PASS=${auth#*:}; else EF_U_PASS=''; fi
    hostport=${hostport%%,*}
    if [[ $hostport == \[* ]]; then
        EF_U_HOST=${hostport#\[}
        EF_U_HOST=${EF_U_HOST%%\]*}
        tail=${hostport#*\]}
        EF_U_PORT=${tail#:}
    else
        EF_U_HOST=${hostport%%:*}
        if [[ $hostport == *:* ]]; then EF_U_PORT=${hostport##*:}; else EF_U_PORT=''; fi
    fi
}

# ef_url_with_db URL DB: URL with its path (database name) replaced by DB.
ef_url_with_db() {
    local url=$1 db=$2 base query='' scheme rest
    base=${url%%\?*}
    if [[ $url == *\?* ]]; then query="?${url#*\?}"; fi
    scheme=${base%%://*}
    rest=${base#*://}
    rest=${rest%%/*}
    printf '%s://%s/%s%s\n' "$scheme" "$rest" "$db" "$query"
}

ef_is_local_host() {
    case $1 in
        '' | localhost | 127.* | ::1 | 0.0.0.0) return 0 ;;
        *) return 1 ;;
    esac
}

# ef_redact URL: the URL with its password replaced by ***, for messages.
ef_redact() {
    printf '%s\n' "$1" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'
}

# ef_listener PORT: "pid/command" lines of whatever listens on PORT (best effort).
ef_listener() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltnp "sport = :$1" 2>/dev/null | sed -E 's/.*users:\(\((.*)\)\).*/\1/' || true
    elif command -v lsof >/dev/null 2>&1; then
        lsof -nP -iTCP:"$1" -sTCP:LISTEN 2>/dev/null | awk 'NR > 1 { print $1 " pid " $2 }' || true
    fi
}

# ef_require_port_free HOST PORT WHAT: die clearly if something already listens there.
ef_require_port_free() {
    local host=$1 port=$2 what=$3 who
    if ef_tcp_open "$host" "$port"; then
        who=$(ef_listener "$port" | head -n 3 | tr '\n' ' ')
        die "something is already listening on $host:$port${who:+ ($who)}; $what needs that port." \
            "It is probably a leftover scripts/run (cargo leptos serve) or an earlier test server." \
            "Stop it (e.g. kill <pid>, or Ctrl-C in its terminal) and run this again."
    fi
}

# ---------------------------------------------------------------------------------------
# env

ef_setup_env() {
    if [ -z "${HOME:-}" ]; then
        HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
        export HOME
    fi
    case ":$PATH:" in
        *":$HOME/.cargo/bin:"*) ;;
        *) PATH="$HOME/.cargo/bin:$PATH" ;;
    esac
    case ":$PATH:" in
        *":$EF_ROOT/end2end/node_modules/.bin:"*) ;;
        *) PATH="$EF_ROOT/end2end/node_modules/.bin:$PATH" ;;
    esac
    export PATH

    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/equipflow/target}"
    mkdir -p "$CARGO_TARGET_DIR"
    export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

    export DATABASE_URL="${DATABASE_URL:-$EF_DEFAULT_DATABASE_URL}"
    export REDIS_URL="${REDIS_URL:-$EF_DEFAULT_REDIS_URL}"
    export AMQP_URL="${AMQP_URL:-$EF_DEFAULT_AMQP_URL}"
    EF_DEV_DATABASE_URL=$DATABASE_URL
    EF_E2E_DATABASE_URL=${EQUIPFLOW_E2E_DATABASE_URL:-$(ef_url_with_db "$DATABASE_URL" "$EF_E2E_DB_NAME")}
    EF_CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

    say "env: CARGO_TARGET_DIR=$CARGO_TARGET_DIR SQLX_OFFLINE=$SQLX_OFFLINE DATABASE_URL=$(ef_redact "$DATABASE_URL")"
}

# ---------------------------------------------------------------------------------------
# service probes (URL-driven; "local" means the URL's host is this machine)

ef_pg_target() {
    ef_url_parse "$DATABASE_URL"
    EF_PG_HOST=${EF_U_HOST:-127.0.0.1}
    EF_PG_PORT=${EF_U_PORT:-5432}
}
ef_redis_target() {
    ef_url_parse "$REDIS_URL"
    EF_REDIS_SCHEME=$EF_U_SCHEME
    EF_REDIS_HOST=${EF_U_HOST:-127.0.0.1}
    EF_REDIS_PORT=${EF_U_PORT:-6379}
}
ef_amqp_target() {
    ef_url_parse "$AMQP_URL"
    EF_AMQP_HOST=${EF_U_HOST:-127.0.0.1}
    if [ "$EF_U_SCHEME" = amqps ]; then EF_AMQP_PORT=${EF_U_PORT:-5671}; else EF_AMQP_PORT=${EF_U_PORT:-5672}; fi
}

ef_pg_answers() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$EF_PG_HOST" -p "$EF_PG_PORT" -t 3
    else
        ef_tcp_open "$EF_PG_HOST" "$EF_PG_PORT"
    fi
}
ef_redis_answers() {
    local out
    if command -v redis-cli >/dev/null 2>&1; then
        # PONG, or NOAUTH when it wants a password: either way Redis is up.
        out=$(timeout 3 redis-cli -h "$EF_REDIS_HOST" -p "$EF_REDIS_PORT" ping 2>&1) || true
        [[ $out == PONG || $out == *NOAUTH* ]]
    else
        ef_tcp_open "$EF_REDIS_HOST" "$EF_REDIS_PORT"
    fi
}
ef_amqp_answers() { ef_tcp_open "$EF_AMQP_HOST" "$EF_AMQP_PORT"; }

ef_pg_server_installed() {
    ef_have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# ---------------------------------------------------------------------------------------
# packages

EF_APT_UPDATED=0

# ef_setup_packages [--e2e]
ef_setup_packages() {
    local e2e=0 pkgs=() node_major
    [ "${1:-}" = --e2e ] && e2e=1

    ef_pg_target
    if ef_is_local_host "$EF_PG_HOST"; then
        if ! ef_pg_answers && ! ef_pg_server_installed; then
            pkgs+=(postgresql)
        elif ! command -v psql >/dev/null 2>&1; then
            pkgs+=(postgresql-client)
        fi
    elif ! command -v psql >/dev/null 2>&1; then
        pkgs+=(postgresql-client)
    fi
    ef_redis_target
    if ef_is_local_host "$EF_REDIS_HOST" && ! ef_redis_answers && ! ef_have redis-server; then
        pkgs+=(redis-server)
    fi
    ef_amqp_target
    if ef_is_local_host "$EF_AMQP_HOST" && ! ef_amqp_answers && ! ef_have rabbitmq-server; then
        pkgs+=(rabbitmq-server)
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        pkgs+=(nodejs npm)
    fi
    if ! command -v cc >/dev/null 2>&1; then
        pkgs+=(build-essential)
    fi
    if [ "$e2e" = 1 ] && [ ! -x "$EF_CHROMIUM" ]; then
        pkgs+=(chromium)
    fi

    if [ ${#pkgs[@]} -eq 0 ]; then
        say "packages: nothing missing"
    elif ef_is_root && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
        say "packages: installing ${pkgs[*]} (apt-get)"
        if [ "$EF_APT_UPDATED" = 0 ]; then
            DEBIAN_FRONTEND=noninteractive apt-get update -q ||
                die "apt-get update failed" "Run: apt-get update && apt-get install -y ${pkgs[*]}"
            EF_APT_UPDATED=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" ||
            die "apt-get install failed for: ${pkgs[*]}" "Run: apt-get install -y ${pkgs[*]}"
    elif [ -f /etc/debian_version ]; then
        die "missing packages: ${pkgs[*]}" \
            "Run: sudo apt-get update && sudo apt-get install -y ${pkgs[*]}" \
            "then run this script again."
    else
        die "missing: ${pkgs[*]} (Debian package names)" \
            "Install the equivalents with your system's package manager, then run this again."
    fi

    node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if [ "$node_major" -lt 20 ]; then
        if [ "$e2e" = 1 ]; then
            die "Node.js $(node --version 2>/dev/null || echo '?') is too old: Playwright needs Node.js 20 or newer" \
                "Install Node.js >= 20 (Debian 13's nodejs, or a nodejs 20+ package), then run this again."
        fi
        warn "Node.js $(node --version 2>/dev/null || echo '?') is older than 20: end-to-end tests will need Node.js 20+"
    fi
}

# ---------------------------------------------------------------------------------------
# services

ef_start_postgres() {
    local ver cmd
    ver=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$ver" ] || [ ! -d "/etc/postgresql/$ver/main" ]; then
        die "PostgreSQL is installed but has no cluster under /etc/postgresql/<version>/main" \
            "Run: pg_createcluster <version> main --start   (as root), then run this again."
    fi
    cmd="pg_ctlcluster --skip-systemctl-redirect $ver main start"
    ef_is_root || die "PostgreSQL is installed but not running on $EF_PG_HOST:$EF_PG_PORT" "Run: sudo $cmd"
    say "PostgreSQL: not answering on $EF_PG_HOST:$EF_PG_PORT, starting it ($cmd)"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start ||
        die "could not start PostgreSQL $ver" "See /var/log/postgresql/postgresql-$ver-main.log; start it with: $cmd"
    ef_wait_until 30 ef_pg_answers ||
        die "PostgreSQL $ver was started but does not answer on $EF_PG_HOST:$EF_PG_PORT after 30 s" \
            "See /var/log/postgresql/postgresql-$ver-main.log"
}

ef_start_redis() {
    ef_is_root || die "Redis is installed but not running on $EF_REDIS_HOST:$EF_REDIS_PORT" \
        "Run: sudo redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
    say "Redis: not answering on $EF_REDIS_HOST:$EF_REDIS_PORT, starting it (redis-server --daemonize yes)"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
        die "could not start redis-server" "See /var/log/redis/ci.log"
    ef_wait_until 15 ef_redis_answers ||
        die "redis-server was started but does not answer on $EF_REDIS_HOST:$EF_REDIS_PORT after 15 s" \
            "See /var/log/redis/ci.log"
}

ef_start_rabbitmq() {
    ef_is_root || die "RabbitMQ is installed but not running on $EF_AMQP_HOST:$EF_AMQP_PORT" \
        "Run: sudo rabbitmq-server -detached"
    say "RabbitMQ: not answering on $EF_AMQP_HOST:$EF_AMQP_PORT, starting it (rabbitmq-server -detached; up to 60 s)"
    rabbitmq-server -detached ||
        die "could not start RabbitMQ (rabbitmq-server -detached)" "See /var/log/rabbitmq/"
    ef_wait_until 60 ef_amqp_answers ||
        die "RabbitMQ was started but does not answer on $EF_AMQP_HOST:$EF_AMQP_PORT after 60 s" \
            "See /var/log/rabbitmq/; check with: rabbitmq-diagnostics -q ping"
}

ef_setup_services() {
    ef_pg_target
    if ! ef_is_local_host "$EF_PG_HOST"; then
        say "PostgreSQL: $EF_PG_HOST:$EF_PG_PORT is not local, not managed here"
    elif ef_pg_answers; then
        say "PostgreSQL: answering on $EF_PG_HOST:$EF_PG_PORT"
    elif [ "$EF_PG_PORT" != 5432 ]; then
        die "PostgreSQL does not answer on $EF_PG_HOST:$EF_PG_PORT (only the default port 5432 is started here)" \
            "Start it yourself, or fix DATABASE_URL."
    else
        ef_start_postgres
    fi

    ef_redis_target
    if ! ef_is_local_host "$EF_REDIS_HOST"; then
        say "Redis: $EF_REDIS_HOST:$EF_REDIS_PORT is not local, not managed here"
    elif ef_redis_answers; then
        say "Redis: answering on $EF_REDIS_HOST:$EF_REDIS_PORT"
    elif [ "$EF_REDIS_PORT" != 6379 ] || [ "$EF_REDIS_SCHEME" != redis ]; then
        die "Redis does not answer at $(ef_redact "$REDIS_URL") (only redis://127.0.0.1:6379 is started here)" \
            "Start it yourself, or fix REDIS_URL."
    else
        ef_start_redis
    fi

    ef_amqp_target
    if ! ef_is_local_host "$EF_AMQP_HOST"; then
        say "RabbitMQ: $EF_AMQP_HOST:$EF_AMQP_PORT is not local, not managed here"
    elif ef_amqp_answers; then
        say "RabbitMQ: answering on $EF_AMQP_HOST:$EF_AMQP_PORT"
    elif [ "$EF_AMQP_PORT" != 5672 ]; then
        die "RabbitMQ does not answer on $EF_AMQP_HOST:$EF_AMQP_PORT (only the default port 5672 is started here)" \
            "Start it yourself, or fix AMQP_URL."
    else
        ef_start_rabbitmq
    fi
}

# ---------------------------------------------------------------------------------------
# database role and databases

EF_PG_SUPER=''

# ef_pg_super ARGS...: psql as the postgres superuser (trust over TCP, else peer via runuser).
ef_pg_super() {
    case $EF_PG_SUPER in
        tcp) PGCONNECT_TIMEOUT=5 psql -X -w -h "$EF_PG_HOST" -p "$EF_PG_PORT" -U postgres -d postgres "$@" ;;
        peer) (cd / && runuser -u postgres -- psql -X -p "$EF_PG_PORT" -d postgres "$@") ;;
        *) return 1 ;;
    esac
}

ef_pg_find_super() {
    [ -n "$EF_PG_SUPER" ] && return 0
    EF_PG_SUPER=tcp
    ef_pg_super -Atqc 'SELECT 1' >/dev/null 2>&1 && return 0
    EF_PG_SUPER=peer
    if ef_is_root && ef_have runuser && id postgres >/dev/null 2>&1; then
        ef_pg_super -Atqc 'SELECT 1' >/dev/null 2>&1 && return 0
    fi
    EF_PG_SUPER=''
    return 1
}

ef_sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

ef_setup_database() {
    local role pass devdb e2edb ok sql
    ef_pg_target
    if ! ef_is_local_host "$EF_PG_HOST"; then
        say "database: $EF_PG_HOST is not local, role and databases are not managed here"
        return 0
    fi
    ef_url_parse "$EF_DEV_DATABASE_URL"
    role=${EF_U_USER:-equipflow}
    pass=$EF_U_PASS
    devdb=${EF_U_PATH:-equipflow}
    ef_url_parse "$EF_E2E_DATABASE_URL"
    e2edb=${EF_U_PATH:-$EF_E2E_DB_NAME}

    # Fast path: the app role already logs in, may create databases and owns both databases.
    sql="SELECT (SELECT rolcanlogin AND rolcreatedb FROM pg_roles WHERE rolname = current_user)
           AND (SELECT count(*) FROM pg_database
                 WHERE datname IN ($(ef_sql_literal "$devdb"), $(ef_sql_literal "$e2edb"))
                   AND pg_get_userbyid(datdba) = current_user) = 2"
    ok=$(PGCONNECT_TIMEOUT=5 psql -X -w -Atq "$EF_DEV_DATABASE_URL" -c "$sql" 2>/dev/null || true)
    if [ "$ok" = t ]; then
        say "database: role $role (LOGIN CREATEDB) and databases $devdb, $e2edb ready"
        return 0
    fi

    if [ "$role" = postgres ]; then
        die "DATABASE_URL uses the postgres superuser and cannot reach database $devdb or $e2edb" \
            "Create them, or use the default role: $EF_DEFAULT_DATABASE_URL"
    fi
    if ! ef_pg_find_super; then
        die "cannot reach PostgreSQL as the postgres superuser to create role $role and databases $devdb, $e2edb" \
            "Run (as a PostgreSQL superuser, e.g. sudo -u postgres psql):" \
            "  CREATE ROLE \"$role\" LOGIN CREATEDB PASSWORD '$pass';" \
            "  CREATE DATABASE \"$devdb\" OWNER \"$role\";" \
            "  CREATE DATABASE \"$e2edb\" OWNER \"$role\";"
    fi
    say "database: creating/updating role $role (LOGIN CREATEDB) and databases $devdb, $e2edb (as postgres via $EF_PG_SUPER)"
    ef_pg_super -q -v ON_ERROR_STOP=1 -v role="$role" -v pass="$pass" -v devdb="$devdb" -v e2edb="$e2edb" <<'SQL' ||
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pass')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pass') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'role')
  FROM unnest(ARRAY[:'devdb', :'e2edb']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', datname, :'role')
  FROM pg_database
 WHERE datname IN (:'devdb', :'e2edb') AND pg_get_userbyid(datdba) <> :'role' \gexec
SQL
        die "creating role $role / databases $devdb, $e2edb failed (see the psql error above)"
    ok=$(PGCONNECT_TIMEOUT=5 psql -X -w -Atq "$EF_DEV_DATABASE_URL" -c "$sql" 2>&1 || true)
    [ "$ok" = t ] ||
        die "role $role still cannot use database $devdb through $(ef_redact "$EF_DEV_DATABASE_URL"): $ok" \
            "Check pg_hba.conf allows password (scram-sha-256/md5) or trust logins on $EF_PG_HOST."
}

# ---------------------------------------------------------------------------------------
# Rust tools

# The wasm-bindgen version pinned in Cargo.lock (Cargo.toml's "=X" when there is no lock yet).
ef_wasm_bindgen_version() {
    local v=''
    if [ -f "$EF_ROOT/Cargo.lock" ]; then
        v=$(awk '
            /^\[\[package\]\]/ { in_wb = 0; next }
            /^name = "wasm-bindgen"$/ { in_wb = 1; next }
            in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
        ' "$EF_ROOT/Cargo.lock")
    fi
    if [ -z "$v" ] && [ -f "$EF_ROOT/Cargo.toml" ]; then
        v=$(sed -nE 's/^wasm-bindgen[[:space:]]*=[[:space:]]*\{?[^"]*"=?([0-9][0-9.]*)".*/\1/p' "$EF_ROOT/Cargo.toml" | head -n 1)
    fi
    printf '%s\n' "$v"
}

ef_setup_rust() {
    local sysroot have want
    if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
        die "Rust (cargo, rustc) is not installed or not on PATH" \
            "Install it with rustup (https://rustup.rs), open a new shell, then run this again."
    fi
    sysroot=$(rustc --print sysroot)
    if [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ]; then
        say "rust: $(rustc --version | cut -d' ' -f1-2), wasm32-unknown-unknown target present"
    else
        command -v rustup >/dev/null 2>&1 ||
            die "the wasm32-unknown-unknown target is missing and rustup is not available" \
                "Install Rust with rustup, then: rustup target add wasm32-unknown-unknown"
        say "rust: adding target wasm32-unknown-unknown (rustup target add)"
        rustup target add wasm32-unknown-unknown ||
            die "rustup target add wasm32-unknown-unknown failed"
    fi

    have=$(cargo leptos --version 2>/dev/null | awk '{ print $NF }' || true)
    if [ "$have" = "$EF_CARGO_LEPTOS_VERSION" ]; then
        say "cargo-leptos $have present"
    else
        say "cargo-leptos: installing $EF_CARGO_LEPTOS_VERSION (found: ${have:-none}; takes ~16 min, once per machine)"
        env -u CARGO_TARGET_DIR cargo install cargo-leptos --version "$EF_CARGO_LEPTOS_VERSION" --locked ||
            die "installing cargo-leptos $EF_CARGO_LEPTOS_VERSION failed (see above)" \
                "Run: cargo install cargo-leptos --version $EF_CARGO_LEPTOS_VERSION --locked"
    fi

    want=$(ef_wasm_bindgen_version)
    [ -n "$want" ] ||
        die "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml" \
            "Run 'cargo generate-lockfile' in $EF_ROOT, then run this again."
    have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
    if [ "$have" = "$want" ]; then
        say "wasm-bindgen CLI $have present (matches Cargo.lock)"
    else
        say "wasm-bindgen CLI: installing $want (found: ${have:-none}; takes ~6 min, once per version)"
        env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$want" ||
            die "installing wasm-bindgen-cli $want failed (see above)" \
                "Run: cargo install wasm-bindgen-cli --version $want"
        have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
        [ "$have" = "$want" ] ||
            die "wasm-bindgen on PATH is ${have:-missing} ($(command -v wasm-bindgen || echo 'not found')), not $want" \
                "Put $HOME/.cargo/bin first on PATH or remove the other wasm-bindgen."
    fi
}

# ---------------------------------------------------------------------------------------
# end2end npm packages (Playwright, and wasm-opt from binaryen for release builds)

ef_setup_node() {
    local dir="$EF_ROOT/end2end"
    [ -f "$dir/package-lock.json" ] || die "$dir/package-lock.json is missing"
    if [ -d "$dir/node_modules" ] && [ -f "$dir/node_modules/.package-lock.json" ] &&
        [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        say "end2end npm packages up to date"
    else
        say "end2end npm packages: npm ci"
        (cd "$dir" && npm ci --no-audit --no-fund) ||
            die "npm ci in end2end/ failed (see above)" "Run: cd end2end && npm ci"
    fi
}

# ---------------------------------------------------------------------------------------

# ef_setup [--e2e]: everything above, in order. --e2e also requires chromium (Playwright).
ef_setup() {
    local e2e=''
    case "${1:-}" in
        --e2e) e2e=--e2e ;;
        '') ;;
        *) die "ef_setup: unknown option $1" ;;
    esac
    ef_setup_env
    ef_setup_packages ${e2e:+"$e2e"}
    ef_setup_services
    ef_setup_database
    ef_setup_rust
    ef_setup_node
}

# ef_server_bin [release]: path of the built server binary, or die.
ef_server_bin() {
    local profile=${1:-debug} bin
    bin="$CARGO_TARGET_DIR/$profile/equipflow"
    [ -x "$bin" ] ||
        die "the server binary $bin was not built" \
            "Expected the bin target 'equipflow' of package 'server' (cargo leptos build${1:+ --release})."
    printf '%s\n' "$bin"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    ef_setup "$@"
fi
