#!/usr/bin/env bash
# Java SDK and CLI tier: starts a real `./wrenn up` (build/up-fixture.sh), logs in as its administrator with the
# password it prints, makes an API key, then
#   1. runs the SDK's integration tests (sdk/src/test/java/**/it/*IT.java) against it, real VMs behind;
#   2. drives the `./wrenn` client commands as a user would (build/cli-test.sh), `sandbox shell` in tmux.
#   bash build/sdk-cli.sh [--sdk-only | --cli-only]
# Fails, naming what is missing, when something it needs (root, tmux, the guest image) is not there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UP_NAME="sdk-cli"
source build/up-fixture.sh
source build/java-home.sh
source build/ensure-wrapper.sh
JAVA_HOME="$(wrenn_java_home)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
wrenn_ensure_wrapper "$ROOT"

part="${1:-all}"
command -v tmux >/dev/null || { up_say "tmux is missing (apt-get install tmux): the CLI's shell test needs a terminal"; exit 1; }

up_say "building the SDK"
./mvnw -q -B -pl sdk install -DskipTests

up_start --reset-password
example="$(up_printed_example)"
email="$(printf '%s\n' "$example" | sed -n "s/^EMAIL='\(.*\)'$/\1/p")"
password="$(printf '%s\n' "$example" | sed -n "s/^PASSWORD='\(.*\)'$/\1/p")"
[ -n "$email" ] && [ -n "$password" ] || { up_say "./wrenn up printed no administrator password"; exit 1; }
token="$(curl -fsS "$UP_URL/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
key="$(curl -fsS "$UP_URL/v1/api-keys" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"sdk-cli-tier"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"

status=0
if [ "$part" != --cli-only ]; then
  up_say "the SDK's integration tests against $UP_URL"
  WRENN_URL="$UP_URL" WRENN_API_KEY="$key" ./mvnw -B -pl sdk test -Dtest='*IT' -Dsurefire.failIfNoSpecifiedTests=false \
    || status=1
fi
if [ "$part" != --sdk-only ]; then
  up_say "the wrenn client commands against $UP_URL"
  WRENN_TEST_URL="$UP_URL" WRENN_TEST_KEY="$key" bash build/cli-test.sh || status=1
fi
exit "$status"
