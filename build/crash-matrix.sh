#!/usr/bin/env bash
# The kill -9 matrix of issue 13 (`./wrenn crash-matrix [operations]`): every crash case, with real processes and VMs.
#   host agent halted (Runtime.halt, as kill -9) at each named point of create, pause, resume, template make and
#     overwrite, base-template build and destroy, then restarted on the same data   HostAgentCrashTest
#   QEMU killed (SIGKILL of its pid) during a pause, a template snapshot and a resume             QemuKillTest
#   a killed QEMU under a running sandbox, through the host agent / a real control plane
#                                        RealSandboxLifecycleTest / ControlPlaneKillTest
#   the control plane, and `wrenn up`, SIGKILLed with a create, pause, resume or destroy in flight, then restarted
#                                        ControlPlaneKillTest, WrennUpKillTest
#   PostgreSQL stopped and started under load; rows settled after a crash (SQLite and PostgreSQL)
#                                        PostgresRestartTest, CrashSettlementTest
# The argument selects operations (`create,destroy`); default `all`; `short` is the CI tier of `./wrenn test` (below).
# Results go to docs/reliability.md.
# Runs as root (VMs, namespaces); WRENN_TEST_DATA_DIR / WRENN_TEST_UP_DATA_DIR and their *_FIRST_SLOT variables move
# its data and slots away from another Wrenn's.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source build/java-home.sh
source build/ensure-wrapper.sh
JAVA_HOME="$(wrenn_java_home)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
wrenn_ensure_wrapper "$ROOT"

matrix="${1:-all}"
[ "$(id -u)" = 0 ] || { echo "wrenn crash-matrix: must run as root (it boots VMs)" >&2; exit 1; }
status=0
LOG="$(mktemp /tmp/wrenn-crash-matrix-XXXXXX.log)"
run() {
  local module="$1" tests="$2"
  echo "wrenn crash-matrix: $module: $tests (matrix $matrix)" >&2
  ./mvnw -B -fae -pl "$module" -am verify -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dwrenn.crash.matrix="$matrix" 2>&1 | tee -a "$LOG"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
}
if [ "$matrix" = short ]; then
  # The CI tier (`./wrenn test`, "kill -9 matrix (short)"): one case of each process the unit tier does not already
  # kill (it runs HostAgentCrashTest's 4 default points, PostgresRestartTest and CrashSettlementTest): QEMU killed
  # during a pause; the control plane killed mid-create, and its killed-QEMU case; `wrenn up` killed mid-create.
  matrix=create
  run host-agent QemuKillTest
  run launcher ControlPlaneKillTest,WrennUpKillTest
else
  run host-agent "HostAgentCrashTest,QemuKillTest,RealSandboxLifecycleTest#aKilledQemu*"
  run launcher ControlPlaneKillTest,WrennUpKillTest
  run control-plane PostgresRestartTest,CrashSettlementTest
fi
# The times each case took to settle after its restart, as the tests logged them.
echo "wrenn crash-matrix: times from each restart (or kill) to the settled state:" >&2
grep -h "settled after\|error after\|Tests run:.*in dev" "$LOG" | sed 's/^/  /' >&2 || true
echo "wrenn crash-matrix: the whole output: $LOG" >&2
[ "$status" = 0 ] && echo "wrenn crash-matrix: every case passed" >&2 || echo "wrenn crash-matrix: FAILED" >&2
exit "$status"
