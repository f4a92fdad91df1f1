# The part of ./run.sh and deploy/cluster-demo.sh that starts nothing by itself: messages, ports, and the stop of
# every process the script started. Sourced; the script sets SAY_AS (its name in messages), LOGS (where each
# process logs to <name>.log) and, if 90 s is too short, HEALTHY_WITHIN (seconds).

say() { printf '\033[1m[%s]\033[0m %s\n' "$SAY_AS" "$*"; }
die() { printf '\033[1;31m[%s] %s\033[0m\n' "$SAY_AS" "$*" >&2; exit 1; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PIDS=()      # services, in start order: stopped last first
CAM_PIDS=()  # cameras: stopped first, all at once
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo
  say "stopping…"
  local pid i
  for pid in "${CAM_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${CAM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  say "stopped everything this script started"
}

wait_healthy() { # name url pid [curl option…]
  local within="${HEALTHY_WITHIN:-90}"
  local deadline=$((SECONDS + within))
  until curl -fsS "${@:4}" -o /dev/null "$2" 2>/dev/null; do
    if ! kill -0 "$3" 2>/dev/null; then
      tail -30 "$LOGS/$1.log" >&2
      die "$1 exited during start-up, see $LOGS/$1.log"
    fi
    if [ $SECONDS -gt $deadline ]; then
      tail -30 "$LOGS/$1.log" >&2
      die "$1 not healthy after $within s ($2), see $LOGS/$1.log"
    fi
    sleep 0.5
  done
  say "$1 is up ($2, pid $3)"
}
