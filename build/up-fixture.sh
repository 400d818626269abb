# Sourced by the tiers that need a real `./wrenn up` (build/up-smoke.sh, build/console-e2e.sh): starts it in the
# background on its own data directory, port and network slots, waits until it serves, and always stops it by pid.
#   WRENN_CI_DATA_DIR  default /var/lib/wrenn-ci (its guest image is built on first use and reused)
#   WRENN_CI_PORT      default 18380;  WRENN_CI_FIRST_SLOT default 400 (8 slots), away from the host tests' slots
# A start sweep reclaims leftovers only in that data directory and slot range, so other checkouts are untouched.

UP_DATA_DIR="${WRENN_CI_DATA_DIR:-/var/lib/wrenn-ci}"
UP_PORT="${WRENN_CI_PORT:-18380}"
UP_URL="http://127.0.0.1:$UP_PORT"
UP_LOG=""
UP_PID=""

up_say() { echo "$UP_NAME: $*" >&2; }

# Starts ./wrenn up with any extra options given (e.g. --reset-password, --signup open); returns once /healthz
# answers, or fails showing the log (first runs build the image: minutes).
up_start() {
  [ "$(id -u)" = 0 ] || { up_say "must run as root: ./wrenn up boots VMs"; return 1; }
  UP_LOG="$(mktemp /tmp/wrenn-up-XXXXXX.log)"
  WRENN_FIRST_SLOT="${WRENN_CI_FIRST_SLOT:-400}" WRENN_MAX_SANDBOXES=8 \
    ./wrenn up --data-dir "$UP_DATA_DIR" --port "$UP_PORT" "$@" >"$UP_LOG" 2>&1 &
  UP_PID=$!
  trap up_stop EXIT
  up_say "started ./wrenn up (pid $UP_PID, log $UP_LOG, data $UP_DATA_DIR, $UP_URL)"
  UP_WAITED=0
  up_wait_for "serve $UP_URL/healthz" curl -sf "$UP_URL/healthz" || return 1
  up_say "serving after ${UP_WAITED} s"
  # The banner comes once the base template is ready (made at start on a new data directory); what the tiers read
  # from it (the printed example) is there only then.
  up_wait_for "print its banner" grep -q "^Wrenn is running at " "$UP_LOG" || return 1
  up_say "ready after ${UP_WAITED} s"
}

# Polls the command given until it succeeds; fails showing the log if ./wrenn up exits first or 30 minutes (counted
# in UP_WAITED since up_start began) pass.
up_wait_for() {
  local what="$1"
  shift
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$UP_PID" 2>/dev/null; then
      up_say "./wrenn up exited before it could $what; its output:"
      cat "$UP_LOG" >&2
      return 1
    fi
    if [ "$UP_WAITED" -ge 1800 ]; then
      up_say "./wrenn up did not $what within 30 minutes; its output:"
      cat "$UP_LOG" >&2
      return 1
    fi
    sleep 1
    UP_WAITED=$((UP_WAITED + 1))
  done
}

# SIGTERM (what Ctrl-C does in a terminal; a background job ignores SIGINT), then SIGKILL after a minute.
up_stop() {
  [ -n "$UP_PID" ] || return 0
  if kill -0 "$UP_PID" 2>/dev/null; then
    kill -TERM "$UP_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$UP_PID" 2>/dev/null && [ "$waited" -lt 60 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    if kill -0 "$UP_PID" 2>/dev/null; then
      up_say "./wrenn up did not stop within 60 s of SIGTERM; killing it (the next start's sweep reclaims its VMs)"
      kill -KILL "$UP_PID" 2>/dev/null || true
    fi
  fi
  wait "$UP_PID" 2>/dev/null || true
  UP_PID=""
  if [ -n "$UP_LOG" ]; then
    grep -q "wrenn up stopped" "$UP_LOG" || { up_say "no clean stop in the log:"; tail -20 "$UP_LOG" >&2; }
    rm -f "$UP_LOG"
    UP_LOG=""
  fi
}

# The copy-paste example exactly as ./wrenn up printed it (it holds the administrator's password only when this start
# generated one: a first start, or --reset-password): the indented block after its heading, unindented.
up_printed_example() {
  awk '/^Try the API from another terminal:$/ { on = 1; next } on && /^$/ { exit } on { sub(/^  /, ""); print }' "$UP_LOG"
}
