#!/usr/bin/env bash
# Bytes allocated per committed claim: the engine (its own Redis, a fresh data directory) under a
# closed-loop throughput grab (most claims succeed), measured over a window after the warm-up.
#   bench/scripts/alloc-per-claim.sh [--warmup 15] [--measure 20] [--rate N] [--out DIR] [--no-jfr]
# --rate N drives an open loop at N claims/s instead (the tail's rate): at moderate rates a batch
# holds a claim or two, so what a batch allocates counts per claim.
# Run from anywhere after `mvn -B -q -DskipTests package`. Allocation is counted, not timed, so a
# busy machine changes the claims/s but hardly the bytes per claim.
# At both ends of the window it forces a collection (jcmd GC.run), then reads from /metrics
# jvm_gc_memory_allocated_bytes_total (Micrometer adds what the young generation gained at each
# collection, so it is exact only right after one) and wish_claims_total{outcome="claimed"}:
# bytes per claim = the ratio of the deltas.
# Unless --no-jfr, a JFR recording covers the same window (profile settings, allocation samples at
# 3,000/s) and AllocSites.java prints the exact bytes per claim by thread and the sampled ones by
# allocation site (DIR/sites.txt; the recording is DIR/alloc.jfr).
# Environment: JAVA_OPTS (engine JVM; default -XX:+UseParallelGC -XX:MaxTenuringThreshold=0), CONNECTIONS (64).
set -u
WARMUP=15 MEASURE=20 OUT=bench/target/alloc JFR=1 RATE=""
usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift 2 ;;
    --measure) MEASURE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --no-jfr) JFR=0; shift ;;
    -h|--help) usage ;;
    *) echo "alloc-per-claim: unknown argument $1" >&2; usage ;;
  esac
done
for n in "$WARMUP" "$MEASURE" ${RATE:+"$RATE"}; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "alloc-per-claim: $n is not a positive whole number" >&2; exit 2; }
done
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM, stop, await_ready
JAVA_OPTS=${JAVA_OPTS:-$RECOMMENDED_JVM}
CONNECTIONS=${CONNECTIONS:-64}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
cd "$(dirname "$0")/../.."
ENGINE=engine/target/wish-engine.jar
LOAD=bench/target/wish-load.jar
for jar in $ENGINE $LOAD; do [ -f $jar ] || { echo "alloc-per-claim: $jar is missing; run mvn -B -q -DskipTests package" >&2; exit 2; }; done
rm -f "$OUT"/engine.log "$OUT"/grab.log "$OUT"/alloc.jfr "$OUT"/sites.txt
WORK=$(mktemp -d)
EPID="" GPID=""
trap 'stop "$GPID"; stop "$EPID"; rm -rf "$WORK"' EXIT

java $JAVA_OPTS -jar $ENGINE --port 0 --host 127.0.0.1 --data-dir "$WORK/data" \
  --admin-token ADMIN --token-secret SECRET > "$OUT/engine.log" 2>&1 &
EPID=$!
if ! await_ready "$OUT/engine.log" $EPID; then
  echo "alloc-per-claim: the engine did not become ready; see $OUT/engine.log" >&2; exit 2
fi

metric() { # scrape name [label filter]: the sum of the matching samples
  awk -v n="$2" -v f="${3:-}" 'index($0, n) == 1 && substr($0, length(n) + 1, 1) ~ /[{ ]/ && index($0, f) { s += $NF }
    END { printf "%.0f", s }' <<< "$1"
}
collected() { # a forced collection, then the bytes allocated up to it and the claims committed
  # The allocation meter only moves at a collection: jcmd GC.run returns after one (a minor and a
  # major collection, cause "Diagnostic Command"), and the first scrape in which the meters have
  # counted both gives the allocation and, a few milliseconds late, the claims.
  local before scrape
  before=$(metric "$(curl -s "http://127.0.0.1:$PORT/metrics")" jvm_gc_pause_seconds_count 'cause="Diagnostic Command"')
  jcmd $EPID GC.run > /dev/null
  for _ in $(seq 200); do
    scrape=$(curl -s "http://127.0.0.1:$PORT/metrics")
    [ "$(metric "$scrape" jvm_gc_pause_seconds_count 'cause="Diagnostic Command"')" -ge $((before + 2)) ] && break
    sleep 0.02
  done
  echo "$(metric "$scrape" jvm_gc_memory_allocated_bytes_total) $(metric "$scrape" wish_claims_total 'outcome="claimed"')"
}

# The generator measures for longer than the window, so the window ends before its last requests
# and before it reads the ledger back.
java -jar $LOAD grab --url "http://127.0.0.1:$PORT" --admin-token ADMIN --token-secret SECRET \
  --wishes 1000 --quantity 3000 --per-user-limit 1000 --users 100000 --connections "$CONNECTIONS" ${RATE:+--rate "$RATE"} \
  --warmup "${WARMUP}s" --duration "$((MEASURE + 5))s" > "$OUT/grab.log" 2>&1 &
GPID=$!
sleep "$((WARMUP + 1))"
if [ $JFR = 1 ]; then
  JH=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  sed 's|<setting name="throttle" control="allocation-profiling">[^<]*<|<setting name="throttle" control="allocation-profiling">3000/s<|' \
    "$JH/lib/jfr/profile.jfc" > "$WORK/alloc.jfc"
fi
read -r a0 c0 <<< "$(collected)"
[ $JFR = 1 ] && jcmd $EPID JFR.start name=alloc settings="$WORK/alloc.jfc" > /dev/null
sleep "$MEASURE"
[ $JFR = 1 ] && jcmd $EPID JFR.stop name=alloc filename="$OUT/alloc.jfr" > /dev/null
read -r a1 c1 <<< "$(collected)"
wait $GPID; status=$?; GPID=""
claims=$((c1 - c0))
if [ "$claims" -le 0 ]; then echo "alloc-per-claim: no claims in the window; see $OUT/grab.log" >&2; exit 2; fi
echo "window ${MEASURE}s after ${WARMUP}s of warm-up: $claims claims committed," \
     "$(( (a1 - a0) / 1048576 )) MiB allocated"
echo "bytes per committed claim: $(( (a1 - a0) / claims ))"
grep -E '^invariants' "$OUT/grab.log"
if [ $JFR = 1 ]; then
  java bench/scripts/AllocSites.java "$OUT/alloc.jfr" $(( (a1 - a0) / claims )) 40 > "$OUT/sites.txt"
  echo "breakdown: $OUT/sites.txt"; head -12 "$OUT/sites.txt"
fi
exit $status
