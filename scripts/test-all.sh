#!/usr/bin/env bash
# `npm test`: every suite — unit and integration (Vitest, on PGlite and the local PostgreSQL),
# then the browser suite (Playwright in Debian's Chromium against the built app), the fault suite
# and the security suite (both against the built app). Ends with the
# plain line `N passed, N failed` over all suites and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
mkdir -p test-results

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ]; then
  echo "installing Debian's chromium (browser suite) and nginx (scale-out test)…"
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx) >test-results/apt.log 2>&1 || { cat test-results/apt.log; echo "could not install chromium"; }
  else
    echo "chromium or nginx is missing and this user cannot apt-get install them: run 'sudo apt-get install -y chromium nginx'"
  fi
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && ! node -e "require('net').connect(5432,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; the PostgreSQL suites will fail (start it: pg_ctlcluster \$(ls /etc/postgresql) main start)"
fi

rm -f test-results/vitest.json test-results/vitest-unit.json test-results/vitest-fault.json test-results/vitest-security.json test-results/playwright.json
echo "type-checking the whole project (app, tests, benchmarks, scripts)…"
npx tsc --noEmit -p . && tsc_rc=0 || tsc_rc=1

# The unit suites (lib/) run from a copy of the repository in an empty temporary directory (the
# tracked and new files, the installed node_modules linked in): a test that reads anything outside
# the repository, such as ../shared, fails here as it would on a fresh clone.
clean_root=$(mktemp -d)
mkdir "$clean_root/repo"
git ls-files -z --cached --others --exclude-standard | tar --null -cf - -T - 2>/dev/null | tar -xf - -C "$clean_root/repo"
ln -s "$PWD/node_modules" "$clean_root/repo/node_modules"
cp -r lib/db/generated "$clean_root/repo/lib/db/generated"
echo "unit suites from a clean copy in $clean_root/repo…"
(cd "$clean_root/repo" && npx vitest run lib/ --reporter=default --reporter=json --outputFile="$PWD/../unit.json")
cp "$clean_root/unit.json" test-results/vitest-unit.json 2>/dev/null
rm -rf "$clean_root"

npx vitest run tests/ --reporter=default --reporter=json --outputFile=test-results/vitest.json
vitest_rc=$?

echo "building the app for the browser suite…"
npx next build >test-results/next-build.log 2>&1
build_rc=$?
if [ $build_rc -ne 0 ]; then
  tail -50 test-results/next-build.log
else
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json
  echo "fault suite against the built app (crash, database outage, hostile input, scale-out)…"
  FAULT_TESTS=1 npx vitest run tests/fault --reporter=default --reporter=json --outputFile=test-results/vitest-fault.json
  echo "security suite against the built app (webhook flood, throttling, sessions, headers, files)…"
  SECURITY_TESTS=1 npx vitest run tests/security --reporter=default --reporter=json --outputFile=test-results/vitest-security.json
fi

node scripts/test-summary.mjs "$vitest_rc" "$build_rc" "$tsc_rc"
