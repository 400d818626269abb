#!/usr/bin/env bash
# Campaigns tier: the short CI versions of docs/reliability.md's campaigns, each on its own scratch `./wrenn up`
# (started and stopped by the campaign itself, by pid): soak (20 cycles), integrity (5 pause/resume cycles of 16 MiB
# in memory and on disk, then the clone checks) and load (4 sandboxes, 100 concurrent execs per route).
#   WRENN_CAMPAIGN_DATA_DIR   default /var/lib/wrenn-campaign-ci (its guest image: hard links to the built test
#                             image in WRENN_TEST_DATA_DIR when it has none, else `./wrenn up` builds one)
#   WRENN_CAMPAIGN_PORT       default 18480 (the E2B proxy is +1)
#   WRENN_CAMPAIGN_FIRST_SLOT default 500 (16 slots), away from the other tiers' slots and ports
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA_DIR="${WRENN_CAMPAIGN_DATA_DIR:-/var/lib/wrenn-campaign-ci}"
PORT="${WRENN_CAMPAIGN_PORT:-18480}"
FIRST_SLOT="${WRENN_CAMPAIGN_FIRST_SLOT:-500}"
TEST_IMAGES="${WRENN_TEST_DATA_DIR:-/var/lib/wrenn-test}/images"

say() { echo "campaigns: $*" >&2; }
[ "$(id -u)" = 0 ] || { say "must run as root (the campaigns boot VMs)"; exit 1; }

if [ ! -e "$DATA_DIR/images/current" ] && [ -e "$TEST_IMAGES/current" ]; then
  install -d -m 0700 "$DATA_DIR"
  rm -rf "$DATA_DIR/images.linking"
  cp -al "$TEST_IMAGES" "$DATA_DIR/images.linking"
  rm -f "$DATA_DIR/images.linking/.build.lock"   # a lock of its own, not the test image's
  mv "$DATA_DIR/images.linking" "$DATA_DIR/images"
fi

common=(--data-dir "$DATA_DIR" --port "$PORT" --first-slot "$FIRST_SLOT" --max-sandboxes 16)
status=0
say "soak (20 cycles)"
./wrenn soak --cycles 20 "${common[@]}" || status=1
say "integrity (5 cycles, 16 MiB)"
./wrenn integrity --cycles 5 --size-mib 16 "${common[@]}" || status=1
say "load (4 sandboxes, 100 execs)"
./wrenn load --sandboxes 4 --execs 100 "${common[@]}" || status=1
exit "$status"
