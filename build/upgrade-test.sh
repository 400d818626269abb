#!/usr/bin/env bash
# Upgrade tier: a data directory made by an earlier Wrenn keeps working under this checkout's code. The earlier
# release (a git worktree of WRENN_UPGRADE_FROM, default 3c5f6c4) runs `./wrenn up` on a fresh data directory; through
# the API as its printed example does it: signs up, creates a key and a sandbox, writes a file, pauses the sandbox,
# makes a template of it and stops. Then a reboot is simulated (the slots' network namespaces dropped) and this
# checkout's `./wrenn up` starts on the same directory: the paused sandbox resumes with its file, the template starts.
# Runs as root under the machine's VM lock; always removes the worktree, its processes and the data directory.
#   WRENN_UPGRADE_DATA_DIR default /var/lib/wrenn-upgrade; WRENN_CI_PORT 18480; WRENN_CI_FIRST_SLOT 480
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UP_NAME="upgrade-test"
FROM="${WRENN_UPGRADE_FROM:-3c5f6c4}"
export WRENN_CI_DATA_DIR="${WRENN_UPGRADE_DATA_DIR:-/var/lib/wrenn-upgrade}"
export WRENN_CI_PORT="${WRENN_CI_PORT:-18480}" WRENN_CI_FIRST_SLOT="${WRENN_CI_FIRST_SLOT:-480}"
# This test makes its own account through signup (the earlier release has no administrator of its own).
export WRENN_SIGNUP=open
source build/up-fixture.sh
OLD="$(mktemp -d /tmp/wrenn-upgrade-XXXXXX)"

cleanup() {
  up_stop
  git worktree remove --force "$OLD/wrenn" 2>/dev/null || true
  rm -rf "$OLD"
  # Image versions are read-only (0444 files in 0555 directories).
  [ ! -d "$UP_DATA_DIR" ] || { chmod -R u+w "$UP_DATA_DIR" && rm -rf "$UP_DATA_DIR"; }
}
trap cleanup EXIT

# api METHOD PATH [JSON]: one call with the key; prints the body, fails on an HTTP error.
api() {
  curl -sSf -X "$1" "$UP_URL$2" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
exec_in() { api POST "/v1/sandboxes/$1/exec" "{\"cmd\":\"sh\",\"args\":[\"-c\",\"$2\"]}"; }

# Starts ./wrenn up of the checkout in $1 (up_start runs ./wrenn of the current directory and sets its own trap).
start_in() {
  pushd "$1" >/dev/null
  up_start || { popd >/dev/null; return 1; }
  popd >/dev/null
  trap cleanup EXIT
}

[ "$(id -u)" = 0 ] || { up_say "must run as root"; exit 1; }
[ ! -e "$UP_DATA_DIR" ] || { chmod -R u+w "$UP_DATA_DIR" && rm -rf "$UP_DATA_DIR"; }
up_say "the earlier release: git worktree of $FROM in $OLD/wrenn"
git worktree add --detach "$OLD/wrenn" "$FROM" >/dev/null
[ ! -f .mvn/wrapper/maven-wrapper.properties ] || install -D .mvn/wrapper/maven-wrapper.properties \
  "$OLD/wrenn/.mvn/wrapper/maven-wrapper.properties"

start_in "$OLD/wrenn"
# Sign up (the earlier release lets anyone; newer ones answer 202 without a token, and are started with
# WRENN_SIGNUP=open above), then log in for a token, then an API key.
ME='{"email":"upgrade@example.com","password":"upgrade-test-password"}'
curl -sf "$UP_URL/v1/auth/signup" -H 'Content-Type: application/json' -d "$ME" >/dev/null || true
TOKEN=$(curl -sSf "$UP_URL/v1/auth/login" -H 'Content-Type: application/json' -d "$ME" | field token)
[ -n "$TOKEN" ] || { up_say "no token from login after signup"; exit 1; }
KEY=$(curl -sSf "$UP_URL/v1/api-keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"upgrade"}' | field key)
SB=$(api POST /v1/sandboxes '{"template":"base"}' | field id)
[ -n "$SB" ] || { up_say "no sandbox id"; exit 1; }
exec_in "$SB" "echo written-before-the-upgrade > /tmp/upgrade-marker" >/dev/null
TEMPLATE_SB=$(api POST /v1/sandboxes '{"template":"base"}' | field id)
exec_in "$TEMPLATE_SB" "echo from-the-template > /tmp/template-marker" >/dev/null
api POST /v1/snapshots "{\"sandbox_id\":\"$TEMPLATE_SB\",\"name\":\"upgrade-template\"}" >/dev/null
api POST "/v1/sandboxes/$SB/pause" >/dev/null
OLD_IMAGE="$(readlink "$UP_DATA_DIR/images/current")"
up_say "earlier release: sandbox $SB paused with a file, template upgrade-template made; stopping it"
up_stop

# A reboot: no process, no network namespace of these slots survives.
for ns in $(ip netns list | awk '{ print $1 }' | grep '^wrenn-ns-'); do
  slot="${ns#wrenn-ns-}"
  if [ "$slot" -ge "$WRENN_CI_FIRST_SLOT" ] && [ "$slot" -lt $((WRENN_CI_FIRST_SLOT + 8)) ]; then ip netns delete "$ns"; fi
done

up_say "this checkout's ./wrenn up on the same data directory"
start_in "$ROOT"
NEW_IMAGE="$(readlink "$UP_DATA_DIR/images/current")"
if [ "$NEW_IMAGE" != "$OLD_IMAGE" ]; then
  # The paused sandbox's disk is an overlay over the earlier image: that version must still be there.
  [ -f "$UP_DATA_DIR/images/$OLD_IMAGE/rootfs.ext4" ] \
    || { up_say "image $OLD_IMAGE was pruned while paused sandbox $SB still uses it"; exit 1; }
  up_say "guest image $OLD_IMAGE -> $NEW_IMAGE; $OLD_IMAGE kept for the paused sandbox"
fi
api POST "/v1/sandboxes/$SB/resume" >/dev/null
out="$(exec_in "$SB" "cat /tmp/upgrade-marker")"
[[ "$out" == *written-before-the-upgrade* ]] || { up_say "the resumed sandbox lost its file: $out"; exit 1; }
CLONE=$(api POST /v1/sandboxes '{"template":"upgrade-template"}' | field id)
out="$(exec_in "$CLONE" "cat /tmp/template-marker")"
[[ "$out" == *from-the-template* ]] || { up_say "the template's sandbox lacks its file: $out"; exit 1; }
api DELETE "/v1/sandboxes/$SB" >/dev/null
api DELETE "/v1/sandboxes/$CLONE" >/dev/null
up_say "the paused sandbox resumed with its file and the template started, after the upgrade"
