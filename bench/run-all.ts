/**
 * Runs every benchmark, one after another, each in its own process: `npm run bench`
 * (`tsx bench/run-all.ts`). Prints the machine first so figures can be compared; exits non-zero
 * when any benchmark fails.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benches = ["bench/diff.bench.ts", "bench/timeline.bench.ts", "bench/pages.bench.ts", "bench/bounded-renders.bench.ts", "bench/ingest.bench.ts", "bench/export.bench.ts"];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const cpus = os.cpus();
console.log(`date:    ${new Date().toISOString()}`);
console.log(`machine: ${cpus[0]?.model ?? "unknown cpu"}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.platform()} ${os.release()}`);
console.log(`node:    ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", file], { cwd: root, stdio: "inherit" });
    child.on("error", (error) => {
      console.error(`${file}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

// The browser and HTTP benchmarks drive the built app.
if (!existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.log("\nbuilding the app for the browser benchmark…");
  if (spawnSync("npx", ["next", "build"], { cwd: root, stdio: "inherit" }).status !== 0) process.exit(1);
}

const failed: string[] = [];
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const started = performance.now();
  const code = await run(file);
  console.log(`=== ${file}: ${code === 0 ? "ok" : `failed (exit ${code})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) failed.push(file);
}
if (failed.length > 0) console.error(`\nfailed: ${failed.join(", ")}`);
process.exit(failed.length > 0 ? 1 : 0);
