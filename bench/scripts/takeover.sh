#!/usr/bin/env bash
# The failover gap of an engine node: 3 nodes on a local Redis Cluster (engine/scripts/cluster.sh),
# a campaign served by n1 with some claims on it; then, each round, n1 is killed with SIGKILL and a
# client on n2 claims on the campaign every 20 ms until one is acknowledged; the time from the kill
# to that 201 is the gap (the campaign's lease running out, then the new owner loading it). n1 is
# started again and the campaign handed back to it before the next round.
#   bench/scripts/takeover.sh [rounds] [extra engine flags, e.g. --lease-millis 1000]
# Run from the repository root after `mvn -B -q -DskipTests package`, with nothing else running.
set -u
ROUNDS=${1:-3}
JAR=engine/target/wish-engine.jar
DIR=$(mktemp -d)
trap 'bash engine/scripts/cluster.sh down --dir "$DIR" >/dev/null 2>&1; rm -rf "$DIR"' EXIT
bash engine/scripts/cluster.sh up --dir "$DIR" --base-port 7500 --engine-port 8381 > "$DIR/up.log" 2>&1 \
  || { cat "$DIR/up.log"; exit 1; }
# shellcheck disable=SC1091
. "$DIR/secrets.env"
N1=http://127.0.0.1:8381 N2=http://127.0.0.1:8382
token() { java -jar "$JAR" token --sub "$1" --token-secret "$WISH_TOKEN_SECRET"; }
# c-t2 is one of the ids placement gives to n1 among n1..n3 (see cluster/Placement).
CAMPAIGN=c-t2
curl -sf -X POST "$N1/api/campaigns" -H "Authorization: Bearer $WISH_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$CAMPAIGN\",\"title\":\"takeover\",\"opensAt\":\"2026-01-01T00:00:00Z\",\"perUserLimit\":1,\"fulfilWithinHours\":48,\"wishes\":[{\"id\":\"t-1\",\"title\":\"radio\",\"quantity\":100000}]}" \
  > /dev/null || { echo "could not publish $CAMPAIGN"; exit 1; }
serves() { curl -s "$1/metrics" | grep -q '^wish_cluster_campaigns.* [1-9]'; }
user=0
for round in $(seq "$ROUNDS"); do
  for _ in $(seq 300); do serves "$N1" && break; sleep 0.1; done
  for _ in 1 2 3 4 5; do user=$((user + 1)); curl -sf -X POST "$N1/api/wishes/t-1/claims" -H "Authorization: Bearer $(token u$user)" > /dev/null; done
  user=$((user + 1)); T=$(token "u$user")
  start=$(date +%s%N)
  kill -9 "$(cat "$DIR/engine-n1.pid")"
  tries=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$N2/api/wishes/t-1/claims" -H "Authorization: Bearer $T")" = 201 ]; do
    tries=$((tries + 1)); sleep 0.02
  done
  echo "round $round: first 201 on $CAMPAIGN through n2 $(( ($(date +%s%N) - start) / 1000000 )) ms after the kill ($tries refused meanwhile)"
  bash engine/scripts/cluster.sh up --dir "$DIR" --base-port 7500 --engine-port 8381 > /dev/null 2>&1
done
