#!/usr/bin/env bash
# Reproduces the README's "Performance" numbers in one go (about 20 minutes on a quiet 2-core box).
# Run from the repository root after `mvn -B -q -DskipTests install`. Needs redis-server and curl
# for the durability runs. Nothing else may run on the machine meanwhile: the load generator,
# the engine, its Redis and the ceiling share the cores. For a quick smoke of the script itself:
#   WARMUP=1s MEASURE=2s JMH_ARGS="-f 1 -wi 1 -i 1 -w 1s -r 1s BookBenchmark" bench/scripts/performance.sh
set -u
WARMUP=${WARMUP:-10s}
MEASURE=${MEASURE:-20s}
JMH_ARGS=${JMH_ARGS:-}
# The JVM options of both servers, the engine and the ceiling alike (the README's start command).
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM
SERVER_JVM=${SERVER_JVM:-$RECOMMENDED_JVM}
cd "$(dirname "$0")/../.."
ENGINE=engine/target/wish-engine.jar
LOAD=bench/target/wish-load.jar
WORK=$(mktemp -d)
trap 'pkill -f "wish-engine.jar --port 8180" 2>/dev/null; pkill -f "wish-load.jar ceiling --port 8181" 2>/dev/null; rm -rf "$WORK"' EXIT
SECRETS="--admin-token ADMIN --token-secret SECRET"
THROUGHPUT="--wishes 1000 --quantity 3000 --per-user-limit 1000 --users 100000"

start_engine() { # extra engine flags...
  rm -rf "$WORK/data"
  java $SERVER_JVM -jar $ENGINE --port 8180 --data-dir "$WORK/data" $SECRETS "$@" > "$WORK/engine.log" 2>&1 &
  for _ in $(seq 100); do curl -sf localhost:8180/health/ready > /dev/null && return; sleep 0.2; done
  echo "the engine did not become ready; see $WORK/engine.log" >&2; exit 1
}
stop_engine() { pkill -f "wish-engine.jar --port 8180"; sleep 2; }
grab() { # extra grab flags...
  java -jar $LOAD grab --url http://127.0.0.1:8180 $SECRETS "$@" 2>&1 \
    | grep -E "^requests/s|^claims/s|^latency|^invariants|^ +[0-9]{3} "
}

echo "== machine"; nproc; grep -m1 "model name" /proc/cpuinfo; java -version 2>&1 | head -1; redis-server --version
for connections in 64 256 1024; do
  echo "== engine vs ceiling, $connections connections, closed loop, 3 pairs"
  for run in 1 2 3; do
    start_engine
    echo "engine:  $(grab $THROUGHPUT --connections $connections --warmup $WARMUP --duration $MEASURE | tr '\n' ' ')"
    stop_engine
    java $SERVER_JVM -jar $LOAD ceiling --port 8181 > "$WORK/ceiling.log" 2>&1 &
    sleep 2
    echo "ceiling: $(java -jar $LOAD grab --ceiling --url http://127.0.0.1:8181 --wishes 1000 --users 100000 \
        --connections $connections --warmup $WARMUP --duration $MEASURE 2>&1 | grep -E "^requests/s|^latency" | tr '\n' ' ')"
    pkill -f "wish-load.jar ceiling --port 8181"; sleep 1
  done
done

echo "== open loop at 10,000 requests/s (engine)"
start_engine
grab $THROUGHPUT --connections 64 --rate 10000 --warmup $WARMUP --duration $MEASURE
stop_engine

for mode in everysec always; do
  echo "== durability: external Redis with appendfsync $mode"
  mkdir -p "$WORK/redis-$mode"
  redis-server --port 16399 --bind 127.0.0.1 --dir "$WORK/redis-$mode" --appendonly yes --appendfsync $mode \
      --save "" --daemonize no > "$WORK/redis-$mode/log" 2>&1 &
  sleep 1
  start_engine --redis-url redis://127.0.0.1:16399
  grab $THROUGHPUT --connections 64 --warmup $WARMUP --duration $MEASURE | grep -E "^claims/s|^latency"
  stop_engine
  redis-cli -p 16399 shutdown nosave > /dev/null 2>&1; sleep 1
done

echo "== flash-grab: 3,000 wishes of 1-3 units, 64 connections (sells out, then refusals)"
start_engine
grab --wishes 3000 --quantity 1-3 --users 100000 --connections 64 --warmup $WARMUP --duration $MEASURE
stop_engine

echo "== JMH"
java -jar bench/target/benchmarks.jar $JMH_ARGS 2>&1 | grep -E "^[A-Z][A-Za-z]+Benchmark\.|^Benchmark "
