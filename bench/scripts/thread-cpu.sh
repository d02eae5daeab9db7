#!/usr/bin/env bash
# Where the CPU goes at a given open-loop rate: the engine (its own Redis, a fresh data directory)
# or, with --ceiling, the bare server, under the throughput grab, and over a window after the
# warm-up the CPU each thread of the server, its Redis and the load generator spent, in ms per
# second (1000 = one core) with the kernel's part of it, and the thread's context switches per
# request (each one a wait for work, a wake-up or a yield); threads of one pool added up (digits
# at the end of a name become #).
#   bench/scripts/thread-cpu.sh [--rate 10000] [--warmup 20] [--measure 16] [--ceiling] [--sched]
# --sched also records the scheduler over the same window (`perf sched record`, root and
# linux-perf needed) and prints, per thread, how long it waited for a core after each wake-up
# (p50, p99, max and the waits of 1 ms or more): whether threads queue for the two cores.
# Run from anywhere after `mvn -B -q -DskipTests package`, with nothing else running. Environment:
# JAVA_OPTS (server JVM; default -XX:+UseParallelGC -XX:MaxTenuringThreshold=0), CONNECTIONS (64).
# Reads /proc/PID/task/*/stat (utime, stime in clock ticks of 10 ms) and .../status (voluntary and
# involuntary context switches): Linux only.
set -u
RATE=10000 WARMUP=20 MEASURE=16 SERVER=engine SCHED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --measure) MEASURE=$2; shift 2 ;;
    --ceiling) SERVER=ceiling; shift ;;
    --sched) SCHED=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    *) echo "thread-cpu: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$RATE" =~ ^[1-9][0-9]*$ && "$WARMUP" =~ ^[1-9][0-9]*$ && "$MEASURE" =~ ^[1-9][0-9]*$ ]] \
  || { echo "thread-cpu: --rate, --warmup and --measure take positive numbers" >&2; exit 2; }
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM, stop, await_ready, await_listening
JAVA_OPTS=${JAVA_OPTS:-$RECOMMENDED_JVM} CONNECTIONS=${CONNECTIONS:-64}
cd "$(dirname "$0")/../.."
ENGINE=engine/target/wish-engine.jar LOAD=bench/target/wish-load.jar
for jar in $ENGINE $LOAD; do [ -f $jar ] || { echo "thread-cpu: $jar is missing; run mvn -B -q -DskipTests package" >&2; exit 2; }; done
WORK=$(mktemp -d) EPID="" GPID=""
trap 'kill $GPID 2> /dev/null; stop "$EPID"; rm -rf "$WORK"' EXIT
if [ $SERVER = engine ]; then
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  java $JAVA_OPTS -jar $ENGINE --port 0 --host 127.0.0.1 --data-dir "$WORK/data" --admin-token ADMIN \
    --token-secret SECRET > "$WORK/server.log" 2>&1 &
  EPID=$!
  await_ready "$WORK/server.log" $EPID || { echo "thread-cpu: the engine did not start; its log:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  RPID=$(awk '{print $1}' "$WORK/data/redis.pid")
  GRAB="--admin-token ADMIN --token-secret SECRET --quantity 3000 --per-user-limit 1000"
else
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar $LOAD ceiling --port 0 --host 127.0.0.1 > "$WORK/server.log" 2>&1 &
  EPID=$! RPID=""
  await_listening "$WORK/server.log" $EPID || { echo "thread-cpu: the ceiling did not start; its log:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  GRAB="--ceiling"
fi
# shellcheck disable=SC2086 # GRAB is a list of options
java -jar $LOAD grab --url "http://127.0.0.1:$PORT" $GRAB --wishes 1000 --users 100000 \
  --connections "$CONNECTIONS" --rate "$RATE" --warmup "$((WARMUP + 2))s" --duration "$((MEASURE + 2))s" \
  > "$WORK/grab.log" 2>&1 &
GPID=$!
snapshot() { # one line per thread: process|thread name|user ticks|kernel ticks|context switches
  local p t
  for p in $EPID $RPID $GPID; do
    for t in /proc/$p/task/*; do
      awk -v p=$p 'FNR == NR { s = $0; sub(/^[0-9]+ \(/, "", s); name = s; sub(/\)[^)]*$/, "", name)
                               sub(/^.*\) /, "", s); split(s, f, " "); next }
                   /ctxt_switches/ { cs += $2 }
                   END { if (name != "") print p "|" name "|" f[12] "|" f[13] "|" cs + 0 }' "$t/stat" "$t/status" 2> /dev/null
    done
  done
}
# The window sits inside the grab's measured part: a second after the warm-up, a second before its end.
sleep $((WARMUP + 3)); snapshot > "$WORK/before"
if [ $SCHED = 1 ] && command -v perf > /dev/null; then
  perf sched record -q -o "$WORK/sched.data" -- sleep "$MEASURE" > "$WORK/perf.log" 2>&1 || SCHED=failed
else
  [ $SCHED = 1 ] && SCHED=failed
  sleep "$MEASURE"
fi
snapshot > "$WORK/after"
LOADPID=$GPID; wait $GPID; GPID=""
echo "== CPU per thread of the $SERVER at $RATE requests/s, open loop, $CONNECTIONS connections, over $MEASURE s"
grep -E '^requests/s|^latency' "$WORK/grab.log"
printf "%-15s %-24s %8s %8s %10s\n" process thread "ms/s" kernel "switches"
awk -F'|' -v e=$EPID -v r="$RPID" -v server=$SERVER -v secs="$MEASURE" -v rate="$RATE" '
  NR == FNR { user[$1 "|" $2] -= $3; kern[$1 "|" $2] -= $4; cs[$1 "|" $2] -= $5; next }
  { user[$1 "|" $2] += $3; kern[$1 "|" $2] += $4; cs[$1 "|" $2] += $5; seen[$1 "|" $2] = 1 }
  END {
    for (k in seen) {
      split(k, x, "|")
      who = x[1] == e ? server : x[1] == r ? "redis" : "load-generator"
      name = x[2]; gsub(/[0-9]+$/, "#", name); gsub(/ /, "_", name)
      p = who "|" name; cpu[p] += user[k] + kern[k]; sys[p] += kern[k]; sw[p] += cs[k]
      t = who "|TOTAL"; cpu[t] += user[k] + kern[k]; sys[t] += kern[k]; sw[t] += cs[k]
    }
    # ms/s from 10-ms ticks; context switches per request
    for (p in cpu) if (cpu[p] > 0 || sw[p] / secs / rate >= 0.005) {
      split(p, x, "|")
      printf "%-15s %-24s %8.0f %8.0f %10.2f", x[1], x[2], cpu[p] * 10 / secs, sys[p] * 10 / secs, sw[p] / secs / rate
      if (x[2] == "TOTAL") printf "   (%.1f us of CPU per request)", cpu[p] * 10 / secs * 1000 / rate
      printf "\n"
    }
  }' "$WORK/before" "$WORK/after" | sort -k1,1 -k3,3nr
[ $SCHED = failed ] && echo "thread-cpu: no scheduler record (perf missing, or not allowed: run as root); see $WORK/perf.log" >&2
[ $SCHED = 1 ] || exit 0
echo "== waits for a core after a wake-up (perf sched timehist), over the same window"
printf "%-15s %-24s %9s %9s %9s %9s %8s\n" process thread runs "p50 ms" "p99 ms" "max ms" ">=1 ms"
# A line per time a thread left a core: ... name[tid/pid] wait sch_delay run; names may hold spaces.
perf sched timehist -i "$WORK/sched.data" 2> /dev/null | awk -v e=$EPID -v r="$RPID" -v g=$LOADPID -v server=$SERVER '
  match($0, /[^ ]\[[0-9]+(\/[0-9]+)?\]/) { # name[tid/pid], or name[pid] for the first thread of a process
    RSTART++; RLENGTH--; ids = substr($0, RSTART + 1, RLENGTH - 2); if (split(ids, x, "/") == 1) x[2] = x[1]
    who = x[2] == e ? server : x[2] == r ? "redis" : x[2] == g ? "load-generator" : ""
    if (who == "") next
    name = substr($0, 1, RSTART - 1); sub(/^ *[0-9.]+ +\[[0-9]+\] +/, "", name)
    gsub(/[0-9]+$/, "#", name); gsub(/ /, "_", name)
    print who "|" name, $(NF - 1)
  }' | sort -k1,1 -k2,2g | awk '
  function flush() {
    if (n > 0) {
      split(key, x, "|")
      printf "%-15s %-24s %9d %9.3f %9.3f %9.2f %8d\n", x[1], x[2], n, v[int(n * 0.5) + 1], v[(int(n * 0.99) + 1 > n ? n : int(n * 0.99) + 1)], v[n], slow
    }
    n = 0; slow = 0
  }
  $1 != key { flush(); key = $1 }
  { v[++n] = $2; if ($2 >= 1) slow++ }
  END { flush() }' | awk '$3 >= 100'
