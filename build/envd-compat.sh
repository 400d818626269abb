#!/usr/bin/env bash
# E2B compatibility tier: drives the official `e2b` npm package, unmodified and in debug mode,
# against the guest agent on localhost:49983. Run from the repository root as root:
#   bash build/envd-compat.sh
# It makes sure the Linux account `user` exists (the default user of E2B's templates), installs
# the pinned SDK, starts `./wrenn guest-agent`, sends it /init, runs compat/e2b/test/*.test.mjs and
# always stops the agent it started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT=49983
COMPAT_DIR=compat/e2b
LOG_DIR=.wrenn/logs
AGENT_LOG="$LOG_DIR/envd-compat-agent.log"
# The JVM gets 60 s to answer /health once it runs; building the agent first may take longer.
HEALTH_WAIT_SECONDS="${WRENN_AGENT_HEALTH_SECONDS:-60}"
BUILD_WAIT_SECONDS="${WRENN_AGENT_BUILD_SECONDS:-900}"
INIT_BODY='{"defaultUser":"user","envVars":{"WRENN_COMPAT":"1"}}'
SUDOERS_FILE=/etc/sudoers.d/wrenn-user

agent_pid=""
agent_started=0
created_user=0

say() { echo "envd-compat: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }

print_agent_log() {
  [ "$agent_started" = 1 ] && [ -f "$AGENT_LOG" ] || return 0
  say "last lines of the agent log ($AGENT_LOG):"
  tail -n 60 "$AGENT_LOG" | sed 's/^/  | /' >&2
}

# The agent runs in its own process group (set -m below), so killing the group also ends a Maven
# build the launcher may still be running. Only this pid and its group are touched.
stop_agent() {
  [ -n "$agent_pid" ] || return 0
  if kill -0 "$agent_pid" 2>/dev/null; then
    kill -TERM -- "-$agent_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$agent_pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL -- "-$agent_pid" 2>/dev/null || true
  fi
  wait "$agent_pid" 2>/dev/null || true
  agent_pid=""
}

# The account is removed again only if this run created it (tests clean up what they create);
# WRENN_KEEP_USER=1 keeps it for poking around afterwards.
remove_created_user() {
  [ "$created_user" = 1 ] || return 0
  [ "${WRENN_KEEP_USER:-0}" = 1 ] && { say "keeping the account 'user' created by this run (WRENN_KEEP_USER=1)"; return 0; }
  rm -f "$SUDOERS_FILE"
  userdel --remove user 2>/dev/null || say "could not remove the account 'user' created by this run"
}

on_exit() {
  local status=$?
  stop_agent
  [ "$status" -ne 0 ] && print_agent_log
  remove_created_user
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

require_tools() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (it creates the account 'user' and the agent switches users)"
  command -v node >/dev/null || die "node is missing: install Node.js 20 or later"
  command -v npm >/dev/null || die "npm is missing: install npm (it comes with Node.js)"
  command -v useradd >/dev/null || die "useradd is missing: install the Debian package passwd"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "node $(node --version) is too old: the e2b SDK needs Node.js 20 or later"
  node "$COMPAT_DIR/bin/agent-http.mjs" port-free "$PORT" \
    || die "port $PORT is already in use; stop whatever listens there (the SDK's debug mode only talks to $PORT)"
}

ensure_user() {
  if id -u user >/dev/null 2>&1; then
    local home
    home="$(getent passwd user | cut -d: -f6)"
    [ "$home" = /home/user ] || die "the account 'user' exists but its home is '$home', not /home/user"
  else
    local uid_opt=()
    getent passwd 1000 >/dev/null || uid_opt=(--uid 1000)
    useradd --create-home --home-dir /home/user --shell /bin/bash --user-group "${uid_opt[@]}" user \
      || die "could not create the account 'user'"
    created_user=1
    say "created the Linux account 'user' (uid $(id -u user), home /home/user); it is removed again at exit"
  fi
  if command -v sudo >/dev/null && [ ! -f "$SUDOERS_FILE" ]; then
    local staged="$SUDOERS_FILE.tmp.$$"
    echo 'user ALL=(ALL:ALL) NOPASSWD: ALL' >"$staged"
    chmod 0440 "$staged"
    if command -v visudo >/dev/null && ! visudo -cqf "$staged"; then rm -f "$staged"; die "visudo rejected $SUDOERS_FILE"; fi
    mv "$staged" "$SUDOERS_FILE"
    say "gave 'user' passwordless sudo ($SUDOERS_FILE)"
  fi
}

install_sdk() {
  say "installing the pinned e2b SDK (npm ci in $COMPAT_DIR)"
  (cd "$COMPAT_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || die "npm ci in $COMPAT_DIR failed (is the npm registry reachable?)"
  local version
  version="$(node -p "require('./$COMPAT_DIR/node_modules/e2b/package.json').version")"
  say "e2b SDK $version"
}

start_agent() {
  mkdir -p "$LOG_DIR"
  say "starting ./wrenn guest-agent --port $PORT (log: $AGENT_LOG)"
  set -m # a background job in its own process group, so stop_agent can end all of it
  ./wrenn guest-agent --port "$PORT" >"$AGENT_LOG" 2>&1 &
  agent_pid=$!
  agent_started=1
  set +m
}

# ./wrenn builds the agent if needed, then execs java in the same process: the health clock
# starts once that process is a JVM, so a slow build is not mistaken for a slow start.
wait_for_health() {
  local started=$SECONDS jvm_since=""
  while :; do
    if ! kill -0 "$agent_pid" 2>/dev/null; then
      local status=0
      wait "$agent_pid" || status=$?
      agent_pid=""
      die "the guest agent exited (status $status) before GET /health answered 204"
    fi
    if node "$COMPAT_DIR/bin/agent-http.mjs" health "$PORT" 2>/dev/null; then
      say "agent healthy after $((SECONDS - started)) s"
      return 0
    fi
    if [ -z "$jvm_since" ] && [ "$(cat "/proc/$agent_pid/comm" 2>/dev/null)" = java ]; then jvm_since=$SECONDS; fi
    if [ -n "$jvm_since" ] && [ $((SECONDS - jvm_since)) -ge "$HEALTH_WAIT_SECONDS" ]; then
      die "the guest agent did not answer GET /health with 204 within $HEALTH_WAIT_SECONDS s of starting"
    fi
    if [ -z "$jvm_since" ] && [ $((SECONDS - started)) -ge "$BUILD_WAIT_SECONDS" ]; then
      die "./wrenn guest-agent did not start a JVM within $BUILD_WAIT_SECONDS s (stuck building?)"
    fi
    sleep 0.5
  done
}

init_agent() {
  node "$COMPAT_DIR/bin/agent-http.mjs" init "$PORT" "$INIT_BODY" || die "POST /init was refused"
  say "POST /init $INIT_BODY accepted"
}

run_tests() {
  say "running the E2B SDK compatibility tests"
  # Explicit files rather than the directory: every Node version since 20 reads them the same way.
  node --test --test-reporter=spec "$COMPAT_DIR"/test/*.test.mjs || die "E2B SDK compatibility tests failed"
}

require_tools
ensure_user
install_sdk
start_agent
wait_for_health
init_agent
run_tests
say "all E2B SDK compatibility tests passed"
