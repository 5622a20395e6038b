#!/usr/bin/env bash
# The scale topology on one machine (docs/scale.md): PostgreSQL, several Caller servers,
# HAProxy in front of them, several Asterisk, Kamailio as the desktops' SIP edge, and a
# sipp far end per Asterisk. Each "machine" has its own loopback address.
#   npm run scale -- up | down | status
# `up` twice is a no-op; `down` leaves nothing running. Root is needed (chroot, ports).
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true
cd "$(dirname "$0")/.."
root=$(pwd)
log() { echo "[scale] $*" >&2; }
die() { log "$*"; exit 1; }

net="${CALLER_SCALE_NET:-127.0.100}"
[[ "$net" =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "CALLER_SCALE_NET must be three octets of 127.0.0.0/8, e.g. 127.0.100"
servers="${CALLER_SCALE_SERVERS:-2}" pbxs="${CALLER_SCALE_PBXS:-2}"
[[ "$servers" =~ ^[1-9]$ && "$pbxs" =~ ^[1-9]$ ]] || die "CALLER_SCALE_SERVERS and CALLER_SCALE_PBXS are 1-9"
dir="${CALLER_SCALE_DIR:-/var/tmp/caller-scale}"
cache="${CALLER_CACHE_DIR:-/var/cache/caller-desktop}"

pg_addr=$net.10 pg_port=5432
server_addr() { echo "$net.$((10 + $1))"; }      # servers 1..9: .11 …
server_port=4300
lb_addr=$net.20 lb_pbx_addr=$net.21 lb_http_port=4300 lb_https_port=4443
kam_addr=$net.30 kam_sip_port=5060 kam_ws_port=8080 kam_wss_port=8443
# Media straight to the Asterisk (default) or through rtpengine beside Kamailio (docs/scale.md).
# The running topology keeps the choice it was started with (in $dir/media) until `down`.
running_media=$(cat "$dir/media" 2>/dev/null || true)
media="${CALLER_SCALE_MEDIA:-${running_media:-direct}}"
[[ "$media" =~ ^(direct|rtpengine)$ ]] || die "CALLER_SCALE_MEDIA must be direct or rtpengine"
if [ "${1:-}" = up ] && [ -n "$running_media" ] && [ "$running_media" != "$media" ]; then
  die "the topology runs with media $running_media: npm run scale -- down first"
fi
rtp_addr=$net.35 rtp_ng_port=2223
# Two topologies can run side by side on one box (another CALLER_SCALE_NET and CALLER_SCALE_DIR):
# what is not behind its own address derives from the net (Asterisk instance names, RTP ranges).
net_tag=${net#127.}; net_tag=${net_tag//./-}    # 127.0.100 → 0-100
net_octet=${net##*.}
pbx_name() { printf 'scale-%s-%s' "$net_tag" "$(printf '%b' "\\x$(printf '%x' $((96 + $1)))")"; }   # scale-0-100-a, scale-0-100-b …
pbx_addr() { echo "$net.$((30 + $1))"; }         # Asterisk 1..9: .31 …
far_addr() { echo "$net.$((40 + $1))"; }         # its sipp far end: .41 …
# RTP binds every address (res_rtp_asterisk), so on one box the Asterisks need ranges of their own:
# 500 ports each, 4,500 per topology, the topology's block chosen by the net's last digit (.100 → 20000).
rtp_start() { echo $((20000 + (net_octet % 10) * 4500 + ($1 - 1) * 500)); }
rtp_end() { echo $(($(rtp_start "$1") + 499)); }
far_port=5070

pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  die "PostgreSQL server binaries not found: run scripts/setup.sh"
}

# A pid file counts only while its process runs the expected program (a recycled pid does not).
pid_alive() {
  local file=$1 want=$2 pid
  pid=$(head -n 1 "$file" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  local state; state=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
  [[ "$state" != Z* ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$want"
}

stop_pid() {
  local file=$1 want=$2 pid i
  pid_alive "$file" "$want" || { rm -f "$file"; return 0; }
  pid=$(head -n 1 "$file")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do pid_alive "$file" "$want" || break; sleep 0.1; done
  if pid_alive "$file" "$want"; then kill -9 "$pid" 2>/dev/null || true; sleep 0.2; fi
  rm -f "$file"
}

wait_for() { # description, tries of 0.1 s, command...
  local what=$1 tries=$2 i; shift 2
  for ((i = 0; i < tries; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "$what did not come up"
}

# ${SCALE_*} placeholders only; an unset one is an error.
render() {
  local src=$1 dst=$2 text name var
  text=$(<"$src")
  for name in $(grep -o '\${SCALE_[A-Z0-9_]*}' "$src" | sort -u); do
    var=${name:2:-1}
    [ -n "${!var+set}" ] || die "$(basename "$src"): $var is not set"
    text=${text//"$name"/"${!var}"}
  done
  printf '%s\n' "$text" >"$dst"
}

self_signed() { # name address -> $dir/tls/name.{crt,key}
  [ -s "$dir/tls/$1.crt" ] && return 0
  (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
    -subj "/CN=$2" -addext "subjectAltName=IP:$2" -keyout "$dir/tls/$1.key" -out "$dir/tls/$1.crt" 2>/dev/null)
}

secret() { # name -> generated once, 0600
  local f="$dir/secrets/$1"
  [ -s "$f" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$f")
  cat "$f"
}

prepare() {
  [ "$(id -u)" = 0 ] || die "run as root (the Asterisk chroot, HAProxy and Kamailio users)"
  local p
  for p in haproxy kamailio sipp openssl curl; do command -v "$p" >/dev/null || die "$p is missing: run scripts/setup.sh"; done
  # The servers run the bundle: build it from this tree (about a second) so it is never stale.
  node scripts/build.mjs server >/dev/null
  mkdir -p "$dir"/{secrets,tls,pg,servers,haproxy,kamailio,far,pbx,swift,shippers}
  chmod 700 "$dir" "$dir/secrets" "$dir/tls"
  chmod 711 "$dir"   # the HAProxy and Kamailio users reach their own folders
}

pg_up() {
  local bin data="$dir/pg/data" password
  bin=$(pg_bin)
  password=$(secret pg)
  if ! pid_alive "$data/postmaster.pid" postgres; then
    chown postgres:postgres "$dir/pg"
    if [ ! -s "$data/PG_VERSION" ]; then
      (umask 077; printf '%s\n' "$password" >"$dir/pg/pwfile"); chown postgres "$dir/pg/pwfile"
      runuser -u postgres -- "$bin/initdb" -D "$data" -U caller --pwfile="$dir/pg/pwfile" -A scram-sha-256 -E UTF8 --locale=C >"$dir/pg/initdb.log" 2>&1 ||
        die "initdb failed: $dir/pg/initdb.log"
      rm -f "$dir/pg/pwfile"
    fi
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$dir/pg/server.log" -w -t 20 \
      -o "-p $pg_port -k $dir/pg -c listen_addresses=$pg_addr" start >/dev/null 9>&- || die "PostgreSQL did not start: $dir/pg/server.log"
    PGPASSWORD=$password "$bin/psql" -h "$pg_addr" -p "$pg_port" -U caller -d postgres -tAc "select 1 from pg_database where datname='caller'" | grep -q 1 ||
      PGPASSWORD=$password "$bin/psql" -h "$pg_addr" -p "$pg_port" -U caller -d postgres -qc "create database caller" >/dev/null
  fi
}

database_url() { echo "postgres://caller:$(secret pg)@$pg_addr:$pg_port/caller"; }

# The servers' addresses, and 127.0.0.1: on one box their AMI connections leave from it
# (asterisk-manager binds no source address), so here the ACL is that much wider than on
# separate machines, where the servers' own addresses are the whole list.
ami_permit() {
  local s out=127.0.0.1/255.255.255.255
  for ((s = 1; s <= servers; s++)); do out="$out,$(server_addr "$s")/255.255.255.255"; done
  echo "$out"
}

pbx_up() {
  local i name secret_value env_out far_secret
  secret_value=$(secret pbx)
  far_secret=$(secret far-end)
  for ((i = 1; i <= pbxs; i++)); do
    name=$(pbx_name "$i")
    env_out="$dir/pbx/$name.out"
    (umask 077
      # far-end: a WebRTC endpoint the e2e suites' JsSIP far end registers as; calls go to it only
      # while a test sets the dialplan's TRUNK global to it (the trunk stays the sipp far end).
      PBX_INSTANCE=$name PBX_BIND_ADDR=$(pbx_addr "$i") PBX_AMI_PERMIT=$(ami_permit) PBX_FAR_END="far-end:$far_secret" \
        PBX_TEST_TRUNK_HOST=$(far_addr "$i") PBX_TEST_TRUNK_PORT=$far_port PBX_RTP_START=$(rtp_start "$i") PBX_RTP_END=$(($(rtp_start "$i") + 499)) \
        PBX_AUTHORIZE_URL="http://$lb_pbx_addr:$lb_http_port/pbx/authorize" PBX_AUTHORIZE_SECRET=$secret_value \
        bash pbx-config/scripts/pbx.sh up >"$env_out" 2>"$dir/pbx/$name.err") || die "Asterisk $name did not start: $dir/pbx/$name.err"
    # What a server on another machine knows of this PBX: its AMI and the shared secret, no paths
    # (no shared disk: no cdr.db read-back, no recordings directory).
    (umask 077; grep -E '^PBX_(INSTANCE|AMI_HOST|AMI_PORT|AMI_USER|AMI_SECRET|AUTHORIZE_SECRET|WS_URL|WSS_URL)=' "$env_out" >"$dir/pbx/$name.facts")
  done
}

far_up() {
  local i
  for ((i = 1; i <= pbxs; i++)); do
    pid_alive "$dir/far/$i.pid" sipp && continue
    # The phone network behind Asterisk i: answers every call and echoes the audio.
    setsid sipp -sn uas -rtp_echo -i "$(far_addr "$i")" -p "$far_port" -mp $((30000 + i * 100)) -nostdin \
      </dev/null >"$dir/far/$i.log" 2>&1 9>&- &
    echo $! >"$dir/far/$i.pid"
  done
}

# Recordings on S3 and the shippers beside each Asterisk: s3_up, shippers_up, swift_env, s3_bucket.
# shellcheck source=scripts/scale-recordings.sh
source "$root/scripts/scale-recordings.sh"

servers_up() {
  local i url pbx_args=() addr
  url=$(database_url)
  for ((i = 1; i <= pbxs; i++)); do pbx_args+=(--pbx-env "$dir/pbx/$(pbx_name "$i").facts"); done
  for ((i = 1; i <= servers; i++)); do
    addr=$(server_addr "$i")
    pid_alive "$dir/servers/$i.pid" server.mjs && continue
    # The database URL (with its password) goes through the environment, never the command line.
    # Every desktop's SIP and Kamailio's OPTIONS probes reach the Asterisks from Kamailio's
    # address: a ban there would lock every user out, so it is exempt (docs/scale.md).
    DATABASE_URL=$url CALLER_LOG_LEVEL="${CALLER_LOG_LEVEL:-warn}" CALLER_SIP_BAN_EXEMPT="127.0.0.1,::1,$kam_addr" \
      setsid node dist/server/server.mjs \
      --host "$addr" --port "$server_port" --seed-demo "${pbx_args[@]}" \
      --sip-ws-url "ws://$kam_addr:$kam_ws_port/ws" --pbx-peer "$lb_pbx_addr" \
      --recordings-s3 "$(cat "$dir/swift/s3-url")/$s3_bucket" --recordings-s3-credentials "$dir/secrets/s3" --pbx-recordings shipper \
      --uploads-dir "$dir/servers/$i-uploads" </dev/null >"$dir/servers/$i.log" 2>&1 9>&- &
    echo $! >"$dir/servers/$i.pid"
    # The first one migrates and seeds the empty database; the others start once it has.
    wait_for "server $i ($addr)" 300 curl -fsS "http://$addr:$server_port/api/health"
  done
}

haproxy_up() {
  local run="$dir/haproxy" i cfg
  pid_alive "$run/haproxy.pid" haproxy && return 0
  self_signed haproxy "$lb_addr"
  (umask 077; cat "$dir/tls/haproxy.crt" "$dir/tls/haproxy.key" >"$run/haproxy.pem")
  cfg="$run/haproxy.cfg"
  SCALE_RUN=$run SCALE_LB_ADDR=$lb_addr SCALE_LB_PBX_ADDR=$lb_pbx_addr SCALE_LB_HTTP_PORT=$lb_http_port SCALE_LB_HTTPS_PORT=$lb_https_port \
    render pbx-config/haproxy/haproxy.cfg "$cfg"
  {
    for ((i = 1; i <= servers; i++)); do printf '\tserver s%d %s:%d check source %s\n' "$i" "$(server_addr "$i")" "$server_port" "$lb_addr"; done
    for backend in pbx pbx-hold; do
      printf '\nbackend %s\n\tbalance roundrobin\n\toption httpchk GET /api/health\n\thttp-check expect status 200\n' "$backend"
      [ "$backend" = pbx-hold ] && printf '\ttimeout server 10m\n'
      for ((i = 1; i <= servers; i++)); do printf '\tserver s%d %s:%d check source %s\n' "$i" "$(server_addr "$i")" "$server_port" "$lb_pbx_addr"; done
    done
  } >>"$cfg"
  haproxy -c -q -f "$cfg" || die "haproxy.cfg does not check: $cfg"
  haproxy -f "$cfg" >"$run/haproxy.log" 2>&1 9>&- || die "HAProxy did not start: $run/haproxy.log"
  wait_for "HAProxy" 50 curl -fsS "http://$lb_addr:$lb_http_port/api/health"
}

rtpengine_up() {
  local run="$dir/rtpengine"
  mkdir -p "$run"
  if [ "$media" != rtpengine ]; then stop_pid "$run/rtpengine.pid" rtpengine; return 0; fi
  pid_alive "$run/rtpengine.pid" rtpengine && return 0
  # Userspace forwarding (no kernel module here).
  setsid rtpengine --foreground --log-stderr --table=-1 --interface="$rtp_addr" --listen-ng="$rtp_addr:$rtp_ng_port" \
    --port-min=30000 --port-max=30999 --pidfile="$run/rtpengine.pid" </dev/null >"$run/rtpengine.log" 2>&1 9>&- &
  echo $! >"$run/rtpengine.pid"
  wait_for "rtpengine" 50 pid_alive "$run/rtpengine.pid" rtpengine
}

kamailio_up() {
  local run="$dir/kamailio" i
  pid_alive "$run/kamailio.pid" kamailio && return 0
  self_signed kamailio "$kam_addr"
  install -o kamailio -g kamailio -m 600 "$dir/tls/kamailio.key" "$run/tls.key"
  install -o kamailio -g kamailio -m 644 "$dir/tls/kamailio.crt" "$run/tls.crt"
  printf '[server:default]\nmethod = TLSv1.2+\ncertificate = %s/tls.crt\nprivate_key = %s/tls.key\n\n[client:default]\nverify_certificate = no\n' "$run" "$run" >"$run/tls.cfg"
  : >"$run/dispatcher.list"
  for ((i = 1; i <= pbxs; i++)); do printf '1 sip:%s:5060 0 0 name=%s\n' "$(pbx_addr "$i")" "$(pbx_name "$i")" >>"$run/dispatcher.list"; done
  SCALE_KAM_ADDR=$kam_addr SCALE_KAM_SIP_PORT=$kam_sip_port SCALE_KAM_WS_PORT=$kam_ws_port SCALE_KAM_WSS_PORT=$kam_wss_port \
    SCALE_KAM_RUN=$run SCALE_KAM_DEBUG="${CALLER_SCALE_KAM_DEBUG:-1}" SCALE_RTPENGINE_NG="$rtp_addr:$rtp_ng_port" \
    SCALE_KAM_DEFINES=$([ "$media" = rtpengine ] && echo '#!define WITH_RTPENGINE' || echo '# media: direct') render pbx-config/kamailio/kamailio.cfg "$run/kamailio.cfg"
  chown kamailio:kamailio "$run" "$run"/{tls.cfg,dispatcher.list,kamailio.cfg}
  kamailio -c -f "$run/kamailio.cfg" >"$run/check.log" 2>&1 || die "kamailio.cfg does not check: $run/check.log"
  echo "$media" >"$dir/media"
  # Kamailio's parse errors quote the offending header, which can be a client's Authorization: its log is root's alone.
  (umask 077 && : >"$run/kamailio.log") && chmod 600 "$run/kamailio.log"
  kamailio -f "$run/kamailio.cfg" -P "$run/kamailio.pid" -u kamailio -g kamailio -m 64 -M 8 </dev/null >"$run/kamailio.log" 2>&1 9>&- ||
    die "Kamailio did not start: $run/kamailio.log"
  wait_for "Kamailio" 50 pid_alive "$run/kamailio.pid" kamailio
}

# Every server of HAProxy's three backends is UP (after a restart its checks need 2 s to say so).
haproxy_all_up() {
  local up
  up=$(echo "show stat" | socat - "UNIX-CONNECT:$dir/haproxy/haproxy.sock" 2>/dev/null | awk -F, '$2 ~ /^s[0-9]+$/ && $18 == "UP"' | wc -l)
  [ "$up" = $((servers * 3)) ]
}

# A fresh company side for a test file: the servers stop, the database is emptied, and they start
# again (migrated, demo seeded) with this environment (e.g. CALLER_TRIAL_CAP_SECONDS). The
# Asterisks, Kamailio and HAProxy keep running.
reset() {
  exec 9>"${dir%/}.lock"
  flock -w 120 9 || die "another scale.sh holds ${dir%/}.lock"
  [ -s "$dir/scale.env" ] || die "the topology is not up: npm run scale -- up"
  prepare
  local f bin password
  for f in "$dir"/servers/*.pid; do [ -e "$f" ] && stop_pid "$f" server.mjs; done
  bin=$(pg_bin) password=$(secret pg)
  PGPASSWORD=$password "$bin/psql" -h "$pg_addr" -p "$pg_port" -U caller -d postgres -q \
    -c "drop database if exists caller with (force)" -c "create database caller" >/dev/null || die "could not empty the database"
  servers_up
  wait_for "HAProxy's checks of the servers" 100 haproxy_all_up
}

up() {
  exec 9>"${dir%/}.lock"
  flock -w 120 9 || die "another scale.sh holds ${dir%/}.lock"
  prepare
  pg_up
  s3_up
  pbx_up
  far_up
  servers_up
  shippers_up
  haproxy_up
  rtpengine_up
  kamailio_up
  # Facts for tests and tools (mode 0600: the PBX secret is in the facts files it names).
  (umask 077; {
    echo "SCALE_DIR=$dir"
    echo "SCALE_API_URL=http://$lb_addr:$lb_http_port"
    echo "SCALE_API_HTTPS_URL=https://$lb_addr:$lb_https_port"
    echo "SCALE_SIP_WS_URL=ws://$kam_addr:$kam_ws_port/ws"
    echo "SCALE_SIP_WSS_URL=wss://$kam_addr:$kam_wss_port/ws"
    echo "SCALE_KAMAILIO_CTL=unix:$dir/kamailio/kamailio.ctl"
    echo "SCALE_DATABASE=$pg_addr:$pg_port"
    echo "SCALE_MEDIA=$media"
    echo "SCALE_FAR_END=far-end $dir/secrets/far-end"
    echo "SCALE_PBXS=$(for ((i = 1; i <= pbxs; i++)); do printf '%s ' "$(pbx_name "$i")"; done | sed 's/ $//')"
    for ((i = 1; i <= pbxs; i++)); do echo "SCALE_PBX_$i=$(pbx_name "$i") $(pbx_addr "$i") $(far_addr "$i"):$far_port"; done
    echo "SCALE_SERVERS=$(for ((i = 1; i <= servers; i++)); do printf '%s ' "$(server_addr "$i"):$server_port"; done | sed 's/ $//')"
  } >"$dir/scale.env")
  status
}

down() {
  local i name
  [ -d "$dir" ] || { log "nothing to stop ($dir does not exist)"; return 0; }
  stop_pid "$dir/kamailio/kamailio.pid" kamailio
  stop_pid "$dir/rtpengine/rtpengine.pid" rtpengine
  stop_pid "$dir/haproxy/haproxy.pid" haproxy
  for f in "$dir"/servers/*.pid; do [ -e "$f" ] && stop_pid "$f" server.mjs; done
  for f in "$dir"/far/*.pid; do [ -e "$f" ] && stop_pid "$f" sipp; done
  for f in "$dir"/shippers/*.pid; do [ -e "$f" ] && stop_pid "$f" recording-shipper; done
  swift_env bash scripts/swift.sh down >/dev/null 2>&1 || log "Swift: swift.sh down failed"
  for f in "$dir"/pbx/*.out; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .out)
    PBX_INSTANCE=$name bash pbx-config/scripts/pbx.sh down >/dev/null 2>&1 || log "Asterisk $name: pbx.sh down failed"
  done
  if pid_alive "$dir/pg/data/postmaster.pid" postgres; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null || log "PostgreSQL did not stop"
  fi
  rm -f "$dir/scale.env" "$dir/media"
  log "stopped (data kept in $dir; remove it for a fresh start)"
}

down_count=0
row() {
  printf '%-12s %-22s %s\n' "$1" "$2" "$3"
  [[ "$3" != down* ]] || down_count=$((down_count + 1))
}

status() {
  local i name addr state bin
  row component address health
  bin=$(pg_bin)
  if "$bin/pg_isready" -q -h "$pg_addr" -p "$pg_port" 2>/dev/null; then state=up; else state=down; fi
  row postgres "$pg_addr:$pg_port" "$state"
  for ((i = 1; i <= servers; i++)); do
    addr=$(server_addr "$i")
    if curl -fsS -m 2 "http://$addr:$server_port/api/health" >/dev/null 2>&1; then state=up; else state=down; fi
    row "server-$i" "$addr:$server_port" "$state"
  done
  if pid_alive "$dir/haproxy/haproxy.pid" haproxy; then
    state=$(echo "show stat" | socat - "UNIX-CONNECT:$dir/haproxy/haproxy.sock" 2>/dev/null |
      awk -F, '$1=="servers" && $2!="BACKEND" && $2!="FRONTEND" {printf "%s=%s ", $2, $18}' || true)
    row haproxy "$lb_addr:$lb_https_port" "up (https api; http :$lb_http_port; pbx door $lb_pbx_addr) ${state}"
  else
    row haproxy "$lb_addr:$lb_https_port" down
  fi
  for ((i = 1; i <= pbxs; i++)); do
    name=$(pbx_name "$i")
    if PBX_INSTANCE=$name bash pbx-config/scripts/pbx.sh status >/dev/null 2>&1; then state=up; else state=down; fi
    row "$name" "$(pbx_addr "$i"):5060" "$state (ws :8088, ami :5038, rtp $(rtp_start "$i")-$(rtp_end "$i"))"
    if pid_alive "$dir/far/$i.pid" sipp; then state=up; else state=down; fi
    row "  far-end-$i" "$(far_addr "$i"):$far_port" "$state"
  done
  if pid_alive "$dir/kamailio/kamailio.pid" kamailio; then
    state=$(kamcmd -s "unix:$dir/kamailio/kamailio.ctl" dispatcher.list 2>/dev/null |
      awk '/URI:/ {uri=$2} /FLAGS:/ {printf "%s=%s ", uri, $2}' || true)
    row kamailio "$kam_addr:$kam_ws_port/ws" "up (wss :$kam_wss_port; media $media) $state"
  else
    row kamailio "$kam_addr:$kam_ws_port/ws" down
  fi
  if [ "$media" = rtpengine ]; then
    if pid_alive "$dir/rtpengine/rtpengine.pid" rtpengine; then state=up; else state=down; fi
    row rtpengine "$rtp_addr:$rtp_ng_port" "$state (rtp 30000-30999)"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  reset) reset ;;
  # What this net and dir would run, without starting anything: each Asterisk's instance, address and RTP range.
  plan) for ((i = 1; i <= pbxs; i++)); do echo "$(pbx_name "$i") $(pbx_addr "$i") $(rtp_start "$i")-$(($(rtp_start "$i") + 499))"; done ;;
  # Exit 3 when any component is down, as pbx.sh status does.
  status) [ -d "$dir" ] || { echo "down (no $dir)"; exit 3; }; status; [ "$down_count" = 0 ] || exit 3 ;;
  *) echo "usage: npm run scale -- up|down|status|reset|plan   (CALLER_SCALE_SERVERS, CALLER_SCALE_PBXS, CALLER_SCALE_NET, CALLER_SCALE_DIR)" >&2; exit 2 ;;
esac
