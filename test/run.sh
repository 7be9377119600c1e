#!/usr/bin/env bash
# The test command (`npm test`, called by .ci/run): installs what the tests need on a fresh
# Debian machine, builds the bundles, type-checks, then runs every suite with node's test runner.
# CORS_LENS_SKIP_INSTALL=1 skips the installs when iterating locally.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CORS_LENS_SKIP_INSTALL:-0}" != 1 ]; then
  bash test/install-system.sh
  npm ci --no-audit --no-fund
fi

node esbuild.mjs
npx tsc -p . --noEmit
# Lint (typescript-eslint, import-x) and format (Prettier): `npm run format` fixes most of it.
npm run --silent lint

mapfile -t files < <(find test -name '*.test.ts' -not -path 'test/fixtures/*' -not -path 'test/fuzz/*' | sort)
# spec for the run itself; the summary reporter ends it with one line that counts cancelled and
# timed-out tests as failures and names each with its cause (spec's totals can say "fail 0"
# above exit code 1 when every problem was a cancellation).
status=0
# --test-force-exit: a test file whose tests are all done exits even if a handle stays open (a
# language server's pipe kept cross-file.test.ts alive for ten minutes after its last test in a
# CI run; all its tests had passed).
node --import tsx --test --test-force-exit \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/support/summary-reporter.mjs --test-reporter-destination=stdout \
  "${files[@]}" || status=$?
if [ "$status" != 0 ]; then
  echo "npm test: the test runner exited with $status (see TEST SUMMARY above)." >&2
  exit "$status"
fi

# The fuzz suite on its own (its timings must not compete with the suites above): every saved
# reproducer through the CLI and the language server, then a quick seeded pass of 60 inputs
# (a 150 s budget, cut short on a very busy machine; it prints how many ran). Any crash or hang fails.
node --import tsx --test --test-force-exit \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/support/summary-reporter.mjs --test-reporter-destination=stdout \
  test/fuzz/fuzz.test.ts || {
  status=$?
  echo "npm test: the fuzz suite failed (see TEST SUMMARY above)." >&2
  exit "$status"
}

# The bench in quick mode, so it cannot rot: numbers are printed, never asserted; only a crash
# fails the run.
CORS_LENS_BENCH_QUICK=1 node --import tsx bench/run.ts
