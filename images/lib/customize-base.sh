#!/bin/bash
# Run by mmdebstrap (customize hook) on the fresh Debian tree given as $1: the sandbox user and the cleanup that
# keeps the image small. The guest agent, the runtime and the init scripts are added later by build.sh, so that
# changing them does not rebuild this tree.
set -euo pipefail
root="$1"

chroot "$root" useradd --create-home --uid 1000 --user-group --shell /bin/bash user
printf 'user ALL=(ALL:ALL) NOPASSWD: ALL\n' >"$root/etc/sudoers.d/wrenn-user"
chmod 0440 "$root/etc/sudoers.d/wrenn-user"

# Package lists and downloaded packages are only needed to install; the sandbox runs apt-get update itself.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -delete
rm -f "$root/etc/hostname" "$root/etc/resolv.conf"
