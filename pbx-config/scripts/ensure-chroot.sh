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

if [ -x "$root/usr/sbin/asterisk" ] && [ -f "$root/.caller-ready" ]; then
  hosts_fix "$root"
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
  rm -rf "$root"; mv "$dir" "$root"
  touch "$root/.caller-ready"
}

mkdir -p "$cache"
build forky || { log "forky failed or lacks Asterisk 22; trying sid"; build sid; } || {
  log "neither Debian testing (forky) nor sid provides Asterisk 22 or newer"; exit 1; }
echo "$root"
