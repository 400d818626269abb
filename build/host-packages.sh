# shellcheck shell=bash
# Sourced by ./wrenn and build/test.sh: the host's Debian packages from build/host-packages.txt (the one list),
# found missing by their commands and installed with apt-get, with one line of progress per step.
#   WRENN_NO_INSTALL=1  report what is missing and the command that installs it, install nothing

WRENN_HOST_PACKAGES_FILE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/host-packages.txt"

# Lines "PACKAGE COMMAND..." from the list, comments dropped.
wrenn_host_packages() {
  sed -e 's/#.*//' "$WRENN_HOST_PACKAGES_FILE" | awk -F: 'NF >= 2 && $1 ~ /[a-z]/ { gsub(/ +/, " ", $2); print $1 $2 }'
}

# "PACKAGE COMMAND" for every listed command that is not on the PATH.
wrenn_missing_host_commands() {
  local pkg commands cmd
  while read -r pkg commands; do
    for cmd in $commands; do
      command -v "$cmd" >/dev/null 2>&1 || echo "$pkg $cmd"
    done
  done < <(wrenn_host_packages)
}

# Debian packages (beyond the list) not installed, by dpkg's word: the test tiers' extras.
wrenn_missing_debian_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

# wrenn_ensure_host_packages WHO [EXTRA_PACKAGE...]: installs what is missing (as root), or says exactly what to
# run and returns 1. WHO prefixes each line ("wrenn", "wrenn test").
wrenn_ensure_host_packages() {
  local who="$1" missing_lines packages=() pkg cmd start=$SECONDS
  shift
  missing_lines="$(wrenn_missing_host_commands)"
  while read -r pkg cmd; do
    [ -n "$pkg" ] || continue
    echo "$who: command '$cmd' is missing: it comes with the Debian package $pkg" >&2
    [[ " ${packages[*]} " == *" $pkg "* ]] || packages+=("$pkg")
  done <<<"$missing_lines"
  [ $# -eq 0 ] || command -v dpkg-query >/dev/null || {
    echo "$who: dpkg-query is missing: Wrenn expects Debian (bookworm)" >&2
    return 1
  }
  [ $# -eq 0 ] || mapfile -t -O "${#packages[@]}" packages < <(wrenn_missing_debian_packages "$@")
  [ "${#packages[@]}" -eq 0 ] && return 0
  local install="apt-get install -y --no-install-recommends ${packages[*]}"
  if [ "$(id -u)" != 0 ] || [ "${WRENN_NO_INSTALL:-0}" = 1 ]; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo "
    echo "$who: missing Debian packages: ${packages[*]}. Install them, then run this again:" >&2
    echo "  ${sudo}apt-get update && ${sudo}$install" >&2
    return 1
  fi
  echo "$who: [1/2] apt-get update (to install ${packages[*]}) ..." >&2
  wrenn_apt_quietly update || return 1
  echo "$who: [2/2] $install ..." >&2
  DEBIAN_FRONTEND=noninteractive wrenn_apt_quietly install -y --no-install-recommends "${packages[@]}" || return 1
  missing_lines="$(wrenn_missing_host_commands)"
  if [ -n "$missing_lines" ]; then
    echo "$who: installed, yet still not on the PATH: $(echo "$missing_lines" | awk '{ print $2 }' | paste -sd' ')" >&2
    return 1
  fi
  echo "$who: installed ${packages[*]} ($((SECONDS - start)) s)" >&2
}

# apt-get with its output in a log shown only on failure, and a wait for the dpkg lock another install may hold.
wrenn_apt_quietly() {
  local log status=0
  log="$(mktemp /tmp/wrenn-apt.XXXXXX.log)"
  apt-get -q -o DPkg::Lock::Timeout=300 "$@" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    echo "apt-get $1 failed (exit $status); its last lines:" >&2
    tail -20 "$log" >&2
  fi
  rm -f "$log"
  return "$status"
}
