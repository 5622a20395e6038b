#!/usr/bin/env bash
# CI gate: Electronegativity over the Electron shell and the built renderer; any
# MEDIUM or HIGH finding fails (see scripts/electronegativity.mjs for the reviewed exclusions).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/renderer/index.html ] || node scripts/build.mjs renderer
# Its translation and Electron-release lookups fail offline (harmless, ~10 s); LANG picks its built-in English.
LANG=en-US exec node scripts/electronegativity.mjs "${1:-test-results}"
