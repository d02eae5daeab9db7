#!/usr/bin/env bash
# Two engine jars measured as alternated pairs in one sitting: closed loop at 64 connections, then
# open loop at 10,000 claims/s, each run on a fresh engine and data directory, with the CPU the
# engine and its Redis spent per acknowledged claim (whole run, warm-up included).
#   bench/scripts/ab-pairs.sh OLD.jar NEW.jar [pairs]
# Run from the repository root after `mvn -B -q -DskipTests package`, with nothing else running:
# the load generator, the engine and its Redis share the cores. Compare medians of the pairs.
# Two JVM settings of one jar the same way: OLD_JAVA/NEW_JAVA (the java binary, default java) and
# OLD_JVM/NEW_JVM (its options, default -XX:+UseParallelGC -XX:MaxTenuringThreshold=0), e.g.
#   NEW_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java NEW_JVM=-XX:+UseZGC ab-pairs.sh X.jar X.jar 3
# MODES (default "closed open") picks the loops to run.
# Each engine writes a GC log; each run's line ends with the young collections of its measured
# 20 s (after the warm-up, before the load generator reads the ledger back): how many, the median
# and the longest pause, and their sum.
set -u
OLD=$1 NEW=$2 PAIRS=${3:-3}
LOAD=bench/target/wish-load.jar
SECRETS="--admin-token ADMIN --token-secret SECRET"
THROUGHPUT="--wishes 1000 --quantity 3000 --per-user-limit 1000 --users 100000"
WORK=$(mktemp -d)
trap 'pkill -f "jar --port 8180" 2>/dev/null; rm -rf "$WORK"' EXIT
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
OLD_JAVA=${OLD_JAVA:-java} NEW_JAVA=${NEW_JAVA:-java}
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM, LOAD_JVM
OLD_JVM=${OLD_JVM:-$RECOMMENDED_JVM} NEW_JVM=${NEW_JVM:-$RECOMMENDED_JVM}
MODES=${MODES:-closed open}
young_pauses() { # the young collections in the GC log within the 20 s after this many seconds of uptime
  grep 'Pause Young' "$WORK/gc.log" | awk -v from="$1" '{ t = $1; gsub(/[^0-9.]/, "", t)
      if (t + 0 >= from && t + 0 < from + 20 && $NF ~ /ms$/) print $NF + 0 }' | sort -g |
    awk '{ v[NR] = $1; s += $1 } END { if (NR == 0) { print "no young collections"; exit }
      printf "young collections %d, median %.1f ms, longest %.1f ms, %.0f ms in all\n", NR, v[int((NR + 1) / 2)], v[NR], s }'
}
run() { # jar label mode
  rm -rf "$WORK/data"
  local java=$OLD_JAVA options=$OLD_JVM
  [ "$2" = new ] && java=$NEW_JAVA options=$NEW_JVM
  local started; started=$(date +%s.%N)
  $java $options "-Xlog:gc:file=$WORK/gc.log:uptime" -jar "$1" --port 8180 --data-dir "$WORK/data" $SECRETS \
    > "$WORK/engine.log" 2>&1 &
  local pid=$!
  for _ in $(seq 150); do curl -sf localhost:8180/health/ready > /dev/null && break; sleep 0.2; done
  local rpid; rpid=$(awk '{print $1}' "$WORK/data/redis.pid")
  local extra=""; [ "$3" = open ] && extra="--rate 10000"
  local e0 r0 e1 r1 out claims
  e0=$(ticks $pid); r0=$(ticks "$rpid")
  local measured; measured=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a + 10 }')
  out=$(java $LOAD_JVM -jar $LOAD grab --url http://127.0.0.1:8180 $SECRETS $THROUGHPUT --connections 64 $extra \
        --warmup 10s --duration 20s 2>&1)
  e1=$(ticks $pid); r1=$(ticks "$rpid")
  claims=$(echo "$out" | grep -oP 'OK \(\K[0-9,]+' | tr -d ,)
  echo "$2 $3: $(echo "$out" | grep -E '^claims/s|^latency' | tr -s ' ' | tr '\n' ' ')| cpu engine" \
       "$(( (e1 - e0) * 10000000 / claims )) ns, redis $(( (r1 - r0) * 10000000 / claims )) ns per claim" \
       "| $(young_pauses "$measured")"
  kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.5; done; sleep 1
}
for mode in $MODES; do
  for _ in $(seq "$PAIRS"); do run "$OLD" old $mode; run "$NEW" new $mode; done
done
