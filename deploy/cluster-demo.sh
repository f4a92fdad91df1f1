#!/usr/bin/env bash
# The CCTV system in its cluster shape on this one machine, without Docker: a three-node NATS cluster (three
# nats-server processes, each with its own JetStream store), two ingests, two recorders (sharing the cameras, each
# with its own recordings folder), two dashboards and eight demo cameras spread across the ingests. Every service is given the three nodes and three replicas of everything.
# Kill a node, an ingest, a recorder or a dashboard (the pids are printed) and watch the dashboards carry on. `deploy/cluster-demo.sh --help` for options.
#
# A demonstration, not a deployment: plain HTTP and TCP, no NATS users, cameras without tokens, all on loopback.
# docker-compose.cluster.yml and docs/deployment.md ("A cluster") are the deployment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RECORDERS=2
CAMERAS_PER_INGEST=4
BUILD=auto
BASE_PORT="${CCTV_DEMO_BASE_PORT:-24000}"

usage() {
  cat <<'USAGE'
Usage: deploy/cluster-demo.sh [options]

Runs a three-node NATS cluster, two ingests, two recorders, two dashboards and eight demo cameras (four on each
ingest) on this machine, each service connected to all three NATS nodes with three replicas of every stream and
bucket. Ctrl-C stops everything it started, and nothing else.

Options:
  --recorders N   recorders to start, 1 or 2 (default 2: they share the cameras, each camera recorded by one;
                  kill one and the other takes its cameras within seconds)
  --cameras N     demo cameras per ingest (default 4)
  --no-build      never build (the jars must exist)
  -h, --help      print this help and exit

Ports: from CCTV_DEMO_BASE_PORT=24000 on: NATS clients +1..+3, NATS monitoring +11..+13, routes +21..+23,
MQTT +31..+33, ingest cameras +41/+42 and HTTP +51/+52, recorders +61/+62, dashboards +71/+72.
Then, for instance: kill -9 <pid of a NATS node>; the dashboards keep showing every camera.
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --recorders) RECORDERS="${2:-}"; shift 2 ;;
    --cameras) CAMERAS_PER_INGEST="${2:-}"; shift 2 ;;
    --no-build) BUILD=never; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$RECORDERS" =~ ^[12]$ ]] || { echo "--recorders must be 1 or 2" >&2; exit 2; }
[[ "$CAMERAS_PER_INGEST" =~ ^[1-9][0-9]?$ ]] || { echo "--cameras must be 1 to 99" >&2; exit 2; }

SAY_AS=cctv-cluster
HEALTHY_WITHIN=120
# shellcheck source=deploy/processes.sh
. "$ROOT/deploy/processes.sh"

command -v java >/dev/null || die "java not found: install Java 17+"
command -v curl >/dev/null || die "curl not found"
NATS_BIN="${NATS_SERVER_BIN:-$(command -v nats-server || true)}"
[ -z "$NATS_BIN" ] && [ -x /usr/sbin/nats-server ] && NATS_BIN=/usr/sbin/nats-server
[ -n "$NATS_BIN" ] || die "nats-server not found (Debian/Ubuntu: sudo apt-get install -y nats-server)"

JARS=(ingest-service/target/quarkus-app/quarkus-run.jar recorder-service/target/quarkus-app/quarkus-run.jar
      dashboard-service/target/quarkus-app/quarkus-run.jar camera-client/target/camera-client.jar)
RUN_DIR="${CCTV_DEMO_DIR:-$ROOT/.run/cluster}"
LOGS="$RUN_DIR/logs"
mkdir -p "$LOGS"
missing=0
for jar in "${JARS[@]}"; do [ -f "$jar" ] || missing=1; done
if [ "$missing" = 1 ]; then
  [ "$BUILD" = never ] && die "the jars are missing: build with ./mvnw -B -DskipTests package"
  say "building (./mvnw package -DskipTests)…"
  ./mvnw -B -q -DskipTests package -pl camera-client,ingest-service,recorder-service,dashboard-service -am \
    > "$LOGS/build.log" 2>&1 || { tail -40 "$LOGS/build.log"; die "build failed, see $LOGS/build.log"; }
fi

for offset in 1 2 3 11 12 13 21 22 23 31 32 33 41 42 51 52 61 62 71 72; do
  port_free $((BASE_PORT + offset)) || die "port $((BASE_PORT + offset)) is in use: choose another CCTV_DEMO_BASE_PORT"
done

NAMES=()
trap stop_all EXIT
trap 'exit 130' INT TERM

# ---- NATS: three nodes, each the system's nats.conf (without users) with its name, MQTT port and the routes ----
mkdir -p "$RUN_DIR/nats"
cp "$ROOT/deploy/nats.conf" "$RUN_DIR/nats/nats.conf"
echo "# cluster demo: no users" > "$RUN_DIR/nats/nats-users.conf"
ROUTES="nats-route://127.0.0.1:$((BASE_PORT + 21)), nats-route://127.0.0.1:$((BASE_PORT + 22)), nats-route://127.0.0.1:$((BASE_PORT + 23))"
NATS_URL=""
for n in 1 2 3; do
  mkdir -p "$RUN_DIR/nats/node-$n"
  cat > "$RUN_DIR/nats/node-$n/nats.conf" <<CONF
# node $n of the cluster demo: as deploy/nats-cluster/nats-$n.conf, on loopback ports
include "../nats.conf"
server_name: cctv-$n
mqtt {
  host: 127.0.0.1
  port: $((BASE_PORT + 30 + n))
}
cluster {
  name: cctv
  host: 127.0.0.1
  port: $((BASE_PORT + 20 + n))
  routes: [$ROUTES]
}
CONF
  "$NATS_BIN" -c "$RUN_DIR/nats/node-$n/nats.conf" -a 127.0.0.1 -p $((BASE_PORT + n)) -m $((BASE_PORT + 10 + n)) \
    -sd "$RUN_DIR/nats/node-$n/store" > "$LOGS/nats-$n.log" 2>&1 &
  PIDS+=($!); NAMES+=("nats-$n")
  NATS_URL="${NATS_URL:+$NATS_URL,}nats://127.0.0.1:$((BASE_PORT + n))"
done
for n in 1 2 3; do
  # healthy: JetStream up and the meta leader known, which needs the routes
  wait_healthy "nats-$n" "http://127.0.0.1:$((BASE_PORT + 10 + n))/healthz" "${PIDS[$((n - 1))]}"
done

export CCTV_NATS_URL="$NATS_URL" CCTV_NATS_REPLICAS=3 CCTV_NATS_FRAMES_REPLICAS=3
JAVA_OPTS="${CCTV_JAVA_OPTS:--Xms64m -Xmx384m} -XX:+ExitOnOutOfMemoryError"
start_service() { # name module http-port VAR=value…
  local name="$1" module="$2" port="$3"
  shift 3
  env QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 CCTV_NATS_CONNECTION_NAME="cctv-$name" "$@" \
    java $JAVA_OPTS -jar "$module/target/quarkus-app/quarkus-run.jar" > "$LOGS/$name.log" 2>&1 &
  PIDS+=($!); NAMES+=("$name")
  wait_healthy "$name" "http://127.0.0.1:$port/q/health/ready" "${PIDS[-1]}"
}

# both ingests before any camera: each marks the cameras left online in the registry offline at start
for i in 1 2; do
  start_service "ingest-$i" ingest-service $((BASE_PORT + 50 + i)) CCTV_INGEST_PORT=$((BASE_PORT + 40 + i)) \
    CCTV_INGEST_TLS_ENABLED=false CCTV_INGEST_ALLOW_UNAUTHENTICATED=true CCTV_INGEST_INSTANCE_ID="ingest-$i"
done
IDS=""
for i in 1 2; do
  for ((c=1; c<=CAMERAS_PER_INGEST; c++)); do IDS="${IDS:+$IDS,}$(printf 'site%d-%02d' "$i" "$c")"; done
done
for r in $(seq 1 "$RECORDERS"); do
  mkdir -p "$RUN_DIR/recordings-$r"
  start_service "recorder-$r" recorder-service $((BASE_PORT + 60 + r)) CCTV_RECORDER_ROOT="$RUN_DIR/recordings-$r" \
    CCTV_RECORDER_ALWAYS_RECORD="$IDS" CCTV_RECORDER_INSTANCE_ID="recorder-$r" \
    CCTV_RECORDER_ADVERTISED_URL="http://127.0.0.1:$((BASE_PORT + 60 + r))"
done
for d in 1 2; do
  start_service "dashboard-$d" dashboard-service $((BASE_PORT + 70 + d)) \
    CCTV_DASHBOARD_RECORDER_URL="http://127.0.0.1:$((BASE_PORT + 61))" CCTV_DASHBOARD_AUTH_ENABLED=false
done
for i in 1 2; do
  java -Xmx192m -jar camera-client/target/camera-client.jar --server "127.0.0.1:$((BASE_PORT + 40 + i))" \
    --id "site$i" --simulate "$CAMERAS_PER_INGEST" --codec jpeg --fps 10 --size 640x360 --stats-interval 0 \
    > "$LOGS/cameras-$i.log" 2>&1 &
  PIDS+=($!); NAMES+=("cameras-$i")
done

echo
say "the cluster demo is running:"
for ((i=0; i<${#PIDS[@]}; i++)); do printf '    %-12s pid %s\n' "${NAMES[$i]}" "${PIDS[$i]}"; done
cat <<INFO

    Dashboards   http://127.0.0.1:$((BASE_PORT + 71))   http://127.0.0.1:$((BASE_PORT + 72))   (no sign-in in the demo)
    NATS         $NATS_URL   (monitoring on ports $((BASE_PORT + 11))-$((BASE_PORT + 13)))
    Recordings   $RUN_DIR/recordings-*
    Logs         $LOGS

    Try: kill -9 the pid of a NATS node or of a dashboard; cameras stay online and the other dashboard keeps
    showing them. Kill a recorder: the other records its cameras within seconds. (The demo cameras go to their own
    ingest, with no load balancer in front: kill an ingest and its cameras show offline; ClusterIT puts one there.) Ctrl-C stops everything this script started.

INFO
while true; do
  sleep 1
done
