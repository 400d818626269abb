#!/usr/bin/env bash
# Builds Wrenn's guest image: the Debian cloud kernel, a busybox initramfs and an ext4 root disk holding a jlink-ed
# Java runtime and the guest agent. Each build lands in its own directory DIR/images/<version> (vmlinuz,
# initramfs.cpio.gz, rootfs.ext4, manifest.json; read-only) and the link DIR/images/current is switched to it
# atomically, so a rebuild never changes the base disk under a sandbox's overlay. Intermediate results live in
# DIR/cache so that a rebuild after only the agent changed takes seconds.
#
# Usage: images/build.sh [--data-dir DIR] [--agent-jar PATH] [--disk-size SIZE] [--refresh] [--force]
#   --data-dir DIR     default $WRENN_DATA_DIR or /var/lib/wrenn
#   --agent-jar PATH   default guest-agent/target/wrenn-guest-agent.jar of this repository
#   --disk-size SIZE   size of the (sparse) ext4 root disk, default 2G
#   --refresh          run apt-get update first (picks up a newer kernel or packages)
#   --force            rebuild even when nothing changed
# Environment: WRENN_DEBIAN_MIRROR (default: the machine's own apt sources), WRENN_DEBIAN_SECURITY_MIRROR,
# WRENN_DEBIAN_SUITE (default bookworm), JAVA_HOME (a JDK 25).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
source "$HERE/lib/common.sh"
source "$REPO/build/java-home.sh"
source "$REPO/build/host-packages.sh"

DATA_DIR="${WRENN_DATA_DIR:-/var/lib/wrenn}"
AGENT_JAR="$REPO/guest-agent/target/wrenn-guest-agent.jar"
DISK_SIZE=2G
FORCE=0
REFRESH=0
SUITE="${WRENN_DEBIAN_SUITE:-bookworm}"
KERNEL_META=linux-image-cloud-amd64
PACKAGES=(bash coreutils util-linux procps iproute2 ncurses-bin ca-certificates curl git python3 sudo tini kmod)
# Dependency order; checked against modinfo -F depends below.
INITRAMFS_MODULES=(virtio_ring virtio virtio_mmio failover net_failover virtio_net virtio_blk)
JRE_MODULES=(java.base jdk.httpserver java.net.http java.logging java.management jdk.management jdk.unsupported
  java.naming java.xml)
JLINK_OPTIONS=(--strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive)
# Bump when the way the base tree is made changes in this file (customize-base.sh is hashed on its own).
BASE_REVISION=1
STEPS=7

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) DATA_DIR="${2:?--data-dir needs a directory}"; shift 2 ;;
    --agent-jar) AGENT_JAR="${2:?--agent-jar needs a path}"; shift 2 ;;
    --disk-size) DISK_SIZE="${2:?--disk-size needs a size such as 2G}"; shift 2 ;;
    --force) FORCE=1; shift ;;
    --refresh) REFRESH=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

require_root images/build.sh
[ -f "$AGENT_JAR" ] || die "guest agent jar $AGENT_JAR is missing: build it first with
  ./mvnw -B -pl guest-agent -am package -DskipTests
or pass another jar with --agent-jar PATH"
AGENT_JAR="$(realpath "$AGENT_JAR")"
JAVA_HOME="$(wrenn_java_home)"
IMAGES="$DATA_DIR/images"
CACHE="$DATA_DIR/cache"
mkdir -p "$IMAGES" "$CACHE"
DATA_DIR="$(realpath "$DATA_DIR")" IMAGES="$DATA_DIR/images" CACHE="$DATA_DIR/cache"

# One build at a time per data directory.
exec 9>"$IMAGES/.build.lock"
flock -n 9 || { note "another build holds $IMAGES/.build.lock; waiting"; flock 9; }

WORK="$(mktemp -d "$IMAGES/.build.XXXXXX")"
cleanup() {
  local mounted
  # mmdebstrap unmounts what it mounted, unless it was killed half-way.
  mounted="$(awk -v d="$CACHE/rootfs-base/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)"
  [ -z "$mounted" ] || umount -l $mounted 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- step 1: what would be built ------------------------------------------------------------------------------

candidate_version() {
  apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }'
}

kernel_package() {
  apt-cache depends --no-recommends --no-suggests "$KERNEL_META" 2>/dev/null \
    | awk '/Depends: linux-image-/ { print $2; exit }'
}

resolve_packages() {
  KERNEL_PKG="$(kernel_package)"
  KERNEL_PKG_VERSION="$([ -z "$KERNEL_PKG" ] || candidate_version "$KERNEL_PKG")"
  BUSYBOX_VERSION="$(candidate_version busybox-static)"
}

scripts_digest() {
  cat "$HERE/build.sh" "$HERE/lib/common.sh" "$HERE/lib/customize-base.sh" "$HERE"/guest/* \
    "$REPO/guest-agent/jvm.options" "$REPO/guest-agent/train-aot-cache.sh" | sha256sum | cut -d' ' -f1
}

step "1/$STEPS" "inputs: kernel package, mirror, agent jar, scripts"
wrenn_ensure_host_packages images/build.sh || die "the host packages above are missing (build/host-packages.txt)"
if [ "$REFRESH" = 1 ]; then apt_get_quiet update || die "apt-get update failed"; fi
resolve_packages
if [ -z "$KERNEL_PKG_VERSION" ] || [ "$KERNEL_PKG_VERSION" = "(none)" ] || [ -z "$BUSYBOX_VERSION" ]; then
  note "apt has no candidate for $KERNEL_META or busybox-static yet; running apt-get update"
  apt_get_quiet update || die "apt-get update failed"
  resolve_packages
fi
[ -n "$KERNEL_PKG" ] && [ -n "$KERNEL_PKG_VERSION" ] && [ "$KERNEL_PKG_VERSION" != "(none)" ] \
  || die "apt cannot resolve $KERNEL_META to a kernel package; check the machine's apt sources"
[ -n "$BUSYBOX_VERSION" ] && [ "$BUSYBOX_VERSION" != "(none)" ] || die "apt has no busybox-static package"
KERNEL_VERSION="${KERNEL_PKG#linux-image-}"
MIRROR="$(debian_mirror_for "$SUITE")"
SECURITY_MIRROR="$(debian_security_mirror_for "$SUITE")"
AGENT_SHA256="$(sha256_of "$AGENT_JAR")"
JDK_RELEASE="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release")"
[[ "$JDK_RELEASE" == 2[5-9]* ]] || die "JAVA_HOME $JAVA_HOME is not a JDK 25 (release '$JDK_RELEASE')"

BASE_KEY="$(printf '%s\n' "rev=$BASE_REVISION" "suite=$SUITE" "mirror=$MIRROR" "security=$SECURITY_MIRROR" \
  "packages=${PACKAGES[*]}" "$(sha256_of "$HERE/lib/customize-base.sh")" | sha256sum | cut -c1-16)"
INPUTS_SHA256="$(printf '%s\n' "base=$BASE_KEY" "kernel=$KERNEL_PKG=$KERNEL_PKG_VERSION" \
  "busybox=$BUSYBOX_VERSION" "initramfs-modules=${INITRAMFS_MODULES[*]}" "jre-modules=${JRE_MODULES[*]}" \
  "jdk=$JDK_RELEASE" "agent=$AGENT_SHA256" "disk=$DISK_SIZE" "scripts=$(scripts_digest)" | sha256sum | cut -d' ' -f1)"
note "kernel $KERNEL_PKG $KERNEL_PKG_VERSION, Debian $SUITE from $MIRROR, JDK $JDK_RELEASE"
note "agent $AGENT_JAR (sha256 ${AGENT_SHA256:0:12}), inputs digest ${INPUTS_SHA256:0:12}"

CURRENT="$IMAGES/current"
manifest_field() {
  sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$CURRENT/manifest.json" 2>/dev/null | head -1
}
if [ "$FORCE" = 0 ] && [ "$(manifest_field inputs_sha256)" = "$INPUTS_SHA256" ] \
  && [ -f "$CURRENT/vmlinuz" ] && [ -f "$CURRENT/initramfs.cpio.gz" ] && [ -f "$CURRENT/rootfs.ext4" ]; then
  step_done "up to date: nothing changed since the build of $(manifest_field built_at) (--force rebuilds)"
  exit 0
fi
step_done

# --- step 2: kernel -------------------------------------------------------------------------------------------

# download_deb PACKAGE VERSION DIR: the .deb, downloaded once into DIR (kept as the cache).
download_deb() {
  local pkg="$1" version="$2" dir="$3" deb
  mkdir -p "$dir"
  deb="$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | head -1)"
  if [ -z "$deb" ]; then
    # apt drops privileges to _apt for downloads; a directory it can write avoids a warning.
    chown _apt "$dir" 2>/dev/null || true
    (cd "$dir" && apt_get_quiet download "$pkg=$version") || die "apt-get download $pkg=$version failed"
    deb="$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | head -1)"
  fi
  echo "$deb"
}

step "2/$STEPS" "kernel: $KERNEL_PKG $KERNEL_PKG_VERSION (download and unpack, ~5 s the first time)"
KERNEL_DIR="$CACHE/kernel/${KERNEL_PKG}_$KERNEL_PKG_VERSION"
KERNEL_TREE="$KERNEL_DIR/tree"
if [ ! -f "$KERNEL_DIR/.complete" ]; then
  rm -rf "$KERNEL_TREE"
  dpkg-deb -x "$(download_deb "$KERNEL_PKG" "$KERNEL_PKG_VERSION" "$KERNEL_DIR")" "$KERNEL_TREE"
  touch "$KERNEL_DIR/.complete"
else
  note "cached in $KERNEL_DIR"
fi
VMLINUZ="$KERNEL_TREE/boot/vmlinuz-$KERNEL_VERSION"
MODULES_DIR="$KERNEL_TREE/lib/modules/$KERNEL_VERSION"
[ -f "$VMLINUZ" ] && [ -d "$MODULES_DIR" ] || die "$KERNEL_PKG has no boot/vmlinuz-$KERNEL_VERSION or its modules"
cp "$VMLINUZ" "$WORK/vmlinuz"
step_done

# --- step 3: initramfs ----------------------------------------------------------------------------------------

module_file() {
  find "$MODULES_DIR/kernel" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" | head -1
}

# Every dependency of a module must be loaded before it: the list order is checked, not assumed.
check_module_order() {
  local loaded=" " module file dep
  for module in "$@"; do
    file="$(module_file "$module")"
    [ -n "$file" ] || die "kernel $KERNEL_VERSION has no module $module"
    for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
      [[ "$loaded" == *" $dep "* ]] || die "module $module depends on $dep, which is not loaded before it"
    done
    loaded+="$module "
  done
}

copy_module() { # MODULE DESTDIR: uncompressed, since busybox insmod may not read compressed modules.
  local file
  file="$(module_file "$1")"
  case "$file" in
    *.xz) xz -dc "$file" >"$2/$1.ko" ;;
    *.zst) zstd -qdc "$file" >"$2/$1.ko" ;;
    *) cp "$file" "$2/$1.ko" ;;
  esac
}

build_initramfs() {
  local root="$WORK/initramfs" busybox_deb module applet
  mkdir -p "$root"/{bin,dev,proc,sys,newroot,lib/modules}
  busybox_deb="$(download_deb busybox-static "$BUSYBOX_VERSION" "$CACHE/debs-host")"
  dpkg-deb --fsys-tarfile "$busybox_deb" | tar -xO ./bin/busybox >"$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  for module in "${INITRAMFS_MODULES[@]}"; do copy_module "$module" "$root/lib/modules"; done
  printf '%s\n' "${INITRAMFS_MODULES[@]}" >"$root/lib/modules/load-order"
  install -m 0755 "$HERE/guest/initramfs-init" "$root/init"
  # Same bytes for the same inputs: fixed timestamps, sorted entries, owner root (no need to build as root).
  find "$root" -exec touch -h -d @0 {} +
  (cd "$root" && find . -mindepth 1 -print0 | LC_ALL=C sort -z \
    | cpio --null --create --format=newc --owner=0:0 --reproducible --quiet) | gzip -9n >"$WORK/initramfs.cpio.gz"
}

step "3/$STEPS" "initramfs: busybox $BUSYBOX_VERSION + ${INITRAMFS_MODULES[*]}"
check_module_order "${INITRAMFS_MODULES[@]}"
build_initramfs
step_done "$(du -h "$WORK/initramfs.cpio.gz" | cut -f1) initramfs"

# --- step 4: Debian base tree ---------------------------------------------------------------------------------

# Debian trees of earlier inputs are dropped: each is a few hundred MB.
prune_cache_dir() { # DIR KEEP
  find "$1" -mindepth 1 -maxdepth 1 ! -name "$2" -exec rm -rf {} +
}

build_base_tree() {
  local dir="$1" debs="$CACHE/debs" log="$CACHE/logs/mmdebstrap.log" include sources
  mkdir -p "$debs" "$CACHE/logs"
  rm -rf "$dir.tmp"
  include="$(IFS=,; echo "${PACKAGES[*]}")"
  sources=("deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main")
  [ -z "$SECURITY_MIRROR" ] || sources+=("deb $SECURITY_MIRROR $SUITE-security main")
  note "log: $log"
  # The sync-in/sync-out hooks keep downloaded packages in $debs between builds.
  if ! mmdebstrap --mode=root --variant=minbase --include="$include" \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --skip=download/empty --skip=essential/unlink \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in $debs /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives $debs" \
    --customize-hook="$HERE/lib/customize-base.sh \"\$1\"" \
    "$SUITE" "$dir.tmp" "${sources[@]}" >"$log" 2>&1; then
    tail -25 "$log" >&2
    die "mmdebstrap of Debian $SUITE into $dir.tmp failed (full log: $log)"
  fi
  mv "$dir.tmp" "$dir"
  find "$debs" -name '*.deb' -mtime +30 -delete
}

BASE_DIR="$CACHE/rootfs-base/$BASE_KEY"
step "4/$STEPS" "rootfs base: mmdebstrap Debian $SUITE + ${#PACKAGES[@]} packages (20-80 s the first time)"
mkdir -p "$CACHE/rootfs-base"
if [ -d "$BASE_DIR" ]; then
  note "cached in $BASE_DIR"
else
  build_base_tree "$BASE_DIR"
fi
prune_cache_dir "$CACHE/rootfs-base" "$BASE_KEY"
step_done "$(du -sh "$BASE_DIR" | cut -f1) base tree"

# --- step 5: Java runtime -------------------------------------------------------------------------------------

# The listed modules plus any the agent jar needs (jdeps), so a new dependency of the agent cannot be missed.
jre_modules() {
  local found
  found="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$AGENT_JAR" \
    2>/dev/null | tail -1)" || found=""
  printf '%s\n' "${JRE_MODULES[@]}" ${found//,/ } | grep -E '^[a-z][a-z0-9.]*$' | LC_ALL=C sort -u | paste -sd,
}

step "5/$STEPS" "java runtime: jlink from $JDK_RELEASE (5-10 s the first time)"
MODULES_CSV="$(jre_modules)"
JRE_KEY="$(printf '%s\n' "$JDK_RELEASE" "$MODULES_CSV" "${JLINK_OPTIONS[*]}" | sha256sum | cut -c1-16)"
JRE_DIR="$CACHE/jre/$JRE_KEY"
mkdir -p "$CACHE/jre"
if [ -d "$JRE_DIR" ]; then
  note "cached in $JRE_DIR"
else
  rm -rf "$JRE_DIR.tmp"
  "$JAVA_HOME/bin/jlink" --add-modules "$MODULES_CSV" "${JLINK_OPTIONS[@]}" --output "$JRE_DIR.tmp" >/dev/null \
    || die "jlink of $MODULES_CSV from $JAVA_HOME failed"
  # Only used with heaps over 32 GB (no compressed oops); a sandbox never has one.
  rm -f "$JRE_DIR.tmp/lib/server/classes_nocoops.jsa"
  mv "$JRE_DIR.tmp" "$JRE_DIR"
fi
prune_cache_dir "$CACHE/jre" "$JRE_KEY"
note "modules: $MODULES_CSV"
step_done "$(du -sh "$JRE_DIR" | cut -f1) runtime"

# --- step 6: root disk ----------------------------------------------------------------------------------------

assemble_rootfs() {
  local root="$WORK/rootfs"
  cp -a "$BASE_DIR" "$root"
  mkdir -p "$root/usr/lib/modules" "$root/opt/wrenn" "$root/etc/wrenn" "$root/var/log/wrenn"
  cp -a "$MODULES_DIR" "$root/usr/lib/modules/"
  depmod -b "$root" "$KERNEL_VERSION"
  cp -a "$JRE_DIR" "$root/opt/wrenn/jre"
  install -m 0644 "$AGENT_JAR" "$root/opt/wrenn/guest-agent.jar"
  install -m 0644 "$REPO/guest-agent/jvm.options" "$root/opt/wrenn/jvm.options"
  # The AOT cache must come from this runtime and this jar (the JVM checks both, and accepts them at another path).
  "$REPO/guest-agent/train-aot-cache.sh" "$root/opt/wrenn/jre/bin/java" "$root/opt/wrenn/guest-agent.jar" \
    "$root/opt/wrenn/guest-agent.aot" || die "training the guest agent's AOT cache failed"
  rm -f "$root/opt/wrenn/guest-agent.aot.log"
  install -m 0755 "$HERE/guest/wrenn-init" "$root/usr/sbin/wrenn-init"
  install -m 0755 "$HERE/guest/wrenn-supervise" "$root/usr/local/bin/wrenn-supervise"
  printf '%s\n' "inputs_sha256=$INPUTS_SHA256" "kernel=$KERNEL_VERSION" "agent_sha256=$AGENT_SHA256" \
    >"$root/etc/wrenn/image"
}

step "6/$STEPS" "rootfs image: assemble and mkfs.ext4 -d, $DISK_SIZE sparse (~3 s)"
assemble_rootfs
truncate -s "$DISK_SIZE" "$WORK/rootfs.ext4" || die "--disk-size $DISK_SIZE is not a size truncate accepts"
mkfs.ext4 -q -F -L wrenn-root -m 0 -d "$WORK/rootfs" "$WORK/rootfs.ext4" \
  || die "mkfs.ext4 -d $WORK/rootfs into a $DISK_SIZE image failed (is the tree larger than the disk?)"
e2fsck -fn "$WORK/rootfs.ext4" >/dev/null 2>&1 || die "e2fsck found errors in the new $WORK/rootfs.ext4"
step_done "$(du -sh "$WORK/rootfs" | cut -f1) of files, $(du -h "$WORK/rootfs.ext4" | cut -f1) allocated"

# --- step 7: publish ------------------------------------------------------------------------------------------

# A version is referenced while any qcow2 disk under the data directory (a sandbox's overlay, a snapshot's disk)
# names one of its files as backing file; the name sits in the qcow2 header, within its first 64 KiB.
version_in_use() {
  local dir="$1" disk
  while IFS= read -r -d '' disk; do
    # Not `head | grep -q` under pipefail: grep quitting at the first match can kill head with SIGPIPE, and the
    # pipeline then fails, so a version in use was sometimes pruned under a running sandbox.
    grep -qF -- "$dir/" < <(head -c 65536 "$disk" 2>/dev/null) && return 0
  done < <(find "$DATA_DIR" -path "$IMAGES" -prune -o -path "$CACHE" -prune -o -name '*.qcow2' -type f -print0)
  return 1
}

# Older versions go once nothing references them; the flat files of builds before versioning go at once (running
# VMs keep their open file; nothing paused can refer to them, pausing came later).
prune_old_versions() {
  local keep="$1" dir
  rm -f "$IMAGES"/{vmlinuz,initramfs.cpio.gz,rootfs.ext4,manifest.json}
  for dir in "$IMAGES"/*/; do
    dir="${dir%/}"
    [ "$(basename "$dir")" = "$keep" ] || [ -L "$dir" ] || [ ! -f "$dir/manifest.json" ] && continue
    if version_in_use "$dir"; then
      note "kept $(basename "$dir"): a disk under $DATA_DIR still uses it"
    else
      chmod -R u+w "$dir" && rm -rf "$dir"
    fi
  done
}

step "7/$STEPS" "manifest and publish into $IMAGES"
KERNEL_SHA256="$(sha256_of "$WORK/vmlinuz")"
INITRAMFS_SHA256="$(sha256_of "$WORK/initramfs.cpio.gz")"
cat >"$WORK/manifest.json" <<EOF
{
  "kernel_version": "$KERNEL_VERSION",
  "kernel_package": "$KERNEL_PKG=$KERNEL_PKG_VERSION",
  "kernel_sha256": "$KERNEL_SHA256",
  "initramfs_sha256": "$INITRAMFS_SHA256",
  "rootfs_inputs_sha256": "$INPUTS_SHA256",
  "rootfs_disk_size": "$DISK_SIZE",
  "agent_sha256": "$AGENT_SHA256",
  "agent_port": 49983,
  "jre_modules": "$MODULES_CSV",
  "debian_suite": "$SUITE",
  "inputs_sha256": "$INPUTS_SHA256",
  "files": {"kernel": "vmlinuz", "initramfs": "initramfs.cpio.gz", "rootfs": "rootfs.ext4"},
  "built_at": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF
# A new directory per build, never an existing one rewritten (a --force rebuild of the same inputs gets a suffix).
VERSION="${INPUTS_SHA256:0:16}"
n=1
while [ -e "$IMAGES/$VERSION" ]; do n=$((n + 1)); VERSION="${INPUTS_SHA256:0:16}-$n"; done
mkdir "$WORK/publish"
for f in vmlinuz initramfs.cpio.gz rootfs.ext4 manifest.json; do mv "$WORK/$f" "$WORK/publish/$f"; done
# Read-only: QEMU opens the base disk read-only anyway; this keeps anything else from writing it by mistake.
chmod 0444 "$WORK"/publish/*
chmod 0555 "$WORK/publish"
# Renames within one file system: the version appears whole, and `current` points to the old one or the new one.
mv "$WORK/publish" "$IMAGES/$VERSION"
ln -sfn "$VERSION" "$IMAGES/.current.new"
mv -Tf "$IMAGES/.current.new" "$CURRENT"
prune_old_versions "$VERSION"
prune_cache_dir "$CACHE/kernel" "$(basename "$KERNEL_DIR")"
step_done "current -> $VERSION"
echo "built $IMAGES/$VERSION (now $CURRENT): vmlinuz ($KERNEL_VERSION), initramfs.cpio.gz, rootfs.ext4 ($DISK_SIZE)"
