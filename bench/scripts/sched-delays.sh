#!/usr/bin/env bash
# Who waits for a core: one run of the engine or the ceiling under the tail's open loop, with the
# kernel's scheduler switches recorded (perf sched) for a few seconds of its measured window, then
# each watched thread's scheduling delay (woken until running: p50, p99, p99.9, max) and, for its
# long delays, the task that held that CPU meanwhile (wish-load.jar sched). On shared cores a
# thread that waits a millisecond delays every request queued behind it, a tail that no stage of
# the engine shows (docs/performance.md, item 42).
#   bench/scripts/sched-delays.sh [--server engine|ceiling] [--rate 10000] [--seconds 5]
# Needs perf (Debian: linux-perf) and the right to trace the scheduler (root, or
# kernel.perf_event_paranoid=-1). Run after `mvn -B -q -DskipTests package`, with nothing else
# running. The recorder itself shows as a holder ("perf"), a cost both servers pay alike.
# Environment: WARMUP (20s), CONNECTIONS (64), SERVER_JVM, SERVER_JAVA (as tail.sh), OUT (a
# directory to keep the run: the server's and grab's logs, perf.data, timehist.txt, sched.txt).
set -u
SERVER_KIND=engine RATE=10000 SECONDS_RECORDED=5
while [ $# -gt 0 ]; do
  case "$1" in
    --server) SERVER_KIND=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --seconds) SECONDS_RECORDED=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    *) echo "sched-delays: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$SERVER_KIND" =~ ^(engine|ceiling)$ && "$RATE" =~ ^[1-9][0-9]*$ && "$SECONDS_RECORDED" =~ ^[1-9][0-9]*$ ]] \
  || { echo "sched-delays: --server engine|ceiling, --rate and --seconds take positive numbers" >&2; exit 2; }
command -v perf > /dev/null || { echo "sched-delays: perf is not installed (Debian: apt-get install linux-perf)" >&2; exit 2; }
PROBE=$(mktemp)
perf sched record -o "$PROBE" -- true > /dev/null 2>&1 \
  || { rm -f "$PROBE"; echo "sched-delays: perf cannot trace the scheduler here (run as root, or set kernel.perf_event_paranoid=-1)" >&2; exit 2; }
rm -f "$PROBE"
WARMUP=${WARMUP:-20s} CONNECTIONS=${CONNECTIONS:-64}
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM, LOAD_JVM, stop, await_ready, await_listening
SERVER_JVM=${SERVER_JVM:-$RECOMMENDED_JVM}
SERVER_JAVA=${SERVER_JAVA:-java}
cd "$(dirname "$0")/../.."
need_jars sched-delays # ENGINE, LOAD
WORK=$(mktemp -d)
RUN=${OUT:-$WORK}
mkdir -p "$RUN"
SERVER=""
trap 'stop "$SERVER"; rm -rf "$WORK"' EXIT

if [ "$SERVER_KIND" = engine ]; then
  $SERVER_JAVA $SERVER_JVM -jar $ENGINE --port 0 --host 127.0.0.1 --data-dir "$WORK/data" \
    --admin-token ADMIN --token-secret SECRET > "$RUN/server.log" 2>&1 &
  SERVER=$!
  await_ready "$RUN/server.log" $SERVER \
    || { echo "sched-delays: the engine did not start; see $RUN/server.log" >&2; exit 1; }
  TARGET="--admin-token ADMIN --token-secret SECRET --quantity 3000 --per-user-limit 1000"
else
  $SERVER_JAVA $SERVER_JVM -jar $LOAD ceiling --port 0 --host 127.0.0.1 > "$RUN/server.log" 2>&1 &
  SERVER=$!
  await_listening "$RUN/server.log" $SERVER || { echo "sched-delays: the ceiling did not start; see $RUN/server.log" >&2; exit 1; }
  TARGET="--ceiling"
fi
# The measured window is the recording and a few seconds on either side of it.
java $LOAD_JVM -jar $LOAD grab --url "http://127.0.0.1:$PORT" $TARGET --wishes 1000 --users 100000 \
  --connections "$CONNECTIONS" --rate "$RATE" --warmup "$WARMUP" --duration "$((SECONDS_RECORDED + 6))s" \
  > "$RUN/grab.log" 2>&1 &
GRAB=$!
# The first measured progress line ("  21.0s ...", without "warmup"), then one second more.
for _ in $(seq 6000); do
  grep -qE '^ +[0-9]+\.[0-9]s ' "$RUN/grab.log" 2> /dev/null && break
  kill -0 $GRAB 2> /dev/null || { echo "sched-delays: grab ended early; see $RUN/grab.log" >&2; exit 1; }
  sleep 0.1
done
sleep 1
perf sched record -a -o "$RUN/perf.data" -- sleep "$SECONDS_RECORDED" > "$RUN/perf.log" 2>&1
wait $GRAB
echo "$SERVER_KIND at $RATE/s: $(grep -m1 '^latency' "$RUN/grab.log")"
grep -m1 '^machine CPU' "$RUN/grab.log"
perf sched timehist -i "$RUN/perf.data" > "$RUN/timehist.txt" 2> /dev/null
java -jar $LOAD sched --timehist "$RUN/timehist.txt" | tee "$RUN/sched.txt"
