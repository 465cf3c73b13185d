#!/usr/bin/env bash
#
# scripts/multinode/selftest.sh — checks scripts/multinode/lib.sh on this machine: starts
# every topology, checks each one works, kills a node of each and times the failover,
# then stops everything (also when interrupted) and checks that no port is left open.
#
#   scripts/multinode/selftest.sh        # ~40 s; needs redis-server, RabbitMQ, nginx, python3
#
# Ports: Redis Cluster 7300-7305 (+ bus 17300-17305), Sentinel 7310/7311 and 27310-27312,
# RabbitMQ 5691-5693 (+ dist 25691-25693), nginx 7390, backends 7391/7392. It refuses to
# start (one ERROR line) when one of them is in use.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

PORTS=({7300..7305} {17300..17305} 7310 7311 {27310..27312} {5691..5693} {25691..25693} 7390 7391 7392)
NGINX_PORT=7390
BACKENDS=(7391 7392)

# After the cleanup, whatever still listens on one of our ports is a leak.
check_no_leftovers() {
    local left
    left=$(mn__busy_ports "${PORTS[@]}" | tr '\n' ' ')
    if [ -n "$left" ]; then
        mn__fail "selftest: still listening after the cleanup: $left"
        return 1
    fi
}

on_exit() {
    local rc=$?
    trap - EXIT
    mn_cleanup
    check_no_leftovers || rc=1
    if [ "$rc" = 0 ]; then mn__say "selftest: passed"; else mn__fail "selftest: failed (exit $rc)"; fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# check WHAT CMD...: run CMD, stop the selftest with one ERROR line when it fails.
check() {
    local what=$1
    shift
    if ! "$@"; then
        mn__fail "selftest: $what"
        exit 1
    fi
    mn__say "ok: $what"
}

# mark; wait_for SECS WHAT CMD...: poll CMD every 50 ms until it succeeds, then set TOOK to
# the time since the mark; stop the selftest with one ERROR line after SECS. (No $(...)
# around long steps here: a signal sent to this script alone is handled only once the
# subshell of a command substitution has returned.)
mark() { MARK=$(mn__now); }
wait_for() {
    local secs=$1 what=$2 deadline
    shift 2
    deadline=$(($(mn__now) + secs * 1000000))
    until "$@"; do
        if [ "$(mn__now)" -ge "$deadline" ]; then
            mn__fail "selftest: not within $secs s: $what"
            exit 1
        fi
        sleep 0.05
    done
    TOOK=$(mn__since "$MARK")
}

# start_topology NAME FUNCTION ARGS...: run FUNCTION in this shell, its stdout (the URLs) into
# $MN_DIR/NAME.url; set TOOK.
start_topology() {
    local name=$1 t
    shift
    t=$(mn__now)
    "$@" >"$MN_DIR/$name.url"
    TOOK=$(mn__since "$t")
}

# ---------------------------------------------------------------------------------------
# checks

# Keys in many slots, written and read through the cluster (-c follows MOVED).
cluster_set_get() {
    local i
    for i in $(seq 1 20); do
        [ "$(redis-cli -c -p 7301 set "selftest:$i" "value-$i" 2>/dev/null)" = OK ] || return 1
    done
    for i in $(seq 1 20); do
        [ "$(redis-cli -c -p 7302 get "selftest:$i" 2>/dev/null)" = "value-$i" ] || return 1
    done
}

# sentinels_name PORT: every sentinel answers 127.0.0.1 PORT for mymaster.
sentinels_name() {
    local s
    for s in 27310 27311 27312; do
        [ "$(redis-cli -p "$s" sentinel get-master-addr-by-name mymaster | tr '\n' ' ')" = "$MN_HOST $1 " ] || return 1
    done
}

# is_master PORT / is_replica_up PORT
is_master() { [ "$(redis-cli -p "$1" role 2>/dev/null | sed -n 1p)" = master ]; }
is_replica_up() { [[ $(mn__redis_text "$1" info replication) == *master_link_status:up* ]]; }

# replica_of PORT: the port of the replica of master PORT (from CLUSTER NODES).
replica_of() {
    local id
    id=$(redis-cli -p "$1" cluster nodes | awk '$3 ~ /myself/ { print $1 }')
    redis-cli -p "$1" cluster nodes | awk -v id="$id" '$4 == id { split($2, a, "[:@]"); print a[2] }'
}

rabbit_has_running() { mn__rabbit_has_running "$@"; }

# Requests through nginx reach both backends (round robin).
nginx_round_robin() {
    local i bodies=''
    for i in 1 2 3 4; do
        bodies+="$(curl -fsS --max-time 5 "http://$MN_HOST:$NGINX_PORT/") " || return 1
    done
    [[ $bodies == *"backend 7391"* && $bodies == *"backend 7392"* ]] || {
        mn__fail "nginx answered: $bodies"
        return 1
    }
}

# ---------------------------------------------------------------------------------------

total=$(mn__now)
mn_require_ports_free "scripts/multinode/selftest.sh" "${PORTS[@]}"
# shellcheck disable=SC2119  # no DIR: mn_init makes one
mn_init

start_topology cluster mn_redis_cluster
t_cluster=$TOOK
start_topology sentinel mn_redis_sentinel
t_sentinel=$TOOK
start_topology amqp mn_rabbit_cluster
t_rabbit=$TOOK

# Two tiny backends, each answering its own name. The system python3 when there is one:
# a version-manager shim in front of it would be one process more to start.
python=$(command -v /usr/bin/python3 || command -v python3)
for port in "${BACKENDS[@]}"; do
    mkdir -p "$MN_DIR/www-$port"
    echo "backend $port" >"$MN_DIR/www-$port/index.html"
    mn_spawn "backend-$port" "$python" -m http.server "$port" --bind "$MN_HOST" --directory "$MN_DIR/www-$port"
done
for port in "${BACKENDS[@]}"; do mn_wait_tcp "backend-$port" "$port"; done
start_topology nginx mn_nginx "$MN_ROOT/deploy/nginx/equipflow.conf" "$NGINX_PORT" "${BACKENDS[@]}"
t_nginx=$TOOK
nginx_url=$(<"$MN_DIR/nginx.url")
mn__say "URLs: $(cat "$MN_DIR"/{cluster,sentinel,amqp,nginx}.url | tr '\n' ' ')"

check "Redis Cluster: SET/GET of 20 keys through the cluster (redis-cli -c)" cluster_set_get
check "Sentinel: all three name 127.0.0.1:7310 as mymaster" sentinels_name 7310
check "RabbitMQ: cluster_status lists 3 running nodes" rabbit_has_running rmqa 3
check "nginx: $nginx_url reaches both backends, round robin" nginx_round_robin

# --- failover: Redis Cluster
replica=$(replica_of 7300)
check "Redis Cluster: 7300 has a replica ($replica)" test -n "$replica"
mn_kill redis-7300
mark
wait_for 30 "replica $replica of the killed 7300 is master" is_master "$replica"
t_cluster_failover=$TOOK
mn__say "ok: Redis Cluster: replica $replica is master $t_cluster_failover after the kill"
# The other nodes learn of the promotion by gossip: until then they may still send a
# client to the dead node (MOVED 127.0.0.1:7300).
wait_for 30 "SET/GET through the cluster work again" cluster_set_get
t_cluster_usable=$TOOK
mn__say "ok: Redis Cluster: SET/GET through the cluster work again $t_cluster_usable after the kill"
mn_restart_redis redis-7300
mark
wait_for 30 "the restarted 7300 is a replica with its link up" is_replica_up 7300
t_cluster_rejoin=$TOOK
mn__say "ok: Redis Cluster: the restarted 7300 is a replica (link up) $t_cluster_rejoin after its start"

# --- failover: Sentinel
mn_kill redis-7310
mark
wait_for 30 "all three sentinels name 127.0.0.1:7311" sentinels_name 7311
t_sentinel_failover=$TOOK
check "Sentinel: all three name 127.0.0.1:7311 $t_sentinel_failover after the kill; it is master" is_master 7311

# --- a RabbitMQ node dies: the other two keep running, as one cluster
mn_kill rmqc
check "RabbitMQ: rmqa and rmqb accept AMQP after rmqc was killed" mn__all_tcp_open 5691 5692
check "RabbitMQ: rmqa's cluster_status lists 2 running nodes" rabbit_has_running rmqa 2
check "RabbitMQ: rmqb's cluster_status lists 2 running nodes" rabbit_has_running rmqb 2

mn__say "timings: start Redis Cluster $t_cluster, Sentinel $t_sentinel, RabbitMQ $t_rabbit, nginx $t_nginx;" \
    "failover Redis Cluster $t_cluster_failover (usable $t_cluster_usable, old master back as replica" \
    "$t_cluster_rejoin), Sentinel $t_sentinel_failover;" \
    "total $(mn__since "$total") before cleanup"
