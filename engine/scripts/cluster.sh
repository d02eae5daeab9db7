#!/usr/bin/env bash
# A local Redis Cluster plus one wish engine on it, in one command.
#
#   engine/scripts/cluster.sh up     [--dir DIR] [--base-port P] [--masters 3] [--replicas 1]
#                                    [--min-replica-acks 1] [--engine-port 8081]
#   engine/scripts/cluster.sh status [--dir DIR]
#   engine/scripts/cluster.sh down   [--dir DIR] [--purge]
#
# `up` starts masters x (1 + replicas) redis-server processes on 127.0.0.1, ports P.. (each with
# its cluster bus on port + 10000), forms the cluster with redis-cli, waits until it is ready,
# then starts the engine (engine/target/wish-engine.jar, or $WISH_ENGINE_JAR) with --redis-cluster
# in the background. Everything lives in DIR (default ./cluster-data): redis-<port>/ per node,
# secrets.env (admin token and user-token secret, reused by the next `up`), engine-<port>.log/.pid.
# `down` stops the engine, then every redis-server it started, and keeps the data unless --purge.
#
# Needs only Debian's redis-server and redis-cli, curl, java and coreutils. Extra JVM options for
# the engine can be given in $JAVA_OPTS.
set -euo pipefail

readonly HOST=127.0.0.1
readonly BUS_OFFSET=10000
readonly SLOTS=16384
readonly NODE_TIMEOUT_MS=1000
readonly NODE_ID=n1
readonly CLUSTER_READY_SECONDS=60
readonly ENGINE_READY_SECONDS=90
readonly STOP_SECONDS=30

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
JAR=${WISH_ENGINE_JAR:-$REPO_DIR/engine/target/wish-engine.jar}

usage() {
    local line number=0
    while IFS= read -r line; do
        number=$((number + 1))
        ((number > 1)) || continue
        [[ $line == '#'* ]] || break
        line=${line#\#}
        echo "${line# }"
    done <"${BASH_SOURCE[0]}"
    exit "${1:-2}"
}

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

say() {
    echo "$*"
}

# ---------------------------------------------------------------- options

COMMAND=${1:-}
[[ -n $COMMAND ]] || usage 2
shift
DIR=./cluster-data
BASE_PORT=7000
MASTERS=3
REPLICAS=1
MIN_ACKS=
ENGINE_PORT=8081
PURGE=false
LAYOUT_GIVEN=false
while (($#)); do
    case $1 in
        --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
        --base-port) BASE_PORT=${2:?--base-port needs a value}; LAYOUT_GIVEN=true; shift 2 ;;
        --masters) MASTERS=${2:?--masters needs a value}; LAYOUT_GIVEN=true; shift 2 ;;
        --replicas) REPLICAS=${2:?--replicas needs a value}; LAYOUT_GIVEN=true; shift 2 ;;
        --min-replica-acks) MIN_ACKS=${2:?--min-replica-acks needs a value}; shift 2 ;;
        --engine-port) ENGINE_PORT=${2:?--engine-port needs a value}; shift 2 ;;
        --purge) PURGE=true; shift ;;
        -h | --help) usage 0 ;;
        *) echo "cluster.sh: unknown option $1" >&2; usage 2 ;;
    esac
done
for number in "$BASE_PORT" "$MASTERS" "$REPLICAS" "$ENGINE_PORT" "${MIN_ACKS:-0}"; do
    [[ $number =~ ^[0-9]+$ ]] || die "not a number: $number"
done

# ---------------------------------------------------------------- helpers

need_tools() {
    local tool
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
        die "redis-server and redis-cli are needed: apt-get install redis-server" \
            "(this script runs the system's Redis; the engine's embedded Redis binary is not used here)"
    fi
    for tool in curl java; do
        command -v "$tool" >/dev/null || die "$tool is needed but not on the PATH"
    done
}

# redis-cli on one local node, bounded so that a hung node cannot hang the script.
rcli() {
    local port=$1
    shift
    timeout 5 redis-cli -h "$HOST" -p "$port" "$@" 2>/dev/null | tr -d '\r'
}

# Whether something accepts connections on the loopback port.
port_taken() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# Whether the process runs; an exited one that its parent has not reaped yet (a zombie) does not.
alive() {
    local stat
    [[ -n ${1:-} ]] || return 1
    kill -0 "$1" 2>/dev/null || return 1
    if [[ -r /proc/$1/stat ]] && read -r stat <"/proc/$1/stat" 2>/dev/null; then
        stat=${stat##*) }
        [[ ${stat%% *} != Z ]] || return 1
    fi
}

# The pid of the redis-server this script started on PORT, if it runs and answers on PORT.
our_redis_pid() {
    local port=$1 file="$DIR/redis-$1/redis.pid" pid info
    [[ -f $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    alive "$pid" || return 1
    info=$(rcli "$port" info server) || return 1
    [[ $info == *"process_id:$pid"$'\n'* ]] || return 1
    echo "$pid"
}

# The pid in an engine pid file, if that process still runs and is an engine.
our_engine_pid() {
    local file=$1 pid
    [[ -f $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    alive "$pid" || return 1
    # /proc tells whether the pid was reused by something else (where there is a /proc).
    if [[ -r /proc/$pid/cmdline ]] && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") != *--node-id* ]]; then
        return 1
    fi
    echo "$pid"
}

# The value of FIELD in the "field:value" lines of a Redis INFO-style text.
info_field() {
    local text=$1 field=$2 line
    while IFS= read -r line; do
        if [[ $line == "$field:"* ]]; then
            echo "${line#"$field:"}"
            return 0
        fi
    done <<<"$text"
    return 1
}

# Polls until PID has exited; false when it still runs after SECONDS.
wait_exit() {
    local pid=$1 seconds=$2
    local deadline=$((SECONDS + seconds))
    while alive "$pid"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1 # poll interval of a bounded wait
    done
}

load_layout() {
    [[ -d $DIR ]] || die "no cluster in $DIR (nothing was started there; see: cluster.sh up --dir $DIR)"
    DIR=$(cd "$DIR" && pwd)
    [[ -f $DIR/cluster.env ]] || die "no cluster in $DIR ($DIR/cluster.env is missing)"
    local line key value
    while IFS= read -r line; do
        key=${line%%=*}
        value=${line#*=}
        case $key in
            BASE_PORT) BASE_PORT=$value ;;
            MASTERS) MASTERS=$value ;;
            REPLICAS) REPLICAS=$value ;;
        esac
    done <"$DIR/cluster.env"
    set_ports
}

set_ports() {
    NODES=$((MASTERS * (1 + REPLICAS)))
    PORTS=()
    local i
    for ((i = 0; i < NODES; i++)); do
        PORTS+=($((BASE_PORT + i)))
    done
}

# Client ports of the live masters, as the first node that answers sees the cluster.
master_ports() {
    local port nodes line
    local -a fields
    for port in "${PORTS[@]}"; do
        nodes=$(rcli "$port" cluster nodes) || continue
        [[ -n $nodes ]] || continue
        while IFS= read -r line; do
            read -r -a fields <<<"$line"
            if [[ ,${fields[2]}, == *,master,* && ,${fields[2]}, != *,fail,* ]]; then
                local address=${fields[1]%%@*}
                echo "${address##*:}"
            fi
        done <<<"$nodes"
        return 0
    done
}

# Empty when every node serves all slots, knows every node and its replication link is up;
# otherwise the first reason why not.
why_not_ready() {
    local port info replication want online line
    for port in "${PORTS[@]}"; do
        info=$(rcli "$port" cluster info) || true
        [[ -n $info ]] || { echo "node $port does not answer"; return; }
        for want in cluster_state:ok "cluster_slots_assigned:$SLOTS" "cluster_known_nodes:$NODES"; do
            [[ $info == *"$want"* ]] || { echo "node $port lacks $want"; return; }
        done
        replication=$(rcli "$port" info replication) || true
        if [[ $replication == *role:master* ]]; then
            online=0
            while IFS= read -r line; do
                if [[ $line == slave[0-9]*:*state=online* ]]; then
                    online=$((online + 1))
                fi
            done <<<"$replication"
            ((online == REPLICAS)) || { echo "master $port has $online of $REPLICAS replicas online"; return; }
        elif [[ $replication != *master_link_status:up* ]]; then
            echo "replica $port: link to its master not up"
            return
        fi
    done
}

secret() {
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

load_secrets() {
    local line
    WISH_ADMIN_TOKEN=
    WISH_TOKEN_SECRET=
    while IFS= read -r line; do
        case $line in
            WISH_ADMIN_TOKEN=*) WISH_ADMIN_TOKEN=${line#*=} ;;
            WISH_TOKEN_SECRET=*) WISH_TOKEN_SECRET=${line#*=} ;;
        esac
    done <"$DIR/secrets.env"
    [[ -n $WISH_ADMIN_TOKEN && -n $WISH_TOKEN_SECRET ]] || die "$DIR/secrets.env lacks WISH_ADMIN_TOKEN or WISH_TOKEN_SECRET"
}

ready_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$HOST:$1/health/ready" 2>/dev/null || true
}

# ---------------------------------------------------------------- up

start_node() {
    local port=$1 node_dir="$DIR/redis-$1" deadline
    mkdir -p "$node_dir"
    rm -f "$node_dir/redis.pid"
    redis-server --port "$port" --bind "$HOST" --dir "$node_dir" \
        --daemonize yes --pidfile "$node_dir/redis.pid" --logfile "$node_dir/redis.log" \
        --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout "$NODE_TIMEOUT_MS" \
        --appendonly yes --appendfsync everysec --save '' \
        --repl-diskless-sync-delay 0 >/dev/null
    deadline=$((SECONDS + 10))
    # A daemonized redis-server has detached before it binds: its answer is the proof.
    until our_redis_pid "$port" >/dev/null; do
        if ((SECONDS >= deadline)); then
            tail -n 5 "$node_dir/redis.log" >&2 2>/dev/null || true
            die "redis-server on port $port did not start (log: $node_dir/redis.log)"
        fi
        sleep 0.1 # poll interval of a bounded wait
    done
}

# True when every node is a lone, empty cluster node: nothing formed yet.
unformed() {
    local port info
    for port in "${PORTS[@]}"; do
        info=$(rcli "$port" cluster info) || return 1
        [[ $info == *cluster_known_nodes:1$'\n'* && $info == *cluster_slots_assigned:0$'\n'* ]] || return 1
    done
}

form_cluster() {
    local -a addresses=()
    local port
    for port in "${PORTS[@]}"; do
        addresses+=("$HOST:$port")
    done
    say "Forming the cluster: $MASTERS masters, $REPLICAS replica(s) each"
    if ! timeout 60 redis-cli --cluster create "${addresses[@]}" --cluster-replicas "$REPLICAS" --cluster-yes \
        >"$DIR/cluster-create.log" 2>&1 </dev/null; then
        tail -n 20 "$DIR/cluster-create.log" >&2 || true
        die "redis-cli --cluster create failed (log: $DIR/cluster-create.log)"
    fi
}

await_cluster_ready() {
    local deadline=$((SECONDS + CLUSTER_READY_SECONDS)) reason
    while reason=$(why_not_ready) && [[ -n $reason ]]; do
        if ((SECONDS >= deadline)); then
            die "the cluster was not ready within ${CLUSTER_READY_SECONDS}s: $reason." \
                "Logs are in $DIR/redis-*/redis.log; to start afresh: cluster.sh down --dir $DIR --purge"
        fi
        sleep 0.1 # poll interval of a bounded wait
    done
}

ensure_jar() {
    [[ -f $JAR ]] && return 0
    if [[ -z ${WISH_ENGINE_JAR:-} ]] && command -v mvn >/dev/null; then
        say "Building the engine (mvn -q -DskipTests package in $REPO_DIR)"
        (cd "$REPO_DIR" && mvn -q -DskipTests package) || die "the build failed"
        [[ -f $JAR ]] || die "the build did not produce $JAR"
    else
        die "no engine jar at $JAR: build it with (cd $REPO_DIR && mvn -q -DskipTests package)"
    fi
}

start_engine() {
    local log="$DIR/engine-$ENGINE_PORT.log" pidfile="$DIR/engine-$ENGINE_PORT.pid" seeds="" port pid
    local deadline status
    for port in $(master_ports); do
        seeds+="${seeds:+,}redis://$HOST:$port"
    done
    [[ -n $seeds ]] || die "no live master to give the engine"
    ! port_taken "$ENGINE_PORT" || die "port $ENGINE_PORT is taken; choose another with --engine-port"
    say "Starting the engine on port $ENGINE_PORT (log: $log)"
    # The tokens go in the environment, not on the command line, where ps would show them.
    (
        cd "$DIR"
        export WISH_ADMIN_TOKEN WISH_TOKEN_SECRET
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
        exec nohup java ${JAVA_OPTS:-} -jar "$JAR" --redis-cluster "$seeds" --min-replica-acks "$MIN_ACKS" \
            --node-id "$NODE_ID" --host "$HOST" --port "$ENGINE_PORT" </dev/null >>"$log" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$pidfile"
    deadline=$((SECONDS + ENGINE_READY_SECONDS))
    while status=$(ready_status "$ENGINE_PORT") && [[ $status != 200 ]]; do
        if ! alive "$pid"; then
            tail -n 20 "$log" >&2 || true
            rm -f "$pidfile"
            die "the engine exited before it was ready (log: $log)"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 20 "$log" >&2 || true
            die "the engine (pid $pid) was not ready within ${ENGINE_READY_SECONDS}s (log: $log);" \
                "stop everything with: cluster.sh down --dir $DIR"
        fi
        sleep 0.2 # poll interval of a bounded wait
    done
}

print_summary() {
    local engine_port=$1 script="$SCRIPT_DIR/cluster.sh"
    say ""
    say "Redis Cluster: $MASTERS masters + $((NODES - MASTERS)) replicas on $HOST:${PORTS[0]}-${PORTS[-1]} (data in $DIR)"
    say "Engine:        http://$HOST:$engine_port/  node $NODE_ID, log $DIR/engine-$engine_port.log"
    say "Admin token:   $WISH_ADMIN_TOKEN   (also in $DIR/secrets.env)"
    say "A user token:  java -jar $JAR token --sub alice --token-secret $WISH_TOKEN_SECRET"
    say "Status:        $script status --dir $DIR"
    say "Stop:          $script down --dir $DIR   (add --purge to delete the data)"
}

cmd_up() {
    need_tools
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    if [[ -f $DIR/cluster.env ]]; then
        local given_base=$BASE_PORT given_masters=$MASTERS given_replicas=$REPLICAS
        load_layout
        if $LAYOUT_GIVEN && [[ $given_base/$given_masters/$given_replicas != "$BASE_PORT/$MASTERS/$REPLICAS" ]]; then
            die "$DIR already holds a cluster of $MASTERS masters x $REPLICAS replicas from port $BASE_PORT;" \
                "use it as it is, or remove it first: cluster.sh down --dir $DIR --purge"
        fi
    else
        ((MASTERS >= 3)) || die "a Redis Cluster needs at least 3 masters (--masters $MASTERS)"
        set_ports
        ((BASE_PORT >= 1024 && PORTS[-1] + BUS_OFFSET <= 65535)) ||
            die "ports ${PORTS[0]}..${PORTS[-1]} and their bus ports (+$BUS_OFFSET) must lie within 1024..65535"
    fi
    MIN_ACKS=${MIN_ACKS:-$((REPLICAS < 1 ? REPLICAS : 1))}
    ((MIN_ACKS <= REPLICAS)) || die "--min-replica-acks $MIN_ACKS cannot be met with $REPLICAS replica(s) per master"

    # Already running: say so rather than start a second engine (the writer lease would refuse it).
    local file pid port running=0 engine_port=""
    for file in "$DIR"/engine-*.pid; do
        if pid=$(our_engine_pid "$file"); then
            engine_port=${file##*/engine-}
            engine_port=${engine_port%.pid}
        fi
    done
    for port in "${PORTS[@]}"; do
        if our_redis_pid "$port" >/dev/null; then
            running=$((running + 1))
        fi
    done
    if [[ -n $engine_port ]] && ((running == NODES)); then
        load_secrets
        say "Already up: $NODES Redis nodes and the engine on port $engine_port (readiness: $(ready_status "$engine_port"))."
        print_summary "$engine_port"
        return 0
    fi

    # Refuse before starting anything when a port this script needs is in use by something else.
    for port in "${PORTS[@]}"; do
        our_redis_pid "$port" >/dev/null && continue
        ! port_taken "$port" || die "port $port is taken by another process; choose another --base-port"
        ! port_taken $((port + BUS_OFFSET)) ||
            die "port $((port + BUS_OFFSET)) (cluster bus of $port) is taken by another process; choose another --base-port"
    done
    ensure_jar

    printf 'BASE_PORT=%s\nMASTERS=%s\nREPLICAS=%s\n' "$BASE_PORT" "$MASTERS" "$REPLICAS" >"$DIR/cluster.env"
    if [[ ! -f $DIR/secrets.env ]]; then
        (umask 077 && printf 'WISH_ADMIN_TOKEN=%s\nWISH_TOKEN_SECRET=%s\n' "$(secret)" "$(secret)" >"$DIR/secrets.env")
    fi
    load_secrets

    for port in "${PORTS[@]}"; do
        our_redis_pid "$port" >/dev/null || start_node "$port"
    done
    say "Redis nodes up on $HOST:${PORTS[0]}-${PORTS[-1]}"
    if unformed; then
        form_cluster
    fi
    await_cluster_ready
    say "Cluster ready: every node cluster_state:ok, all $SLOTS slots served, replicas in sync"

    if [[ -n $engine_port ]]; then
        say "The engine already runs on port $engine_port"
    else
        start_engine
        engine_port=$ENGINE_PORT
    fi
    print_summary "$engine_port"
}

# ---------------------------------------------------------------- down

stop_redis() {
    local port=$1 pid
    pid=$(our_redis_pid "$port") || return 0
    # Plain SHUTDOWN: Redis flushes its append-only file and exits.
    rcli "$port" shutdown >/dev/null || true
    if ! wait_exit "$pid" 15; then
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_exit "$pid" 10; then
            echo "redis-server $port (pid $pid) ignored SHUTDOWN and SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            wait_exit "$pid" 5 || die "redis-server pid $pid would not exit"
        fi
    fi
    rm -f "$DIR/redis-$port/redis.pid"
    say "Stopped redis-server $port"
}

cmd_down() {
    load_layout
    local file pid port
    for file in "$DIR"/engine-*.pid; do
        [[ -f $file ]] || continue
        if pid=$(our_engine_pid "$file"); then
            kill -TERM "$pid" 2>/dev/null || true
            if ! wait_exit "$pid" "$STOP_SECONDS"; then
                echo "the engine (pid $pid) did not stop within ${STOP_SECONDS}s of SIGTERM; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
                wait_exit "$pid" 5 || die "engine pid $pid would not exit"
            fi
            say "Stopped the engine (pid $pid)"
        fi
        rm -f "$file"
    done
    # Replicas first, so that no master waits for a replica to catch up and no replica fails over.
    local -a masters=()
    for port in "${PORTS[@]}"; do
        if [[ $(rcli "$port" role | head -n 1) == master ]]; then
            masters+=("$port")
        else
            stop_redis "$port"
        fi
    done
    for port in "${masters[@]}"; do
        stop_redis "$port"
    done
    if $PURGE; then
        for port in "${PORTS[@]}"; do
            rm -rf "${DIR:?}/redis-$port"
        done
        rm -f "$DIR"/engine-*.log "$DIR/secrets.env" "$DIR/cluster.env" "$DIR/cluster-create.log"
        rmdir "$DIR" 2>/dev/null || true
        say "Deleted the cluster's data in $DIR"
    else
        say "Data kept in $DIR (cluster.sh up --dir $DIR starts it again; down --purge deletes it)"
    fi
}

# ---------------------------------------------------------------- status

cmd_status() {
    need_tools
    load_layout
    local port line nodes="" role slots state pid
    local -A line_of=() port_of=()
    local -a fields
    for port in "${PORTS[@]}"; do
        nodes=$(rcli "$port" cluster nodes) || true
        if [[ -n $nodes ]]; then
            break
        fi
    done
    while IFS= read -r line; do
        [[ -n $line ]] || continue
        read -r -a fields <<<"$line"
        local address=${fields[1]%%@*}
        port_of[${fields[0]}]=${address##*:}
        line_of[${address##*:}]=$line
    done <<<"$nodes"

    say "Redis Cluster in $DIR ($MASTERS masters x $REPLICAS replicas, ports ${PORTS[0]}-${PORTS[-1]})"
    printf '  %-6s %-8s %-6s %s\n' PORT ROLE ALIVE SLOTS
    for port in "${PORTS[@]}"; do
        role=unknown slots="" state=no
        if [[ $(rcli "$port" ping) == PONG ]]; then
            state=yes
        fi
        if [[ -n ${line_of[$port]:-} ]]; then
            read -r -a fields <<<"${line_of[$port]}"
            case ,${fields[2]}, in
                *,master,*) role=master; slots=${fields[*]:8} ;;
                *,slave,*) role=replica; slots="(replica of ${port_of[${fields[3]}]:-${fields[3]}})" ;;
            esac
            if [[ ,${fields[2]}, == *,fail,* || ,${fields[2]}, == *,fail\?,* ]]; then
                state="$state (cluster: ${fields[2]})"
            fi
        fi
        printf '  %-6s %-8s %-6s %s\n' "$port" "$role" "$state" "${slots:--}"
    done

    say "Engines"
    local file engine_port found=false
    for file in "$DIR"/engine-*.pid; do
        [[ -f $file ]] || continue
        engine_port=${file##*/engine-}
        engine_port=${engine_port%.pid}
        if pid=$(our_engine_pid "$file"); then
            found=true
            local code
            code=$(ready_status "$engine_port")
            printf '  %s  http://%s:%s/  pid %s  %s\n' "$NODE_ID" "$HOST" "$engine_port" "$pid" \
                "$([[ $code == 200 ]] && echo ready || echo "not ready (/health/ready: ${code:-no answer})")"
        else
            printf '  engine on port %s: not running (stale %s)\n' "$engine_port" "$file"
        fi
    done
    $found || say "  none running"

    local -a lease=()
    local first_master
    first_master=$(master_ports | head -n 1) || true
    if [[ -n $first_master ]]; then
        mapfile -t lease < <(rcli "$first_master" -c hgetall wish:writer)
        say "Writer lease (wish:writer): $(pairs "${lease[@]}")"
    fi

    say "Campaigns (id, its slot's master, owner record wish:{id}:owner)"
    local key id count=0 slot
    local -a owner
    for port in $(master_ports); do
        while IFS= read -r key; do
            [[ -n $key ]] || continue
            id=${key#wish:\{}
            id=${id%\}:campaign}
            slot=$(rcli "$port" cluster keyslot "$key")
            mapfile -t owner < <(rcli "$port" -c hgetall "wish:{$id}:owner")
            printf '  %-24s slot %-5s on %-5s owner: %s\n' "$id" "$slot" "$port" "$(pairs "${owner[@]}")"
            count=$((count + 1))
        done < <(rcli "$port" -c --scan --pattern 'wish:{*}:campaign')
    done
    ((count > 0)) || say "  none"
}

# "k1=v1 k2=v2" from HGETALL's alternating lines; "none" for an empty hash.
pairs() {
    local out="" i
    local -a items=("$@")
    for ((i = 0; i + 1 < ${#items[@]}; i += 2)); do
        out+="${out:+ }${items[i]}=${items[i + 1]}"
    done
    echo "${out:-none}"
}

case $COMMAND in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    -h | --help | help) usage 0 ;;
    *) echo "cluster.sh: unknown command $COMMAND" >&2; usage 2 ;;
esac
