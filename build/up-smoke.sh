#!/usr/bin/env bash
# Smoke tier: starts a real `./wrenn up` and runs the copy-paste example it prints, exactly as printed, with bash.
# Passes when the example's command ran in a sandbox ("hello from ...") and the sandbox was destroyed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UP_NAME="up-smoke"
source build/up-fixture.sh

up_start
example="$(up_printed_example)"
[ -n "$example" ] || { up_say "./wrenn up printed no example"; exit 1; }
up_say "running the printed example:"
printf '%s\n' "$example" | sed 's/^/    /' >&2
output="$(bash -euo pipefail -c "$example" 2>&1)" || {
  up_say "the printed example failed; its output:"
  printf '%s\n' "$output" >&2
  exit 1
}
printf '%s\n' "$output" | sed 's/^/    /' >&2
if ! printf '%s' "$output" | grep -q '"stdout":"hello from '; then
  up_say "the example's exec did not print \"hello from ...\""
  exit 1
fi
up_say "the printed example works"
