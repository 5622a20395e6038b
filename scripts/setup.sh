#!/usr/bin/env bash
# Installs everything the app and its tests need, reusing what is cached:
# Debian packages, npm packages (native modules built once per lockfile and
# kept in a cache outside the repo), and the Asterisk chroot. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${CALLER_CACHE_DIR:-/var/cache/caller-desktop}"
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_nodedir=/usr
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
log() { echo "[setup] $*"; }

node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { log "Node.js 20.19 or newer is needed (found $(node -v 2>/dev/null || echo none))"; exit 1; }

# haproxy/kamailio/rtpengine: the scale topology (scripts/scale.sh); swift-* + memcached: the S3 store
# (Swift's s3api) recordings are tested against (scripts/swift.sh).
debs=(curl chromium fonts-noto-cjk debootstrap sip-tester xvfb xdg-utils sox espeak-ng postgresql iproute2 python3 make g++
  haproxy kamailio kamailio-websocket-modules kamailio-tls-modules rtpengine-daemon socat
  swift swift-proxy swift-account swift-container swift-object python3-swift memcached)
missing=()
for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "missing Debian packages (${missing[*]}): run this as root once"; exit 1; }
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # These packages start system services; tests and scripts/scale.sh / swift.sh run private instances.
  for service in postgresql haproxy kamailio rtpengine-daemon; do
    command -v systemctl >/dev/null && systemctl disable --now "$service" >/dev/null 2>&1 || true
  done
  for unit in $(ls /etc/init.d | grep -E '^(memcached|swift-[a-z-]+)$' || true); do
    command -v systemctl >/dev/null && systemctl disable --now "$unit" >/dev/null 2>&1 || true
    command -v update-rc.d >/dev/null && update-rc.d "$unit" disable >/dev/null 2>&1 || true
  done
fi

key=$( (cat package-lock.json; node -v; uname -m) | sha256sum | cut -c1-16)
if [ "$(cat node_modules/.caller-key 2>/dev/null)" != "$key" ]; then
  if [ -d "$cache/node_modules/$key" ]; then
    log "node_modules from cache ($key)"
    rm -rf node_modules
    cp -al "$cache/node_modules/$key" node_modules
  else
    log "npm ci (native modules compile once per lockfile; ~3 min)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$key" > node_modules/.caller-key
    mkdir -p "$cache/node_modules"
    rm -rf "$cache/node_modules/$key.tmp"
    cp -al node_modules "$cache/node_modules/$key.tmp" && mv "$cache/node_modules/$key.tmp" "$cache/node_modules/$key"
    # keep the three newest lockfile builds
    ls -1dt "$cache"/node_modules/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
  fi
fi

if [ "${CALLER_SKIP_PBX:-0}" != 1 ]; then
  CALLER_CACHE_DIR="$cache" bash pbx-config/scripts/ensure-chroot.sh >/dev/null
fi
log "ready"
