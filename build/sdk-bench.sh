#!/usr/bin/env bash
# The Java SDK's benchmark (docs/benchmarks.md): create → first output and the exec round trip, through the Java SDK,
# through curl on /v1 and through the E2B JavaScript SDK, against one real `./wrenn up`, in one run.
#   bash build/sdk-bench.sh [runs]      (as root)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UP_NAME="sdk-bench"
source build/up-fixture.sh
source build/java-home.sh
source build/ensure-wrapper.sh
JAVA_HOME="$(wrenn_java_home)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
wrenn_ensure_wrapper "$ROOT"
runs="${1:-20}"
(cd compat/e2b-api && npm ci --silent)
up_start --reset-password
example="$(up_printed_example)"
email="$(printf '%s\n' "$example" | sed -n "s/^EMAIL='\(.*\)'$/\1/p")"
password="$(printf '%s\n' "$example" | sed -n "s/^PASSWORD='\(.*\)'$/\1/p")"
token="$(curl -fsS "$UP_URL/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
key="$(curl -fsS "$UP_URL/v1/api-keys" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"sdk-bench","format":"e2b"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
proxy="http://127.0.0.1:$((UP_PORT + 1))"
echo "| path ($runs runs each, after one warm-up) | p50 | p95 |"
echo "|---|---|---|"
WRENN_URL="$UP_URL" WRENN_API_KEY="$key" ./mvnw -q -B -pl sdk test -Dtest=SdkBenchmark -Druns="$runs" \
  -Dsurefire.failIfNoSpecifiedTests=false 2>/dev/null | grep '^| '
(cd compat/e2b-api && E2B_API_URL="$UP_URL" E2B_SANDBOX_URL="$proxy" E2B_API_KEY="$key" \
  node bench/sdk-peer.mjs "$runs") | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("| E2B JS SDK: Sandbox.create → commands.run(\"echo first\") output | %d ms | %d ms |" % (r["createP50"], r["createP95"]))
print("| E2B JS SDK: exec round trip, commands.run(\"true\") | %d ms | %d ms |" % (r["execP50"], r["execP95"]))'
