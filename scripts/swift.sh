#!/usr/bin/env bash
# A private single-node OpenStack Swift with the s3api middleware: the S3
# store recordings are tested against (Debian's swift-* and memcached).
#
#   scripts/swift.sh up      start (or find running) instance $SWIFT_INSTANCE; prints its facts
#   scripts/swift.sh status  up or down; exit 1 when down
#   scripts/swift.sh down    stop it; SWIFT_PURGE=1 also removes its runtime dir (data, secret)
#
# Everything listens on 127.0.0.1 only: the S3 proxy on $SWIFT_PORT (0 or unset: a
# free port), the account/container/object servers and a private memcached on free
# ports. Rings, data (a plain folder as the one device), configs and logs live in
# $SWIFT_RUNTIME_BASE/<instance> (mode 0700). No system service is started or
# enabled. S3 credentials: tempauth user test:tester with a random key, written
# to <runtime>/swift.env (0600), never printed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
instance="${SWIFT_INSTANCE:-default}"
[[ "$instance" =~ ^[a-z0-9-]{1,64}$ ]] || { echo "swift: SWIFT_INSTANCE must be [a-z0-9-]" >&2; exit 2; }
base="${SWIFT_RUNTIME_BASE:-/tmp/caller-swift}"
rt="$base/$instance"
port_wanted="${SWIFT_PORT:-0}"
# Debian's interpreter: python3-swift is installed for it, whatever python3 is first on PATH.
py=/usr/bin/python3

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

facts() {
  local port
  port=$(cat "$rt/ports")
  echo "SWIFT_INSTANCE=$instance"
  echo "SWIFT_RUNTIME_DIR=$rt"
  echo "SWIFT_S3_URL=http://127.0.0.1:$port"
  echo "SWIFT_S3_REGION=us-east-1"
  echo "SWIFT_ENV_FILE=$rt/swift.env"
}

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

write_configs() {
  local secret=$1 mport=$2 hash
  hash=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  cat > "$rt/swift.conf" <<EOF
[swift-hash]
swift_hash_path_prefix = $hash
swift_hash_path_suffix = $hash
[storage-policy:0]
name = Policy-0
default = yes
EOF
  for server in account container object; do
    cat > "$rt/$server-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
devices = $rt/srv
mount_check = false
disable_fallocate = true
swift_dir = $rt
log_level = WARNING
[pipeline:main]
pipeline = $server-server
[app:$server-server]
use = egg:swift#$server
EOF
  done
  # s3api before tempauth, slo after it (S3 multipart uploads are SLOs); copy for UploadPartCopy.
  cat > "$rt/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
swift_dir = $rt
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $secret .admin
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$mport
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
  umask 077
  printf 'SWIFT_S3_ACCESS_KEY_ID=test:tester\nSWIFT_S3_SECRET_ACCESS_KEY=%s\n' "$secret" > "$rt/swift.env"
}

up() {
  if alive "$rt/swift.pid" && [ -f "$rt/ports" ]; then facts; return; fi
  for bin in memcached "$py"; do command -v "$bin" >/dev/null || { echo "swift: $bin is missing (scripts/setup.sh installs it)" >&2; exit 1; }; done
  [ -d /usr/lib/python3/dist-packages/swift/common/middleware/s3api ] || { echo "swift: python3-swift is missing (scripts/setup.sh installs it)" >&2; exit 1; }
  down_quiet
  mkdir -p "$base"
  (umask 077 && mkdir -p "$rt/srv/d1")
  rm -f "$rt/ports"
  local secret mport
  secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  mport=$(free_port)
  write_configs "$secret" "$mport"
  memcached -l 127.0.0.1 -p "$mport" -U 0 -m 16 -c 256 -u root -d -P "$rt/memcached.pid"
  # EVENTLET_NO_GREENDNS: eventlet's DNS module (dnspython) costs seconds of import, and everything here is an IP.
  EVENTLET_NO_GREENDNS=yes setsid "$py" "$here/swift-node.py" "$rt" "$port_wanted" > "$rt/swift.log" 2>&1 < /dev/null &
  echo $! > "$rt/swift.pid"
  local waited=0
  until [ -f "$rt/ports" ]; do
    if ! alive "$rt/swift.pid"; then echo "swift: the node exited while starting:" >&2; tail -20 "$rt/swift.log" >&2; down_quiet; exit 1; fi
    [ $waited -lt 300 ] || { echo "swift: not listening after 30 s" >&2; down_quiet; exit 1; }
    sleep 0.1; waited=$((waited + 1))
  done
  curl -sf -o /dev/null "http://127.0.0.1:$(cat "$rt/ports")/healthcheck" || { echo "swift: healthcheck failed" >&2; down_quiet; exit 1; }
  facts
}

stop_pid() {
  local file=$1 pid
  alive "$file" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
}

down_quiet() {
  [ -d "$rt" ] || return 0
  stop_pid "$rt/swift.pid"
  stop_pid "$rt/memcached.pid"
  rm -f "$rt/ports"
}

case "${1:-}" in
  up) up ;;
  down)
    down_quiet
    # Only ever a runtime dir this script made: <base>/<instance>.
    if [ "${SWIFT_PURGE:-0}" = 1 ] && [ -f "$rt/swift.conf" ]; then rm -rf "$rt"; fi
    ;;
  status)
    if alive "$rt/swift.pid" && [ -f "$rt/ports" ] && curl -sf -o /dev/null "http://127.0.0.1:$(cat "$rt/ports")/healthcheck"; then echo "swift $instance: up"; facts; else echo "swift $instance: down"; exit 1; fi
    ;;
  *) echo "usage: SWIFT_INSTANCE=name scripts/swift.sh up|status|down" >&2; exit 2 ;;
esac
