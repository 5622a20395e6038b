#!/usr/bin/env bash
# Runs one Asterisk instance for development and tests: up | down | status | logs | cli.
# A system Asterisk is used as is where one is installed; otherwise the cached
# Debian chroot from ensure-chroot.sh. Everything an instance writes lives in its
# runtime dir, so instances with their own ports never clash. See ../README.md.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
templates="$here/../asterisk"
log() { echo "[pbx] $*" >&2; }
die() { log "$*"; exit 1; }

instance="${PBX_INSTANCE:-dev}"
[[ "$instance" =~ ^[a-z0-9][a-z0-9-]{0,39}$ ]] || die "PBX_INSTANCE must match [a-z0-9-], 1-40 chars: '$instance'"

# Where Asterisk runs: chroot (root path on the host) or the host itself.
if [ -n "${PBX_ASTERISK:-}" ]; then mode=$PBX_ASTERISK
elif command -v asterisk >/dev/null 2>&1; then mode=system
else mode=chroot; fi

chroot_dir=""
case "$mode" in
  system) rt_inner="${PBX_RUNTIME_BASE:-/var/tmp/caller-pbx}/$instance" ;;
  chroot)
    chroot_dir="${CALLER_CACHE_DIR:-/var/cache/caller-desktop}/asterisk-chroot"
    rt_inner="/run/caller/$instance" ;;
  *) die "PBX_ASTERISK must be 'system' or 'chroot'" ;;
esac
rt="$chroot_dir$rt_inner"   # the same directory as the host sees it
conf_inner="$rt_inner/etc/asterisk/asterisk.conf"

in_root() { if [ -n "$chroot_dir" ]; then chroot "$chroot_dir" "$@"; else "$@"; fi; }
cli() { in_root timeout "${2:-10}" asterisk -C "$conf_inner" -rx "$1"; }
running() { [ -S "$rt/run/asterisk.ctl" ] && cli 'core show uptime' 3 >/dev/null 2>&1; }
pid_of() { cat "$rt/run/asterisk.pid" 2>/dev/null || true; }

# Replace ${PBX_*} placeholders only; Asterisk's own ${...} stay. An unset or
# multi-line value is an error rather than a silently broken config.
render() {
  local src=$1 dst=$2 text name var
  text=$(<"$src")
  for name in $(grep -o '\${PBX_[A-Z0-9_]*}' "$src" | sort -u); do
    var=${name:2:-1}
    [ -n "${!var+set}" ] || die "$(basename "$src"): $var is not set"
    [[ "${!var}" != *$'\n'* && "${!var}" != *$'\r'* ]] || die "$var must be one line"
    text=${text//"$name"/"${!var}"}
  done
  printf '%s\n' "$text" >"$dst"
}

secret() { # name -> stored secret, generated once per instance
  local f="$rt/secrets/$1"
  [ -s "$f" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$f")
  cat "$f"
}

write_env() {
  local env="$rt/pbx.env"
  (umask 077; cat >"$env" <<EOF
PBX_INSTANCE=$instance
PBX_MODE=$mode
PBX_RUNTIME_DIR=$rt
PBX_AMI_HOST=$PBX_BIND_ADDR
PBX_AMI_PORT=$PBX_AMI_PORT
PBX_AMI_USER=$PBX_AMI_USER
PBX_AMI_SECRET=$PBX_AMI_SECRET
PBX_WS_URL=ws://$PBX_BIND_ADDR:$PBX_HTTP_PORT/ws
PBX_WSS_URL=wss://$PBX_BIND_ADDR:$PBX_HTTPS_PORT/ws
PBX_SIP_UDP_PORT=$PBX_SIP_PORT
PBX_TEST_TRUNK_PORT=$PBX_TEST_TRUNK_PORT
PBX_TRUNK=$PBX_TRUNK
PBX_AUTHORIZE_URL=$PBX_AUTHORIZE_URL
PBX_REALTIME_URL=$PBX_REALTIME_URL
PBX_AUTHORIZE_SECRET=$PBX_AUTHORIZE_SECRET
PBX_TLS_CERT=$rt/keys/tls.crt
PBX_CDR_DB=$rt/log/cdr.db
PBX_RECORDINGS_DIR=$rt/spool/monitor
PBX_LOG_FILE=$rt/log/messages.log
EOF
  )
  # An older pbx.env keeps its mode through the rewrite above.
  chmod 600 "$env"
}

# Dev/test users from PBX_DEV_USERS="alice:pass bob:pass" (static, from a file of
# their own); real users' endpoints come from the Caller server over realtime.
dev_users() {
  local out="$rt/etc/asterisk/pjsip-dev-users.conf" entry name pass
  : >"$out"
  for entry in ${PBX_DEV_USERS:-}; do
    name=${entry%%:*}; pass=${entry#*:}
    [[ "$name" =~ ^[a-z0-9_.-]{1,40}$ && "$pass" =~ ^[A-Za-z0-9_.-]{8,64}$ ]] ||
      die "PBX_DEV_USERS entries are name:password ([a-z0-9_.-], password 8+ of [A-Za-z0-9_.-])"
    printf '[%s](webrtc-user)\nauth = %s\naors = %s\naccountcode = %s\n\n[%s](webrtc-aor)\n\n[%s](webrtc-auth)\nusername = %s\npassword = %s\n\n' \
      "$name" "$name" "$name" "$name" "$name" "$name" "$name" "$pass" >>"$out"
  done
  # Tests only: PBX_FAR_END="name:password" is a WebRTC endpoint standing for the phone
  # network (a JsSIP page registers as it); with PBX_TRUNK=name, Dial sends calls to it.
  # It also places calls into from-trunk as a carrier would: the caller's number rides in
  # P-Asserted-Identity (trust_id_inbound), the From user stays its endpoint name.
  if [ -n "${PBX_FAR_END:-}" ]; then
    name=${PBX_FAR_END%%:*}; pass=${PBX_FAR_END#*:}
    [[ "$name" =~ ^[a-z0-9_.-]{1,40}$ && "$pass" =~ ^[A-Za-z0-9_.-]{8,64}$ ]] ||
      die "PBX_FAR_END is name:password ([a-z0-9_.-], password 8+ of [A-Za-z0-9_.-])"
    printf '[%s](webrtc-user)\ncontext = from-trunk\ntrust_id_inbound = yes\nauth = %s\naors = %s\n\n[%s](webrtc-aor)\nmax_contacts = 1\n\n[%s](webrtc-auth)\nusername = %s\npassword = %s\n\n' \
      "$name" "$name" "$name" "$name" "$name" "$name" "$pass" >>"$out"
  fi
}

prepare() {
  : "${PBX_HTTP_PORT:=8088}" "${PBX_HTTPS_PORT:=8089}" "${PBX_SIP_PORT:=5060}" "${PBX_AMI_PORT:=5038}"
  : "${PBX_TEST_TRUNK_PORT:=5070}" "${PBX_RTP_START:=10000}" "${PBX_RTP_END:=10999}"
  : "${PBX_AMI_USER:=caller-server}" "${PBX_AUTHORIZE_URL:=http://127.0.0.1:4300/pbx/authorize}"
  : "${PBX_PROVIDER_SIP_PORT:=5080}" "${PBX_PROVIDER_BIND:=0.0.0.0}"
  # One address for ws/wss, SIP UDP and AMI; the scale topology gives each Asterisk its own.
  : "${PBX_BIND_ADDR:=127.0.0.1}" "${PBX_AMI_PERMIT:=127.0.0.1/255.255.255.255}" "${PBX_TEST_TRUNK_HOST:=127.0.0.1}"
  local p
  for p in PBX_HTTP_PORT PBX_HTTPS_PORT PBX_SIP_PORT PBX_AMI_PORT PBX_TEST_TRUNK_PORT PBX_RTP_START PBX_RTP_END; do
    [[ "${!p}" =~ ^[0-9]{2,5}$ ]] || die "$p must be a port number"
  done
  for p in PBX_BIND_ADDR PBX_TEST_TRUNK_HOST; do
    [[ "${!p}" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || die "$p must be an IPv4 address"
  done
  [[ "$PBX_AMI_PERMIT" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9.]{1,15}(,[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9.]{1,15})*$ ]] ||
    die "PBX_AMI_PERMIT must be address/mask entries separated by commas"
  [[ "$PBX_AUTHORIZE_URL" =~ ^https?://[A-Za-z0-9.:/_-]+$ ]] || die "PBX_AUTHORIZE_URL must be a plain http(s) URL without a query"
  # The realtime base (user endpoints) lives beside the authorize URL on the same server unless given.
  if [ -z "${PBX_REALTIME_URL:-}" ]; then
    [[ "$PBX_AUTHORIZE_URL" == */pbx/authorize ]] || die "set PBX_REALTIME_URL: it cannot be derived from PBX_AUTHORIZE_URL"
    PBX_REALTIME_URL=${PBX_AUTHORIZE_URL%/pbx/authorize}/pbx/realtime
  fi
  [[ "$PBX_REALTIME_URL" =~ ^https?://[A-Za-z0-9.:/_-]+$ ]] || die "PBX_REALTIME_URL must be a plain http(s) URL without a query"
  if [ -n "${PBX_PROVIDER_HOST:-}" ]; then : "${PBX_TRUNK:=provider}"; else : "${PBX_TRUNK:=test-trunk}"; fi
  [[ "$PBX_TRUNK" =~ ^[a-z0-9_.-]{1,40}$ ]] || die "PBX_TRUNK must be an endpoint name ([a-z0-9_.-])"
  PBX_RT=$rt_inner PBX_INSTANCE=$instance

  local uid gid
  if in_root id -u asterisk >/dev/null 2>&1; then
    PBX_RUNUSER=asterisk PBX_RUNGROUP=asterisk
    uid=$(in_root id -u asterisk) gid=$(in_root id -g asterisk)
  else
    PBX_RUNUSER=$(id -un) PBX_RUNGROUP=$(id -gn) uid=$(id -u) gid=$(id -g)
  fi
  (umask 077; mkdir -p "$rt"/{etc/asterisk,run,log,spool/monitor,keys,lib,cache,moh,secrets})
  chmod 700 "$rt/secrets"
  # The shared secret may be given (the server was configured first); otherwise it is generated once.
  if [ -n "${PBX_AUTHORIZE_SECRET:-}" ]; then
    [[ "$PBX_AUTHORIZE_SECRET" =~ ^[A-Za-z0-9_-]{16,128}$ ]] || die "PBX_AUTHORIZE_SECRET must be 16-128 of [A-Za-z0-9_-]"
    (umask 077; printf '%s' "$PBX_AUTHORIZE_SECRET" >"$rt/secrets/authorize")
  fi
  PBX_AMI_SECRET=$(secret ami) PBX_AUTHORIZE_SECRET=$(secret authorize) PBX_ENTITY_ID=$(secret entity | head -c 12 | sed 's/../&:/g; s/:$//')
  export PBX_BIND_ADDR PBX_TEST_TRUNK_HOST PBX_RT PBX_INSTANCE PBX_RUNUSER PBX_RUNGROUP PBX_AMI_SECRET PBX_AUTHORIZE_SECRET PBX_ENTITY_ID PBX_TRUNK PBX_REALTIME_URL

  # Made again when the instance moves to another address: the certificate names it.
  if [ ! -s "$rt/keys/tls.crt" ] || [ "$(cat "$rt/keys/tls.addr" 2>/dev/null || echo 127.0.0.1)" != "$PBX_BIND_ADDR" ]; then
    command -v openssl >/dev/null || die "openssl is needed on the host to make the wss certificate"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
      -subj "/CN=$PBX_BIND_ADDR" -addext "subjectAltName=IP:$PBX_BIND_ADDR" \
      -keyout "$rt/keys/tls.key" -out "$rt/keys/tls.crt" 2>/dev/null
    echo "$PBX_BIND_ADDR" >"$rt/keys/tls.addr"
  fi

  local f
  for f in "$templates"/*.conf; do
    case "$(basename "$f")" in
      pjsip-provider.conf) continue ;;
      *) render "$f" "$rt/etc/asterisk/$(basename "$f")" ;;
    esac
  done
  rm -f "$rt/etc/asterisk/pjsip-provider.conf"
  # Music on hold (musiconhold.conf): the chroot has no MOH package.
  rm -f "$rt/moh/"*
  cp "$templates/moh/"*.ulaw "$rt/moh/"
  if [ -n "${PBX_PROVIDER_HOST:-}" ]; then
    : "${PBX_PROVIDER_USER:?PBX_PROVIDER_USER is needed with PBX_PROVIDER_HOST}"
    : "${PBX_PROVIDER_PASSWORD:?PBX_PROVIDER_PASSWORD is needed with PBX_PROVIDER_HOST}"
    # ';' starts a comment in Asterisk's config syntax.
    PBX_PROVIDER_PASSWORD=${PBX_PROVIDER_PASSWORD//;/\\;}
    export PBX_PROVIDER_HOST PBX_PROVIDER_USER PBX_PROVIDER_PASSWORD PBX_PROVIDER_SIP_PORT PBX_PROVIDER_BIND
    render "$templates/pjsip-provider.conf" "$rt/etc/asterisk/pjsip-provider.conf"
  fi
  # Test-only extras, e.g. PBX_EXTRA_MODULES=app_senddtmf.so to press keys on a Local channel.
  local module
  for module in ${PBX_EXTRA_MODULES:-}; do
    [[ "$module" =~ ^[a-z0-9_]+\.so$ ]] || die "PBX_EXTRA_MODULES: bad module name '$module'"
    echo "load = $module" >>"$rt/etc/asterisk/modules.conf"
  done
  dev_users

  # Asterisk drops to its own user before reading config, keys and secrets. Nothing of
  # an instance is for other local users: its config holds the AMI and PBX secrets, its
  # logs and cdr.db who called whom, spool/monitor the recordings. The runtime dir is
  # root's, and its group (asterisk) may only pass through it to its own folders, so a
  # compromised Asterisk cannot swap pbx.env or secrets/ under the server (root).
  chown -R "$uid:$gid" "$rt"/{etc,run,log,spool,keys,lib,cache,moh}
  chmod -R go-rwx "$rt"/{etc,run,log,spool,keys,lib,cache,moh}
  chown root:root "$rt/secrets" "$rt/.lock"
  chmod 700 "$rt/secrets"
  chmod 600 "$rt/.lock"
  chown "root:$gid" "$rt"
  chmod 710 "$rt"
}

up() {
  if [ "$mode" = chroot ]; then
    local built
    built=$("$here/ensure-chroot.sh") || die "the Asterisk chroot is not available"
    [ "$built" = "$chroot_dir" ] || die "ensure-chroot.sh built $built, expected $chroot_dir"
  fi
  # The parent stays passable (Asterisk reaches its folders through it); the instance's dir is private.
  # (A running instance's dir keeps its modes: `up` twice must not lock Asterisk out.)
  mkdir -p "${rt%/*}"
  (umask 077; mkdir -p "$rt")
  exec 9>"$rt/.lock"
  flock -w 30 9 || die "another pbx.sh holds $rt/.lock"
  if running; then
    log "instance $instance already running"
    cat "$rt/pbx.env"; return 0
  fi
  prepare
  rm -f "$rt/run/asterisk.ctl" "$rt/run/asterisk.pid"
  # -F daemonizes; its stdio goes to a file so callers reading our output never wait on it.
  in_root asterisk -F -n -U "$PBX_RUNUSER" -G "$PBX_RUNGROUP" -C "$conf_inner" \
    </dev/null >"$rt/log/startup.log" 2>&1 9>&- || die "asterisk failed to start, see $rt/log/startup.log"
  local i
  for ((i = 0; i < 100; i++)); do
    if [ -S "$rt/run/asterisk.ctl" ] && cli 'core waitfullybooted' 10 >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  ((i < 100)) || die "asterisk did not finish booting in 10 s, see $rt/log/messages.log"
  local missing
  missing=$(missing_modules)
  [ -z "$missing" ] || log "warning: modules not loaded: $missing"
  write_env
  cat "$rt/pbx.env"
}

missing_modules() {
  local loaded wanted m out=""
  loaded=$(cli 'module show' 5 | awk '{print $1}')
  wanted=$(sed -n 's/^load = \(.*\)$/\1/p' "$templates/modules.conf")
  for m in $wanted; do grep -qx "$m" <<<"$loaded" || out="$out $m"; done
  echo "${out# }"
}

# A zombie (exited, not yet reaped by a container's init) counts as gone.
alive() {
  local state
  [[ "$1" =~ ^[0-9]+$ ]] && state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ "$state" != Z* ]]
}

down() {
  [ -d "$rt" ] || { log "instance $instance has no runtime dir"; return 0; }
  local round pid i
  for ((round = 0; round < 5; round++)); do
    if running; then cli 'core stop now' 10 >/dev/null 2>&1 || true; fi
    pid=$(pid_of)
    if alive "$pid"; then
      for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.1; done
      if alive "$pid"; then log "asterisk $pid ignored 'core stop now'; sending TERM"; kill "$pid"; sleep 1; fi
      continue
    fi
    # `core restart` re-daemonizes under a new pid: look again before calling it down.
    sleep 0.3
    running || alive "$(pid_of)" || break
  done
  rm -f "$rt/run/asterisk.ctl"
  log "instance $instance stopped"
}

status() {
  running || { echo "down"; return 3; }
  echo "up"
  local name type bind url
  # ws/wss ride on the HTTP server, so their own bind address means nothing: show the URL.
  cli 'pjsip show transports' 5 | awk '/^ *Transport:/ && $2 !~ /^</ {print $2, $3, $6}' |
    while read -r name type bind; do
      case "$type" in
        ws) url=$(sed -n 's/^PBX_WS_URL=//p' "$rt/pbx.env" 2>/dev/null) ;;
        wss) url=$(sed -n 's/^PBX_WSS_URL=//p' "$rt/pbx.env" 2>/dev/null) ;;
        *) url=$bind ;;
      esac
      echo "transport $name $type $url"
    done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) if [ "${2:-}" = "-f" ]; then exec tail -n 50 -F "$rt/log/messages.log"; else tail -n "${2:-100}" "$rt/log/messages.log"; fi ;;
  cli) shift; [ $# -ge 1 ] || die "usage: pbx.sh cli '<asterisk command>'"; running || die "instance $instance is not running"; cli "$*" 30 ;;
  *) echo "usage: PBX_INSTANCE=name pbx.sh up|down|status|logs [-f|N]|cli '<command>'" >&2; exit 2 ;;
esac
