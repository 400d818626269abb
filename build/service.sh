# shellcheck shell=bash
# Sourced by ./wrenn: `install-service` writes a systemd unit that runs `./wrenn up` with the given options from
# this checkout (so `git pull` then `systemctl restart wrenn` upgrades in place); `uninstall-service` removes it.

WRENN_UNIT_NAME=wrenn.service

wrenn_service_usage() {
  cat <<'USAGE'
Usage: ./wrenn install-service [--unit-dir DIR] [--no-enable] [up options: --data-dir DIR --port N ...]
       ./wrenn uninstall-service [--unit-dir DIR]
  --unit-dir DIR  where the unit file goes (default /etc/systemd/system)
  --no-enable     write the unit only; do not run systemctl (for machines without a running systemd)
USAGE
}

# One ExecStart argument, quoted for systemd: \ and " escaped, % and $ doubled (specifiers and variables).
wrenn_unit_quote() {
  local arg="$1"
  arg="${arg//\\/\\\\}"
  arg="${arg//\"/\\\"}"
  arg="${arg//%/%%}"
  arg="${arg//\$/\$\$}"
  printf '"%s"' "$arg"
}

wrenn_systemd_running() { [ -d /run/systemd/system ]; }

# wrenn_unit_text ROOT UP_ARG...: the unit file.
wrenn_unit_text() {
  local root="$1" exec_start arg
  shift
  exec_start="$(wrenn_unit_quote "$root/wrenn") up"
  for arg in "$@"; do exec_start+=" $(wrenn_unit_quote "$arg")"; done
  cat <<UNIT
# Written by \`./wrenn install-service\` in $root; \`./wrenn uninstall-service\` removes it.
[Unit]
Description=Wrenn: microVM sandboxes, API and web console (wrenn up)
Documentation=file://$root/README.md
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
WorkingDirectory=$root
Environment=$(wrenn_unit_quote "JAVA_HOME=$JAVA_HOME")
Environment=$(wrenn_unit_quote "HOME=${HOME:-/root}")
ExecStart=$exec_start
# SIGTERM to wrenn up alone: it stops the API, destroys running sandboxes (paused ones stay on disk) and closes the
# database; whatever is still there after TimeoutStopSec is killed.
KillMode=mixed
TimeoutStopSec=120
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
}

wrenn_install_service() {
  local unit_dir=/etc/systemd/system enable=1 up_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --unit-dir) unit_dir="${2:?--unit-dir needs a directory}"; shift 2 ;;
      --unit-dir=*) unit_dir="${1#--unit-dir=}"; shift ;;
      --no-enable) enable=0; shift ;;
      -h | --help) wrenn_service_usage; return 0 ;;
      *) up_args+=("$1"); shift ;;
    esac
  done
  [ "$(id -u)" = 0 ] || [ "$unit_dir" != /etc/systemd/system ] \
    || { echo "wrenn: install-service must run as root (try: sudo ./wrenn install-service)" >&2; return 1; }
  if [ "$enable" = 1 ] && ! wrenn_systemd_running; then
    echo "wrenn: systemd is not running on this machine (no /run/systemd/system), so no service can be enabled." >&2
    echo "wrenn: pass --no-enable to write the unit file only; run ./wrenn up directly meanwhile" >&2
    return 1
  fi
  local unit="$unit_dir/$WRENN_UNIT_NAME"
  mkdir -p "$unit_dir"
  wrenn_unit_text "$ROOT" "${up_args[@]}" >"$unit.tmp"
  chmod 0644 "$unit.tmp"
  mv -f "$unit.tmp" "$unit"
  echo "wrenn: wrote $unit (ExecStart: $ROOT/wrenn up ${up_args[*]})"
  if [ "$enable" = 0 ]; then
    echo "wrenn: not enabled (--no-enable); to start it now and at every boot: systemctl daemon-reload && systemctl enable --now $WRENN_UNIT_NAME"
    return 0
  fi
  systemctl daemon-reload && systemctl enable --now "$WRENN_UNIT_NAME" || return 1
  echo "wrenn: enabled and started; follow it with: journalctl -u $WRENN_UNIT_NAME -f"
}

wrenn_uninstall_service() {
  local unit_dir=/etc/systemd/system
  while [ $# -gt 0 ]; do
    case "$1" in
      --unit-dir) unit_dir="${2:?--unit-dir needs a directory}"; shift 2 ;;
      --unit-dir=*) unit_dir="${1#--unit-dir=}"; shift ;;
      -h | --help) wrenn_service_usage; return 0 ;;
      *) echo "wrenn: uninstall-service: unknown option '$1'" >&2; wrenn_service_usage >&2; return 2 ;;
    esac
  done
  local unit="$unit_dir/$WRENN_UNIT_NAME"
  [ -f "$unit" ] || { echo "wrenn: no $unit: nothing to remove"; return 0; }
  if wrenn_systemd_running; then
    # Stopping is wrenn up's own clean stop (SIGTERM): running sandboxes are destroyed, paused ones kept.
    systemctl disable --now "$WRENN_UNIT_NAME" || return 1
  else
    echo "wrenn: systemd is not running on this machine: removing the unit file only"
  fi
  rm -f "$unit"
  ! wrenn_systemd_running || systemctl daemon-reload
  echo "wrenn: removed $unit (the data directory is kept)"
}
