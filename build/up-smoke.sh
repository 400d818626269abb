#!/usr/bin/env bash
# Smoke tier: starts a real `./wrenn up` and runs the copy-paste example it prints, exactly as printed, with bash.
# Passes when the example's command ran in a sandbox ("hello from ...") and the sandbox was destroyed. The data
# directory is reused between runs, so the administrator's password is printed by a first start only: the smoke
# starts with --reset-password, which prints a newly generated one, exactly as an operator who lost it would.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UP_NAME="up-smoke"
source build/up-fixture.sh

up_start --reset-password
example="$(up_printed_example)"
[ -n "$example" ] || { up_say "./wrenn up printed no example"; exit 1; }
if printf '%s' "$example" | grep -q 'change-me-please\|WRENN_PASSWORD'; then
  up_say "the printed example carries no generated password"
  exit 1
fi
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
