#!/usr/bin/env bash
# npm run package: the installers electron-builder.yml describes (AppImage + deb,
# dmg, nsis). They need a real Electron binary: where it cannot be downloaded
# (here its install step has no route out), this says so and fails instead of
# producing something that only looks like an installer.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p 'require("electron/package.json").version')

# A local, unpacked Electron of the same version: CALLER_ELECTRON_DIST, or the one npm installed.
dist="${CALLER_ELECTRON_DIST:-}"
if [ -z "$dist" ] && binary=$(node -e 'process.stdout.write(require("electron"))' 2>/dev/null) && [ -x "$binary" ]; then
  dist=$(dirname "$binary")
fi
if [ -z "$dist" ] || { [ ! -x "$dist/electron" ] && [ ! -x "$dist/electron.exe" ] && [ ! -d "$dist/Electron.app" ]; }; then
  cat >&2 <<MSG
package: cannot build installers: no Electron $version binary on this machine.
  Its download did not happen (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no route to
  github.com). On a machine that can download it, run \`npm install\` without that variable,
  or unpack electron-v$version for the target platform and set CALLER_ELECTRON_DIST to its folder.
MSG
  exit 2
fi
if [ ! -x node_modules/.bin/electron-builder ]; then
  # 26.x with linux.syncDesktopName (the .desktop file named after desktopName).
  echo "package: electron-builder is not installed (npm install --save-dev electron-builder@26)." >&2
  exit 2
fi

node scripts/build.mjs
# The app folder electron-builder packs (directories.app): only the shell's packages, better-sqlite3 built for Electron.
node scripts/electron-app.mjs
# electronDist keeps electron-builder from downloading Electron again; the deb target still fetches fpm.
exec node_modules/.bin/electron-builder --config electron-builder.yml -c.electronDist="$dist" -c.electronVersion="$version" "$@"
