# Shared by the bench scripts that run an engine of their own (source it; bash).
#   stop PID            SIGTERM, then wait up to 30 s for the process to end (an engine drains and
#                       stops its Redis), then SIGKILL
#   await_ready LOG PID waits up to 60 s until the engine that logs to LOG answers /health/ready;
#                       sets PORT; returns 1 when it exits or does not become ready
#   await_listening LOG PID
#                       waits up to 60 s until the server that logs to LOG (say the ceiling) says
#                       where it listens; sets PORT; returns 1 when it exits or never says
#   need_jars SCRIPT    sets ENGINE and LOAD (the shaded jars, relative to the repository root, the
#                       current directory) and exits 2 naming SCRIPT when one is missing
#   RECOMMENDED_JVM     the JVM options of the README's start command, every script's default
#                       (docs/operations.md, JVM options)

RECOMMENDED_JVM="-XX:+UseParallelGC -XX:MaxTenuringThreshold=0"
# The load generator's JVM where latency is measured: its own collections delay its requests and
# count against the server it drives. grab moves its long-lived set-up (the minted tokens) to the old
# generation before the load; a young generation of 512 MB, touched at start, then collects every
# ~15 s at 10,000 requests/s, promoting at once the little that is in flight: pauses of a few ms.
# LOAD_JVM overrides it (e.g. on a small machine).
LOAD_JVM=${LOAD_JVM:-"-XX:+UseParallelGC -XX:MaxTenuringThreshold=0 -Xms1g -Xmn512m -XX:+AlwaysPreTouch"}

stop() {
  [ -n "$1" ] || return 0
  kill "$1" 2> /dev/null
  for _ in $(seq 300); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2> /dev/null
}

await_ready() {
  PORT=""
  for _ in $(seq 600); do
    PORT=$(grep -oP 'listening on http://localhost:\K[0-9]+' "$1" 2> /dev/null | head -1)
    [ -n "$PORT" ] && curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && return 0
    kill -0 "$2" 2> /dev/null || return 1
    sleep 0.1
  done
  return 1
}

await_listening() {
  PORT=""
  for _ in $(seq 600); do
    PORT=$(grep -oP 'listening on http://[^:]+:\K[0-9]+' "$1" 2> /dev/null | head -1)
    [ -n "$PORT" ] && return 0
    kill -0 "$2" 2> /dev/null || return 1
    sleep 0.1
  done
  return 1
}

need_jars() {
  ENGINE=engine/target/wish-engine.jar LOAD=bench/target/wish-load.jar
  for jar in $ENGINE $LOAD; do
    [ -f $jar ] || { echo "$1: $jar is missing; run mvn -B -q -DskipTests package" >&2; exit 2; }
  done
}
