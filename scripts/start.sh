#!/usr/bin/env bash
# Clone to running app: installs what is missing, builds, starts a real Asterisk
# (with an echoing far end on its test trunk, so calls can be tried), the company
# server (SQLite, seeded demo company) and the desktop app signed in as the
# demo admin — in Electron where its binary exists, otherwise in a Chromium
# app window (or the URL is printed when there is no display). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/setup.sh
node scripts/build.mjs
export CALLER_LOG_LEVEL="${CALLER_LOG_LEVEL:-warn}"
data="${CALLER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/caller-desktop}"
server_port="${CALLER_SERVER_PORT:-4300}"
# The server's database, the PBX's facts and the desktop's store live here: the user's alone, also when an older run left it open.
mkdir -p -m 700 "$data"
chmod 700 "$data"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PBX_INSTANCE=demo bash pbx-config/scripts/pbx.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

# The PBX asks this server for users' endpoints and for every call's authorization.
PBX_INSTANCE=demo PBX_AUTHORIZE_URL="http://127.0.0.1:$server_port/pbx/authorize" \
  PBX_REALTIME_URL="http://127.0.0.1:$server_port/pbx/realtime" \
  bash pbx-config/scripts/pbx.sh up > "$data/pbx.out"
pbx_runtime=$(sed -n 's/^PBX_RUNTIME_DIR=//p' "$data/pbx.out")
pbx_ws=$(sed -n 's/^PBX_WS_URL=//p' "$data/pbx.out")
trunk_port=$(sed -n 's/^PBX_TEST_TRUNK_PORT=//p' "$data/pbx.out")
# The demo's "phone network": sipp answers every call on the test trunk and echoes the audio back.
sipp -sn uas -rtp_echo -i 127.0.0.1 -p "$trunk_port" -nostdin >/dev/null 2>&1 &
pids+=($!)

node dist/server/server.mjs --port "$server_port" --db "$data/server.sqlite" --seed-demo --pbx-env "$pbx_runtime/pbx.env" &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$server_port/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$server_port/api/health" >/dev/null || { echo "the server did not start"; exit 1; }
echo "Company server: http://127.0.0.1:$server_port  (demo admin: admin@demo.example / demo-admin, user: sales@demo.example / demo-sales)"

# The page's CSP lets SIP.js reach the PBX's WebSocket and nothing else outside.
export CALLER_CONNECT_SOURCES="${pbx_ws%/ws}" CALLER_PBX_URL="$pbx_ws"
echo "PBX: $pbx_ws — try calling +12015550123 (sipp answers and echoes)"
# Electron runs the app as it is packaged: its own folder, whose package.json names it and its
# main, with better-sqlite3 built for Electron (scripts/electron-app.mjs says why when it cannot be).
if node -e 'require("electron")' >/dev/null 2>&1 && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && node scripts/electron-app.mjs; then
  CALLER_SERVER_URL="http://127.0.0.1:$server_port" CALLER_SIGN_IN="admin@demo.example:demo-admin" \
    "$root/node_modules/.bin/electron" dist/electron-app &
else
  # The password goes in the environment: a command line is readable by every local user.
  CALLER_SIGN_IN="admin@demo.example:demo-admin" node dist/main/host.mjs --server "http://127.0.0.1:$server_port" --data "$data/desktop" \
    --port "${CALLER_HOST_PORT:-4310}" --open --register-links &
fi
pids+=($!)
wait -n "${pids[@]}"
