# Sourced by build/test.sh: what a tier leaves behind. Before each tier it records the machine's Wrenn-shaped
# resources (QEMU processes, wrenn-* network namespaces, links and nftables tables, mounts under /var/lib/wrenn*,
# cgroups); after the tier it lists what is new and still there. Only resources that appeared during the tier count,
# so another Wrenn running on the same machine is never blamed (nor touched: this only looks).

leftovers_snapshot() {
  {
    pgrep -a -f 'qemu-system' 2>/dev/null | awk '{print "qemu " $1}'
    ip netns list 2>/dev/null | awk '$1 ~ /^wrenn/ {print "netns " $1}'
    ip -o link show 2>/dev/null | awk -F': ' '$2 ~ /^wrenn/ {sub(/@.*/, "", $2); print "link " $2}'
    nft list tables 2>/dev/null | awk '$3 ~ /^wrenn/ {print "nft " $2 " " $3}'
    awk '$2 ~ /^\/(var\/lib|run|tmp)\/wrenn/ {print "mount " $2}' /proc/mounts 2>/dev/null
    find /sys/fs/cgroup -maxdepth 2 -type d -name 'wrenn*' 2>/dev/null | sed 's/^/cgroup /'
  } | sort -u
}

# Prints what is in the second snapshot and not in the first; returns 1 when there is anything.
leftovers_new_since() {
  local before="$1" after
  after="$(leftovers_snapshot)"
  local new
  new="$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed '/^$/d')"
  [ -z "$new" ] && return 0
  printf '%s\n' "$new"
  return 1
}
