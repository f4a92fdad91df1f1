#!/usr/bin/env bash
# Runs the whole CCTV system natively, without Docker: a private NATS server (or $NATS_URL), the ingest,
# recorder and dashboard services, and demo cameras. `./run.sh --help` lists the options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

CAMERAS=3
CAMERA_FPS="${CCTV_DEMO_FPS:-15}"
CAMERA_SIZE="${CCTV_DEMO_SIZE:-1280x720}"
BUILD=auto

usage() {
  cat <<'USAGE'
Usage: ./run.sh [options]

Runs the whole CCTV system natively, without Docker: a private NATS server (or $NATS_URL), the ingest,
recorder and dashboard services, and demo cameras. Builds first if needed. Ctrl-C stops everything it
started, and nothing else.

Options:
  --cameras N     demo cameras to start, 0 or more (default 3)
  --fps N         frames per second of each demo camera, 1 or more (default 15, or $CCTV_DEMO_FPS)
  --size WxH      picture size of the demo cameras (default 1280x720, or $CCTV_DEMO_SIZE)
  --build         always rebuild first
  --no-build      never build (the jars must exist)
  -h, --help      print this help and exit

Examples:
  ./run.sh                             # 3 demo cameras, dashboard on http://localhost:8080
  ./run.sh --cameras 0                 # no demo cameras: connect your own camera-client to port 9000
  NATS_URL=nats://host:4222 ./run.sh   # use an existing NATS (JetStream on, max_payload >= 8 MB)

Ports (override with the environment): dashboard CCTV_DASHBOARD_PORT=8080, recorder HTTP
CCTV_RECORDER_PORT=8081, ingest HTTP CCTV_INGEST_HTTP_PORT=8082, camera TCP CCTV_INGEST_PORT=9000,
private NATS CCTV_NATS_PORT=14222 (monitoring CCTV_NATS_MONITOR_PORT=18222).
USAGE
}
usage_error() { # message
  printf 'run.sh: %s\n' "$1" >&2
  echo "Try './run.sh --help'." >&2
  exit 64
}
# option $1 needs a value: $2 must be there and not be the next option
option_value() {
  if [ $# -lt 2 ] || [ -z "$2" ] || [[ "$2" == --* ]]; then
    usage_error "$1 needs a value"
  fi
}
is_count() { [[ "$1" =~ ^[0-9]+$ ]] && [ "${#1}" -le 4 ]; }

while [ $# -gt 0 ]; do
  case "$1" in
    --cameras) option_value "$@"; CAMERAS="$2"; shift 2 ;;
    --fps) option_value "$@"; CAMERA_FPS="$2"; shift 2 ;;
    --size) option_value "$@"; CAMERA_SIZE="$2"; shift 2 ;;
    --build) BUILD=always; shift ;;
    --no-build) BUILD=never; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
  esac
done
is_count "$CAMERAS" || usage_error "--cameras must be a whole number from 0 to 9999, not '$CAMERAS'"
{ is_count "$CAMERA_FPS" && [ "$CAMERA_FPS" -ge 1 ]; } || usage_error "--fps must be a whole number from 1 to 9999, not '$CAMERA_FPS'"
[[ "$CAMERA_SIZE" =~ ^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$ ]] || usage_error "--size must be WIDTHxHEIGHT in pixels, like 1280x720, not '$CAMERA_SIZE'"
CAMERAS=$((10#$CAMERAS))
CAMERA_FPS=$((10#$CAMERA_FPS))

DASHBOARD_PORT="${CCTV_DASHBOARD_PORT:-8080}"
RECORDER_PORT="${CCTV_RECORDER_PORT:-8081}"
INGEST_HTTP_PORT="${CCTV_INGEST_HTTP_PORT:-8082}"
INGEST_PORT="${CCTV_INGEST_PORT:-9000}"
NATS_PORT="${CCTV_NATS_PORT:-14222}"
NATS_MONITOR_PORT="${CCTV_NATS_MONITOR_PORT:-18222}"
RUN_DIR="${CCTV_RUN_DIR:-$ROOT/.run}"
RECORDINGS="${CCTV_RECORDINGS:-$ROOT/recordings}"
LOGS="$RUN_DIR/logs"

say() { printf '\033[1m[cctv]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[cctv] %s\033[0m\n' "$*" >&2; exit 1; }

command -v java >/dev/null || die "java not found: install Java 17+ (Debian: apt-get install -y openjdk-17-jre-headless)"
command -v curl >/dev/null || die "curl not found (Debian: apt-get install -y curl)"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
need_port() {
  port_free "$1" || die "port $1 ($2) is already in use. Stop what holds it (ss -ltnp | grep :$1) or choose another with $3=<port>."
}

# ---- build -------------------------------------------------------------------------------------------
JARS=(ingest-service/target/quarkus-app/quarkus-run.jar recorder-service/target/quarkus-app/quarkus-run.jar
      dashboard-service/target/quarkus-app/quarkus-run.jar camera-client/target/camera-client.jar)
needs_build() {
  [ "$BUILD" = always ] && return 0
  [ "$BUILD" = never ] && return 1
  local jar
  for jar in "${JARS[@]}"; do
    [ -f "$jar" ] || return 0
    local module="${jar%%/*}"
    if [ -n "$(find "$module/src/main" protocol/src/main nats-support/src/main pom.xml "$module/pom.xml" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  done
  return 1
}
if needs_build; then
  say "building (./mvnw package -DskipTests), the first build downloads dependencies and takes a few minutes…"
  mkdir -p "$LOGS"
  ./mvnw -B -q -DskipTests package -pl camera-client,ingest-service,recorder-service,dashboard-service -am \
    > "$LOGS/build.log" 2>&1 || { tail -40 "$LOGS/build.log"; die "build failed, see $LOGS/build.log"; }
fi

# ---- processes ---------------------------------------------------------------------------------------
mkdir -p "$LOGS" "$RECORDINGS"
PIDS=()      # services, in start order
CAM_PIDS=()
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo
  say "stopping…"
  local pid
  for pid in "${CAM_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${CAM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  local i
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  say "stopped everything this script started"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_healthy() { # name url pid
  local deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    if ! kill -0 "$3" 2>/dev/null; then
      tail -30 "$LOGS/$1.log" >&2
      die "$1 exited during start-up, see $LOGS/$1.log"
    fi
    if [ $SECONDS -gt $deadline ]; then
      tail -30 "$LOGS/$1.log" >&2
      die "$1 not healthy after 90 s ($2), see $LOGS/$1.log"
    fi
    sleep 0.5
  done
  say "$1 is up ($2)"
}

# NATS
if [ -n "${NATS_URL:-}" ]; then
  say "using NATS at $NATS_URL"
else
  NATS_BIN="${NATS_SERVER_BIN:-$(command -v nats-server || true)}"
  [ -z "$NATS_BIN" ] && [ -x /usr/sbin/nats-server ] && NATS_BIN=/usr/sbin/nats-server
  [ -n "$NATS_BIN" ] || die "nats-server not found. Install it (Debian/Ubuntu: sudo apt-get install -y nats-server) or set NATS_URL=nats://host:4222"
  need_port "$NATS_PORT" "private NATS" CCTV_NATS_PORT
  need_port "$NATS_MONITOR_PORT" "NATS monitoring" CCTV_NATS_MONITOR_PORT
  mkdir -p "$RUN_DIR/nats"
  # the system's one NATS configuration (limits); where to listen and store is given here
  "$NATS_BIN" -c "$ROOT/deploy/nats.conf" -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" -sd "$RUN_DIR/nats" \
    > "$LOGS/nats.log" 2>&1 &
  PIDS+=($!)
  NATS_URL="nats://127.0.0.1:$NATS_PORT"
  wait_healthy nats "http://127.0.0.1:$NATS_MONITOR_PORT/healthz" "${PIDS[-1]}"
fi
export CCTV_NATS_URL="$NATS_URL"

need_port "$INGEST_PORT" "ingest camera port" CCTV_INGEST_PORT
need_port "$INGEST_HTTP_PORT" "ingest HTTP" CCTV_INGEST_HTTP_PORT
need_port "$RECORDER_PORT" "recorder HTTP" CCTV_RECORDER_PORT
need_port "$DASHBOARD_PORT" "dashboard" CCTV_DASHBOARD_PORT

JAVA_OPTS="${CCTV_JAVA_OPTS:--Xms64m -Xmx512m}"

# start_service NAME MODULE HTTP_PORT [VAR=value…]: runs a service's jar with its environment, in the background,
# logging to $LOGS/NAME.log, and waits until it is ready
start_service() {
  local name="$1" module="$2" port="$3"
  shift 3
  env QUARKUS_HTTP_PORT="$port" "$@" \
    java $JAVA_OPTS -jar "$module/target/quarkus-app/quarkus-run.jar" > "$LOGS/$name.log" 2>&1 &
  PIDS+=($!)
  wait_healthy "$name" "http://127.0.0.1:$port/q/health/ready" "${PIDS[-1]}"
}

start_service ingest ingest-service "$INGEST_HTTP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 CCTV_INGEST_PORT="$INGEST_PORT"
start_service recorder recorder-service "$RECORDER_PORT" QUARKUS_HTTP_HOST=127.0.0.1 CCTV_RECORDER_ROOT="$RECORDINGS"

# Sign-in: the dashboard's password and session secret are files in $RUN_DIR/secrets, made on the first run and
# readable by this user only, so that a restart keeps people signed in (CCTV_DASHBOARD_AUTH_PASSWORD, if set, wins).
SECRETS="$RUN_DIR/secrets"
(umask 077; mkdir -p "$SECRETS")
if [ ! -s "$SECRETS/dashboard-password" ] && [ -s "$RUN_DIR/dashboard-password" ]; then
  mv "$RUN_DIR/dashboard-password" "$SECRETS/dashboard-password" # kept where earlier versions of this script put it
fi
[ -s "$SECRETS/dashboard-password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$SECRETS/dashboard-password")
[ -s "$SECRETS/session-secret" ] || (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > "$SECRETS/session-secret")
chmod 600 "$SECRETS/dashboard-password" "$SECRETS/session-secret"
DASHBOARD_PASSWORD="${CCTV_DASHBOARD_AUTH_PASSWORD:-$(cat "$SECRETS/dashboard-password")}"
DASHBOARD_USER="${CCTV_DASHBOARD_AUTH_USERNAME:-admin}"

start_service dashboard dashboard-service "$DASHBOARD_PORT" CCTV_DASHBOARD_RECORDER_URL="http://127.0.0.1:$RECORDER_PORT" \
  CCTV_DASHBOARD_AUTH_PASSWORD_FILE="$SECRETS/dashboard-password" CCTV_DASHBOARD_AUTH_SESSION_SECRET_FILE="$SECRETS/session-secret"

NAMES=("Front door" "Warehouse" "Car park" "Loading bay" "Till" "Back office" "Corridor" "Yard")
# demo cameras send JPEG, which the live view shows in any browser
for ((i=1; i<=CAMERAS; i++)); do
  id=$(printf 'demo-%02d' "$i")
  java -Xmx128m -jar camera-client/target/camera-client.jar --server "127.0.0.1:$INGEST_PORT" --id "$id" \
    --name "${NAMES[$(( (i-1) % ${#NAMES[@]} ))]}" --source test --codec jpeg --fps "$CAMERA_FPS" --size "$CAMERA_SIZE" \
    > "$LOGS/camera-$id.log" 2>&1 &
  CAM_PIDS+=($!)
done

cat <<INFO

  CCTV is running.
    Dashboard     http://localhost:$DASHBOARD_PORT
                  sign in as $DASHBOARD_USER / $DASHBOARD_PASSWORD   (kept in $SECRETS/dashboard-password)
    Cameras       $CAMERAS demo camera(s) streaming to ingest on port $INGEST_PORT
                  (add one: java -jar camera-client/target/camera-client.jar --server 127.0.0.1:$INGEST_PORT --id mycam --source test)
    Recordings    $RECORDINGS
    Recorder API  http://localhost:$RECORDER_PORT/api/recordings
    NATS          $NATS_URL
    Logs          $LOGS/{nats,ingest,recorder,dashboard,camera-*}.log

  Ctrl-C stops everything this script started.

INFO

# Stay in the foreground until Ctrl-C or until a service dies.
while true; do
  for pid in "${PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      sleep 1 # on Ctrl-C the services get the signal too: let the INT trap win the race
      die "a service (pid $pid) exited; see the logs in $LOGS"
    fi
  done
  sleep 1
done
