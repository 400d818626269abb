# shellcheck shell=bash
# Sourced by images/build.sh and images/boot-probe.sh: progress lines, errors, host tools, apt sources.

WRENN_STEP_T0=""
WRENN_SCRIPT_T0="$EPOCHREALTIME"

die() {
  echo "error: $*" >&2
  exit 1
}

# Seconds (one decimal) since the given $EPOCHREALTIME value.
elapsed_since() {
  awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# step N/T "message": starts a timed step and prints its progress line.
step() {
  WRENN_STEP_T0="$EPOCHREALTIME"
  printf '[%s] %s\n' "$1" "$2"
}

step_done() {
  printf '      %s (%s s; %s s total)\n' "${1:-done}" "$(elapsed_since "$WRENN_STEP_T0")" \
    "$(elapsed_since "$WRENN_SCRIPT_T0")"
}

note() {
  printf '      %s\n' "$*"
}

require_root() {
  [ "$(id -u)" = 0 ] || die "$1 needs root (it runs mmdebstrap, mkfs, ip netns and QEMU)"
}

# apt-get with a lock timeout (other builds on the machine may hold the dpkg lock) and its output in a log.
apt_get_quiet() {
  local log
  log="$(mktemp /tmp/wrenn-apt.XXXXXX.log)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@" >"$log" 2>&1; then
    tail -20 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# The host's apt source entries as lines "URI SUITE COMPONENTS" (deb822 .sources files and sources.list).
host_apt_entries() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no")
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j], comps
        types = ""; enabled = ""; comps = "main"; nu = 0; ns = 0
      }
      BEGIN { comps = "main" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
        if (key == "types") types = $0
        else if (key == "enabled") enabled = tolower($0)
        else if (key == "components") comps = $0
        else if (key == "uris") nu = split($0, u, " ")
        else if (key == "suites") ns = split($0, s, " ")
      }
      END { flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 4 { $1 = ""; sub(/^ +/, ""); print }'
  done
}

# The mirror URI that serves SUITE on this machine: $WRENN_DEBIAN_MIRROR, else the host's apt sources.
debian_mirror_for() {
  local suite="$1" uri
  if [ -n "${WRENN_DEBIAN_MIRROR:-}" ]; then
    echo "${WRENN_DEBIAN_MIRROR%/}"
    return 0
  fi
  uri="$(host_apt_entries | awk -v s="$suite" '$2 == s { print $1; exit }')"
  [ -n "$uri" ] || die "no Debian mirror for '$suite' in /etc/apt/sources.list{,.d}; set WRENN_DEBIAN_MIRROR to one"
  echo "${uri%/}"
}

# The URI of the security archive for SUITE on this machine, or nothing.
debian_security_mirror_for() {
  local suite="$1"
  if [ -n "${WRENN_DEBIAN_SECURITY_MIRROR:-}" ]; then
    echo "${WRENN_DEBIAN_SECURITY_MIRROR%/}"
    return 0
  fi
  host_apt_entries | awk -v s="$suite-security" '$2 == s { sub(/\/$/, "", $1); print $1; exit }'
}

sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# The host CPU's clock in kHz, for tsc_early_khz= (see qemu-notes: without it ~1 TCG boot in 3 hangs).
host_tsc_khz() {
  awk -F: '/^cpu MHz/ { printf "%d\n", $2 * 1000; exit }' /proc/cpuinfo
}
