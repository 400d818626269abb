#!/usr/bin/env bash
# Console tier: the web console's browser journey (console/test/e2e.test.mjs, Debian's Chromium) against a real
# `./wrenn up` with real VMs. Fails if any step was skipped because the server lacks a route, naming it.
#   WRENN_SCREENSHOTS=1 also refreshes docs/console/*.png from the real stack.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UP_NAME="console-e2e"
source build/up-fixture.sh

command -v npm >/dev/null || { up_say "npm is missing (the console's tests run under Node.js)"; exit 1; }
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { up_say "Chromium is missing: apt-get install chromium"; exit 1; }
console/build.sh
# The journey signs a new user up each run: open signup (the default, first-user, is covered by the security tier).
up_start --signup open
report="$(mktemp /tmp/wrenn-console-e2e-XXXXXX.txt)"
status=0
(cd console && WRENN_URL="$UP_URL" npm test) 2>&1 | tee "$report" || status=$?
missing="$(grep -o 'WRENN-E2E-MISSING: .*' "$report" || true)"
rm -f "$report"
if [ -n "$missing" ]; then
  up_say "steps skipped because the server lacks routes:"
  printf '%s\n' "$missing" | sed 's/^WRENN-E2E-MISSING: /  /' >&2
  status=1
fi
exit "$status"
