#!/usr/bin/env bash
# Tail latency against the ceiling: the engine and the ceiling server alternated, in pairs, under
# the same open loop at each rate (latency from the intended send time), and the medians of the
# pairs' p99 and p99.9 compared with the targets: engine p99 <= 1.5x the ceiling's, p99.9 <= 2x.
#   bench/scripts/tail.sh [--pairs 3] [--rates 10000,30000]
# Run from anywhere after `mvn -B -q -DskipTests package`, with nothing else running on the machine:
# the load generator shares the cores with the server it drives. Each run gets a fresh engine (its
# own Redis, a fresh data directory) or ceiling. Environment: WARMUP (20s), MEASURE (15s),
# CONNECTIONS (64), SERVER_JVM (-XX:+UseParallelGC -XX:MaxTenuringThreshold=0, both servers), SERVER_JAVA (the java that runs
# both servers, e.g. a JDK 25's bin/java), OUT (a directory to keep the runs' output; default a
# temporary one). Each server runs with a safepoint log, and each run's pauses are set beside its
# latency per second (wish-load.jar attribute): RUN.attribution.txt in OUT, one line of it printed.
# Each run also prints how busy the whole machine was in the measured window and the share the
# hypervisor took for others (steal, from /proc/stat): a server that needs more CPU per request leaves
# less idle time to absorb a burst, and a window with steal was disturbed from outside; the load
# generator's own collections in the window (its
# pauses delay requests and count against the server); and, for the engine, its own split of a
# claim's time (wish_claim_stage_seconds).
# A run whose measured window had more steal than MAX_STEAL per cent (default 3) measured the
# neighbours, not the server: it is run again, up to RETRIES times (default 2), and a pair with a
# run still disturbed after that is left out of the medians (the summary says how many pairs
# counted; with none it judges nothing rather than compare a disturbed ceiling with the engine).
# For a smoke test of the script itself:
#   WARMUP=1s MEASURE=2s bench/scripts/tail.sh --pairs 1 --rates 500
set -u
PAIRS=3 RATES=10000,30000
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) PAIRS=$2; shift 2 ;;
    --rates) RATES=$2; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    *) echo "tail: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$PAIRS" =~ ^[1-9][0-9]*$ && "$RATES" =~ ^[0-9]+(,[0-9]+)*$ ]] \
  || { echo "tail: --pairs takes a positive number, --rates numbers separated by commas" >&2; exit 2; }
WARMUP=${WARMUP:-20s} MEASURE=${MEASURE:-15s} CONNECTIONS=${CONNECTIONS:-64}
MAX_STEAL=${MAX_STEAL:-3} RETRIES=${RETRIES:-2}
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM, LOAD_JVM
SERVER_JVM=${SERVER_JVM:-$RECOMMENDED_JVM}
SERVER_JAVA=${SERVER_JAVA:-java}
cd "$(dirname "$0")/../.."
need_jars tail # ENGINE, LOAD
WORK=$(mktemp -d)
RUNS=${OUT:-$WORK}
mkdir -p "$RUNS"
SERVER=""
stop_server() {
  [ -n "$SERVER" ] || return 0
  kill "$SERVER" 2> /dev/null
  for _ in $(seq 300); do kill -0 "$SERVER" 2> /dev/null || break; sleep 0.1; done
  kill -9 "$SERVER" 2> /dev/null; SERVER=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
SECRETS="--admin-token ADMIN --token-secret SECRET"
THROUGHPUT="--wishes 1000 --quantity 3000 --per-user-limit 1000 --users 100000"

start() { # engine|ceiling log safepoint-log: starts it on a free port, sets SERVER and PORT
  local pauses="-Xlog:safepoint:file=$3:utctime"
  if [ "$1" = engine ]; then
    rm -rf "$WORK/data"
    $SERVER_JAVA $SERVER_JVM "$pauses" -jar $ENGINE --port 0 --host 127.0.0.1 --data-dir "$WORK/data" $SECRETS > "$2" 2>&1 &
  else
    $SERVER_JAVA $SERVER_JVM "$pauses" -jar $LOAD ceiling --port 0 --host 127.0.0.1 > "$2" 2>&1 &
  fi
  SERVER=$! PORT=""
  for _ in $(seq 600); do
    PORT=$(grep -oP 'listening on http://[^:]+:\K[0-9]+' "$2" | head -1)
    [ -n "$PORT" ] && { [ "$1" = ceiling ] || curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null; } && return 0
    kill -0 $SERVER 2> /dev/null || break
    sleep 0.1
  done
  echo "tail: the $1 did not start; see $2" >&2; exit 1
}
run() { # engine|ceiling rate pair: prints "p99 p99.9 steal" (ms, ms, per cent; steal -1 if unknown)
  local log="$RUNS/$1-$2-$3"
  start "$1" "$log.server.log" "$log.safepoint.log"
  local per_second="--interval 1s --interval-csv $log.latency.csv"
  if [ "$1" = engine ]; then
    java $LOAD_JVM -jar $LOAD grab --url "http://127.0.0.1:$PORT" $SECRETS $THROUGHPUT --connections $CONNECTIONS --rate "$2" \
      --warmup "$WARMUP" --duration "$MEASURE" $per_second > "$log.grab.log" 2>&1
  else
    java $LOAD_JVM -jar $LOAD grab --ceiling --url "http://127.0.0.1:$PORT" --wishes 1000 --users 100000 \
      --connections $CONNECTIONS --rate "$2" --warmup "$WARMUP" --duration "$MEASURE" $per_second > "$log.grab.log" 2>&1
  fi
  local rc=$?
  stop_server
  local line; line=$(grep -m1 '^latency' "$log.grab.log")
  [ -n "$line" ] || { echo "tail: the $1 run at $2/s reported no latency (grab exit $rc); see $log.grab.log" >&2; exit 1; }
  echo "$1 $2/s pair $3: $(grep -m1 '^requests/s' "$log.grab.log" | tr -s ' ') | $line | grab exit $rc" >&2
  if java -jar $LOAD attribute --intervals "$log.latency.csv" --safepoints "$log.safepoint.log" \
      > "$log.attribution.txt" 2>&1; then
    echo "  $(grep -m1 '^pauses' "$log.attribution.txt"); $(grep -m1 '^requests that' "$log.attribution.txt" | cut -d'(' -f1)" >&2
  fi
  grep -m1 "^machine CPU" "$log.grab.log" | sed 's/^/  /' >&2
  grep -m1 "^load generator's own" "$log.grab.log" | sed 's/^/  /' >&2
  grep -m1 "^engine's own split" "$log.grab.log" | sed 's/^/  /' >&2
  grep -m1 "^open loop:" "$log.grab.log" | sed 's/^/  /' >&2
  echo "$line" | grep -oP 'p99 \K[0-9.]+' | head -1 | tr '\n' ' '
  echo "$line" | grep -oP 'p99\.9 \K[0-9.]+' | head -1 | tr '\n' ' '
  local steal; steal=$(grep -m1 "^machine CPU" "$log.grab.log" | grep -oP '[0-9.]+(?=% steal)')
  echo "${steal:--1}"
}
disturbed() { awk -v s="$1" -v max="$MAX_STEAL" 'BEGIN { exit !(s > max) }'; }
measured() { # engine|ceiling rate pair: runs until undisturbed or out of retries; prints "p99 p99.9 ok|disturbed"
  local a b steal try
  for try in $(seq 0 "$RETRIES"); do
    [ "$try" -gt 0 ] && echo "  (steal $steal% > $MAX_STEAL%: the $1 run is repeated, try $((try + 1)))" >&2
    read -r a b steal <<< "$(run "$1" "$2" "$3")"
    disturbed "$steal" || { echo "$a $b ok"; return; }
  done
  echo "$a $b disturbed"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== tail latency: $PAIRS pair(s) per rate, $CONNECTIONS connections, open loop, $WARMUP warm-up, $MEASURE measured"
SUMMARY=""
for rate in ${RATES//,/ }; do
  E99="" E999="" C99="" C999="" COUNTED=0
  for pair in $(seq "$PAIRS"); do
    read -r a b e_ok <<< "$(measured engine "$rate" "$pair")"
    read -r c d c_ok <<< "$(measured ceiling "$rate" "$pair")"
    if [ "$e_ok" = ok ] && [ "$c_ok" = ok ]; then
      E99="$E99 $a" E999="$E999 $b" C99="$C99 $c" C999="$C999 $d" COUNTED=$((COUNTED + 1))
    else
      echo "  pair $pair at $rate/s left out: a run still had more than $MAX_STEAL% steal after $RETRIES retries" >&2
    fi
  done
  if [ "$COUNTED" -eq 0 ]; then
    SUMMARY="${SUMMARY}rate $rate/s: no pair without steal above $MAX_STEAL%: nothing judged (run again when the host is quieter)
"
    continue
  fi
  SUMMARY="$SUMMARY$(awk -v r="$rate" -v e99="$(echo $E99 | median)" -v e999="$(echo $E999 | median)" \
      -v c99="$(echo $C99 | median)" -v c999="$(echo $C999 | median)" -v n="$COUNTED" -v all="$PAIRS" 'BEGIN {
    q99 = c99 > 0 ? e99 / c99 : 0; q999 = c999 > 0 ? e999 / c999 : 0
    printf "rate %d/s (%d of %d pairs undisturbed): engine p99 %.2f ms, p99.9 %.2f ms | ceiling p99 %.2f ms, p99.9 %.2f ms | p99 %.2fx (target <= 1.5x: %s), p99.9 %.2fx (target <= 2x: %s)\n", \
      r, n, all, e99, e999, c99, c999, q99, (q99 <= 1.5 ? "met" : "MISSED"), q999, (q999 <= 2 ? "met" : "MISSED") }')
"
done
echo "== medians of the pairs"
printf "%s" "$SUMMARY"
