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

function addVitest(name, report, missing) {
  if (!report) {
    failed += 1;
    lines.push(`${name}: no report (${missing})`);
    return;
  }
  passed += report.numPassedTests;
  // A file that fails to load has no failed test but fails the run: count it.
  failed += report.numFailedTests + (report.success === false && report.numFailedTests === 0 ? 1 : 0);
  lines.push(`${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
}

addVitest("unit suites (clean copy of the repository)", read("test-results/vitest-unit.json"), "did not run");
addVitest("vitest", read("test-results/vitest.json"), `exit ${vitestRc}`);

if (buildRc !== 0) {
  failed += 1;
  lines.push("next build failed: the browser suite did not run");
} else {
  addVitest("fault suite", read("test-results/vitest-fault.json"), "did not run");
  addVitest("security suite", read("test-results/vitest-security.json"), "did not run");
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
