#!/usr/bin/env bash
# Every test tier: what `./wrenn test` (the README's test command, and so .ci/run) runs.
# CI runs it as root on a fresh Debian bookworm machine with JDK 25, Maven and Node.js 20 + npm.
# Each tier runs even if an earlier one failed; a closing summary gives one line per tier and the
# exit status is non-zero if any tier failed or could not run.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# ---- Debian packages the tiers need (installed when missing) ------------------------------------
# A Wrenn host's own packages come from build/host-packages.txt (the one list, read by build/host-packages.sh);
# these are the tiers' extras on top of it.
TEST_EXTRA_DEBIAN_PACKAGES=(
  ncurses-bin # tput: the PTY tests read the terminal width back after a resize
  sudo        # E2B's default user has passwordless sudo
  busybox-static  # the host tests' tiny initramfs
  postgresql      # the PostgreSQL database tier (a throw-away cluster per test run)
  chromium        # the web console's browser tests (driven by playwright-core)
  tmux            # the CLI's `sandbox shell` test drives it in a real terminal
)
source build/host-packages.sh
# --------------------------------------------------------------------------------------------------

say() { echo "wrenn test: $*" >&2; }

declare -a SUMMARY=()
failed=0

summarize_and_exit() {
  echo
  echo "wrenn test: summary"
  local line
  for line in "${SUMMARY[@]}"; do echo "  $line"; done
  if [ "$failed" -ne 0 ]; then
    echo "wrenn test: FAILED"
    exit 1
  fi
  echo "wrenn test: all tiers passed"
  exit 0
}

install_missing_packages() {
  wrenn_ensure_host_packages "wrenn test" "${TEST_EXTRA_DEBIAN_PACKAGES[@]}"
}

source build/leftovers.sh

# Runs one tier under a time limit (minutes), timing it and recording a summary line; never stops the script.
# A tier that passes but leaves a QEMU process, namespace, link, nft table, mount or cgroup behind fails.
run_tier() {
  local name="$1" minutes="$2"
  shift 2
  local start=$SECONDS status=0 before left
  before="$(leftovers_snapshot)"
  say "tier $name (limit $minutes min): $*"
  timeout --kill-after=60 "${minutes}m" "$@" || status=$?
  [ "$status" -ne 124 ] || say "tier $name: did not finish within $minutes minutes; stopped"
  local took=$((SECONDS - start))
  if [ "$status" -eq 0 ] && ! left="$(leftovers_new_since "$before")"; then
    say "tier $name: left behind:"
    printf '%s\n' "$left" | sed 's/^/    /' >&2
    status=99
  fi
  if [ "$status" -eq 0 ]; then
    SUMMARY+=("$(printf '%-34s PASS (%d s)' "$name" "$took")")
  elif [ "$status" -eq 99 ]; then
    SUMMARY+=("$(printf '%-34s FAIL (leftovers, %d s)' "$name" "$took")")
    failed=1
  else
    SUMMARY+=("$(printf '%-34s FAIL (exit %d, %d s)' "$name" "$status" "$took")")
    failed=1
  fi
}

# Sandboxes get no outbound route in tests: every host agent the tiers start (wrenn up, wrenn host-agent, in-process
# ones reading the environment) defaults to egress off; the egress tests open only ranges they make on this machine.
export WRENN_EGRESS=off

setup_java() {
  source build/java-home.sh
  source build/ensure-wrapper.sh
  JAVA_HOME="$(wrenn_java_home)" || return 1
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
  wrenn_ensure_wrapper "$ROOT"
}

[ $# -eq 0 ] || { say "takes no arguments (got: $*)"; exit 2; }

if ! install_missing_packages; then
  SUMMARY+=("setup: Debian packages            FAIL (see the messages above)")
  failed=1
  summarize_and_exit
fi
if ! setup_java; then
  SUMMARY+=("setup: JDK 25 and Maven Wrapper   FAIL (see the messages above)")
  failed=1
  summarize_and_exit
fi

# -fae: every module's tests run even after one module fails. The security tier's attack tests (@Tag("security"))
# run on their own, after the rest, so the summary says whether the boundary held. The API fuzzing campaign
# (ApiFuzzTest, jqwik, 1,000 requests) and the host agent's 4 default kill -9 points run in the unit tier; the
# process-killing tests (@Tag("crash")) have a short tier of their own at the end (the whole matrix is
# `./wrenn crash-matrix`). The soak/integrity/load campaigns' short versions (`bash build/campaigns-ci.sh`) are not a
# tier yet: the load campaign still fails (/v1 77 of 100 execs under load; docs/reliability.md).
run_tier "unit + protocol (mvnw verify)" 45 ./mvnw -B -fae verify -Dspotless.goal=check -DexcludedGroups=security,crash
run_tier "security (attack tests)" 20 ./mvnw -B -fae verify -Dspotless.goal=check -Dgroups=security \
  -Dsurefire.failIfNoSpecifiedTests=false
run_tier "E2B SDK compatibility (envd)" 10 bash build/envd-compat.sh
run_tier "wrenn up: printed example (curl)" 20 bash build/up-smoke.sh
run_tier "wrenn up: console in Chromium" 30 bash build/console-e2e.sh
# Two template builds (each boots a VM, runs its steps and snapshots it) added ~8 minutes under TCG (issue 14).
run_tier "E2B SDK against the API and proxy" 30 bash build/e2b-api-compat.sh
run_tier "Java SDK and CLI against wrenn up" 30 bash build/sdk-cli.sh
run_tier "upgrade in place, after a reboot" 30 bash build/upgrade-test.sh
run_tier "kill -9 matrix (short)" 30 bash build/crash-matrix.sh short
summarize_and_exit
