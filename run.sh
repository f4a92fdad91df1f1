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
TOKEN_FOR=""

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
  --camera-token ID
                  print the token of camera ID (derived from the camera secret in .run/secrets/camera-secret,
                  made on first use) and exit: give it to that camera as CCTV_TOKEN or --token
  -h, --help      print this help and exit

Examples:
  ./run.sh                             # 3 demo cameras, dashboard on https://localhost:8443
  ./run.sh --cameras 0                 # no demo cameras: connect your own camera-client to port 9000 (TLS)
  CCTV_TOKEN=$(./run.sh --camera-token door) java -jar camera-client/target/camera-client.jar --id door ...
  NATS_URL=nats://host:4222 ./run.sh   # use an existing NATS (JetStream on, max_payload >= 8 MB)

HTTPS: the dashboard is served on https://localhost:8443 with a self-signed certificate made on the first run
(.run/tls/dashboard.crt; accept it once in the browser), or with yours: CCTV_DASHBOARD_TLS_CERT=fullchain.pem
CCTV_DASHBOARD_TLS_KEY=privkey.pem. Plain http://localhost:8080 stays open on this machine.

Ports (override with the environment): dashboard CCTV_DASHBOARD_PORT=8080 (http) and
CCTV_DASHBOARD_HTTPS_PORT=8443, recorder HTTP
CCTV_RECORDER_PORT=8081, ingest HTTP CCTV_INGEST_HTTP_PORT=8082, camera TCP CCTV_INGEST_PORT=9000,
private NATS CCTV_NATS_PORT=14222 (monitoring CCTV_NATS_MONITOR_PORT=18222), its MQTT interface
CCTV_MQTT_PORT (default: the first free of 1884-1893; 1883 is often a local Mosquitto) on CCTV_MQTT_HOST=127.0.0.1
(0.0.0.0 for home automation on the LAN; MQTT has no sign-in here and may only read camera events).

Secrets, made on the first run and kept in .run/secrets (this user only): each service's NATS password
(nats-ingest-password, …: every service signs in to NATS as its own user, deploy/nats-users.conf), the service token
that ingest's and the recorder's HTTP APIs require (service-token), the camera secret, the dashboard's password.
With NATS_URL, the services sign in with those users and passwords: give that server deploy/nats-users.conf and the
passwords (CCTV_NATS_<USER>_PASSWORD in its environment), or run it without users.

Camera TLS: the camera port speaks TLS with a self-signed certificate made on the first run (.run/tls/ingest.crt;
cameras give its fingerprint: camera-client --pin sha256:…, printed at start), or with yours:
CCTV_INGEST_TLS_CERT_FILE=fullchain.pem CCTV_INGEST_TLS_KEY_FILE=privkey.pem. For cameras that cannot speak TLS,
CCTV_INGEST_PLAIN_ENABLED=true opens plain TCP on CCTV_INGEST_PLAIN_PORT=9001 (their tokens cross the network in clear).

Webhooks: CCTV_WEBHOOKS_URLS=https://host/hook[,…] posts every camera event, signed with the secret made in
.run/secrets/webhook-secret on the first run that has webhooks (docs/dashboard.md#webhooks).
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
    --camera-token) option_value "$@"; TOKEN_FOR="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
  esac
done
is_count "$CAMERAS" || usage_error "--cameras must be a whole number from 0 to 9999, not '$CAMERAS'"
{ is_count "$CAMERA_FPS" && [ "$CAMERA_FPS" -ge 1 ]; } || usage_error "--fps must be a whole number from 1 to 9999, not '$CAMERA_FPS'"
[[ "$CAMERA_SIZE" =~ ^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$ ]] || usage_error "--size must be WIDTHxHEIGHT in pixels, like 1280x720, not '$CAMERA_SIZE'"
if [ -n "$TOKEN_FOR" ]; then
  [[ "$TOKEN_FOR" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || usage_error "--camera-token needs a camera id of letters, digits, '_' and '-' (at most 64), not '$TOKEN_FOR'"
fi
CAMERAS=$((10#$CAMERAS))
CAMERA_FPS=$((10#$CAMERA_FPS))

DASHBOARD_PORT="${CCTV_DASHBOARD_PORT:-8080}"
DASHBOARD_HTTPS_PORT="${CCTV_DASHBOARD_HTTPS_PORT:-8443}"
RECORDER_PORT="${CCTV_RECORDER_PORT:-8081}"
INGEST_HTTP_PORT="${CCTV_INGEST_HTTP_PORT:-8082}"
INGEST_PORT="${CCTV_INGEST_PORT:-9000}"
NATS_PORT="${CCTV_NATS_PORT:-14222}"
NATS_MONITOR_PORT="${CCTV_NATS_MONITOR_PORT:-18222}"
MQTT_HOST="${CCTV_MQTT_HOST:-127.0.0.1}"
RUN_DIR="${CCTV_RUN_DIR:-$ROOT/.run}"
RECORDINGS="${CCTV_RECORDINGS:-$ROOT/recordings}"
LOGS="$RUN_DIR/logs"

SAY_AS=cctv
# shellcheck source=deploy/processes.sh
. "$ROOT/deploy/processes.sh"

# ---- secrets -----------------------------------------------------------------------------------------
# Each secret is a file in $SECRETS (this user only), made once on the first run and kept, so that restarts keep
# cameras' tokens valid. ingest reads the camera secret from its file; each camera gets its own token from it.
SECRETS="$RUN_DIR/secrets"
secret_file() { # name [prefix]: prints the path of secret NAME (PREFIX, then random letters and digits), making it on first use
  local f="$SECRETS/$1"
  if [ ! -s "$f" ]; then
    (umask 077; mkdir -p "$SECRETS"; { printf '%s' "${2:-}"; head -c 32 /dev/urandom | base64 | tr -d '/+=\n'; } > "$f.new" \
      && mv "$f.new" "$f")
  fi
  chmod 700 "$SECRETS"; chmod 600 "$f"
  printf '%s' "$f"
}
# camera_token ID: the camera's token, base64url(HMAC-SHA256(camera secret, "cctv-camera:" + ID)) without padding
# (docs/ingest.md). The secret is on openssl's command line for the instant it runs: fine on your own machine.
camera_token() {
  command -v openssl >/dev/null || die "openssl not found (Debian: apt-get install -y openssl)"
  local key
  key="$(cat "$(secret_file camera-secret)")"
  printf 'cctv-camera:%s' "$1" | openssl dgst -sha256 -mac HMAC -macopt "key:$key" -binary | openssl base64 -A | tr '+/' '-_' | tr -d '='
}
if [ -n "$TOKEN_FOR" ]; then
  camera_token "$TOKEN_FOR"; echo
  exit 0
fi

command -v java >/dev/null || die "java not found: install Java 17+ (Debian: apt-get install -y openjdk-17-jre-headless)"
command -v curl >/dev/null || die "curl not found (Debian: apt-get install -y curl)"

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
trap stop_all EXIT
trap 'exit 130' INT TERM

# NATS users: each service signs in as its own user (deploy/nats-users.conf says what each may publish and
# subscribe) with a password made on the first run and kept in $SECRETS/nats-<user>-password. A password starts with a
# letter: nats-server reads it from its environment, where a leading digit could make it a number.
NATS_USERS=(ingest recorder dashboard)
NATS_ENV=()
for user in "${NATS_USERS[@]}"; do
  f="$(secret_file "nats-$user-password" n)"
  NATS_ENV+=("CCTV_NATS_${user^^}_PASSWORD=$(cat "$f")")
done
# The internal HTTP APIs (ingest's, the recorder's) require the service token, which the dashboard sends
SERVICE_TOKEN_FILE="$(secret_file service-token)"

# NATS
if [ -n "${NATS_URL:-}" ]; then
  say "using NATS at $NATS_URL"
else
  NATS_BIN="${NATS_SERVER_BIN:-$(command -v nats-server || true)}"
  [ -z "$NATS_BIN" ] && [ -x /usr/sbin/nats-server ] && NATS_BIN=/usr/sbin/nats-server
  [ -n "$NATS_BIN" ] || die "nats-server not found. Install it (Debian/Ubuntu: sudo apt-get install -y nats-server) or set NATS_URL=nats://host:4222"
  need_port "$NATS_PORT" "private NATS" CCTV_NATS_PORT
  need_port "$NATS_MONITOR_PORT" "NATS monitoring" CCTV_NATS_MONITOR_PORT
  # MQTT: the port given, else the first free one from 1884 (1883 is often taken by a local Mosquitto)
  if [ -n "${CCTV_MQTT_PORT:-}" ]; then
    MQTT_PORT="$CCTV_MQTT_PORT"
    need_port "$MQTT_PORT" "NATS MQTT" CCTV_MQTT_PORT
  else
    MQTT_PORT=""
    for p in 1884 1885 1886 1887 1888 1889 1890 1891 1892 1893; do
      if port_free "$p"; then MQTT_PORT="$p"; break; fi
    done
    [ -n "$MQTT_PORT" ] || die "no free MQTT port from 1884 to 1893: choose one with CCTV_MQTT_PORT=<port>"
  fi
  mkdir -p "$RUN_DIR/nats"
  # the system's one NATS configuration (limits, MQTT, users) followed by this run's MQTT address, which wins (NATS
  # takes the last value of a key). Where to listen and store is given on the command line; the users' passwords
  # in nats-server's environment, which only this user can read.
  { cat "$ROOT/deploy/nats.conf"; printf '\n# run.sh: MQTT address of this run\nmqtt {\n  host: "%s"\n  port: %s\n}\n' \
      "$MQTT_HOST" "$MQTT_PORT"; } > "$RUN_DIR/nats.conf"
  cp "$ROOT/deploy/nats-users.conf" "$RUN_DIR/nats-users.conf"
  # (export, a shell builtin: the passwords never appear on a command line, which every user can read)
  ( export "${NATS_ENV[@]}"; exec "$NATS_BIN" -c "$RUN_DIR/nats.conf" -a 127.0.0.1 -p "$NATS_PORT" \
      -m "$NATS_MONITOR_PORT" -sd "$RUN_DIR/nats" ) > "$LOGS/nats.log" 2>&1 &
  PIDS+=($!)
  NATS_URL="nats://127.0.0.1:$NATS_PORT"
  wait_healthy nats "http://127.0.0.1:$NATS_MONITOR_PORT/healthz" "${PIDS[-1]}"
fi
export CCTV_NATS_URL="$NATS_URL"

need_port "$INGEST_PORT" "ingest camera port" CCTV_INGEST_PORT
need_port "$INGEST_HTTP_PORT" "ingest HTTP" CCTV_INGEST_HTTP_PORT
need_port "$RECORDER_PORT" "recorder HTTP" CCTV_RECORDER_PORT
need_port "$DASHBOARD_PORT" "dashboard" CCTV_DASHBOARD_PORT
need_port "$DASHBOARD_HTTPS_PORT" "dashboard HTTPS" CCTV_DASHBOARD_HTTPS_PORT

# a service that runs out of memory exits (and says so in its log) rather than limp on with dead threads
JAVA_OPTS="${CCTV_JAVA_OPTS:--Xms64m -Xmx512m} -XX:+ExitOnOutOfMemoryError"

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

CAMERA_SECRET_FILE="$(secret_file camera-secret)"

# TLS on the camera port: your certificate (CCTV_INGEST_TLS_CERT_FILE, CCTV_INGEST_TLS_KEY_FILE), or a self-signed one
# made on the first run and kept in $RUN_DIR/tls; cameras pin its SHA-256 fingerprint (camera-client --pin).
if [ -n "${CCTV_INGEST_TLS_CERT_FILE:-}" ] || [ -n "${CCTV_INGEST_TLS_KEY_FILE:-}" ]; then
  INGEST_TLS_CERT="${CCTV_INGEST_TLS_CERT_FILE:-}"
  INGEST_TLS_KEY="${CCTV_INGEST_TLS_KEY_FILE:-}"
  [ -r "$INGEST_TLS_CERT" ] && [ -r "$INGEST_TLS_KEY" ] \
    || die "CCTV_INGEST_TLS_CERT_FILE and CCTV_INGEST_TLS_KEY_FILE must both name readable PEM files"
else
  INGEST_TLS_CERT="$RUN_DIR/tls/ingest.crt"
  INGEST_TLS_KEY="$RUN_DIR/tls/ingest.key"
  if [ ! -s "$INGEST_TLS_CERT" ] || [ ! -s "$INGEST_TLS_KEY" ]; then
    command -v openssl >/dev/null || die "openssl not found (Debian: apt-get install -y openssl)"
    (umask 077; mkdir -p "$RUN_DIR/tls")
    ingest_san="DNS:localhost,IP:127.0.0.1"
    ingest_host="$(hostname 2>/dev/null || echo localhost)"
    [[ "$ingest_host" =~ ^[A-Za-z0-9.-]+$ ]] && [ "$ingest_host" != localhost ] && ingest_san="$ingest_san,DNS:$ingest_host"
    (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=CCTV ingest" \
      -addext "subjectAltName=$ingest_san" -keyout "$INGEST_TLS_KEY" -out "$INGEST_TLS_CERT" >/dev/null 2>&1) \
      || die "openssl could not make a self-signed certificate in $RUN_DIR/tls"
    say "made a self-signed certificate for the camera port ($ingest_san): $INGEST_TLS_CERT"
  fi
fi
command -v openssl >/dev/null || die "openssl not found (Debian: apt-get install -y openssl)"
INGEST_PIN="sha256:$(openssl x509 -in "$INGEST_TLS_CERT" -noout -fingerprint -sha256 | sed 's/^.*=//')"

# a fixed instance id: a restarted ingest takes its cameras back at once (docs/ingest.md)
start_service ingest ingest-service "$INGEST_HTTP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 CCTV_INGEST_PORT="$INGEST_PORT" CCTV_INGEST_INSTANCE_ID=ingest-1 \
  CCTV_INGEST_CAMERA_SECRET_FILE="$CAMERA_SECRET_FILE" CCTV_NATS_USERNAME=ingest \
  CCTV_NATS_PASSWORD_FILE="$SECRETS/nats-ingest-password" CCTV_HTTP_SERVICE_TOKEN_FILE="$SERVICE_TOKEN_FILE" \
  CCTV_INGEST_TLS_CERT_FILE="$INGEST_TLS_CERT" CCTV_INGEST_TLS_KEY_FILE="$INGEST_TLS_KEY"
# the recorder announces where it answers (the dashboard lists recordings across every recorder it finds there)
start_service recorder recorder-service "$RECORDER_PORT" QUARKUS_HTTP_HOST=127.0.0.1 CCTV_RECORDER_ROOT="$RECORDINGS" \
  CCTV_RECORDER_INSTANCE_ID=recorder-1 CCTV_RECORDER_ADVERTISED_URL="http://127.0.0.1:$RECORDER_PORT" \
  CCTV_NATS_USERNAME=recorder CCTV_NATS_PASSWORD_FILE="$SECRETS/nats-recorder-password" CCTV_HTTP_SERVICE_TOKEN_FILE="$SERVICE_TOKEN_FILE"

# Sign-in: the dashboard's password and session secret are files in $SECRETS, made on the first run and readable
# by this user only, so that a restart keeps people signed in (CCTV_DASHBOARD_AUTH_PASSWORD, if set, wins).
if [ ! -s "$SECRETS/dashboard-password" ] && [ -s "$RUN_DIR/dashboard-password" ]; then
  (umask 077; mkdir -p "$SECRETS")
  mv "$RUN_DIR/dashboard-password" "$SECRETS/dashboard-password" # kept where earlier versions of this script put it
fi
PASSWORD_FILE="$(secret_file dashboard-password)"
SESSION_SECRET_FILE="$(secret_file session-secret)"
DASHBOARD_PASSWORD="${CCTV_DASHBOARD_AUTH_PASSWORD:-$(cat "$PASSWORD_FILE")}"
DASHBOARD_USER="${CCTV_DASHBOARD_AUTH_USERNAME:-admin}"

# Webhooks: their signing secret is a file in $SECRETS too, made only when webhooks are configured
WEBHOOK_ENV=()
if [ -n "${CCTV_WEBHOOKS_URLS:-}" ] && [ -z "${CCTV_WEBHOOKS_SECRET:-}" ]; then
  WEBHOOK_SECRET_FILE="${CCTV_WEBHOOKS_SECRET_FILE:-$(secret_file webhook-secret)}"
  WEBHOOK_ENV=(CCTV_WEBHOOKS_SECRET_FILE="$WEBHOOK_SECRET_FILE")
fi

# HTTPS: browsers decode H.264 (WebCodecs) only in a secure context, which a page from another machine is only
# over https. Your certificate, or a self-signed one made on the first run and kept in $RUN_DIR/tls.
if [ -n "${CCTV_DASHBOARD_TLS_CERT:-}" ] || [ -n "${CCTV_DASHBOARD_TLS_KEY:-}" ]; then
  TLS_CERT="${CCTV_DASHBOARD_TLS_CERT:-}"
  TLS_KEY="${CCTV_DASHBOARD_TLS_KEY:-}"
  [ -r "$TLS_CERT" ] && [ -r "$TLS_KEY" ] || die "CCTV_DASHBOARD_TLS_CERT and CCTV_DASHBOARD_TLS_KEY must both name readable PEM files"
  TLS_NOTE="certificate $TLS_CERT"
else
  TLS_DIR="$RUN_DIR/tls"
  TLS_CERT="$TLS_DIR/dashboard.crt"
  TLS_KEY="$TLS_DIR/dashboard.key"
  if [ ! -s "$TLS_CERT" ] || [ ! -s "$TLS_KEY" ]; then
    command -v openssl >/dev/null || die "openssl not found (Debian: apt-get install -y openssl)"
    (umask 077; mkdir -p "$TLS_DIR")
    host="$(hostname 2>/dev/null || echo localhost)"
    san="DNS:localhost,IP:127.0.0.1"
    [[ "$host" =~ ^[A-Za-z0-9.-]+$ ]] && [ "$host" != localhost ] && san="$san,DNS:$host"
    (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=CCTV dashboard" \
      -addext "subjectAltName=$san" -keyout "$TLS_KEY" -out "$TLS_CERT" >/dev/null 2>&1) \
      || die "openssl could not make a self-signed certificate in $TLS_DIR"
    say "made a self-signed certificate for the dashboard ($san): $TLS_CERT"
  fi
  TLS_NOTE="self-signed certificate $TLS_CERT: accept it once in the browser"
fi

start_service dashboard dashboard-service "$DASHBOARD_PORT" CCTV_DASHBOARD_RECORDER_URL="http://127.0.0.1:$RECORDER_PORT" \
  CCTV_DASHBOARD_AUTH_PASSWORD_FILE="$PASSWORD_FILE" CCTV_DASHBOARD_AUTH_SESSION_SECRET_FILE="$SESSION_SECRET_FILE" \
  QUARKUS_HTTP_SSL_PORT="$DASHBOARD_HTTPS_PORT" QUARKUS_HTTP_SSL_CERTIFICATE_FILES="$TLS_CERT" \
  QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES="$TLS_KEY" \
  CCTV_NATS_USERNAME=dashboard CCTV_NATS_PASSWORD_FILE="$SECRETS/nats-dashboard-password" CCTV_HTTP_SERVICE_TOKEN_FILE="$SERVICE_TOKEN_FILE" \
  "${WEBHOOK_ENV[@]}"
# the https port too, before anyone is told to open it (its certificate may be self-signed: -k)
wait_healthy dashboard "https://127.0.0.1:$DASHBOARD_HTTPS_PORT/q/health/ready" "${PIDS[-1]}" -k

NAMES=("Front door" "Warehouse" "Car park" "Loading bay" "Till" "Back office" "Corridor" "Yard")
# demo cameras send H.264 (the camera-client's default for the test pattern), decoded in the browser
for ((i=1; i<=CAMERAS; i++)); do
  id=$(printf 'demo-%02d' "$i")
  # each demo camera its own token, in its environment (not on its command line, which every user can read)
  CCTV_TOKEN="$(camera_token "$id")" java -Xmx128m -jar camera-client/target/camera-client.jar --server "127.0.0.1:$INGEST_PORT" --pin "$INGEST_PIN" --id "$id" \
    --name "${NAMES[$(( (i-1) % ${#NAMES[@]} ))]}" --source test --fps "$CAMERA_FPS" --size "$CAMERA_SIZE" \
    > "$LOGS/camera-$id.log" 2>&1 &
  CAM_PIDS+=($!)
done

if [ -n "${MQTT_PORT:-}" ]; then
  MQTT_LINE="mqtt://$MQTT_HOST:$MQTT_PORT   camera events on cctv/events/<camera>/<type> (mosquitto_sub -p $MQTT_PORT -t 'cctv/events/#' -v)"
else
  MQTT_LINE="whatever MQTT the NATS at $NATS_URL offers (its mqtt block)"
fi
if [ -n "${CCTV_WEBHOOKS_URLS:-}" ]; then
  WEBHOOK_LINE="every camera event to CCTV_WEBHOOKS_URLS, signed with ${WEBHOOK_SECRET_FILE:-CCTV_WEBHOOKS_SECRET}"
else
  WEBHOOK_LINE="none (set CCTV_WEBHOOKS_URLS=https://host/hook to post every camera event)"
fi

cat <<INFO

  CCTV is running.
    Dashboard     https://localhost:$DASHBOARD_HTTPS_PORT   ($TLS_NOTE)
                  (http://localhost:$DASHBOARD_PORT on this machine)
                  sign in as $DASHBOARD_USER / $DASHBOARD_PASSWORD   (kept in $SECRETS/dashboard-password;
                  the first admin: add users on the Users page)
    Cameras       $CAMERAS demo camera(s) streaming to ingest on port $INGEST_PORT (TLS, certificate $INGEST_TLS_CERT)
                  (add one: CCTV_TOKEN=\$(./run.sh --camera-token mycam) java -jar camera-client/target/camera-client.jar \\
                     --server 127.0.0.1:$INGEST_PORT --pin $INGEST_PIN --id mycam --source test)
                  camera tokens are derived from $CAMERA_SECRET_FILE (keep it secret)
    Recordings    $RECORDINGS
    Recorder API  http://localhost:$RECORDER_PORT/api/recordings   (ingest's and the recorder's HTTP need the service token:
                  curl -H "Authorization: Bearer \$(cat $SERVICE_TOKEN_FILE)" ...)
    NATS          $NATS_URL   (users ingest, recorder, dashboard: passwords in $SECRETS/nats-*-password;
                  no credentials: read camera events only)
    MQTT          ${MQTT_LINE}
    Webhooks      ${WEBHOOK_LINE}
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
