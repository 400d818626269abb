#!/usr/bin/env bash
# E2B API compatibility tier: drives the official `e2b` npm package (2.51.0), unmodified, against a real control
# plane (E2B API + sandbox proxy) and host agent booting real VMs. Run from the repository root as root:
#   bash build/e2b-api-compat.sh [test/some.test.mjs ...]
#   bash build/e2b-api-compat.sh --bench [runs]     the create -> first output benchmark (docs/benchmarks.md)
# It builds both jars, starts the host agent on its own data directory (images hard-linked from the built test
# image in /var/lib/wrenn-test) and slots 230.., starts the control plane on free loopback ports, signs up a user,
# creates an e2b_ API key through /v1, runs compat/e2b-api/test/*.test.mjs, and always stops what it started (by
# pid) and deletes its data directories.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source build/java-home.sh
export JAVA_HOME="$(wrenn_java_home)"
JAVA="$JAVA_HOME/bin/java"
IMAGE_DIR="${WRENN_TEST_DATA_DIR:-/var/lib/wrenn-test}/images/current"
FIRST_SLOT="${WRENN_E2B_COMPAT_FIRST_SLOT:-230}"
COMPAT_DIR=compat/e2b-api

say() { echo "e2b-api-compat: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (the host agent boots VMs)"
[ -f "$IMAGE_DIR/rootfs.ext4" ] || die "no built guest image in $IMAGE_DIR (build it with images/build.sh)"
command -v node >/dev/null || die "node is not installed"

WORK="$(mktemp -d /tmp/wrenn-e2b-api-compat.XXXXXX)"
agent_pid=""
cp_pid=""

stop_pid() {
  local pid="$1"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    for log in "$WORK/control-plane.log" "$WORK/host-agent.log"; do
      [ -f "$log" ] && { say "last lines of $log:"; tail -n 40 "$log" | sed 's/^/  | /' >&2; }
    done
  fi
  stop_pid "$cp_pid"
  stop_pid "$agent_pid"   # the agent destroys its sandboxes on SIGTERM
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "building the host agent and the control plane"
./mvnw -q -B -pl host-agent,control-plane -am package -DskipTests

mkdir -p "$WORK/agent/images" "$WORK/cp"
for f in "$IMAGE_DIR"/*; do ln "$(realpath "$f")" "$WORK/agent/images/$(basename "$f")"; done
GRPC_PORT="$(free_port)"
API_PORT="$(free_port)"
PROXY_PORT="$(free_port)"

say "starting the control plane: API 127.0.0.1:$API_PORT, proxy 127.0.0.1:$PROXY_PORT"
WRENN_DATA_DIR="$WORK/cp" WRENN_HOST_AGENT_ADDR="127.0.0.1:$GRPC_PORT" \
  "$JAVA" -jar control-plane/target/wrenn-control-plane.jar \
  --host 127.0.0.1 --port "$API_PORT" --proxy-port "$PROXY_PORT" >"$WORK/control-plane.log" 2>&1 </dev/null &
cp_pid=$!

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$API_PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$cp_pid" 2>/dev/null || die "the control plane exited"
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$API_PORT/healthz" >/dev/null || die "the control plane did not answer /healthz"

# The first signup of a fresh control plane (signup mode first-user) is its administrator; signup answers no token.
COMPAT_ME='{"email":"compat@example.com","password":"compat-password"}'
curl -fsS -X POST "http://127.0.0.1:$API_PORT/v1/auth/signup" -H 'content-type: application/json' -d "$COMPAT_ME" \
  >/dev/null
TOKEN="$(curl -fsS -X POST "http://127.0.0.1:$API_PORT/v1/auth/login" -H 'content-type: application/json' \
  -d "$COMPAT_ME" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
E2B_KEY="$(curl -fsS -X POST "http://127.0.0.1:$API_PORT/v1/api-keys" -H 'content-type: application/json' \
  -H "Authorization: Bearer $TOKEN" -d '{"name":"e2b-compat","format":"e2b"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"

# The host agent talks to the control plane only over mutual TLS: it enrolls once with a one-time token the
# administrator asks for, then serves with the certificate it was issued.
ENROLL_TOKEN="$(curl -fsS -X POST "http://127.0.0.1:$API_PORT/v1/admin/hosts/enrollment-tokens" \
  -H 'content-type: application/json' -H "Authorization: Bearer $TOKEN" -d '{"host":"127.0.0.1"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
say "starting the host agent on 127.0.0.1:$GRPC_PORT (slots $FIRST_SLOT..)"
"$JAVA" --enable-native-access=ALL-UNNAMED -jar host-agent/target/wrenn-host-agent.jar \
  --data-dir "$WORK/agent" --listen "127.0.0.1:$GRPC_PORT" --first-slot "$FIRST_SLOT" --max-sandboxes 8 \
  --boot-timeout 180 \
  --enroll "http://127.0.0.1:$API_PORT" --token "$ENROLL_TOKEN" >"$WORK/host-agent.log" 2>&1 </dev/null &
agent_pid=$!
for _ in $(seq 1 240); do
  (exec 3<>"/dev/tcp/127.0.0.1/$GRPC_PORT") 2>/dev/null && break
  kill -0 "$agent_pid" 2>/dev/null || die "the host agent exited (see $WORK/host-agent.log)"
  sleep 0.5
done

say "installing the pinned SDK"
(cd "$COMPAT_DIR" && if [ -f package-lock.json ]; then npm ci --silent; else npm install --silent; fi)

cd "$COMPAT_DIR"
if [ "${1:-}" = --bench ]; then
  say "benchmark: SDK create -> first command output vs the same through /v1"
  E2B_API_URL="http://127.0.0.1:$API_PORT" E2B_SANDBOX_URL="http://127.0.0.1:$PROXY_PORT" E2B_API_KEY="$E2B_KEY" \
    node bench/create-first-output.mjs "${2:-50}"
  exit 0
fi
say "running the suite"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(test/*.test.mjs)
(E2B_API_URL="http://127.0.0.1:$API_PORT" E2B_SANDBOX_URL="http://127.0.0.1:$PROXY_PORT" \
  E2B_API_KEY="$E2B_KEY" node --test --test-concurrency=1 --test-reporter=spec "${tests[@]}")
