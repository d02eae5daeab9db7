#!/usr/bin/env bash
# The price of forwarding on a cluster: 3 engine nodes on a local Redis Cluster (3 masters + 3
# replicas, engine/scripts/cluster.sh), measured as alternated pairs in one sitting:
#   one  - the whole load on the node that serves the campaign (no request is forwarded)
#   all  - the load spread over the three nodes (two thirds of the requests make a hop)
# Each run grabs a fresh campaign whose id placement gives to node n1 (closed loop, 64 connections,
# 10 s warm-up, 20 s measured; the invariant check reads every claim back).
#   bench/scripts/cluster-pairs.sh [pairs]
# Run from the repository root after `mvn -B -q -DskipTests package`, with nothing else running.
set -u
PAIRS=${1:-3}
LOAD=bench/target/wish-load.jar
DIR=$(mktemp -d)
trap 'bash engine/scripts/cluster.sh down --dir "$DIR" >/dev/null 2>&1; rm -rf "$DIR"' EXIT
bash engine/scripts/cluster.sh up --dir "$DIR" --base-port 7400 --engine-port 8281 > "$DIR/up.log" 2>&1 \
  || { cat "$DIR/up.log"; exit 1; }
# shellcheck disable=SC1091
. "$DIR/secrets.env"
SECRETS="--admin-token $WISH_ADMIN_TOKEN --token-secret $WISH_TOKEN_SECRET"
ONE=http://127.0.0.1:8281
ALL=$ONE,http://127.0.0.1:8282,http://127.0.0.1:8283

# The node placement (cluster/Placement: FNV-1a, then the splitmix64 finaliser; highest score wins)
# gives a campaign id to among n1..n3.
owner() {
  python3 - "$1" <<'PY'
import sys
M = (1 << 64) - 1
def fnv(h, data):
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & M
    return h
def score(node, campaign):
    h = fnv(0xcbf29ce484222325, node.encode())
    h = ((h ^ 0xff) * 0x100000001b3) & M
    z = fnv(h, campaign.encode())
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
print(max(["n1", "n2", "n3"], key=lambda n: (score(n, sys.argv[1]), [-ord(c) for c in n])))
PY
}
seq=$RANDOM
next_campaign() { # sets campaign to a fresh id that n1 serves (no subshell: seq must advance)
  while :; do
    seq=$((seq + 1))
    [ "$(owner "fwd-$seq")" = n1 ] && { campaign="fwd-$seq"; return; }
  done
}
run() { # label urls
  local out summary
  next_campaign
  out=$(java -jar $LOAD grab --url "$2" $SECRETS --campaign-id "$campaign" --wishes 1000 --quantity 3000 \
        --per-user-limit 1000 --users 100000 --connections 64 --warmup 10s --duration 20s 2>&1)
  summary=$(echo "$out" | grep -E '^claims/s|^latency|^invariants' | tr -s ' ' | tr '\n' ' ')
  echo "$1 ($campaign): ${summary:-failed: $(echo "$out" | tail -3 | tr '\n' ' ')}"
}
for _ in $(seq "$PAIRS"); do run one "$ONE"; run all "$ALL"; done
