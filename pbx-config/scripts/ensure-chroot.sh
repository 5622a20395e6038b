#!/usr/bin/env bash
# Builds (once) and caches a Debian testing chroot holding Asterisk 22+, outside
# the repo so later runs and CI reuse it. Falls back to sid when testing lacks it.
# Prints the chroot's path on stdout; everything else goes to stderr.
set -euo pipefail
cache="${CALLER_CACHE_DIR:-/var/cache/caller-desktop}"
root="$cache/asterisk-chroot"
log() { echo "[asterisk-chroot] $*" >&2; }

# Asterisk stalls on DNS when it cannot resolve the host's name, and a cached
# chroot may be reused under another hostname (CI containers): keep both known.
hosts_fix() {
  local hosts="$1/etc/hosts" name
  name=$(hostname)
  [ -w "$hosts" ] || return 0
  grep -qE '^127\.0\.0\.1[[:space:]].*\blocalhost\b' "$hosts" || echo "127.0.0.1 localhost" >>"$hosts"
  grep -qE "[[:space:]]$name([[:space:]]|\$)" "$hosts" || echo "127.0.1.1 $name" >>"$hosts"
}

# The chroot's asterisk user and group must be ids no host account has: Debian gives
# them a system id (101 here was the host's postgres), and a host uid shared with the
# PBX can signal its processes and owns its files. They live in a high range the
# host's own system accounts (100-999) and first users never reach.
id_low=50000 id_high=59999
host_has() { getent passwd "$1" >/dev/null 2>&1 || getent group "$1" >/dev/null 2>&1; }
chroot_has() { awk -F: -v id="$1" '$3 == id { found = 1 } END { exit !found }' "$2/etc/passwd" "$2/etc/group"; }
free_id() {
  local id
  for ((id = id_high; id >= id_low; id--)); do
    host_has "$id" || chroot_has "$id" "$1" || { echo "$id"; return 0; }
  done
  return 1
}
# Idempotent and cheap when nothing is wrong (two awk, two getent); renumbers the user,
# the group and every file they own otherwise (an older cache, or a host account made since).
asterisk_ids_fix() {
  local root=$1 uid gid id
  uid=$(awk -F: '$1 == "asterisk" { print $3 }' "$root/etc/passwd")
  gid=$(awk -F: '$1 == "asterisk" { print $3 }' "$root/etc/group")
  [ -n "$uid" ] && [ -n "$gid" ] || return 0
  if [ "$uid" = "$gid" ] && ((uid >= id_low && uid <= id_high)) && ! host_has "$uid"; then return 0; fi
  id=$(free_id "$root") || { log "no free id in $id_low-$id_high for the chroot's asterisk user"; return 1; }
  log "asterisk user/group $uid:$gid -> $id:$id (ids no host account has)"
  awk -F: -v OFS=: -v id="$id" -v gid="$gid" '$1 == "asterisk" { $3 = id; if ($4 == gid) $4 = id } 1' "$root/etc/passwd" >"$root/etc/passwd.caller" &&
    cat "$root/etc/passwd.caller" >"$root/etc/passwd" && rm -f "$root/etc/passwd.caller"
  awk -F: -v OFS=: -v id="$id" '$1 == "asterisk" { $3 = id } 1' "$root/etc/group" >"$root/etc/group.caller" &&
    cat "$root/etc/group.caller" >"$root/etc/group" && rm -f "$root/etc/group.caller"
  # Instances' runtime dirs are left alone: a running one keeps its files until its next
  # `pbx.sh up`, which hands them to the new ids.
  local prune=(\( -path "$root/run/caller" -o -path "$root/proc" -o -path "$root/sys" -o -path "$root/dev" \) -prune -o)
  find "$root" -xdev "${prune[@]}" -uid "$uid" -exec chown -h "$id" {} +
  find "$root" -xdev "${prune[@]}" -gid "$gid" -exec chgrp -h "$id" {} +
}

# One fixer at a time: several engineers' tests may start instances at once.
mkdir -p "$cache"
exec 8>"$cache/.asterisk-chroot.lock"
flock -w 600 8 || { log "another ensure-chroot.sh holds $cache/.asterisk-chroot.lock"; exit 1; }

if [ -x "$root/usr/sbin/asterisk" ] && [ -f "$root/.caller-ready" ]; then
  hosts_fix "$root"
  asterisk_ids_fix "$root"
  echo "$root"; exit 0
fi
[ "$(id -u)" = 0 ] || { log "building the Asterisk chroot needs root (debootstrap, chroot)"; exit 1; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2

build() {
  local suite=$1 dir="$cache/asterisk-chroot.$1.tmp"
  rm -rf "$dir"; mkdir -p "$dir"
  log "debootstrap $suite (minbase)"
  debootstrap --variant=minbase "$suite" "$dir" >&2 || return 1
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  hosts_fix "$dir"
  log "apt-get install asterisk in $suite"
  chroot "$dir" apt-get -o Acquire::Check-Valid-Until=false update -qq >&2 || return 1
  chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false \
    install -y -qq --no-install-recommends asterisk asterisk-modules asterisk-core-sounds-en-gsm >&2 || return 1
  local version
  version=$(chroot "$dir" dpkg-query -W -f='${Version}' asterisk | sed -E 's/^[0-9]+://; s/[.~+-].*//')
  if [ "${version:-0}" -lt 22 ]; then log "$suite has Asterisk $version, need 22 or newer"; return 1; fi
  asterisk_ids_fix "$dir" || return 1
  rm -rf "$root"; mv "$dir" "$root"
  touch "$root/.caller-ready"
}

build forky || { log "forky failed or lacks Asterisk 22; trying sid"; build sid; } || {
  log "neither Debian testing (forky) nor sid provides Asterisk 22 or newer"; exit 1; }
echo "$root"
