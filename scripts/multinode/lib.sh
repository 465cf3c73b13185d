# shellcheck shell=bash
#
# scripts/multinode/lib.sh — the infrastructure of a multi-node test, started and stopped
# on this machine: a Redis Cluster, a Redis Sentinel group, plain Redis servers, a 3-node
# RabbitMQ cluster and nginx (deploy/nginx/equipflow.conf) in front of app nodes.
# Everything listens on 127.0.0.1, on ports of its own, and lives in one state directory;
# the machine's own services (PostgreSQL 5432, Redis 6379, RabbitMQ rabbit@localhost on
# 5672/25672) are never touched. See /work/shared/MULTINODE.md for the recipes and timings.
#
#   source scripts/multinode/lib.sh
#   mn_init "$(mktemp -d)"                  # or plain mn_init: it makes one ($MN_DIR)
#   trap mn_cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM
#   REDIS_URL=$(mn_redis_cluster)           # fred's URL on stdout, "==> ..." on stderr
#   mn_kill redis-7300; mn_restart_redis redis-7300
#
# Several bash processes may share one directory (a test harness calling
# `bash -c 'source lib.sh; mn_init DIR; mn_kill rmqb'`): all state is in files.
# `URL=$(mn_...)` runs the function in a subshell: a signal sent to the script's pid alone
# (not to its process group, as Ctrl-C and timeout(1) do) is handled only once that
# subshell returns (~20 s for RabbitMQ). `mn_rabbit_cluster >FILE` runs in the shell itself.
#
#   mn_init [DIR]                  state directory (empty or made by mn_init); sets MN_DIR
#   mn_redis_cluster               3 masters + 3 replicas, 7300-7305 (bus 17300-17305)
#   mn_redis_sentinel              master 7310, replica 7311, sentinels 27310-27312 (mymaster)
#   mn_redis_standalone PORT       one plain redis-server
#   mn_rabbit_cluster              rmqa/rmqb/rmqc@localhost, AMQP 5691-5693, dist 25691-25693
#   mn_nginx CONF LISTEN_PORT UPSTREAM_PORT...   CONF rendered for loopback, then started
#   mn_spawn NAME CMD...           any other process (an app node, a backend), recorded
#   mn_kill NAME                   SIGKILL, by recorded pid
#   mn_stop NAME                   SIGTERM, wait (SIGKILL after MN_STOP_TIMEOUT s)
#   mn_restart_redis NAME          a redis-*/sentinel-* process again, same command line
#   mn_restart_rabbit NAME         a RabbitMQ node again (it rejoins its cluster)
#   mn_cleanup                     stop everything recorded, remove MN_DIR (trap-safe)
#   mn_require_ports_free WHAT PORT...   one ERROR line naming the first port in use
#   mn_wait_tcp NAME PORT [SECS]   wait until PORT accepts connections while NAME lives
#   mn_rabbitmqctl NODE ARGS...    rabbitmqctl against rmqa/rmqb/rmqc (their cookie)
#   mn_pid NAME                    the newest recorded pid of NAME
#
# Process names: redis-PORT (cluster nodes, sentinel master and replica, standalone),
# sentinel-PORT, rmqa/rmqb/rmqc (the beam.smp of each node) and rmqa-launcher... (the
# rabbitmq-server script around it), epmd (only when a node had to start it), nginx-PORT,
# and whatever mn_spawn is given.
#
# State in MN_DIR: `pids` ("name pid" lines, appended at every start, newest last),
# `pids.start` (each pid's start time, so a pid the kernel has reused is never signalled),
# NAME.log (stdout and stderr of each process), NAME.cmd (how it was started), and the
# data directories redis-PORT/, sentinel-PORT/, rabbitmq/, nginx-PORT/.
#
# Conventions: stdout carries only what a caller captures (URLs); progress ("==> ..."),
# warnings and errors go to stderr. A function that fails prints one "ERROR: ..." line and
# returns 1 (it neither exits nor relies on set -e); what it had started stays recorded for
# mn_cleanup. Timeouts (seconds) can be raised through MN_START_TIMEOUT (Redis, nginx;
# default 30), MN_RABBIT_TIMEOUT (default 120) and MN_STOP_TIMEOUT (default 10).

MN_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034  # for callers: the repository (deploy/nginx/equipflow.conf)
MN_ROOT="$(cd "$MN_LIB_DIR/../.." && pwd)"
MN_HOST=127.0.0.1
MN_RABBIT_BIN=${MN_RABBIT_BIN:-/usr/lib/rabbitmq/bin}
MN_DIR_MARK=.equipflow-multinode

# ---------------------------------------------------------------------------------------
# small helpers

mn__say() { printf '==> %s\n' "$*" >&2; }
mn__warn() { printf 'WARNING: %s\n' "$*" >&2; }
mn__fail() { printf 'ERROR: %s\n' "$*" >&2; }

# Microseconds since the epoch, without a fork ($EPOCHREALTIME, bash 5; "," in some locales).
mn__now() { local t=$EPOCHREALTIME; printf '%s\n' "${t//[.,]/}"; }

# mn__since START_US: "2.31 s" since START_US.
mn__since() {
    local now cs
    now=$(mn__now)
    cs=$(((now - $1) / 10000))
    printf '%d.%02d s\n' $((cs / 100)) $((cs % 100))
}

mn__need_init() {
    if [ -z "${MN_DIR:-}" ] || [ ! -f "$MN_DIR/$MN_DIR_MARK" ]; then
        mn__fail "no multinode state directory: call mn_init [DIR] first"
        return 1
    fi
}

# mn__need_cmd CMD WHAT: CMD is installed (PATH or /usr/sbin, where root's tools live).
mn__need_cmd() {
    if command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; then return 0; fi
    mn__fail "$1 is not installed; $2 needs it"
    return 1
}

# mn__tcp_open PORT: something accepts connections on 127.0.0.1:PORT (refused at once on
# loopback, so no timeout is needed).
mn__tcp_open() { (exec 3<>"/dev/tcp/$MN_HOST/$1") 2>/dev/null; }

# mn__busy_ports PORT...: those of PORT... on which something listens (TCP, any address).
mn__busy_ports() {
    local listening port
    listening=" $(ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); printf "%s ", a[n] }')"
    for port in "$@"; do
        if [[ $listening == *" $port "* ]]; then printf '%s\n' "$port"; fi
    done
    return 0
}

# mn_require_ports_free WHAT PORT...: one ERROR line naming the first port already in use.
mn_require_ports_free() {
    local what=$1 busy port who
    shift
    busy=$(mn__busy_ports "$@")
    [ -z "$busy" ] && return 0
    port=${busy%%$'\n'*}
    who=$(ss -Hltnp "sport = :$port" 2>/dev/null |
        sed -nE 's/.*users:\(\("([^"]+)",pid=([0-9]+).*/\1 pid \2/p' | sed -n 1p)
    mn__fail "port $port is already in use${who:+ ($who)}; $what needs it, so nothing was started"
    return 1
}

# ---------------------------------------------------------------------------------------
# process records: "name pid" in $MN_DIR/pids, "pid starttime" in $MN_DIR/pids.start

# mn__starttime PID: field 22 of /proc/PID/stat (clock ticks after boot); fails when the
# process is gone or a zombie (a dead child not reaped yet still answers kill -0).
mn__starttime() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    local -a f
    read -r -a f <<<"${stat##*) }" # after "pid (comm) ": f[0] is field 3, the state
    case ${f[0]} in Z | X | x) return 1 ;; esac
    printf '%s\n' "${f[19]}"
}

# mn__record NAME PID: append the records (start time first, so a reader that sees the
# name line also finds the start time).
mn__record() {
    local start
    start=$(mn__starttime "$2") || return 1
    printf '%s %s\n' "$2" "$start" >>"$MN_DIR/pids.start"
    printf '%s %s\n' "$1" "$2" >>"$MN_DIR/pids"
}

# mn_pid NAME: the newest pid recorded for NAME (empty when none).
mn_pid() {
    local name pid found=''
    [ -f "${MN_DIR:-}/pids" ] || return 0
    while read -r name pid; do
        if [ "$name" = "$1" ]; then found=$pid; fi
    done <"$MN_DIR/pids"
    printf '%s\n' "$found"
}

# mn__alive PID: PID runs and is the process that was recorded (same start time).
mn__alive() {
    local now p s want=''
    now=$(mn__starttime "$1") || return 1
    while read -r p s; do
        if [ "$p" = "$1" ]; then want=$s; fi
    done <"$MN_DIR/pids.start"
    [ -z "$want" ] || [ "$want" = "$now" ]
}

# mn__wait_gone SECS PID...: wait until none of PID... runs; fails after SECS.
mn__wait_gone() {
    local deadline pid left
    deadline=$(($(mn__now) + $1 * 1000000))
    shift
    while :; do
        left=0
        for pid in "$@"; do
            if mn__alive "$pid"; then left=1; fi
        done
        [ "$left" = 0 ] && return 0
        [ "$(mn__now)" -lt "$deadline" ] || return 1
        sleep 0.05
    done
}

# mn_spawn NAME CMD...: start CMD in the background (stdin /dev/null, stdout and stderr
# appended to $MN_DIR/NAME.log), record it, keep the command line in NAME.cmd. Sets
# MN_LAST_PID. The child records itself before it execs: an interrupt that lands just after
# the fork still finds the process in the pids file.
mn_spawn() {
    local name=$1 i
    shift
    mn__need_init || return 1
    local -a mn_cmd=("$@")
    declare -p mn_cmd >"$MN_DIR/$name.cmd"
    (
        mn__record "$name" "$BASHPID"
        exec "$@" </dev/null >>"$MN_DIR/$name.log" 2>&1
    ) &
    MN_LAST_PID=$!
    # Out of the job table: no "Killed" notice from bash when a test kills it (bash still
    # reaps it).
    disown "$MN_LAST_PID"
    for ((i = 0; i < 200; i++)); do
        if [ "$(mn_pid "$name")" = "$MN_LAST_PID" ]; then return 0; fi
        sleep 0.005
    done
    mn__fail "$name (pid $MN_LAST_PID) did not record itself in $MN_DIR/pids"
    return 1
}

# mn__log_tail NAME: the last line of NAME's log, for error messages.
mn__log_tail() {
    local line
    line=$(tail -n 1 "$MN_DIR/$1.log" 2>/dev/null | tr -d '\r')
    printf '%s\n' "${line:-(no output)}"
}

# mn__wait_until SECS WHAT NAME... -- CMD...: run CMD every 50 ms until it succeeds; fail
# after SECS or as soon as one of the processes NAME... is gone (with its last log line).
mn__wait_until() {
    local secs=$1 what=$2 deadline name pid
    local -a names=()
    shift 2
    while [ "$1" != -- ]; do
        names+=("$1")
        shift
    done
    shift
    deadline=$(($(mn__now) + secs * 1000000))
    while :; do
        if "$@"; then return 0; fi
        for name in "${names[@]}"; do
            pid=$(mn_pid "$name")
            if [ -z "$pid" ] || ! mn__alive "$pid"; then
                mn__fail "$name exited while waiting for $what; its log ($MN_DIR/$name.log) ends: $(mn__log_tail "$name")"
                return 1
            fi
        done
        if [ "$(mn__now)" -ge "$deadline" ]; then
            mn__fail "timed out after $secs s waiting for $what (logs in $MN_DIR)"
            return 1
        fi
        sleep 0.05
    done
}

# mn_wait_tcp NAME PORT [SECS]: wait until 127.0.0.1:PORT accepts connections while the
# process NAME runs (for processes started with mn_spawn, e.g. app nodes or backends).
mn_wait_tcp() {
    mn__wait_until "${3:-${MN_START_TIMEOUT:-30}}" "$1 to listen on $MN_HOST:$2" "$1" -- mn__tcp_open "$2"
}

# ---------------------------------------------------------------------------------------
# state directory

# mn_init [DIR]: use DIR (created if missing; it must be empty or an earlier mn_init's) or a
# new mktemp directory; sets and exports MN_DIR. Calling it again on the same DIR (from
# another bash process) attaches to what is recorded there.
mn_init() {
    local dir=${1:-}
    mn__need_cmd ss "mn_init (port checks)" || return 1
    if [ -z "$dir" ]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/equipflow-multinode.XXXXXX") || {
            mn__fail "mktemp -d failed"
            return 1
        }
    fi
    mkdir -p "$dir" || {
        mn__fail "cannot create $dir"
        return 1
    }
    dir=$(cd "$dir" && pwd) # absolute: nginx -p and the sentinel files need it
    if [[ $dir =~ [[:space:]] ]]; then
        mn__fail "$dir has white space; the nginx and Sentinel files written there cannot quote it"
        return 1
    fi
    # mn_cleanup removes the directory: never adopt one that holds anything else.
    if [ ! -f "$dir/$MN_DIR_MARK" ] && [ -n "$(ls -A "$dir")" ]; then
        mn__fail "$dir is not empty and not a multinode state directory; give mn_init an empty directory"
        return 1
    fi
    touch "$dir/$MN_DIR_MARK" "$dir/pids" "$dir/pids.start"
    MN_DIR=$dir
    export MN_DIR
}

# ---------------------------------------------------------------------------------------
# Redis

# mn__redis_argv PORT [OPTIONS...]: sets MN_ARGV to the redis-server command line of a node
# on PORT: data in $MN_DIR/redis-PORT (a cluster node's nodes.conf survives a restart), no
# persistence, in the foreground (started with &, so its pid is known at once).
mn__redis_argv() {
    local port=$1
    shift
    mkdir -p "$MN_DIR/redis-$port"
    MN_ARGV=(redis-server --port "$port" --bind "$MN_HOST" --dir "$MN_DIR/redis-$port"
        --save '' --appendonly no --daemonize no "$@")
}

mn__redis_pong() { [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ]; }

# mn__redis_start PORT [OPTIONS...]: spawn redis-PORT and wait until it answers PING.
mn__redis_start() {
    local port=$1
    mn__redis_argv "$@"
    mn_spawn "redis-$port" "${MN_ARGV[@]}" || return 1
    mn__wait_until "${MN_START_TIMEOUT:-30}" "redis-$port to answer PING" "redis-$port" -- mn__redis_pong "$port"
}

# mn__redis_text PORT ARGS...: redis-cli's answer without the CRs of INFO texts.
mn__redis_text() { redis-cli -p "$1" "${@:2}" 2>/dev/null | tr -d '\r'; }

# Ready: every node says cluster_state:ok, there are 3 masters, each with one replica
# online, and every replica's link to its master is up.
mn__redis_cluster_ready() {
    local port info masters=0
    for port in "$@"; do
        info=$(mn__redis_text "$port" cluster info)
        [[ $info == *cluster_state:ok* ]] || return 1
        info=$(mn__redis_text "$port" info replication)
        case $info in
            *role:master*)
                [[ $info == *connected_slaves:1* && $info == *state=online* ]] || return 1
                masters=$((masters + 1))
                ;;
            *role:slave*) [[ $info == *master_link_status:up* ]] || return 1 ;;
            *) return 1 ;;
        esac
    done
    [ "$masters" = 3 ]
}

# mn_redis_cluster: prints the fred URL of the cluster (seeds: the three first masters).
mn_redis_cluster() {
    local start port
    local -a ports=(7300 7301 7302 7303 7304 7305) nodes=()
    start=$(mn__now)
    mn__need_init || return 1
    mn__need_cmd redis-server mn_redis_cluster || return 1
    mn__need_cmd redis-cli mn_redis_cluster || return 1
    mn_require_ports_free "the Redis Cluster (mn_redis_cluster)" "${ports[@]}" {17300..17305} || return 1
    for port in "${ports[@]}"; do
        # node-timeout 1000: a dead master is replaced in ~2.5 s; diskless sync without a
        # delay: a replica (or a restarted master) is in sync in milliseconds, not 5 s.
        mn__redis_argv "$port" --cluster-enabled yes --cluster-config-file nodes.conf \
            --cluster-node-timeout 1000 --repl-diskless-sync-delay 0
        mn_spawn "redis-$port" "${MN_ARGV[@]}" || return 1
        nodes+=("$MN_HOST:$port")
    done
    for port in "${ports[@]}"; do
        mn__wait_until "${MN_START_TIMEOUT:-30}" "redis-$port to answer PING" "redis-$port" -- mn__redis_pong "$port" || return 1
    done
    # redis-cli makes the first three masters and gives each one replica.
    if ! timeout 60 redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes \
        >"$MN_DIR/redis-cluster-create.log" 2>&1; then
        mn__fail "redis-cli --cluster create failed: $(tail -n 1 "$MN_DIR/redis-cluster-create.log" | tr -d '\r')"
        return 1
    fi
    mn__wait_until "${MN_START_TIMEOUT:-30}" "the Redis Cluster (cluster_state:ok, 3 masters with a replica each)" \
        "${ports[@]/#/redis-}" -- mn__redis_cluster_ready "${ports[@]}" || return 1
    mn__say "Redis Cluster: 3 masters + 3 replicas on $MN_HOST:7300-7305 ready in $(mn__since "$start")"
    printf 'redis-cluster://%s:7300?node=%s:7301&node=%s:7302\n' "$MN_HOST" "$MN_HOST" "$MN_HOST"
}

# mn__sentinel_view PORT: "other-sentinels replicas" as sentinel PORT sees mymaster.
mn__sentinel_view() {
    local -a kv
    local i others='' replicas=''
    mapfile -t kv < <(mn__redis_text "$1" sentinel master mymaster)
    for ((i = 0; i + 1 < ${#kv[@]}; i += 2)); do
        case ${kv[i]} in
            num-other-sentinels) others=${kv[i + 1]} ;;
            num-slaves) replicas=${kv[i + 1]} ;;
        esac
    done
    printf '%s %s\n' "${others:-?}" "${replicas:-?}"
}

mn__sentinels_ready() {
    local port
    for port in "$@"; do
        [ "$(mn__sentinel_view "$port")" = "2 1" ] || return 1
    done
}

# mn_redis_sentinel: prints the fred URL of the group (the three sentinels, mymaster, db 0).
mn_redis_sentinel() {
    local start port conf
    local -a sentinels=(27310 27311 27312)
    start=$(mn__now)
    mn__need_init || return 1
    mn__need_cmd redis-server mn_redis_sentinel || return 1
    mn__need_cmd redis-cli mn_redis_sentinel || return 1
    mn_require_ports_free "the Redis Sentinel group (mn_redis_sentinel)" 7310 7311 "${sentinels[@]}" || return 1
    mn__redis_start 7310 --repl-diskless-sync-delay 0 || return 1
    mn__redis_start 7311 --repl-diskless-sync-delay 0 --replicaof "$MN_HOST" 7310 || return 1
    for port in "${sentinels[@]}"; do
        # Sentinel rewrites its file (myid, known replicas and sentinels): one writable
        # file each, in the state directory. It logs to stdout, i.e. sentinel-PORT.log.
        mkdir -p "$MN_DIR/sentinel-$port"
        conf=$MN_DIR/sentinel-$port/sentinel.conf
        cat >"$conf" <<EOF
port $port
bind $MN_HOST
daemonize no
dir $MN_DIR/sentinel-$port
sentinel monitor mymaster $MN_HOST 7310 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 5000
EOF
        mn_spawn "sentinel-$port" redis-server "$conf" --sentinel || return 1
    done
    # Sentinels find each other and the replica through the master (hello messages every
    # 2 s): ready when each one knows 2 other sentinels and 1 replica.
    mn__wait_until "${MN_START_TIMEOUT:-30}" "the sentinels to see 2 other sentinels and 1 replica" \
        "${sentinels[@]/#/sentinel-}" redis-7310 redis-7311 -- mn__sentinels_ready "${sentinels[@]}" || return 1
    mn__say "Redis Sentinel: master 7310, replica 7311, sentinels 27310-27312 (mymaster) ready in $(mn__since "$start")"
    printf 'redis-sentinel://%s:27310/0?sentinelServiceName=mymaster&node=%s:27311&node=%s:27312\n' \
        "$MN_HOST" "$MN_HOST" "$MN_HOST"
}

# mn_redis_standalone PORT: one plain redis-server; prints its URL.
mn_redis_standalone() {
    local port=${1:-} start
    start=$(mn__now)
    if ! [[ $port =~ ^[0-9]+$ ]]; then
        mn__fail "usage: mn_redis_standalone PORT"
        return 1
    fi
    mn__need_init || return 1
    mn__need_cmd redis-server mn_redis_standalone || return 1
    mn__need_cmd redis-cli mn_redis_standalone || return 1
    mn_require_ports_free "a standalone Redis (mn_redis_standalone)" "$port" || return 1
    mn__redis_start "$port" || return 1
    mn__say "Redis: redis-$port on $MN_HOST:$port ready in $(mn__since "$start")"
    printf 'redis://%s:%s\n' "$MN_HOST" "$port"
}

# mn_restart_redis NAME: start redis-PORT or sentinel-PORT again with its first command
# line. A cluster node keeps its nodes.conf, so it rejoins as a replica of its successor at
# once; the old Sentinel master comes back as a master and the sentinels turn it into a
# replica some seconds later (~11 s in MULTINODE.md).
mn_restart_redis() {
    local name=${1:-} pid port start
    local -a mn_cmd=()
    start=$(mn__now)
    mn__need_init || return 1
    case $name in
        redis-[0-9]* | sentinel-[0-9]*) port=${name##*-} ;;
        *)
            mn__fail "mn_restart_redis: $name is not a redis-PORT or sentinel-PORT process"
            return 1
            ;;
    esac
    if [ ! -f "$MN_DIR/$name.cmd" ]; then
        mn__fail "mn_restart_redis: $name was never started in $MN_DIR"
        return 1
    fi
    pid=$(mn_pid "$name")
    if [ -n "$pid" ] && mn__alive "$pid"; then
        mn__fail "mn_restart_redis: $name is still running (pid $pid); mn_kill or mn_stop it first"
        return 1
    fi
    # shellcheck source=/dev/null  # NAME.cmd is the `declare -p mn_cmd` of mn_spawn
    source "$MN_DIR/$name.cmd"
    if [[ " ${mn_cmd[*]} " == *" --cluster-enabled yes "* ]]; then
        mn_require_ports_free "$name" "$port" $((port + 10000)) || return 1
    else
        mn_require_ports_free "$name" "$port" || return 1
    fi
    mn_spawn "$name" "${mn_cmd[@]}" || return 1
    mn__wait_until "${MN_START_TIMEOUT:-30}" "$name to answer PING" "$name" -- mn__redis_pong "$port" || return 1
    mn__say "restarted $name (pid $MN_LAST_PID) on $MN_HOST:$port in $(mn__since "$start")"
}

# ---------------------------------------------------------------------------------------
# RabbitMQ

MN_RABBIT_NODES=(rmqa rmqb rmqc)

# mn__rabbit_port NODE: AMQP port; the distribution port is 20000 more.
mn__rabbit_port() {
    case $1 in
        rmqa) echo 5691 ;;
        rmqb) echo 5692 ;;
        rmqc) echo 5693 ;;
        *) return 1 ;;
    esac
}

# mn_rabbitmqctl NODE ARGS...: rabbitmqctl -n NODE@localhost with the cluster's cookie
# (their own HOME) and an empty env file (the machine's one names rabbit@localhost).
mn_rabbitmqctl() {
    local node=$1
    shift
    env HOME="$MN_DIR/rabbitmq/home" RABBITMQ_CONF_ENV_FILE="$MN_DIR/rabbitmq/empty-env.conf" \
        timeout 60 "$MN_RABBIT_BIN/rabbitmqctl" -q -n "$node@localhost" "$@"
}

# mn__rabbit_running NODE: how many nodes NODE's cluster_status lists as running.
mn__rabbit_running() {
    local json nodes
    json=$(mn_rabbitmqctl "$1" cluster_status --formatter json 2>/dev/null) || return 1
    nodes=$(sed -nE 's/.*"running_nodes":\[([^]]*)\].*/\1/p' <<<"$json")
    [ -n "$nodes" ] || return 1
    tr ',' '\n' <<<"$nodes" | grep -c '@'
}

mn__rabbit_has_running() { [ "$(mn__rabbit_running "$1")" = "$2" ]; }

mn__all_tcp_open() {
    local port
    for port in "$@"; do mn__tcp_open "$port" || return 1; done
}

# mn__beam_pid_recorded NODE: the node wrote its pid file; record that pid as NODE (the
# file goes away when the node stops, so it is read now).
mn__beam_pid_recorded() {
    local pid
    [ -s "$MN_DIR/rabbitmq/$1/beam.pid" ] || return 1
    pid=$(<"$MN_DIR/rabbitmq/$1/beam.pid") # no trailing newline: not for `read`
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    mn__record "$1" "$pid"
}

# mn__rabbit_launch NODE: start the node's rabbitmq-server script (its files are already
# in $MN_DIR/rabbitmq/NODE), recorded as NODE-launcher; mn__rabbit_record_beam then records
# the beam.smp it runs as NODE.
mn__rabbit_launch() {
    local node=$1 nd=$MN_DIR/rabbitmq/$1 port
    port=$(mn__rabbit_port "$node")
    rm -f "$nd/beam.pid"
    # The scripts in /usr/lib/rabbitmq/bin, not the /usr/sbin wrappers (they switch to the
    # rabbitmq user and its cookie). Every file variable points into the state directory,
    # or the node would read the machine's /etc/rabbitmq and take rabbit@localhost's name.
    # The script stays in front of beam.smp and turns SIGTERM into a clean stop.
    mn_spawn "$node-launcher" env HOME="$MN_DIR/rabbitmq/home" \
        RABBITMQ_NODENAME="$node@localhost" RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT=$((port + 20000)) \
        RABBITMQ_CONF_ENV_FILE="$nd/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$nd/rabbitmq.conf" \
        RABBITMQ_ADVANCED_CONFIG_FILE="$nd/advanced.config" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$nd/enabled_plugins" RABBITMQ_MNESIA_BASE="$nd/mnesia" \
        RABBITMQ_LOG_BASE="$nd/log" RABBITMQ_PID_FILE="$nd/beam.pid" ERL_EPMD_ADDRESS="$MN_HOST" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
        "$MN_RABBIT_BIN/rabbitmq-server"
}

# mn__rabbit_record_beam NODE: wait for NODE's pid file and record its beam.smp.
mn__rabbit_record_beam() {
    mn__wait_until "${MN_RABBIT_TIMEOUT:-120}" "$1 to write its pid file" "$1-launcher" -- \
        mn__beam_pid_recorded "$1"
}

# mn__record_epmd: a node started epmd (none listened before): record it, so mn_cleanup
# stops it after the nodes.
mn__record_epmd() {
    local pid
    pid=$(ss -Hltnp "sport = :4369" 2>/dev/null | sed -nE 's/.*"epmd",pid=([0-9]+).*/\1/p' | sed -n 1p)
    if [ -n "$pid" ]; then
        mn__record epmd "$pid"
    else
        mn__warn "epmd was started by a RabbitMQ node but its pid cannot be found: it will keep running"
    fi
}

# mn_rabbit_cluster: prints the AMQP URL of each node (guest/guest, vhost /), one a line.
mn_rabbit_cluster() {
    local start node nd port epmd_before=1 i
    local -a ports=(5691 5692 5693)
    start=$(mn__now)
    mn__need_init || return 1
    if [ ! -x "$MN_RABBIT_BIN/rabbitmq-server" ]; then
        mn__fail "RabbitMQ is not installed ($MN_RABBIT_BIN/rabbitmq-server is missing); mn_rabbit_cluster needs it"
        return 1
    fi
    mn_require_ports_free "the RabbitMQ cluster (mn_rabbit_cluster)" "${ports[@]}" 25691 25692 25693 || return 1
    [ -n "$(mn__busy_ports 4369)" ] || epmd_before=0

    # One cookie for the three nodes and the CLI, in a HOME of their own.
    mkdir -p "$MN_DIR/rabbitmq/home"
    if [ ! -f "$MN_DIR/rabbitmq/home/.erlang.cookie" ]; then
        printf 'EQUIPFLOWMN%s%s%s' "$RANDOM" "$RANDOM" "$RANDOM" >"$MN_DIR/rabbitmq/home/.erlang.cookie"
        chmod 400 "$MN_DIR/rabbitmq/home/.erlang.cookie"
    fi
    : >"$MN_DIR/rabbitmq/empty-env.conf"
    for node in "${MN_RABBIT_NODES[@]}"; do
        nd=$MN_DIR/rabbitmq/$node
        port=$(mn__rabbit_port "$node")
        mkdir -p "$nd/log"
        : >"$nd/rabbitmq-env.conf"
        echo '[].' >"$nd/enabled_plugins"
        # The cluster forms at boot (classic_config peer discovery). Side by side on this
        # 2-core machine (while cargo was building): 16.4-18.4 s for all three, against
        # 19.1 s for booting three nodes and then a stop_app/join_cluster/start_app round
        # of CLI calls per node, which also costs more CPU. Formation is serialised by
        # the discovery lock of RabbitMQ 3.10: the first node to take it waits for peers
        # (10 x 500 ms), then starts alone; the others join it.
        # loopback_users = none: guest/guest may log in (only over 127.0.0.1 anyway).
        cat >"$nd/rabbitmq.conf" <<EOF
listeners.tcp.1 = $MN_HOST:$port
loopback_users = none
cluster_formation.peer_discovery_backend = classic_config
cluster_formation.classic_config.nodes.1 = rmqa@localhost
cluster_formation.classic_config.nodes.2 = rmqb@localhost
cluster_formation.classic_config.nodes.3 = rmqc@localhost
cluster_formation.randomized_startup_delay_range.min = 0
cluster_formation.randomized_startup_delay_range.max = 1
EOF
    done
    # Launch all three at once, then record each beam.smp as soon as its pid file appears.
    for node in "${MN_RABBIT_NODES[@]}"; do
        mn__rabbit_launch "$node" || return 1
    done
    for node in "${MN_RABBIT_NODES[@]}"; do
        mn__rabbit_record_beam "$node" || return 1
    done
    # The Erlang VM starts epmd before the node writes its pid file: record it now, so an
    # interrupted start does not leave it behind.
    if [ "$epmd_before" = 0 ]; then mn__record_epmd; fi
    mn__wait_until "${MN_RABBIT_TIMEOUT:-120}" "the RabbitMQ nodes to accept AMQP on ${ports[*]}" \
        rmqa rmqb rmqc -- mn__all_tcp_open "${ports[@]}" || return 1
    # A node opens its AMQP port only after joining, so this is normally true at once;
    # each check is a CLI call (~1 s), hence the few tries at most.
    for ((i = 0; ; i++)); do
        if mn__rabbit_has_running rmqa 3; then break; fi
        if [ "$i" -ge 20 ]; then
            mn__fail "RabbitMQ nodes started but rmqa's cluster_status does not list 3 running nodes (logs in $MN_DIR/rabbitmq/*/log)"
            return 1
        fi
        sleep 1
    done
    mn__say "RabbitMQ: cluster rmqa/rmqb/rmqc@localhost on AMQP $MN_HOST:5691-5693 ready in $(mn__since "$start")"
    for port in "${ports[@]}"; do
        printf 'amqp://guest:guest@%s:%s/%%2f\n' "$MN_HOST" "$port"
    done
}

# mn_restart_rabbit NAME: start a stopped or killed node again; it rejoins its cluster.
mn_restart_rabbit() {
    local node=${1:-} pid port start
    start=$(mn__now)
    mn__need_init || return 1
    if ! port=$(mn__rabbit_port "$node") || [ ! -f "$MN_DIR/rabbitmq/$node/rabbitmq.conf" ]; then
        mn__fail "mn_restart_rabbit: $node is not a node of mn_rabbit_cluster in $MN_DIR"
        return 1
    fi
    pid=$(mn_pid "$node")
    if [ -n "$pid" ] && mn__alive "$pid"; then
        mn__fail "mn_restart_rabbit: $node is still running (pid $pid); mn_kill or mn_stop it first"
        return 1
    fi
    mn_require_ports_free "$node" "$port" $((port + 20000)) || return 1
    mn__rabbit_launch "$node" || return 1
    mn__rabbit_record_beam "$node" || return 1
    mn__wait_until "${MN_RABBIT_TIMEOUT:-120}" "$node to accept AMQP on $port" "$node" -- mn__tcp_open "$port" || return 1
    mn__say "restarted $node (pid $(mn_pid "$node")) on AMQP $MN_HOST:$port in $(mn__since "$start")"
}

# ---------------------------------------------------------------------------------------
# nginx

# mn__nginx_render TEMPLATE LISTEN_PORT LOG UPSTREAM_PORT...: TEMPLATE (an http-context
# file such as deploy/nginx/equipflow.conf) on stdout, its marked sections replaced:
#   upstream-servers  one "server 127.0.0.1:PORT <the first server line's parameters>;"
#                     per upstream port (same max_fails/fail_timeout as in production)
#   listen-tls        "listen 127.0.0.1:LISTEN_PORT;" (plain HTTP, no certificates)
#   http-redirect     dropped (it listens on port 80)
#   logs              "access_log LOG <the section's log format>;"
# A section is the lines from "# BEGIN name" to "# END name"; each must appear once.
mn__nginx_render() {
    local template=$1 listen=$2 log=$3
    shift 3
    awk -v listen="$listen" -v logfile="$log" -v upstreams="$*" -v host="$MN_HOST" '
        function fail(msg) { print "ERROR: " FILENAME ": " msg > "/dev/stderr"; bad = 1; exit 1 }
        /^[ \t]*# BEGIN [a-z-]+[ \t]*$/ {
            if (section != "") fail("# BEGIN " $3 " inside section " section)
            section = $3; indent = $0; sub(/#.*/, "", indent); body = ""; seen[section]++
            next
        }
        /^[ \t]*# END [a-z-]+[ \t]*$/ {
            if ($3 != section) fail("# END " $3 " does not close section \"" section "\"")
            emit(section, body); section = ""
            next
        }
        section != "" { body = body $0 "\n"; next }
        { print }
        function emit(name, text,   lines, n, i, f, params, fmt, ports, p) {
            n = split(text, lines, "\n")
            if (name == "upstream-servers") {
                params = ""
                for (i = 1; i <= n; i++) {
                    if (lines[i] ~ /^[ \t]*server[ \t]/) {
                        sub(/;[ \t]*(#.*)?$/, "", lines[i]); split(lines[i], f, " ")
                        for (p = 3; p in f; p++) params = params " " f[p]
                        break
                    }
                }
                split(upstreams, ports, " ")
                for (p = 1; p in ports; p++) printf "%sserver %s:%s%s;\n", indent, host, ports[p], params
            } else if (name == "listen-tls") {
                printf "%slisten %s:%s;\n", indent, host, listen
            } else if (name == "http-redirect") {
                # dropped
            } else if (name == "logs") {
                fmt = ""
                for (i = 1; i <= n; i++) {
                    if (lines[i] ~ /^[ \t]*access_log[ \t]/) {
                        sub(/;[ \t]*(#.*)?$/, "", lines[i]); split(lines[i], f, " ")
                        if (3 in f) fmt = " " f[3]
                        break
                    }
                }
                printf "%saccess_log %s%s;\n", indent, logfile, fmt
            } else {
                fail("unknown section \"" name "\" (known: upstream-servers listen-tls http-redirect logs)")
            }
        }
        END {
            if (bad) exit 1
            if (section != "") fail("section \"" section "\" is not closed")
            split("upstream-servers listen-tls http-redirect logs", want, " ")
            for (i = 1; i in want; i++)
                if (seen[want[i]] != 1) fail("section \"" want[i] "\" must appear exactly once (found " seen[want[i]] + 0 ")")
        }
    ' "$template"
}

# mn_nginx CONF_TEMPLATE LISTEN_PORT UPSTREAM_PORT...: render CONF_TEMPLATE for loopback
# (see mn__nginx_render), wrap it in an nginx.conf of its own in $MN_DIR/nginx-PORT/, start
# nginx and wait until it listens. Prints its URL. Start the upstreams first: nginx marks
# a refusing upstream down for fail_timeout.
mn_nginx() {
    local template=${1:-} listen=${2:-} start nd nginx_bin name port down='' upstreams
    start=$(mn__now)
    if [ $# -lt 3 ] || [ ! -f "$template" ] || ! [[ $listen =~ ^[0-9]+$ ]]; then
        mn__fail "usage: mn_nginx CONF_TEMPLATE LISTEN_PORT UPSTREAM_PORT... (template: ${template:-none})"
        return 1
    fi
    shift 2
    mn__need_init || return 1
    mn__need_cmd nginx mn_nginx || return 1
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    name=nginx-$listen
    mn_require_ports_free "nginx (mn_nginx)" "$listen" || return 1
    nd=$MN_DIR/$name
    mkdir -p "$nd/tmp"
    mn__nginx_render "$template" "$listen" "$nd/access.log" "$@" >"$nd/equipflow.conf" || return 1
    # daemon off: started with & like the rest, so its pid is known and recorded.
    # master_process off: one process; a SIGKILL leaves no orphaned worker still serving.
    # Temp files and logs in the state directory, never in /var/lib/nginx or /var/log.
    # gzip on at this level, as in Debian's nginx.conf, so the file is tested as deployed.
    cat >"$nd/nginx.conf" <<EOF
# Written by scripts/multinode/lib.sh (mn_nginx) for a test; see $template.
daemon off;
master_process off;
worker_processes 1;
pid $nd/nginx.pid;
error_log $MN_DIR/$name.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $nd/tmp/client_body;
    proxy_temp_path $nd/tmp/proxy;
    fastcgi_temp_path $nd/tmp/fastcgi;
    uwsgi_temp_path $nd/tmp/uwsgi;
    scgi_temp_path $nd/tmp/scgi;
    gzip on;
    include $nd/equipflow.conf;
}
EOF
    for port in "$@"; do
        if ! mn__tcp_open "$port"; then down="$down $port"; fi
    done
    if [ -n "$down" ]; then
        mn__warn "mn_nginx: nothing answers on upstream port(s)$down yet; nginx will mark them down for fail_timeout"
    fi
    mn_spawn "$name" "$nginx_bin" -p "$nd" -c "$nd/nginx.conf" -e "$MN_DIR/$name.log" || return 1
    mn_wait_tcp "$name" "$listen" || return 1
    upstreams=$(
        IFS=,
        echo "$*"
    )
    mn__say "nginx: $name on $MN_HOST:$listen -> $MN_HOST:{$upstreams} ready in $(mn__since "$start")"
    printf 'http://%s:%s\n' "$MN_HOST" "$listen"
}

# ---------------------------------------------------------------------------------------
# stopping

# mn_kill NAME: SIGKILL to NAME's recorded pid; waits until it is gone.
mn_kill() {
    local name=${1:-} pid start
    start=$(mn__now)
    mn__need_init || return 1
    pid=$(mn_pid "$name")
    if [ -z "$pid" ] || ! mn__alive "$pid"; then
        mn__fail "mn_kill: $name is not running${pid:+ (recorded pid $pid)}"
        return 1
    fi
    kill -9 "$pid" 2>/dev/null || true
    if ! mn__wait_gone 5 "$pid"; then
        mn__fail "mn_kill: $name (pid $pid) is still there 5 s after SIGKILL"
        return 1
    fi
    mn__say "killed $name (pid $pid, SIGKILL) in $(mn__since "$start")"
}

# mn_stop NAME: SIGTERM to NAME's recorded pid, wait up to MN_STOP_TIMEOUT s, then SIGKILL.
mn_stop() {
    local name=${1:-} pid start secs=${MN_STOP_TIMEOUT:-10}
    start=$(mn__now)
    mn__need_init || return 1
    pid=$(mn_pid "$name")
    if [ -z "$pid" ] || ! mn__alive "$pid"; then
        mn__fail "mn_stop: $name is not running${pid:+ (recorded pid $pid)}"
        return 1
    fi
    kill -TERM "$pid" 2>/dev/null || true
    if mn__wait_gone "$secs" "$pid"; then
        mn__say "stopped $name (pid $pid, SIGTERM) in $(mn__since "$start")"
        return 0
    fi
    mn__warn "$name (pid $pid) ignored SIGTERM for $secs s: SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
    mn__wait_gone 5 "$pid" || {
        mn__fail "mn_stop: $name (pid $pid) is still there after SIGKILL"
        return 1
    }
}

# mn__alive_recorded [epmd|others]: "name pid" of each recorded process still running,
# epmd alone or everything but epmd (epmd goes last: the nodes unregister from it).
mn__alive_recorded() {
    local which=$1 name pid
    local -A seen=()
    [ -f "$MN_DIR/pids" ] || return 0
    while read -r name pid; do
        if [ -z "$pid" ] || [ -n "${seen[$pid]:-}" ]; then continue; fi
        seen[$pid]=1
        if [ "$which" = epmd ] && [ "$name" != epmd ]; then continue; fi
        if [ "$which" != epmd ] && [ "$name" = epmd ]; then continue; fi
        if mn__alive "$pid"; then printf '%s %s\n' "$name" "$pid"; fi
    done <"$MN_DIR/pids"
    return 0
}

# mn__stop_all [epmd|others]: SIGTERM to all at once (RabbitMQ nodes stop cleanly in ~2 s,
# Redis and nginx at once), SIGKILL to what is left after MN_STOP_TIMEOUT s. Sets
# MN__STOPPED / MN__KILLED counts.
mn__stop_all() {
    local which=$1 name pid pass
    local -a pids
    for ((pass = 0; pass < 3; pass++)); do
        pids=()
        while read -r name pid; do
            [ -n "$pid" ] && pids+=("$pid")
        done < <(mn__alive_recorded "$which")
        [ ${#pids[@]} -eq 0 ] && return 0
        MN__STOPPED=$((MN__STOPPED + ${#pids[@]}))
        kill -TERM "${pids[@]}" 2>/dev/null
        if ! mn__wait_gone "${MN_STOP_TIMEOUT:-10}" "${pids[@]}"; then
            for pid in "${pids[@]}"; do
                if mn__alive "$pid"; then
                    kill -9 "$pid" 2>/dev/null
                    MN__KILLED=$((MN__KILLED + 1))
                fi
            done
            mn__wait_gone 5 "${pids[@]}"
        fi
        # Another pass picks up a process that recorded itself while this one ran (a
        # spawn interrupted by the signal that brought us here).
        sleep 0.05
    done
}

# mn_cleanup: stop every recorded process by its pid (never by name), remove MN_DIR.
# Safe to call twice, after a partial start, and from an EXIT/INT/TERM trap.
mn_cleanup() {
    local - # set +e below stays local: a trap must get through the whole list
    set +e
    local dir=${MN_DIR:-} start killed=''
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    if [ ! -f "$dir/$MN_DIR_MARK" ]; then
        mn__warn "mn_cleanup: $dir is not a multinode state directory; left alone"
        return 0
    fi
    start=$(mn__now)
    MN__STOPPED=0 MN__KILLED=0
    mn__stop_all others
    mn__stop_all epmd
    rm -rf "$dir"
    unset MN_DIR
    if [ "$MN__KILLED" -gt 0 ]; then killed=" ($MN__KILLED of them with SIGKILL)"; fi
    mn__say "multinode: stopped $MN__STOPPED process(es)$killed in $(mn__since "$start"), removed $dir"
    return 0
}
