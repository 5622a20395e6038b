#!/usr/bin/env bash
# Clone to running app: installs what is missing, builds, starts the company
# server (SQLite, seeded demo company) and the desktop app signed in as the
# demo admin — in Electron where its binary exists, otherwise in a Chromium
# app window (or the URL is printed when there is no display). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/setup.sh
node scripts/build.mjs
data="${CALLER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/caller-desktop}"
server_port="${CALLER_SERVER_PORT:-4300}"
mkdir -p "$data"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

node dist/server/server.mjs --port "$server_port" --db "$data/server.sqlite" --seed-demo &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$server_port/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$server_port/api/health" >/dev/null || { echo "the server did not start"; exit 1; }
echo "Company server: http://127.0.0.1:$server_port  (demo admin: admin@demo.example / demo-admin, user: sales@demo.example / demo-sales)"

if node -e 'require("electron")' >/dev/null 2>&1 && [ -n "${DISPLAY:-}" ]; then
  CALLER_SERVER_URL="http://127.0.0.1:$server_port" CALLER_SIGN_IN="admin@demo.example:demo-admin" \
    "$root/node_modules/.bin/electron" dist/main/electron-main.cjs &
else
  node dist/main/host.mjs --server "http://127.0.0.1:$server_port" --data "$data/desktop" \
    --port "${CALLER_HOST_PORT:-4310}" --sign-in "admin@demo.example:demo-admin" --open &
fi
pids+=($!)
wait -n "${pids[@]}"
