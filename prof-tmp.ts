import { startApp } from "/work/wt/reads/tests/helpers/app-server";
import { mkdtempSync } from "node:fs";
const paths = (process.env.PATHS ?? "/api/candidates").split(",");
const N = Number(process.env.N ?? 100);
const app = await startApp({ databaseUrl: "postgres://postgres@127.0.0.1:5432/reads_scale", dataDir: mkdtempSync("/tmp/pr-"), readyTimeoutMs: 120000 });
const headers = { authorization: `Bearer ${app.adminToken}` };
for (const p of paths) {
  const times: number[] = [];
  for (let i = 0; i < N + 3; i++) {
    const t = performance.now();
    const r = await fetch(app.url + p, { headers });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(p + " " + r.status);
    if (i >= 3) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(p.padEnd(50), "p50", times[Math.floor(N / 2)].toFixed(1), "p95", times[Math.ceil(N * 0.95) - 1].toFixed(1));
}
await app.kill();
process.exit(0);
