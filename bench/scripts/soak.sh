#!/usr/bin/env bash
# Soak: the engine (its own Redis, a fresh data directory) under a steady open-loop claim load for a
# long time, sampling memory and latency, with claims expiring and being grabbed again all along.
#   bench/scripts/soak.sh [--minutes 30 | --seconds S] [--rate 15000] [--out DIR] [--warmup 60]
#                         [--claim-life 60] [--sample 10]
# Run from anywhere after `mvn -B -q -DskipTests package`, with nothing else running on the machine.
# Default rate: 15,000 claims/s, about half of what a 2-core box sustains; set --rate to about half
# of your own box's maximum. Claims must expire within the soak, but the contract's shortest
# fulfilWithinHours is an hour: the campaign takes 1 hour and the engine runs with the test-only
# --claim-expiry-speedup (3600 / claim-life), so a claim left `claimed` expires after --claim-life
# seconds (plus up to the 5 s expiry tick) and its unit is grabbed again.
# Every --sample seconds it records into DIR/soak.csv: the heap after the last GC (from the GC log),
# the engine's RSS, Redis used_memory and RSS, ring occupancy, claims created and expired (/metrics).
# The load generator writes p50/p99/p99.9 per minute (DIR/latency.csv, its --interval-csv). At the end
# the generator checks the invariants over the whole ledger, and DIR/soak.md gets a table per minute,
# least-squares trends and a verdict (DIR/soak.svg: heap after GC and RSS over time), and a section on
# stalls: the engine's stop-the-world pauses (DIR/safepoint.log) set beside the latency per minute
# (wish-load.jar attribute), and what Redis's latency monitor saw (DIR/redis-latency.txt: fsync,
# fork and AOF-rewrite events of 100 ms or more, and the delayed fsyncs).
# Exit code: 0 = ran, invariants hold and claims expired; 1 = not; 2 = bad arguments or no engine.
# Environment: JAVA_OPTS (engine JVM; default -XX:+UseParallelGC -XX:MaxTenuringThreshold=0), LIVE_EVERY (300 s: a full GC and
# the live heap after it), CONNECTIONS (64), WISHES (1000),
# QUANTITY (1-3), USERS (100000), FLAT_PCT (5: the verdict's threshold, % of the mean over the run),
# HEAP_PER_CLAIM (250) and REDIS_PER_CLAIM (300): bytes per claim created a memory series may grow by
# and still count as flat per request ("ledger only": the ledger is kept; a leak grows beyond that).
set -u
MINUTES=30 RUN_SECONDS="" RATE=15000 OUT=bench/target/soak WARMUP=60 CLAIM_LIFE=60 SAMPLE=10
usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES=$2; shift 2 ;;
    --seconds) RUN_SECONDS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --claim-life) CLAIM_LIFE=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "soak: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$RUN_SECONDS" ] || RUN_SECONDS=$(awk -v m="$MINUTES" 'BEGIN { printf "%d", m * 60 + 0.5 }')
for n in "$RUN_SECONDS" "$RATE" "$WARMUP" "$CLAIM_LIFE" "$SAMPLE"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "soak: $n is not a whole number" >&2; exit 2; }
done
[ "$RUN_SECONDS" -ge 1 ] && [ "$RATE" -ge 1 ] && [ "$SAMPLE" -ge 1 ] && [ "$CLAIM_LIFE" -ge 1 ] \
  && [ $((3600 % CLAIM_LIFE)) -eq 0 ] || { echo "soak: --seconds, --rate, --sample must be positive, --claim-life must divide 3600" >&2; exit 2; }
SPEEDUP=$((3600 / CLAIM_LIFE))
. "$(dirname "$0")/engine-lib.sh" # RECOMMENDED_JVM, LOAD_JVM, stop, await_ready
JAVA_OPTS=${JAVA_OPTS:-$RECOMMENDED_JVM}
CONNECTIONS=${CONNECTIONS:-64} WISHES=${WISHES:-1000} QUANTITY=${QUANTITY:-1-3} USERS=${USERS:-100000}
FLAT_PCT=${FLAT_PCT:-5}
# What the ledger may add per claim created: the book keeps ~90 B a claim (and ~440 B a user seen
# for the first time), Redis ~180 B (docs/performance.md item 23); above this, memory leaks.
HEAP_PER_CLAIM=${HEAP_PER_CLAIM:-250} REDIS_PER_CLAIM=${REDIS_PER_CLAIM:-300}
# The live heap: every LIVE_EVERY seconds of the measured run a full collection (jcmd GC.run), and
# the heap after it; the heap after a young collection also holds garbage promoted since the last
# full one, so only the live heap is judged when there are two such points (0: never).
LIVE_EVERY=${LIVE_EVERY:-300}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
cd "$(dirname "$0")/../.."
ENGINE=engine/target/wish-engine.jar
LOAD=bench/target/wish-load.jar
for jar in $ENGINE $LOAD; do [ -f $jar ] || { echo "soak: $jar is missing; run mvn -B -q -DskipTests package" >&2; exit 2; }; done
command -v redis-cli > /dev/null || { echo "soak: redis-cli is missing" >&2; exit 2; }
rm -f "$OUT"/soak.csv "$OUT"/soak.md "$OUT"/soak.svg "$OUT"/latency.csv "$OUT"/gc.log "$OUT"/engine.log "$OUT"/grab.log \
  "$OUT"/safepoint.log "$OUT"/redis-latency.txt "$OUT"/attribution.txt
WORK=$(mktemp -d)
EPID="" GPID=""
trap 'stop "$GPID"; stop "$EPID"; rm -rf "$WORK"' EXIT

java $JAVA_OPTS "-Xlog:gc*:file=$OUT/gc.log:uptime,level,tags" "-Xlog:safepoint:file=$OUT/safepoint.log:utctime" -jar $ENGINE --port 0 --host 127.0.0.1 \
  --data-dir "$WORK/data" --admin-token ADMIN --token-secret SECRET --claim-expiry-speedup $SPEEDUP \
  > "$OUT/engine.log" 2>&1 &
EPID=$!
if ! await_ready "$OUT/engine.log" $EPID; then
  echo "soak: the engine did not become ready; see $OUT/engine.log" >&2; tail -5 "$OUT/engine.log" >&2; exit 2
fi
RPORT=$(grep -oP 'Started redis-server .* on 127\.0\.0\.1:\K[0-9]+' "$OUT/engine.log" | head -1)
# Redis records its own stalls of 100 ms or more (fsync, fork, AOF rewrite), for the stalls section.
redis-cli -p "$RPORT" config set latency-monitor-threshold 100 > /dev/null 2>&1
echo "soak: engine pid $EPID on port $PORT, its Redis on port $RPORT; ${RUN_SECONDS}s at $RATE claims/s" \
     "after ${WARMUP}s of warm-up, claims live ${CLAIM_LIFE}s; output in $OUT"

java $LOAD_JVM -jar $LOAD grab --url "http://127.0.0.1:$PORT" --admin-token ADMIN --token-secret SECRET \
  --wishes $WISHES --quantity $QUANTITY --users $USERS --connections $CONNECTIONS --rate $RATE \
  --fulfil-within-hours 1 --warmup ${WARMUP}s --duration ${RUN_SECONDS}s \
  --interval 60s --interval-csv "$OUT/latency.csv" --report-dir "$OUT" > "$OUT/grab.log" 2>&1 &
GPID=$!
# The generator mints its tokens and creates the campaign first: the clock starts with its load.
for _ in $(seq 1200); do
  grep -q '^Flash-grab against' "$OUT/grab.log" 2> /dev/null && break
  kill -0 $GPID 2> /dev/null || break
  sleep 0.1
done
T0=$(date +%s%N)

metric() { # scrape name [label selector]: the value, or 0
  awk -v name="$2" -v sel="${3:-}" '$1 == name || (sel != "" && index($1, name "{") == 1 && index($1, sel) > 0) \
    { v = $2 } END { printf "%d", v + 0 }' <<< "$1"
}
gc_log() { # from the GC log: MB after the last GC, GCs so far, full GCs so far, MB after the last full one
  awk 'match($0, /\[gc *\] GC\([0-9]+\) Pause .*[0-9]+[KMG]->[0-9]+[KMG]\(/) {
         s = substr($0, RSTART, RLENGTH); sub(/.*->/, "", s); sub(/\($/, "", s)
         u = substr(s, length(s)); v = substr(s, 1, length(s) - 1)
         mb = u == "K" ? v / 1024 : u == "G" ? v * 1024 : v
         n++; if ($0 ~ /Pause Full/) { full++; live = sprintf("%.1f", mb) } }
       END { if (n) printf "%.1f,%d,%d,%s", mb, n, full, live; else printf ",0,0," }' "$OUT/gc.log" 2> /dev/null
}
sample() { # phase [live]: with "live", a full collection first, and the live heap after it
  local t scrape mem rss gc live=""
  if [ "${2:-}" = live ]; then jcmd "$EPID" GC.run > /dev/null 2>&1 && live=x; fi
  gc=$(gc_log)
  [ -n "$live" ] && live=${gc##*,}
  t=$(awk -v a="$(date +%s%N)" -v b="$T0" 'BEGIN { printf "%.1f", (a - b) / 1e9 }')
  scrape=$(curl -s --max-time 5 "http://127.0.0.1:$PORT/metrics")
  mem=$(redis-cli -p "$RPORT" info memory 2> /dev/null | tr -d '\r')
  rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$EPID/status" 2> /dev/null)
  echo "$t,$1,${gc%,*},$rss,$(awk -F: '$1 == "used_memory" { u = $2 } $1 == "used_memory_rss" { r = $2 } END {
    printf "%.2f,%.2f", u / 1048576, r / 1048576 }' <<< "$mem"),$(( $(metric "$scrape" wish_ring_capacity) \
    - $(metric "$scrape" wish_ring_remaining) )),$(metric "$scrape" wish_claim_transitions_total 'status="claimed"'),$(metric \
    "$scrape" wish_claim_transitions_total 'status="expired"'),$live" >> "$OUT/soak.csv"
}
echo "t_s,phase,heap_after_gc_mb,gcs,full_gcs,engine_rss_mb,redis_used_mb,redis_rss_mb,ring_used,claims_created,claims_expired,live_heap_mb" \
  > "$OUT/soak.csv"
END_LOAD=$((WARMUP + RUN_SECONDS))
next=0 next_live=$WARMUP
while kill -0 $GPID 2> /dev/null; do
  now=$(( ($(date +%s%N) - T0) / 1000000000 ))
  # Not at END_LOAD itself: by then the load generator is reading the whole ledger back for its
  # invariant check, which is not the steady state this measures.
  if [ $now -ge $next ] && [ $now -lt $END_LOAD ]; then
    if [ $now -lt $WARMUP ]; then
      sample warmup
    elif [ "$LIVE_EVERY" -gt 0 ] && [ $now -ge $next_live ]; then
      sample measured live; next_live=$((next_live + LIVE_EVERY))
    else
      sample measured
    fi
    next=$((next + SAMPLE))
  fi
  sleep 0.2
done
wait $GPID; GRAB_RC=$?; GPID=""
sample end
{ redis-cli -p "$RPORT" latency latest; redis-cli -p "$RPORT" info persistence | tr -d '\r' \
    | grep -E '^(aof_delayed_fsync|aof_rewrites|aof_last_rewrite_time_sec|aof_last_cow_size):'; } \
  > "$OUT/redis-latency.txt" 2>&1
stop "$EPID"; EPID=""

INVARIANTS=$(grep -m1 '^invariants' "$OUT/grab.log" || echo "invariants: not reported (grab exit $GRAB_RC)")
LEDGER=$(grep -oP '"ledgerClaims" *: *\K[0-9]+' "$OUT/report.json" 2> /dev/null | head -1)
UNITS=$(grep -oP '"units" *: *\K[0-9]+' "$OUT/report.json" 2> /dev/null | head -1)

[ -f "$OUT/latency.csv" ] || echo "end_epoch_ms,elapsed_s,phase,requests,created,p50_ms,p99_ms,p999_ms,max_ms" > "$OUT/latency.csv"
# soak.md: the table per minute, the trends and the verdict; soak.svg: heap after GC and RSS.
awk -F, -v warmup="$WARMUP" -v flat="$FLAT_PCT" -v rate="$RATE" -v secs="$RUN_SECONDS" -v life="$CLAIM_LIFE" \
    -v speedup="$SPEEDUP" -v opts="$JAVA_OPTS" -v inv="$INVARIANTS" -v grabrc="$GRAB_RC" -v ledger="${LEDGER:-?}" \
    -v heapbudget="$HEAP_PER_CLAIM" -v redisbudget="$REDIS_PER_CLAIM" \
    -v units="${UNITS:-?}" -v wishes="$WISHES" -v conns="$CONNECTIONS" -v users="$USERS" -v svg="$OUT/soak.svg" '
# The least-squares change over the second half of the points (x at or past the middle), with the
# span it covers in halfspan: memory that only settles in early on is flat there, a leak is not.
function halfchange(xs, ys, n,    i, k, sx, sy, sxy, sxx, den, first, last) {
  k = 0; halfspan = 0
  for (i = 1; i <= n; i++) if (xs[i] >= (xs[1] + xs[n]) / 2) {
    k++; sx += xs[i]; sy += ys[i]; sxy += xs[i] * ys[i]; sxx += xs[i] * xs[i]; if (k == 1) first = xs[i]; last = xs[i]
  }
  if (k < 2) return ""
  den = k * sxx - sx * sx; halfspan = last - first
  return den == 0 ? 0 : halfspan * (k * sxy - sx * sy) / den
}
function trend(name, xs, ys, n, unit, claims,    i, sx, sy, sxy, sxx, slope, span, change, mean, pct, verdict, den, hc, half) {
  if (n < 2) { printf "| %s | %s | n/a | n/a | n/a | n/a | n/a (fewer than 2 points) |\n", name, n ? sprintf("%.2f", ys[1]) : "n/a"; return }
  for (i = 1; i <= n; i++) { sx += xs[i]; sy += ys[i]; sxy += xs[i] * ys[i]; sxx += xs[i] * xs[i] }
  den = n * sxx - sx * sx
  slope = den == 0 ? 0 : (n * sxy - sx * sy) / den
  span = xs[n] - xs[1]; change = slope * span; mean = sy / n
  pct = mean == 0 ? 0 : 100 * change / mean
  verdict = (pct <= flat && pct >= -flat) ? "flat" : "NOT flat"
  # Latency that falls over the run (an early slow minute) is no degradation.
  if (unit == "ms" && pct < -flat) verdict = "falling"
  # The ledger is kept (in Redis, and in the book), so memory may grow by the bytes of a claim per
  # claim created and still be flat per request; a leak grows beyond that.
  if (verdict != "flat" && unit == "MB" && claims > 0 && change * 1048576 / claims <= (name ~ /^Redis/ ? redisbudget : heapbudget)) {
    verdict = "ledger only"
    ledgeronly = ledgeronly (ledgeronly == "" ? "" : ", ") sprintf("%s %+.0f B/claim", name, change * 1048576 / claims)
  }
  if (verdict == "NOT flat") notflat = notflat (notflat == "" ? "" : ", ") sprintf("%s %+.1f%%", name, pct)
  judged++
  hc = halfchange(xs, ys, n)
  half = hc == "" ? "n/a" : sprintf("%+.2f %s", hc, unit)
  # Claims are created at a steady rate, so the second half holds its share of them by its span.
  if (hc != "" && claims > 0 && unit == "MB" && halfspan > 0 && span > 0)
    half = half sprintf(" (%+.0f B/claim)", hc * 1048576 / (claims * halfspan / span))
  printf "| %s | %.2f %s | %+.3f %s | %+.2f %s | %+.1f %% | %s | %s%s |\n", name, mean, unit, slope, unit, change, unit, pct, half, verdict, \
    (claims > 0 && unit == "MB" ? sprintf(" (%+.0f bytes per claim created)", change * 1048576 / claims) : "")
}
FNR == 1 { next }
FILENAME ~ /latency.csv$/ { if ($3 == "measured") { lm++; lp99[lm] = $7; lp999[lm] = $8; lcreated[lm] = $5; lreq[lm] = $4 } next }
{
  if ($2 == "measured") {
    m = int(($1 - warmup) / 60) + 1; if (m > minutes) minutes = m
    ms[m]++; sheap[m] += $3; hheap[m] += ($3 != ""); srss[m] += $6; sru[m] += $7; srr[m] += $8
    if ($9 > ring[m]) ring[m] = $9
    if (!(m in e0)) e0[m] = $11; e1[m] = $11
    n++; x = ($1 - warmup) / 60
    if ($3 != "") { hn++; hx[hn] = x; hy[hn] = $3 }
    if ($12 != "") { ln++; lx[ln] = x; ly[ln] = $12 }
    rx[n] = x; rss[n] = $6; ru[n] = $7; rr[n] = $8
    if (n == 1) c0 = $10; c1 = $10
  }
  if ($11 > 0 && firstexp == "") { firstexp = $1; createdatexp = $10 }
  lastexp = $11; lastcreated = $10; allt[++all] = $1; allh[all] = $3; allr[all] = $6
}
END {
  printf "# Soak: %d s at %d claims/s\n\n", secs, rate
  printf "Engine JVM `%s`, its own Redis, a fresh data directory; %s wishes (%s units), %s users, %s connections, open loop. ", opts, wishes, units, users, conns
  printf "Claims live %d s (campaign `fulfilWithinHours` 1, engine `--claim-expiry-speedup %d`, test use only). ", life, speedup
  printf "Warm-up %d s, left out of the table and the trends.\n\n", warmup
  printf "- %s\n", inv
  printf "- Expiry: %d claims expired, the first by %s s; %d claims created after it (units grabbed again); %s claims in the ledger at the end.\n\n", \
    lastexp, firstexp == "" ? "never" : firstexp, lastcreated - createdatexp, ledger
  printf "## Per minute\n\n| minute | samples | heap after GC (MB) | engine RSS (MB) | Redis used (MB) | Redis RSS (MB) | ring used (max) | requests | 201s | expired | p99 (ms) | p99.9 (ms) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"
  rows = minutes > lm ? minutes : lm
  for (m = 1; m <= rows; m++) {
    printf "| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", m, ms[m] + 0, hheap[m] ? sprintf("%.1f", sheap[m] / hheap[m]) : "",
      ms[m] ? sprintf("%.1f", srss[m] / ms[m]) : "", ms[m] ? sprintf("%.2f", sru[m] / ms[m]) : "", ms[m] ? sprintf("%.2f", srr[m] / ms[m]) : "",
      ms[m] ? ring[m] + 0 : "", lreq[m], lcreated[m], ms[m] ? e1[m] - e0[m] : "", lp99[m], lp999[m]
  }
  claims = c1 - c0
  printf "\n## Trends (least squares; x in minutes of the measured run; %d claims created meanwhile)\n\n", claims
  printf "| series | mean | slope per minute | change over the run | of the mean | change over its second half | verdict (flat: within ±%s %%) |\n|---|---|---|---|---|---|---|\n", flat
  if (ln >= 2) {
    trend("live heap (after a full GC)", lx, ly, ln, "MB", claims)
    saved = notflat; savedledger = ledgeronly; savedjudged = judged  # the young-GC heap is shown, not judged
    trend("heap after GC (any; not judged)", hx, hy, hn, "MB", claims)
    notflat = saved; ledgeronly = savedledger; judged = savedjudged
  } else {
    trend("heap after GC", hx, hy, hn, "MB", claims)
  }
  trend("engine RSS", rx, rss, n, "MB", claims)
  trend("Redis used_memory", rx, ru, n, "MB", claims)
  trend("Redis RSS", rx, rr, n, "MB", claims)
  for (m = 1; m <= lm; m++) { px[m] = m - 0.5; py[m] = lp99[m] }
  trend("p99", px, py, lm, "ms", 0)
  printf "\nRedis keeps every claim (the ledger is part of the contract), so its memory grows by about the bytes of a claim for each one created; a leak shows as growth well beyond that. "
  printf "With ParallelGC the heap after a young GC also carries garbage promoted since the last full GC.\n\n"
  ok = (grabrc == 0 && lastexp > 0)
  judgedtext = judged == 0 ? "not judged (too few samples)" : notflat != "" ? "NOT flat: " notflat \
    : ledgeronly == "" ? "flat (every judged series within ±" flat " % of its mean over the run)" \
    : "flat per request (every judged series within ±" flat " % of its mean, or growing by no more than the bytes of a claim per claim created: " ledgeronly ")"
  invtext = grabrc == 0 ? "invariants hold" : "INVARIANTS VIOLATED or not checked (grab exit " grabrc ")"
  exptext = (lastexp > 0) ? "claims expired and were grabbed again" : "NO claim expired"
  printf "Verdict: %s; %s; %s\n", judgedtext, invtext, exptext
  # soak.svg: heap after GC (blue) and engine RSS (red) against seconds since the load started.
  W = 800; H = 360; L = 60; B = 40; maxy = 1; maxt = 1
  for (i = 1; i <= all; i++) { if (allt[i] > maxt) maxt = allt[i]; if (allh[i] + 0 > maxy) maxy = allh[i]; if (allr[i] + 0 > maxy) maxy = allr[i] }
  printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H > svg
  printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/><line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", L, H - B, W - 10, H - B, L, L, H - B > svg
  printf "<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f s</text><text x=\"5\" y=\"20\">%.0f MB</text>\n", L, H - B + 15, W - 10, H - B + 15, maxt, maxy > svg
  printf "<text x=\"%d\" y=\"20\" fill=\"#1f77b4\">heap after GC</text><text x=\"%d\" y=\"36\" fill=\"#d62728\">engine RSS</text>\n", L + 10, L + 10 > svg
  if (warmup <= maxt) printf "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\" stroke-dasharray=\"4\"/>\n", L + (W - 10 - L) * warmup / maxt, L + (W - 10 - L) * warmup / maxt, H - B > svg
  for (s = 1; s <= 2; s++) {
    pts = ""
    for (i = 1; i <= all; i++) { v = s == 1 ? allh[i] : allr[i]; if (v == "") continue
      pts = pts sprintf("%.1f,%.1f ", L + (W - 10 - L) * allt[i] / maxt, H - B - (H - B - 10) * v / maxy) }
    printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>\n", s == 1 ? "#1f77b4" : "#d62728", pts > svg
  }
  print "</svg>" > svg
}' "$OUT/latency.csv" "$OUT/soak.csv" > "$OUT/soak.md"
{
  echo; echo "## Stalls"; echo
  echo "The engine's stop-the-world pauses beside the latency per minute (\`wish-load.jar attribute --over 100\`):"
  echo; echo '```'
  java -jar $LOAD attribute --intervals "$OUT/latency.csv" --safepoints "$OUT/safepoint.log" --over 100 2>&1 \
    | tee "$OUT/attribution.txt"
  echo '```'; echo
  echo "Redis's latency monitor (events of 100 ms or more: \`LATENCY LATEST\`, then \`INFO persistence\`):"
  echo; echo '```'; cat "$OUT/redis-latency.txt"; echo '```'
} >> "$OUT/soak.md"
cat "$OUT/soak.md"
[ "$GRAB_RC" -eq 0 ] && [ "$(tail -1 "$OUT/soak.csv" | cut -d, -f11)" -gt 0 ] && exit 0
exit 1
