#!/usr/bin/env bash
# Where the CPU goes at a given open-loop rate: the engine (its own Redis, a fresh data directory)
# under the throughput grab, and over a window after the warm-up the CPU each thread of the engine,
# its Redis and the load generator spent, in ms per second (1000 = one core), threads of one pool
# added up (digits at the end of a name become #).
#   bench/scripts/thread-cpu.sh [--rate 10000] [--warmup 20] [--measure 16]
# Run from anywhere after `mvn -B -q -DskipTests package`, with nothing else running. Environment:
# JAVA_OPTS (engine JVM; default -XX:+UseParallelGC -XX:MaxTenuringThreshold=0), CONNECTIONS (64).
# Reads /proc/PID/task/*/stat (Linux): utime + stime in clock ticks of 10 ms.
set -u
RATE=10000 WARMUP=20 MEASURE=16
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --measure) MEASURE=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    *) echo "thread-cpu: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$RATE" =~ ^[1-9][0-9]*$ && "$WARMUP" =~ ^[1-9][0-9]*$ && "$MEASURE" =~ ^[1-9][0-9]*$ ]] \
  || { echo "thread-cpu: --rate, --warmup and --measure take positive numbers" >&2; exit 2; }
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM, stop, await_ready
JAVA_OPTS=${JAVA_OPTS:-$RECOMMENDED_JVM} CONNECTIONS=${CONNECTIONS:-64}
cd "$(dirname "$0")/../.."
ENGINE=engine/target/wish-engine.jar LOAD=bench/target/wish-load.jar
for jar in $ENGINE $LOAD; do [ -f $jar ] || { echo "thread-cpu: $jar is missing; run mvn -B -q -DskipTests package" >&2; exit 2; }; done
WORK=$(mktemp -d) EPID="" GPID=""
trap 'kill $GPID 2> /dev/null; stop "$EPID"; rm -rf "$WORK"' EXIT
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
java $JAVA_OPTS -jar $ENGINE --port 0 --host 127.0.0.1 --data-dir "$WORK/data" --admin-token ADMIN \
  --token-secret SECRET > "$WORK/engine.log" 2>&1 &
EPID=$!
await_ready "$WORK/engine.log" $EPID || { echo "thread-cpu: the engine did not start; its log:" >&2; cat "$WORK/engine.log" >&2; exit 1; }
RPID=$(awk '{print $1}' "$WORK/data/redis.pid")
java -jar $LOAD grab --url "http://127.0.0.1:$PORT" --admin-token ADMIN --token-secret SECRET --wishes 1000 \
  --quantity 3000 --per-user-limit 1000 --users 100000 --connections "$CONNECTIONS" --rate "$RATE" \
  --warmup "$((WARMUP + 2))s" --duration "$((MEASURE + 2))s" > "$WORK/grab.log" 2>&1 &
GPID=$!
snapshot() { # one line per thread: process|thread name|ticks
  local p t
  for p in $EPID $RPID $GPID; do
    for t in /proc/$p/task/*; do
      awk -v p=$p '{ s = $0; sub(/^[0-9]+ \(/, "", s); name = s; sub(/\)[^)]*$/, "", name); sub(/^.*\) /, "", s)
                     split(s, f, " "); print p "|" name "|" f[12] + f[13] }' "$t/stat" 2> /dev/null
    done
  done
}
# The window sits inside the grab's measured part: a second after the warm-up, a second before its end.
sleep $((WARMUP + 3)); snapshot > "$WORK/before"; sleep "$MEASURE"; snapshot > "$WORK/after"
wait $GPID; GPID=""
echo "== CPU per thread at $RATE requests/s, open loop, $CONNECTIONS connections, over $MEASURE s (ms of CPU per second)"
grep -E '^requests/s|^latency' "$WORK/grab.log"
awk -F'|' -v e=$EPID -v r=$RPID -v secs="$MEASURE" -v rate="$RATE" '
  NR == FNR { before[$1 "|" $2] += $3; next }
  { after[$1 "|" $2] += $3 }
  END {
    for (k in after) {
      d = after[k] - before[k]; split(k, x, "|")
      who = x[1] == e ? "engine" : x[1] == r ? "redis" : "load-generator"
      name = x[2]; gsub(/[0-9]+$/, "#", name); gsub(/ /, "_", name)
      pool[who "|" name] += d; total[who] += d
    }
    for (k in pool) if (pool[k] > 0) { split(k, x, "|"); printf "%-15s %-24s %6.0f ms/s\n", x[1], x[2], pool[k] * 10 / secs }
    for (w in total) printf "%-15s %-24s %6.0f ms/s  (%.1f us per request)\n", w, "TOTAL", total[w] * 10 / secs, total[w] * 10 / secs * 1000 / rate
  }' "$WORK/before" "$WORK/after" | sort -k1,1 -k3,3nr
