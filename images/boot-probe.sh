#!/usr/bin/env bash
# Boots the image that images/build.sh made once in QEMU microvm and reports how long each stage took: the kernel
# reaching the initramfs, wrenn-init on the root disk, the agent's start and its /health answering 204. The root
# disk is a throw-away qcow2 overlay (the base is never written); the network is a TAP inside a network namespace
# made for this run. Everything the probe creates is removed when it ends, however it ends.
#
# Usage: images/boot-probe.sh [--data-dir DIR] [--accel auto|kvm|tcg] [--timeout S] [--cpus N] [--memory MB]
#                             [--append 'KERNEL ARGS'] [--no-health] [--console-log FILE]
#   --accel auto       (default) KVM when a 10 s probe boot shows it works, else TCG
#   --timeout S        seconds for the whole boot up to /health, default 90
#   --append ARGS      extra kernel command line, e.g. wrenn.log=console to see the agent's output
#   --no-health        stop at the 'agent started' marker (for an agent that does not serve /health)
#   --console-log F    keep a copy of the guest console in F
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib/common.sh"
source "$HERE/../build/host-packages.sh"

DATA_DIR="${WRENN_DATA_DIR:-/var/lib/wrenn}"
ACCEL=auto
TIMEOUT=90
CPUS=2
MEMORY=512
EXTRA_APPEND=""
HEALTH=1
CONSOLE_COPY=""
KVM_PROBE_SECONDS=10
GUEST_IP=169.254.0.21
HOST_IP=169.254.0.22
AGENT_PORT=49983

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) DATA_DIR="${2:?--data-dir needs a directory}"; shift 2 ;;
    --accel) ACCEL="${2:?--accel needs auto, kvm or tcg}"; shift 2 ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    --cpus) CPUS="${2:?--cpus needs a number}"; shift 2 ;;
    --memory) MEMORY="${2:?--memory needs MB}"; shift 2 ;;
    --append) EXTRA_APPEND="${2?--append needs kernel arguments}"; shift 2 ;;
    --no-health) HEALTH=0; shift ;;
    --console-log) CONSOLE_COPY="${2:?--console-log needs a file}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
case "$ACCEL" in auto | kvm | tcg) ;; *) die "--accel must be auto, kvm or tcg, not '$ACCEL'" ;; esac

require_root images/boot-probe.sh
IMAGES="$DATA_DIR/images"
# build.sh publishes each build in its own directory behind the `current` link; older flat layouts have none.
[ -L "$IMAGES/current" ] && IMAGES="$(realpath "$IMAGES/current")"
for f in vmlinuz initramfs.cpio.gz rootfs.ext4; do
  [ -f "$IMAGES/$f" ] || die "$IMAGES/$f is missing: build the image first with images/build.sh --data-dir $DATA_DIR"
done
wrenn_ensure_host_packages images/boot-probe.sh || die "the host packages above are missing (build/host-packages.txt)"

# --- everything below is undone by teardown ---------------------------------------------------------------------

NS="wrenn-probe-$$"
TMP="$(mktemp -d /tmp/wrenn-probe.XXXXXX)"
CONSOLE="$TMP/console.log"
QEMU_PID=""  # the bash that runs QEMU (see start_qemu); QEMU is its only child

stop_qemu() {
  local qemu
  [ -n "$QEMU_PID" ] || return 0
  qemu="$(cat "/proc/$QEMU_PID/task/$QEMU_PID/children" 2>/dev/null || true)"
  if [ -n "$qemu" ]; then
    kill -TERM $qemu 2>/dev/null || true
    for _ in $(seq 50); do kill -0 $qemu 2>/dev/null || break; sleep 0.1; done
    kill -KILL $qemu 2>/dev/null || true
  fi
  wait "$QEMU_PID" 2>/dev/null || true
  QEMU_PID=""
}

teardown() {
  local status=$?
  stop_qemu
  if [ -n "$CONSOLE_COPY" ] && [ -f "$CONSOLE" ]; then cp "$CONSOLE" "$CONSOLE_COPY" || true; fi
  if ip netns list | grep -qw "$NS"; then
    ip -n "$NS" link del tap0 2>/dev/null || true
    ip netns del "$NS" || echo "warning: could not delete network namespace $NS" >&2
  fi
  rm -rf "$TMP"
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

step "1/3" "network namespace $NS with tap0 ($HOST_IP/30), disk overlay"
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" tuntap add tap0 mode tap
ip -n "$NS" addr add "$HOST_IP/30" dev tap0
ip -n "$NS" link set tap0 up
step_done

# --- boot ------------------------------------------------------------------------------------------------------

kvm_usable() {
  [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]
}

# start_qemu ACCEL: a fresh overlay and console, then QEMU in the namespace; sets QEMU_PID and T0.
start_qemu() {
  local accel_args cpu append
  rm -f "$TMP/overlay.qcow2" "$CONSOLE"
  qemu-img create -q -f qcow2 -b "$IMAGES/rootfs.ext4" -F raw "$TMP/overlay.qcow2"
  case "$1" in
    kvm) accel_args=(-accel kvm) cpu=host ;;
    tcg) accel_args=(-accel "tcg,thread=multi") cpu=max ;;
  esac
  # tsc_early_khz: microvm has no PIT/HPET to calibrate the TSC against; without it ~1 TCG boot in 3 hangs.
  append="console=ttyS0 quiet panic=-1 tsc_early_khz=$(host_tsc_khz) wrenn.hostname=sandbox"
  append+=" wrenn.ip=$GUEST_IP/30 wrenn.gw=$HOST_IP $EXTRA_APPEND"
  T0="$EPOCHREALTIME"
  # QEMU runs under its own bash, so that a crash of QEMU (KVM aborts at once on some nested hosts) is reported
  # in qemu.out, not as a job message of this script.
  bash -c '"$@"; exit $?' qemu ip netns exec "$NS" qemu-system-x86_64 -M microvm "${accel_args[@]}" -cpu "$cpu" -smp "$CPUS" -m "$MEMORY" \
    -nodefaults -no-user-config -display none -serial "file:$CONSOLE" -no-reboot \
    -kernel "$IMAGES/vmlinuz" -initrd "$IMAGES/initramfs.cpio.gz" -append "$append" \
    -drive "id=root,file=$TMP/overlay.qcow2,format=qcow2,if=none" -device virtio-blk-device,drive=root \
    -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-device,netdev=n0 \
    </dev/null >"$TMP/qemu.out" 2>&1 &
  QEMU_PID=$!
}

console_has() {
  [ -f "$CONSOLE" ] && grep -qF -- "$1" "$CONSOLE"
}

health_ok() {
  [ "$(ip netns exec "$NS" curl -s -o /dev/null -w '%{http_code}' --connect-timeout 0.5 --max-time 1 \
    "http://$GUEST_IP:$AGENT_PORT/health" 2>/dev/null)" = 204 ]
}

# wait_until SECONDS CHECK...: polls CHECK every 20 ms; fails when QEMU exits or time runs out.
wait_until() {
  local limit="$1" deadline
  shift
  deadline="$(awk -v t="$T0" -v l="$limit" 'BEGIN { printf "%.3f", t + l }')"
  until "$@"; do
    kill -0 "$QEMU_PID" 2>/dev/null || return 2
    awk -v now="$EPOCHREALTIME" -v d="$deadline" 'BEGIN { exit !(now > d) }' && return 1
    sleep 0.02
  done
}

MARKS=()
mark() { # LABEL: the time since QEMU started, recorded for the report.
  MARKS+=("$(printf '%-46s %6s s' "QEMU start -> $1" "$(elapsed_since "$T0")")")
}

explain_failure() { # WHAT CODE
  [ "$2" != 2 ] || echo "QEMU exited before $1" >&2
  if [ -s "$TMP/qemu.out" ]; then echo "--- QEMU's output ---" >&2; tail -5 "$TMP/qemu.out" >&2; fi
  echo "--- last lines of the guest console ---" >&2
  tail -25 "$CONSOLE" >&2 2>/dev/null || true
  die "$1 did not happen within the timeout"
}

choose_accel_and_boot() {
  if [ "$ACCEL" != tcg ] && kvm_usable; then
    step "2/3" "boot: trying KVM (up to ${KVM_PROBE_SECONDS} s for the kernel to reach the initramfs)"
    start_qemu kvm
    if wait_until "$KVM_PROBE_SECONDS" console_has "wrenn-initramfs: started"; then
      USED_ACCEL=kvm
      return 0
    fi
    stop_qemu
    [ "$ACCEL" = kvm ] && explain_failure "a KVM boot reaching the initramfs" 1
    note "KVM did not boot here: $(grep -m1 -v '^$' "$TMP/qemu.out" || echo "no console output in ${KVM_PROBE_SECONDS} s")"
    note "falling back to TCG"
  elif [ "$ACCEL" = kvm ]; then
    die "--accel kvm: /dev/kvm is missing or not accessible"
  fi
  step "2/3" "boot: TCG, $CPUS vCPUs, $MEMORY MB (~6 s to /health on an idle machine)"
  start_qemu tcg
  USED_ACCEL=tcg
}

choose_accel_and_boot
wait_until "$TIMEOUT" test -s "$CONSOLE" || explain_failure "any console output" $?
mark "first console output"
wait_until "$TIMEOUT" console_has "wrenn-initramfs: started" || explain_failure "the initramfs starting" $?
mark "kernel done, initramfs started"
wait_until "$TIMEOUT" console_has "wrenn-init: started" || explain_failure "wrenn-init starting on the disk" $?
mark "root disk mounted, wrenn-init"
wait_until "$TIMEOUT" console_has "wrenn-init: agent started" || explain_failure "the agent starting" $?
mark "agent started"
if [ "$HEALTH" = 1 ]; then
  wait_until "$TIMEOUT" health_ok || {
    local_code=$?
    echo "no HTTP 204 from http://$GUEST_IP:$AGENT_PORT/health (boot again with --append wrenn.log=console to" \
      "see the agent's output, or --no-health for an agent without /health)" >&2
    explain_failure "/health answering 204" "$local_code"
  }
  mark "/health answered 204"
fi
step_done "booted with $USED_ACCEL"

step "3/3" "timings ($USED_ACCEL, $CPUS vCPUs)"
printf '      %s\n' "${MARKS[@]}"
stop_qemu
step_done "QEMU stopped; namespace, tap and overlay removed on exit"
