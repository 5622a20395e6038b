#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup, typecheck, lint, build, unit +
# server + renderer tests, then end-to-end tests (one Asterisk, one Chromium for
# the run), and with CALLER_E2E_SCALE=1 the call suites again against the scale topology (scripts/scale.sh).
# Prints each stage's time and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
out="test-results"
rm -rf "$out"; mkdir -p "$out"
status=0
failed_checks=0
stage() {
  local name=$1; shift
  local t0=$SECONDS
  echo "=== $name"
  if "$@"; then echo "=== $name: ok ($((SECONDS - t0)) s)"; else echo "=== $name: FAILED ($((SECONDS - t0)) s)"; status=1; return 1; fi
}
# A check that is not a Vitest suite (typecheck, lint, build, Electronegativity, the Electron ABI) counts as one failure in the last line.
check() { stage "$@" || failed_checks=$((failed_checks + 1)); }

stage setup bash scripts/setup.sh || true
[ $status = 0 ] || { echo "0 passed, 1 failed"; exit 1; }
check typecheck npm run --silent typecheck
check lint npm run --silent lint
check build node scripts/build.mjs
check "electronegativity (shell + built renderer)" bash scripts/electronegativity.sh "$out"
check "electron native modules (ABI)" node scripts/check-electron-abi.mjs
stage "unit, server and renderer tests" npx vitest run --project unit --project server --project renderer \
  --reporter=default --reporter=json --outputFile.json="$out/unit.json"
stage "end-to-end tests (Chromium, Asterisk)" npx vitest run --project e2e \
  --reporter=default --reporter=json --outputFile.json="$out/e2e.json"

# The suites that place calls, against HAProxy + two servers on PostgreSQL + Kamailio + two
# Asterisk: brought up once, each file gets a fresh database (scale.sh reset), then down.
scale_suites() {
  local t0=$SECONDS rc=0
  bash scripts/scale.sh up >/dev/null || { bash scripts/scale.sh down; return 1; }
  echo "scale topology up in $((SECONDS - t0)) s"
  CALLER_TOPOLOGY=scale npx vitest run --project e2e e2e/calls.test.ts e2e/credits.test.ts e2e/recording.test.ts e2e/verification.test.ts \
    --reporter=default --reporter=json --outputFile.json="$out/e2e-scale.json" || rc=1
  bash scripts/scale.sh down || rc=1
  return $rc
}
# Not yet part of the default run: on the topology these suites still fail (the recording shipper is
# refused through HAProxy's PBX door; a call after a WebSocket reconnect stays ringing). Run them with
# CALLER_E2E_SCALE=1. No report at all (the topology never came up) counts as a failure in the last line.
if [ "${CALLER_E2E_SCALE:-0}" = 1 ]; then
  stage "end-to-end call suites on the scale topology" scale_suites || [ -s "$out/e2e-scale.json" ] || failed_checks=$((failed_checks + 1))
else
  echo "=== end-to-end call suites on the scale topology: skipped (CALLER_E2E_SCALE=1 runs them; they do not pass there yet)"
fi

FAILED_CHECKS=$failed_checks node scripts/sum-results.mjs "$out"/*.json || status=1
exit $status
