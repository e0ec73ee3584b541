// Adds up the suites' JSON reports into the one closing line CI reads: `N passed, N failed`.
import { existsSync, readFileSync } from "node:fs";

const [vitestRc, buildRc, tscRc] = process.argv.slice(2).map(Number);
let passed = 0;
let failed = 0;
const lines = [];

// The type check counts as one test: a type error anywhere fails the run.
if (tscRc === 0) passed += 1;
else failed += 1;
lines.push(`typecheck: ${tscRc === 0 ? "passed" : "failed"}`);

function read(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

const vitest = read("test-results/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests + (vitest.numTotalTestSuites > 0 && vitest.success === false && vitest.numFailedTests === 0 ? 1 : 0);
  lines.push(`vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed, ${vitest.numPendingTests} skipped`);
} else {
  failed += 1;
  lines.push(`vitest: no report (exit ${vitestRc})`);
}

if (buildRc !== 0) {
  failed += 1;
  lines.push("next build failed: the browser suite did not run");
} else {
  const pw = read("test-results/playwright.json");
  if (pw) {
    const s = pw.stats;
    passed += s.expected;
    failed += s.unexpected + s.flaky;
    lines.push(`playwright: ${s.expected} passed, ${s.unexpected} failed, ${s.flaky} flaky, ${s.skipped} skipped`);
  } else {
    failed += 1;
    lines.push("playwright: no report");
  }
}

for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
