#!/usr/bin/env bash
# A local Redis Cluster plus N wish engine nodes on it, in one command.
#
#   engine/scripts/cluster.sh up     [--dir DIR] [--base-port P] [--masters 3] [--replicas 1]
#                                    [--min-replica-acks 1] [--nodes 3] [--engine-port 8081]
#   engine/scripts/cluster.sh status [--dir DIR]
#   engine/scripts/cluster.sh down   [--dir DIR] [--purge]
#
# `up` starts masters x (1 + replicas) redis-server processes on 127.0.0.1, ports P.. (each with
# its cluster bus on port + 10000), forms the cluster and waits until it is ready,
# then starts N engine nodes (engine/target/wish-engine.jar, or $WISH_ENGINE_JAR) in the
# background: node n1 on the engine port, n2 on the next port, and so on, each with
# --redis-cluster, its --node-id and --advertise-url, and the same admin token and token secret;
# it waits until every node is ready and listed in the registry. Any node answers any request.
# Everything lives in DIR (default ./cluster-data): redis-<port>/ per Redis node, secrets.env
# (admin token and user-token secret, reused by the next `up`), engine-<id>.log/.pid per engine.
# `up` again starts only what is missing (a node that was stopped or killed, say).
# `status` shows the Redis nodes, each engine node and which node serves which campaign.
# `down` stops every engine, then every redis-server it started, and keeps the data unless --purge.
#
# Needs curl, java, coreutils and the engine jar; runs Debian's redis-server and redis-cli when both
# are on the PATH, else the jar's stand-ins (its embedded redis-server, `redis`, `cluster-create`).
# Extra JVM options for the engines can be given in $JAVA_OPTS.
set -euo pipefail

readonly HOST=127.0.0.1
readonly BUS_OFFSET=10000
readonly SLOTS=16384
readonly NODE_TIMEOUT_MS=1000
readonly CLUSTER_READY_SECONDS=60
readonly ENGINE_READY_SECONDS=120
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
ENGINES=3
ENGINE_PORT=8081
PURGE=false
LAYOUT_GIVEN=false
ENGINES_GIVEN=false
ENGINE_PORT_GIVEN=false
STORED_ENGINES=
STORED_ENGINE_PORT=
while (($#)); do
    case $1 in
        --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
        --base-port) BASE_PORT=${2:?--base-port needs a value}; LAYOUT_GIVEN=true; shift 2 ;;
        --masters) MASTERS=${2:?--masters needs a value}; LAYOUT_GIVEN=true; shift 2 ;;
        --replicas) REPLICAS=${2:?--replicas needs a value}; LAYOUT_GIVEN=true; shift 2 ;;
        --min-replica-acks) MIN_ACKS=${2:?--min-replica-acks needs a value}; shift 2 ;;
        --nodes) ENGINES=${2:?--nodes needs a value}; ENGINES_GIVEN=true; shift 2 ;;
        --engine-port) ENGINE_PORT=${2:?--engine-port needs a value}; ENGINE_PORT_GIVEN=true; shift 2 ;;
        --purge) PURGE=true; shift ;;
        -h | --help) usage 0 ;;
        *) echo "cluster.sh: unknown option $1" >&2; usage 2 ;;
    esac
done
for number in "$BASE_PORT" "$MASTERS" "$REPLICAS" "$ENGINES" "$ENGINE_PORT" "${MIN_ACKS:-0}"; do
    [[ $number =~ ^[0-9]+$ ]] || die "not a number: $number"
done

# ---------------------------------------------------------------- helpers

# Debian's redis-server and redis-cli when both are on the PATH; else the engine jar's stand-ins
# (JAR_TOOLS=true): `redis-server-path` (the embedded binary, extracted into DIR/bin), `redis` for
# redis-cli and `cluster-create` for redis-cli --cluster create.
JAR_TOOLS=false
POLL_SECONDS=0.1
choose_tools() {
    local tool
    for tool in curl java; do
        command -v "$tool" >/dev/null || die "$tool is needed but not on the PATH"
    done
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
        JAR_TOOLS=true
        # Every jar call starts a JVM (about a second): loops poll less often and call it as few
        # times as they can (see form_cluster, stop_redis and cmd_down).
        POLL_SECONDS=0.5
        ensure_jar
    fi
}

# The jar's tools start faster with the client compiler and serial GC; they live for one command.
jar_tool() {
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" "$@"
}

# Sets REDIS_SERVER, the binary start_node runs: Debian's, or the one the engine jar runs (see
# choose_tools), asked once per up since the jar extracts its embedded binary anew on each call.
REDIS_SERVER=redis-server
choose_redis_server() {
    if $JAR_TOOLS; then
        REDIS_SERVER=$(jar_tool redis-server-path --dir "$DIR/bin") || die "the engine jar found no redis-server"
    fi
}

# redis-cli on one local node, bounded so that a hung node cannot hang the script (the jar's
# stand-in has its own 2 s connect and 5 s reply timeouts; the bound leaves room for JVM start-up).
rcli() {
    local port=$1
    shift
    if $JAR_TOOLS; then
        timeout 30 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" redis -h "$HOST" -p "$port" "$@" \
            2>/dev/null | tr -d '\r'
    else
        timeout 5 redis-cli -h "$HOST" -p "$port" "$@" 2>/dev/null | tr -d '\r'
    fi
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

# The INFO (server and replication sections, among others) of the redis-server this script
# started on PORT, if it runs and answers on PORT: one call tells both its pid and its role.
our_redis_info() {
    local port=$1 file="$DIR/redis-$1/redis.pid" pid info
    [[ -f $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    alive "$pid" || return 1
    info=$(rcli "$port" info) || return 1
    [[ $info == *"process_id:$pid"$'\n'* ]] || return 1
    echo "$info"
}

# The pid of the redis-server this script started on PORT, if it runs and answers on PORT.
our_redis_pid() {
    local info
    info=$(our_redis_info "$1") || return 1
    info_field "$info" process_id
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
            ENGINES) STORED_ENGINES=$value ;;
            ENGINE_PORT) STORED_ENGINE_PORT=$value ;;
        esac
    done <"$DIR/cluster.env"
    set_ports
    $ENGINES_GIVEN || ENGINES=${STORED_ENGINES:-$ENGINES}
    $ENGINE_PORT_GIVEN || ENGINE_PORT=${STORED_ENGINE_PORT:-$ENGINE_PORT}
    set_engines
}

save_layout() {
    printf 'BASE_PORT=%s\nMASTERS=%s\nREPLICAS=%s\nENGINES=%s\nENGINE_PORT=%s\n' \
        "$BASE_PORT" "$MASTERS" "$REPLICAS" "$ENGINES" "$ENGINE_PORT" >"$DIR/cluster.env"
}

# Engine node i (0-based) is ENGINE_IDS[i] = n<i+1> on ENGINE_PORTS[i] = the engine port + i.
set_engines() {
    ENGINE_IDS=()
    ENGINE_PORTS=()
    local i
    for ((i = 0; i < ENGINES; i++)); do
        ENGINE_IDS+=("n$((i + 1))")
        ENGINE_PORTS+=($((ENGINE_PORT + i)))
    done
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

# Why the engine on PORT is not ready, from the "reason" of its /health/ready answer.
not_ready_reason() {
    local body reason
    body=$(curl -s --max-time 2 "http://$HOST:$1/health/ready" 2>/dev/null) || true
    [[ -n $body ]] || { echo "no answer"; return; }
    reason=${body#*\"reason\":\"}
    [[ $reason != "$body" ]] || { echo "${body:0:120}"; return; }
    echo "${reason%%\"*}"
}

# redis-cli -c on the first Redis node that answers (it follows MOVED to the key's master).
rcli_any() {
    local port out
    for port in "${PORTS[@]}"; do
        if $JAR_TOOLS; then
            out=$(rcli "$port" -c "$@") && { echo "$out"; return 0; }
        elif out=$(timeout 5 redis-cli -c -h "$HOST" -p "$port" "$@" 2>/dev/null); then
            tr -d '\r' <<<"$out"
            return 0
        fi
    done
    return 1
}

# One line per registered engine node: "<id> <url> <ms left>" (ms left <= 0: its heartbeat ran
# out), judged by the clock of the Redis node that holds the registry, as the engines judge it.
registry_nodes() {
    local -a reply
    local now i value
    mapfile -t reply < <(rcli_any eval "local t = redis.call('TIME')
        local r = redis.call('HGETALL', KEYS[1])
        table.insert(r, 1, tostring(t[1] * 1000 + math.floor(t[2] / 1000)))
        return r" 1 '{wish}:nodes') || return 0
    ((${#reply[@]} > 0)) || return 0
    now=${reply[0]}
    [[ $now =~ ^[0-9]+$ ]] || return 0
    for ((i = 1; i + 1 < ${#reply[@]}; i += 2)); do
        value=${reply[i + 1]}
        echo "${reply[i]} ${value% *} $((${value##* } - now))"
    done
}

# ---------------------------------------------------------------- up

start_node() {
    local port=$1 node_dir="$DIR/redis-$1" deadline
    mkdir -p "$node_dir"
    rm -f "$node_dir/redis.pid"
    "$REDIS_SERVER" --port "$port" --bind "$HOST" --dir "$node_dir" \
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
        sleep "$POLL_SECONDS" # poll interval of a bounded wait
    done
}

# True when every node is a lone, empty cluster node: nothing formed yet. With the jar's tools only
# the first node is asked (a JVM per call); cluster-create refuses should another not be empty.
unformed() {
    local port info
    local -a asked=("${PORTS[@]}")
    if $JAR_TOOLS; then
        asked=("${PORTS[0]}")
    fi
    for port in "${asked[@]}"; do
        info=$(rcli "$port" cluster info) || return 1
        [[ $info == *cluster_known_nodes:1$'\n'* && $info == *cluster_slots_assigned:0$'\n'* ]] || return 1
    done
}

FORMED_NOW=false
form_cluster() {
    local -a addresses=()
    local port
    for port in "${PORTS[@]}"; do
        addresses+=("$HOST:$port")
    done
    say "Forming the cluster: $MASTERS masters, $REPLICAS replica(s) each"
    if $JAR_TOOLS; then
        # cluster-create waits itself until every node is cluster_state:ok and every replica in sync.
        if ! timeout 90 java -jar "$JAR" cluster-create --replicas "$REPLICAS" --timeout 60 "${addresses[@]}" \
            >"$DIR/cluster-create.log" 2>&1 </dev/null; then
            tail -n 20 "$DIR/cluster-create.log" >&2 || true
            die "java -jar $JAR cluster-create failed (log: $DIR/cluster-create.log)"
        fi
        FORMED_NOW=true
        return 0
    fi
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
        sleep "$POLL_SECONDS" # poll interval of a bounded wait
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

# Seeds for the engines: every live master.
engine_seeds() {
    local seeds="" port
    for port in $(master_ports); do
        seeds+="${seeds:+,}redis://$HOST:$port"
    done
    [[ -n $seeds ]] || die "no live Redis master to give the engines"
    echo "$seeds"
}

# Starts engine node I (0-based index) in the background and writes its pid file.
start_engine() {
    local i=$1 seeds=$2 id=${ENGINE_IDS[$1]} port=${ENGINE_PORTS[$1]}
    local log="$DIR/engine-${ENGINE_IDS[$1]}.log"
    say "Starting engine node $id on port $port (log: $log)"
    # The tokens go in the environment, not on the command line, where ps would show them.
    (
        cd "$DIR"
        export WISH_ADMIN_TOKEN WISH_TOKEN_SECRET
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
        exec nohup java ${JAVA_OPTS:-} -jar "$JAR" --redis-cluster "$seeds" --min-replica-acks "$MIN_ACKS" \
            --node-id "$id" --advertise-url "http://$HOST:$port" --host "$HOST" --port "$port" \
            </dev/null >>"$log" 2>&1
    ) &
    echo "$!" >"$DIR/engine-$id.pid"
}

# Waits until each engine node of the given indexes answers /health/ready with 200 and is listed
# in the registry; stops at the first one that exits, or when ENGINE_READY_SECONDS have passed.
await_engines() {
    local deadline=$((SECONDS + ENGINE_READY_SECONDS)) i id pid log waiting listed
    local -a pending=("$@")
    while ((${#pending[@]} > 0)); do
        listed=" $(registry_nodes | while read -r id _ left; do if ((left > 0)); then echo -n "$id "; fi; done) "
        waiting=()
        for i in "${pending[@]}"; do
            id=${ENGINE_IDS[i]}
            log="$DIR/engine-$id.log"
            if ! pid=$(our_engine_pid "$DIR/engine-$id.pid"); then
                tail -n 20 "$log" >&2 || true
                rm -f "$DIR/engine-$id.pid"
                die "engine node $id exited before it was ready (log: $log);" \
                    "the others keep running: cluster.sh status --dir $DIR, or cluster.sh down --dir $DIR"
            fi
            if [[ $(ready_status "${ENGINE_PORTS[i]}") != 200 || $listed != *" $id "* ]]; then
                waiting+=("$i")
            fi
        done
        pending=("${waiting[@]}")
        ((${#pending[@]} > 0)) || break
        if ((SECONDS >= deadline)); then
            id=${ENGINE_IDS[pending[0]]}
            tail -n 20 "$DIR/engine-$id.log" >&2 || true
            die "engine node $id was not ready and listed in the registry within ${ENGINE_READY_SECONDS}s" \
                "(/health/ready: $(not_ready_reason "${ENGINE_PORTS[pending[0]]}"); log: $DIR/engine-$id.log);" \
                "stop everything with: cluster.sh down --dir $DIR"
        fi
        $JAR_TOOLS || sleep 0.2 # poll interval of a bounded wait; a jar call takes longer by itself
    done
}

print_summary() {
    local script="$SCRIPT_DIR/cluster.sh" i label="Engine nodes:"
    say ""
    say "Redis Cluster: $MASTERS masters + $((NODES - MASTERS)) replicas on $HOST:${PORTS[0]}-${PORTS[-1]} (data in $DIR)"
    for ((i = 0; i < ENGINES; i++)); do
        printf '%-14s %-3s http://%s:%s/   log %s\n' "$label" "${ENGINE_IDS[i]}" "$HOST" "${ENGINE_PORTS[i]}" \
            "$DIR/engine-${ENGINE_IDS[i]}.log"
        label=""
    done
    say "               Any node answers any request (it forwards to the campaign's owner)."
    say "Admin token:   $WISH_ADMIN_TOKEN   (also in $DIR/secrets.env)"
    say "A user token:  java -jar $JAR token --sub alice --token-secret $WISH_TOKEN_SECRET"
    say "Status:        $script status --dir $DIR"
    say "Stop:          $script down --dir $DIR   (add --purge to delete the data)"
}

cmd_up() {
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
        set_engines
        ((BASE_PORT >= 1024 && PORTS[-1] + BUS_OFFSET <= 65535)) ||
            die "ports ${PORTS[0]}..${PORTS[-1]} and their bus ports (+$BUS_OFFSET) must lie within 1024..65535"
    fi
    ((ENGINES >= 1)) || die "--nodes must be at least 1"
    ((ENGINE_PORT >= 1024 && ENGINE_PORTS[-1] <= 65535)) ||
        die "engine ports ${ENGINE_PORTS[0]}..${ENGINE_PORTS[-1]} must lie within 1024..65535"
    local port
    for port in "${ENGINE_PORTS[@]}"; do
        if ((port >= PORTS[0] && port <= PORTS[-1])) ||
            ((port >= PORTS[0] + BUS_OFFSET && port <= PORTS[-1] + BUS_OFFSET)); then
            die "engine port $port collides with the Redis nodes' ports ${PORTS[0]}..${PORTS[-1]} or their bus ports;" \
                "choose another --engine-port"
        fi
    done
    MIN_ACKS=${MIN_ACKS:-$((REPLICAS < 1 ? REPLICAS : 1))}
    ((MIN_ACKS <= REPLICAS)) || die "--min-replica-acks $MIN_ACKS cannot be met with $REPLICAS replica(s) per master"

    # Which engine nodes run already. One started with another --nodes or --engine-port (or by an
    # older version of this script) must be stopped first: two layouts would share node ids.
    local file pid i running=0 changed=false
    local -a missing=()
    local -A wanted=()
    if [[ -n ${STORED_ENGINES:-} && $STORED_ENGINES/$STORED_ENGINE_PORT != "$ENGINES/$ENGINE_PORT" ]]; then
        changed=true
    fi
    for ((i = 0; i < ENGINES; i++)); do
        wanted[$DIR/engine-${ENGINE_IDS[i]}.pid]=1
    done
    for file in "$DIR"/engine-*.pid; do
        [[ -f $file ]] || continue
        if pid=$(our_engine_pid "$file"); then
            if $changed || [[ -z ${wanted[$file]:-} ]]; then
                die "engine pid $pid ($file) runs from an earlier up that was not $ENGINES node(s) from port" \
                    "$ENGINE_PORT; stop it first: cluster.sh down --dir $DIR"
            fi
        else
            rm -f "$file" # left by an engine that is gone
        fi
    done
    for ((i = 0; i < ENGINES; i++)); do
        our_engine_pid "$DIR/engine-${ENGINE_IDS[i]}.pid" >/dev/null || missing+=("$i")
    done
    for port in "${PORTS[@]}"; do
        if our_redis_pid "$port" >/dev/null; then
            running=$((running + 1))
        fi
    done
    if ((${#missing[@]} == 0 && running == NODES)); then
        load_secrets
        say "Already up: $NODES Redis nodes and $ENGINES engine node(s) (see: cluster.sh status --dir $DIR)."
        print_summary
        return 0
    fi

    # Refuse before starting anything when a port this script needs is in use by something else.
    for port in "${PORTS[@]}"; do
        our_redis_pid "$port" >/dev/null && continue
        ! port_taken "$port" || die "port $port is taken by another process; choose another --base-port"
        ! port_taken $((port + BUS_OFFSET)) ||
            die "port $((port + BUS_OFFSET)) (cluster bus of $port) is taken by another process; choose another --base-port"
    done
    for i in "${missing[@]}"; do
        ! port_taken "${ENGINE_PORTS[i]}" ||
            die "port ${ENGINE_PORTS[i]} (engine node ${ENGINE_IDS[i]}) is taken by another process; choose another --engine-port"
    done
    ensure_jar

    save_layout
    if [[ ! -f $DIR/secrets.env ]]; then
        (umask 077 && printf 'WISH_ADMIN_TOKEN=%s\nWISH_TOKEN_SECRET=%s\n' "$(secret)" "$(secret)" >"$DIR/secrets.env")
    fi
    load_secrets

    choose_redis_server
    for port in "${PORTS[@]}"; do
        our_redis_pid "$port" >/dev/null || start_node "$port"
    done
    say "Redis nodes up on $HOST:${PORTS[0]}-${PORTS[-1]}"
    if unformed; then
        form_cluster
    fi
    # The jar's cluster-create has waited for exactly this already; asking again costs a JVM per check.
    $JAR_TOOLS && $FORMED_NOW || await_cluster_ready
    say "Cluster ready: every node cluster_state:ok, all $SLOTS slots served, replicas in sync"

    for ((i = 0; i < ENGINES; i++)); do
        if pid=$(our_engine_pid "$DIR/engine-${ENGINE_IDS[i]}.pid"); then
            if [[ $(ready_status "${ENGINE_PORTS[i]}") == 200 ]]; then
                say "Engine node ${ENGINE_IDS[i]} already runs (pid $pid)"
            else
                say "Engine node ${ENGINE_IDS[i]} runs (pid $pid) but is not ready:" \
                    "$(not_ready_reason "${ENGINE_PORTS[i]}"). A fenced node must be restarted:" \
                    "kill $pid, then cluster.sh up --dir $DIR"
            fi
        fi
    done
    if ((${#missing[@]} > 0)); then
        local seeds
        seeds=$(engine_seeds)
        for i in "${missing[@]}"; do
            start_engine "$i" "$seeds"
        done
        await_engines "${missing[@]}"
        local started=""
        for i in "${missing[@]}"; do
            started+="${started:+ }${ENGINE_IDS[i]}"
        done
        say "Engine nodes ready and listed in the registry: $started"
    fi
    print_summary
}

# ---------------------------------------------------------------- down

# Stops the redis-server PID that this script started on PORT (see our_redis_pid).
stop_redis() {
    local port=$1 pid=$2
    if $JAR_TOOLS; then
        # SIGTERM does what SHUTDOWN does (flush the append-only file, exit) without a JVM start.
        kill -TERM "$pid" 2>/dev/null || true
    else
        # Plain SHUTDOWN: Redis flushes its append-only file and exits.
        rcli "$port" shutdown >/dev/null || true
    fi
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
    local file pid port name
    local -a pids=() names=() files=()
    # Every engine at once (each drains its ring and releases its leases), then wait for each.
    for file in "$DIR"/engine-*.pid; do
        [[ -f $file ]] || continue
        if pid=$(our_engine_pid "$file"); then
            kill -TERM "$pid" 2>/dev/null || true
            name=${file##*/engine-}
            pids+=("$pid")
            names+=("${name%.pid}")
        fi
        files+=("$file")
    done
    local i
    for ((i = 0; i < ${#pids[@]}; i++)); do
        pid=${pids[i]}
        if ! wait_exit "$pid" "$STOP_SECONDS"; then
            echo "engine ${names[i]} (pid $pid) did not stop within ${STOP_SECONDS}s of SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            wait_exit "$pid" 5 || die "engine pid $pid would not exit"
        fi
        say "Stopped engine ${names[i]} (pid $pid)"
    done
    ((${#files[@]} == 0)) || rm -f "${files[@]}"
    # Replicas first, so that no master waits for a replica to catch up and no replica fails over.
    local -a masters=() master_pids=()
    local info
    for port in "${PORTS[@]}"; do
        info=$(our_redis_info "$port") || continue
        pid=$(info_field "$info" process_id)
        if [[ $(info_field "$info" role) == master ]]; then
            masters+=("$port")
            master_pids+=("$pid")
        else
            stop_redis "$port" "$pid"
        fi
    done
    for ((i = 0; i < ${#masters[@]}; i++)); do
        stop_redis "${masters[i]}" "${master_pids[i]}"
    done
    if $PURGE; then
        for port in "${PORTS[@]}"; do
            rm -rf "${DIR:?}/redis-$port"
        done
        rm -rf "${DIR:?}/bin"
        rm -f "$DIR"/engine-*.log "$DIR/secrets.env" "$DIR/cluster.env" "$DIR/cluster-create.log"
        rmdir "$DIR" 2>/dev/null || true
        say "Deleted the cluster's data in $DIR"
    else
        say "Data kept in $DIR (cluster.sh up --dir $DIR starts it again; down --purge deletes it)"
    fi
}

# ---------------------------------------------------------------- status

readonly MAX_LISTED_CAMPAIGNS=200

print_redis_nodes() {
    local port line nodes="" role slots state
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
}

# A campaign's lease record wish:{id}:owner as "<node> <epoch> <ms left>" (ms left <= 0: run
# out or released), judged by the clock of the Redis master that holds it; nothing if none.
campaign_lease() {
    local -a reply
    mapfile -t reply < <(rcli_any eval "local t = redis.call('TIME')
        local r = redis.call('HMGET', KEYS[1], 'node', 'epoch', 'until')
        return {tostring(t[1] * 1000 + math.floor(t[2] / 1000)), r[1] or '', r[2] or '', r[3] or ''}" \
        1 "wish:{$1}:owner") || return 0
    ((${#reply[@]} == 4)) && [[ ${reply[0]} =~ ^[0-9]+$ && -n ${reply[1]} && ${reply[3]} =~ ^[0-9]+$ ]] || return 0
    echo "${reply[1]} ${reply[2]} $((reply[3] - reply[0]))"
}

cmd_status() {
    load_layout
    print_redis_nodes

    # The registry: live engine nodes and the owner hint of every campaign.
    local id url left hint line i
    local -A node_url=() node_left=() hint_of=() serving=()
    while read -r id url left; do
        [[ -n $id ]] || continue
        node_url[$id]=$url
        node_left[$id]=$left
    done < <(registry_nodes)
    local -a registry=() campaign_ids=()
    mapfile -t registry < <(rcli_any hgetall '{wish}:campaigns' || true)
    for ((i = 0; i + 1 < ${#registry[@]}; i += 2)); do
        hint_of[${registry[i]}]=${registry[i + 1]}
        [[ -z ${registry[i + 1]} ]] || serving[${registry[i + 1]}]=$((${serving[${registry[i + 1]}]:-0} + 1))
    done
    if ((${#hint_of[@]} > 0)); then
        mapfile -t campaign_ids < <(printf '%s\n' "${!hint_of[@]}" | sort -V)
    fi

    say "Engine nodes ($ENGINES from port $ENGINE_PORT; registry {wish}:nodes, campaigns by owner hint)"
    printf '  %-6s %-26s %-9s %-20s %-10s %s\n' ID URL PID REGISTRY CAMPAIGNS STATE
    local pid state registered
    local -A ours=()
    for ((i = 0; i < ENGINES; i++)); do
        id=${ENGINE_IDS[i]}
        ours[$id]=1
        if pid=$(our_engine_pid "$DIR/engine-$id.pid"); then
            if [[ $(ready_status "${ENGINE_PORTS[i]}") == 200 ]]; then
                state=ready
            else
                state="not ready: $(not_ready_reason "${ENGINE_PORTS[i]}")"
            fi
        else
            pid=- state="not running"
        fi
        registered=absent
        if [[ -n ${node_left[$id]:-} ]]; then
            if ((node_left[$id] > 0)); then
                registered="listed"
            else
                registered="heartbeat ran out"
            fi
        fi
        printf '  %-6s %-26s %-9s %-20s %-10s %s\n' "$id" "http://$HOST:${ENGINE_PORTS[i]}/" "$pid" "$registered" \
            "${serving[$id]:-0}" "$state"
    done
    for id in "${!node_url[@]}"; do
        [[ -z ${ours[$id]:-} ]] || continue
        printf '  %-6s %-26s %-9s %-20s %-10s %s\n' "$id" "${node_url[$id]}/" - \
            "$( ((node_left[$id] > 0)) && echo listed || echo 'heartbeat ran out')" "${serving[$id]:-0}" \
            "(not started by this script)"
    done

    say "Campaigns (registry {wish}:campaigns; lease wish:{id}:owner)"
    if ((${#campaign_ids[@]} == 0)); then
        say "  none"
        return 0
    fi
    printf '  %-24s %-10s %s\n' CAMPAIGN SERVED-BY LEASE
    local campaign lease holder epoch count=0
    for campaign in "${campaign_ids[@]}"; do
        if ((count >= MAX_LISTED_CAMPAIGNS)); then
            say "  ... and $((${#campaign_ids[@]} - count)) more (redis-cli -c hgetall '{wish}:campaigns')"
            break
        fi
        count=$((count + 1))
        hint=${hint_of[$campaign]}
        lease=$(campaign_lease "$campaign")
        if [[ -z $lease ]]; then
            printf '  %-24s %-10s %s\n' "$campaign" - "none yet (being placed)"
            continue
        fi
        read -r holder epoch left <<<"$lease"
        if ((left > 0)); then
            line="held by $holder, epoch $epoch, ${left} ms left"
            [[ $hint == "$holder" ]] || line+=" (owner hint: ${hint:-none})"
            printf '  %-24s %-10s %s\n' "$campaign" "$holder" "$line"
        else
            printf '  %-24s %-10s %s\n' "$campaign" - \
                "released or run out (last $holder, epoch $epoch): a live node takes it within the lease"
        fi
    done
}

case $COMMAND in
    up | down | status) choose_tools ;;
esac
case $COMMAND in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    -h | --help | help) usage 0 ;;
    *) echo "cluster.sh: unknown command $COMMAND" >&2; usage 2 ;;
esac
