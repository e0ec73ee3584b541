/**
 * Ingest throughput and latency of the built app: `npx tsx bench/ingest.bench.ts` (~2–3 min on 2 cores).
 *
 * Starts the app as `npm start` serves it (scripts/serve.ts, through tests/helpers/app-server.ts; needs
 * `.next/BUILD_ID`)
 * on a PostgreSQL database it creates and drops (TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres) and on embedded PGlite, and posts a realistic, correctly
 * signed mix of all four providers' deliveries: simulator histories (several events per candidate, in
 * time order), every delivery with its own delivery id, bodies and signatures built before each run
 * (Outhire signed right before its run, well inside the 5-minute window).
 *
 *   closed loop  CONNECTIONS keep-alive connections, each sending its next delivery as soon as the
 *                previous answer arrives (autocannon when it can be imported, else the same loop
 *                on node:http); deliveries/s = 2xx answers / wall time.
 *   fixed rate   500 deliveries/s for 10 s on PostgreSQL, open loop: each request is due at
 *                t0 + i/500; latency counts from when it was due (no coordinated omission), so a
 *                server slower than the rate shows it as growing latency.
 *   floor        the same app and bodies to an endpoint id that does not exist: HTTP, body read, one
 *                indexed lookup, a 404 — what serving a request costs before any verification,
 *                storage or processing (404s per second).
 *   stored       the closed loop again on a new PostgreSQL database with WEBHOOK_ANSWER=stored: each
 *                delivery answered once committed, processing behind it; the run waits until every
 *                delivery is processed and reports how long after the last answer that was.
 *   baseline     the same requests to a bare node:http server storing the raw body with one INSERT
 *                into the same PostgreSQL database (bench/lib/bare-baseline.ts): the physical floor.
 *                Our throughput is reported as a ratio of it.
 *   CPU          for the measured closed loops, the CPU time (from /proc) per 2xx answer of the
 *                server's processes, of PostgreSQL's and of the load generator: where the two
 *                cores go, which the ratio alone does not say.
 *
 * The load generator shares the machine with the server and the database: figures are for
 * comparison within one run (the ratio), not absolute capacity. Not a test: no assertions on time.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.LOG_LEVEL = "silent";
delete process.env.DATABASE_URL;

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
// BENCH_ONLY=closed: only the PostgreSQL closed loop and the bare baseline (its ratio), for A/B runs
// of two versions interleaved many times (bench/ingest-ab.sh), where the VM's drift is the noise.
const ONLY_CLOSED = process.env.BENCH_ONLY === "closed";
const RUN_SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const FIXED_RATE = 500;
const FIXED_SECONDS = 10;
const CANDIDATES_PER_PROVIDER = 1_200;
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const pg = (await import("pg")).default;
const { startApp, createEndpoints, requireBuild, buildIsStale, groupPids, allPids, cpuSecondsOf } = await import("../tests/helpers/app-server");
const { startBareBaseline } = await import("./lib/bare-baseline");
const { buildHistories } = await import("../lib/simulator/build-histories");
const { getProvider } = await import("../lib/providers/registry");
type AppServer = import("../tests/helpers/app-server").AppServer;
type ProviderId = import("../lib/providers/types").ProviderId;
type SimulatedDelivery = import("../lib/simulator/types").SimulatedDelivery;

const providers: ProviderId[] = ["greenhouse", "talview", "idibu", "outhire"];
const runId = randomBytes(3).toString("hex");

// ---------------------------------------------------------------- deliveries (pure, built once)
interface Planned {
  provider: ProviderId;
  delivery: SimulatedDelivery;
  deliveryId: string;
}
const tBuild = performance.now();
const planned: Planned[] = providers
  .flatMap((provider) =>
    buildHistories({ provider, candidates: CANDIDATES_PER_PROVIDER, seed: "bench-ingest" }).flatMap((h, ci) =>
      h.deliveries.map((delivery, di) => ({ provider, delivery, deliveryId: `bench-${runId}-${provider}-${ci}-${di}` })),
    ),
  )
  // One stream as the providers would send it: global time order (each candidate's events in order).
  .sort((a, b) => a.delivery.occurredAt.getTime() - b.delivery.occurredAt.getTime() || a.deliveryId.localeCompare(b.deliveryId));
const buildMs = performance.now() - tBuild;
const mix = Object.fromEntries(providers.map((p) => [p, planned.filter((x) => x.provider === p).length]));
const avgBytes = Math.round(planned.reduce((n, p) => n + p.delivery.body.length, 0) / planned.length);

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Signs a slice now (fresh Outhire timestamps) for one server's endpoints. */
function sign(slice: Planned[], endpoints: Record<string, { id: string; secret: string | null }>): Req[] {
  const now = new Date();
  return slice.map((p) => {
    const provider = getProvider(p.provider)!;
    const query = p.delivery.query && Object.keys(p.delivery.query).length > 0 ? `?${new URLSearchParams(p.delivery.query)}` : "";
    return {
      method: p.delivery.method,
      path: `/api/webhooks/${endpoints[p.provider].id}${query}`,
      headers: {
        "content-type": p.delivery.contentType,
        ...provider.sign(p.delivery.body, endpoints[p.provider].secret, { deliveryId: p.deliveryId, now }),
      },
      body: p.delivery.body,
    };
  });
}

// ---------------------------------------------------------------- load generators
interface RunStats {
  label: string;
  mode: string;
  generator: string;
  requests: number;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const r2 = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------- CPU per answer (Linux /proc)
function postgresPids(): number[] {
  if (!existsSync("/proc/self/stat")) return [];
  return allPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres");
    } catch {
      return false; // exited meanwhile
    }
  });
}
export interface CpuPerAnswer {
  /** Milliseconds of CPU per 2xx answer in the server's processes, in PostgreSQL's, in the load generator. */
  server: number;
  postgres: number;
  loadGenerator: number;
}
/**
 * Runs `run` and splits the CPU it cost per 2xx answer between the server's processes, every
 * PostgreSQL process (backends come and go: the ones seen at the start or the end) and this process
 * (the load generator). Nothing else should run meanwhile: other PostgreSQL clients would count too.
 */
async function withCpu(serverPids: () => number[], run: () => Promise<RunStats>): Promise<RunStats & { cpuMsPerAnswer?: CpuPerAnswer }> {
  const pg0 = postgresPids();
  const server0 = cpuSecondsOf(serverPids());
  const postgres0 = cpuSecondsOf(pg0);
  const self0 = process.cpuUsage();
  const stats = await run();
  const server1 = cpuSecondsOf(serverPids());
  const postgres1 = cpuSecondsOf([...new Set([...pg0, ...postgresPids()])]);
  const self = process.cpuUsage(self0);
  if (stats.ok === 0 || pg0.length === 0) return stats;
  const per = (seconds: number) => r2((seconds * 1000) / stats.ok);
  return { ...stats, cpuMsPerAnswer: { server: per(server1 - server0), postgres: per(postgres1 - postgres0), loadGenerator: per((self.user + self.system) / 1e6) } };
}

function summarize(label: string, mode: string, generator: string, latencies: number[], ok: number, errors: number, seconds: number, statuses: Record<string, number>): RunStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    label, mode, generator, requests: ok + errors, ok, errors, seconds: r2(seconds),
    perSecond: Math.round(ok / seconds), p50: r2(percentile(sorted, 50)), p99: r2(percentile(sorted, 99)), max: r2(sorted.at(-1) ?? NaN), statuses,
  };
}

function send(agent: http.Agent, base: URL, r: Req): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: base.hostname, port: base.port, method: r.method, path: r.path, headers: { ...r.headers, "content-length": r.body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(r.body);
  });
}

function statusKey(status: number, body: string): string {
  const m = /"status":"(\w+)"/.exec(body);
  return m ? `${status} ${m[1]}` : String(status);
}

async function closedLoopOwn(label: string, baseUrl: string, reqs: Req[], connections: number): Promise<RunStats> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < reqs.length) {
        const r = reqs[next++];
        const start = performance.now();
        try {
          const res = await send(agent, base, r);
          latencies.push(performance.now() - start);
          const key = statusKey(res.status, res.body);
          statuses[key] = (statuses[key] ?? 0) + 1;
          if (res.status >= 200 && res.status < 300) ok++;
          else errors++;
        } catch {
          errors++;
          statuses["network error"] = (statuses["network error"] ?? 0) + 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { ...summarize(label, `closed ${connections} conns`, "node:http loop", latencies, ok, errors, seconds, statuses), requests: reqs.length };
}

type Autocannon = (opts: Record<string, unknown>) => Promise<any>;
async function loadAutocannon(): Promise<Autocannon | null> {
  const name = "autocannon"; // not a declared dependency: imported by name so the bench runs without it
  try {
    const mod = await import(name);
    return (mod.default ?? mod) as Autocannon;
  } catch {
    return null;
  }
}
const autocannon = process.env.BENCH_NO_AUTOCANNON ? null : await loadAutocannon();
const autocannonVersion = autocannon ? autocannonPackageVersion() : null;
function autocannonPackageVersion(): string {
  try {
    return (createRequire(import.meta.url)("autocannon/package.json") as { version: string }).version;
  } catch {
    return "?";
  }
}

async function closedLoop(label: string, baseUrl: string, reqs: Req[], connections: number): Promise<RunStats> {
  if (!autocannon) return closedLoopOwn(label, baseUrl, reqs, connections);
  let next = 0;
  const statuses: Record<string, number> = {};
  // autocannon resolves on its next 1-second tick after the last answer: time to that answer instead.
  let lastAnswer = 0;
  const t0 = performance.now();
  const result = await autocannon({
    url: baseUrl,
    connections,
    amount: reqs.length,
    timeout: 30,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const r = reqs[next++ % reqs.length];
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
        onResponse: (status: number, body: string) => {
          lastAnswer = performance.now();
          const key = statusKey(status, body ?? "");
          statuses[key] = (statuses[key] ?? 0) + 1;
        },
      },
    ],
  });
  const seconds = ((lastAnswer || performance.now()) - t0) / 1000;
  const ok = result["2xx"] as number;
  const errors = (result.non2xx as number) + (result.errors as number) + (result.timeouts as number);
  return {
    label, mode: `closed ${connections} conns`, generator: `autocannon ${autocannonVersion}`, requests: reqs.length, ok, errors, seconds: r2(seconds),
    perSecond: Math.round(ok / seconds), p50: r2(result.latency.p50), p99: r2(result.latency.p99), max: r2(result.latency.max), statuses,
  };
}

/** Open loop at a fixed rate; latency measured from each request's due time. */
async function fixedRate(label: string, baseUrl: string, reqs: Req[], rate: number): Promise<RunStats & { achievedRate: number; maxInFlight: number }> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const pending: Promise<void>[] = [];
  const interval = 1000 / rate;
  const t0 = performance.now();
  let i = 0;
  while (i < reqs.length) {
    const now = performance.now();
    while (i < reqs.length && t0 + i * interval <= now) {
      const due = t0 + i * interval;
      const r = reqs[i++];
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pending.push(
        send(agent, base, r)
          .then((res) => {
            latencies.push(performance.now() - due);
            const key = statusKey(res.status, res.body);
            statuses[key] = (statuses[key] ?? 0) + 1;
            if (res.status >= 200 && res.status < 300) ok++;
            else errors++;
          })
          .catch(() => {
            errors++;
            statuses["network error"] = (statuses["network error"] ?? 0) + 1;
          })
          .finally(() => inFlight--),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const sentSeconds = (performance.now() - t0) / 1000;
  await Promise.all(pending);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return {
    ...summarize(label, `fixed ${rate}/s`, "node:http open loop", latencies, ok, errors, seconds, statuses),
    requests: reqs.length,
    achievedRate: Math.round(reqs.length / sentSeconds),
    maxInFlight,
  };
}

// ---------------------------------------------------------------- databases and servers
const cleanups: (() => Promise<void>)[] = [];
async function cleanupAll(): Promise<void> {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error(`cleanup failed: ${e}`));
  cleanups.length = 0;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanupAll().finally(() => process.exit(130)));

async function createPgDatabase(): Promise<string> {
  const name = `ch_bench_ingest_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  // BENCH_KEEP_DB=1 keeps the databases for reading afterwards (what a batch wrote, function timing).
  if (process.env.BENCH_KEEP_DB === "1") console.error(`keeping database ${name} (BENCH_KEEP_DB=1)`);
  else cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startTracked(options: Parameters<typeof startApp>[0]): Promise<AppServer> {
  const app = await startApp(options);
  cleanups.push(() => app.kill());
  return app;
}

/** Warm-up (route compile, pools), then a measured run sized to about RUN_SECONDS at the warm-up's rate. */
async function measureApp(label: string, app: AppServer, pool: Planned[], warm: number): Promise<{ warmRate: number; stats: RunStats & { cpuMsPerAnswer?: CpuPerAnswer }; used: number }> {
  const endpoints = await createEndpoints(app, providers);
  const warmStats = await closedLoopOwn(`${label} warm-up`, app.url, sign(pool.slice(0, warm), endpoints), CONNECTIONS);
  const amount = Math.min(pool.length - warm, Math.max(500, Math.round(warmStats.perSecond * RUN_SECONDS)));
  const reqs = sign(pool.slice(warm, warm + amount), endpoints);
  const stats = await withCpu(() => groupPids(app.pid), () => closedLoop(label, app.url, reqs, CONNECTIONS));
  return { warmRate: warmStats.perSecond, stats, used: warm + amount };
}

/**
 * How long after the closed loop's last answer the analytics summaries and People caught up: the
 * ingest queue's refresher works when ingest leaves room (analytics_refresh_queue and
 * people_link_queue empty). Null on a version without those queues (an A/B against an older checkout).
 */
async function analyticsCaughtUpMs(databaseUrl: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const start = performance.now();
    for (;;) {
      const { rows } = await c.query<{ n: string }>("SELECT (SELECT count(*) FROM analytics_refresh_queue) + (SELECT count(*) FROM people_link_queue) AS n");
      if (Number(rows[0].n) === 0 || performance.now() - start > 120_000) return Math.round(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } catch {
    return null;
  } finally {
    await c.end();
  }
}

async function statusCounts(databaseUrl: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ status: string; n: string }>("SELECT status, count(*) AS n FROM deliveries GROUP BY status");
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------- run
/** BENCH_ONLY=closed: the runs it asked for are done. */
class OnlyClosedDone extends Error {}
let exitCode = 0;
const report: Record<string, unknown> = {};
const rows: RunStats[] = [];
try {
  requireBuild();
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model ?? "unknown cpu"}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.platform()} ${os.release()}`;
  console.log(`ingest bench: ${new Date().toISOString()}; ${machine}; node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(
    `deliveries: ${planned.length} built in ${(buildMs / 1000).toFixed(1)} s (${JSON.stringify(mix)}, ${avgBytes} B average body); ` +
      `load generator: ${autocannon ? `autocannon ${autocannonVersion}` : "node:http loop (autocannon not installed)"} for closed loops, ${CONNECTIONS} connections` +
      (buildIsStale() ? "; NOTE: .next is older than the sources" : ""),
  );

  // --- PostgreSQL: closed loop, then fixed rate on the same app and database ---
  const databaseUrl = await createPgDatabase();
  const pgApp = await startTracked({ databaseUrl, dataDir: tempDir("bench-ingest-pg-") });
  const pgRun = await measureApp("app, PostgreSQL", pgApp, planned, 300);
  rows.push(pgRun.stats);
  const analyticsMs = await analyticsCaughtUpMs(databaseUrl);
  if (ONLY_CLOSED) {
    await pgApp.kill();
    const bare = await startBareBaseline({ databaseUrl });
    cleanups.push(() => bare.stop());
    const bareEndpoints = Object.fromEntries(providers.map((p) => [p, { id: `bare_${p}`, secret: getProvider(p)!.signs ? "whsec_dW51c2VkLXNlY3JldC0wMTIzNDU2Nzg5" : null }]));
    await closedLoopOwn("bare warm-up", bare.url, sign(planned.slice(0, 300), bareEndpoints), CONNECTIONS);
    const bareReqs = sign(Array.from({ length: 10_000 }, (_, i) => planned[i % planned.length]), bareEndpoints);
    const bareRun = await withCpu(() => groupPids(bare.pid), () => closedLoop("bare node:http + 1 INSERT, PostgreSQL", bare.url, bareReqs, CONNECTIONS));
    await bare.stop();
    const c = pgRun.stats.cpuMsPerAnswer;
    console.log(`AB ${pgRun.stats.perSecond} ${bareRun.perSecond} ${(pgRun.stats.perSecond / bareRun.perSecond).toFixed(3)} ${c?.server} ${c?.postgres} ${pgRun.stats.p50} ${pgRun.stats.p99} ${analyticsMs ?? "-"}`);
    throw new OnlyClosedDone();
  }
  // Fixed rate: fresh deliveries (not yet sent), signed just before the run. Secrets are shown only
  // at creation, so new endpoints are created for this run.
  const fixedEndpoints = await createEndpoints(pgApp, providers);
  const fixedSlice = planned.slice(pgRun.used, pgRun.used + FIXED_RATE * FIXED_SECONDS);
  const fixed = await fixedRate("app, PostgreSQL", pgApp.url, sign(fixedSlice, fixedEndpoints), FIXED_RATE);
  rows.push(fixed);
  // Floor: the same app and bodies to an endpoint id that does not exist — the server reads the
  // body, looks the id up (one indexed SELECT) and answers 404. What ingest costs beyond this is
  // verification, storage and processing.
  const floorReqs = sign(planned.slice(0, 12_000), fixedEndpoints).map((r) => ({ ...r, path: r.path.replace(/\/api\/webhooks\/[^/?]+/, "/api/webhooks/ep_bench_unknown") }));
  const floor = await closedLoop("app, unknown endpoint (404s/s)", pgApp.url, floorReqs, CONNECTIONS);
  // Every answer is the expected 404: counted as answers per second.
  floor.perSecond = Math.round((floor.statuses["404"] ?? 0) / floor.seconds);
  floor.errors = floor.requests - (floor.statuses["404"] ?? 0);
  rows.push(floor);
  const pgStatuses = await statusCounts(databaseUrl);
  const pgRss = Math.round(pgApp.rssKb() / 1024);
  await pgApp.kill();
  report.postgres = { closed: pgRun.stats, warmUpPerSecond: pgRun.warmRate, analyticsCaughtUpMsAfterLastAnswer: analyticsMs, fixedRate: fixed, storedByStatus: pgStatuses, rssMb: pgRss };
  report.floor = floor;

  // --- PostgreSQL, WEBHOOK_ANSWER=stored: answered once the raw delivery is committed, as the bare
  // baseline answers; processing keeps pace behind (ingest stops storing while a full processing
  // batch waits), and the run counts only once every delivery is processed. ---
  const storedUrl = await createPgDatabase();
  const storedApp = await startTracked({ databaseUrl: storedUrl, dataDir: tempDir("bench-ingest-pg-stored-"), env: { WEBHOOK_ANSWER: "stored" } });
  const storedRun = await measureApp("app, PostgreSQL, answer when stored", storedApp, planned, 300);
  const drainStart = performance.now();
  let storedStatuses = await statusCounts(storedUrl);
  while ((storedStatuses.received ?? 0) > 0 && performance.now() - drainStart < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    storedStatuses = await statusCounts(storedUrl);
  }
  const drainMs = Math.round(performance.now() - drainStart);
  rows.push(storedRun.stats);
  await storedApp.kill();
  report.postgresAnswerStored = { closed: storedRun.stats, warmUpPerSecond: storedRun.warmRate, storedByStatus: storedStatuses, processedAllMsAfterLastAnswer: drainMs };

  // --- bare baseline: same requests, same database, one INSERT each ---
  const bare = await startBareBaseline({ databaseUrl });
  cleanups.push(() => bare.stop());
  const bareEndpoints = Object.fromEntries(providers.map((p) => [p, { id: `bare_${p}`, secret: getProvider(p)!.signs ? "whsec_dW51c2VkLXNlY3JldC0wMTIzNDU2Nzg5" : null }]));
  const bareWarm = await closedLoopOwn("bare warm-up", bare.url, sign(planned.slice(0, 300), bareEndpoints), CONNECTIONS);
  const bareAmount = Math.max(2_000, Math.round(bareWarm.perSecond * RUN_SECONDS));
  const bareReqs = sign(Array.from({ length: bareAmount }, (_, i) => planned[i % planned.length]), bareEndpoints);
  const bareRun = await withCpu(() => groupPids(bare.pid), () => closedLoop("bare node:http + 1 INSERT, PostgreSQL", bare.url, bareReqs, CONNECTIONS));
  rows.push(bareRun);
  await bare.stop();
  report.bareBaseline = bareRun;

  // --- PGlite ---
  const pgliteApp = await startTracked({ databaseUrl: null, dataDir: tempDir("bench-ingest-pglite-") });
  const pgliteRun = await measureApp("app, PGlite (embedded)", pgliteApp, planned, 200);
  rows.push(pgliteRun.stats);
  const pgliteRss = Math.round(pgliteApp.rssKb() / 1024);
  await pgliteApp.kill();
  report.pglite = { closed: pgliteRun.stats, warmUpPerSecond: pgliteRun.warmRate, rssMb: pgliteRss };

  // --- table ---
  const ratio = (x: RunStats) => (bareRun.perSecond > 0 ? (x.perSecond / bareRun.perSecond).toFixed(2) : "?");
  console.log("");
  console.log(
    ["target".padEnd(38), "mode".padEnd(16), "requests".padStart(8), "2xx/s".padStart(7), "p50 ms".padStart(8), "p99 ms".padStart(8), "max ms".padStart(8), "errors".padStart(7), "× bare".padStart(7)].join(" "),
  );
  for (const r of rows) {
    console.log(
      [r.label.padEnd(38), r.mode.padEnd(16), String(r.requests).padStart(8), String(r.perSecond).padStart(7), r.p50.toFixed(1).padStart(8), r.p99.toFixed(1).padStart(8), r.max.toFixed(1).padStart(8), String(r.errors).padStart(7), (r.mode.startsWith("closed") ? ratio(r) : "").padStart(7)].join(" "),
    );
  }
  console.log(
    `\nfixed ${FIXED_RATE}/s on PostgreSQL: offered ${fixed.achievedRate}/s for ${FIXED_SECONDS} s, p99 ${fixed.p99} ms from due time, max in flight ${fixed.maxInFlight}; ` +
      `answers ${JSON.stringify(fixed.statuses)}`,
  );
  console.log(`closed loop on PostgreSQL: analytics summaries and People caught up ${analyticsMs ?? "-"} ms after the last answer (the refresher waits for ingest to leave room)`);
  console.log(`stored on PostgreSQL by status: ${JSON.stringify(pgStatuses)}; server RSS after: PostgreSQL ${pgRss} MB, PGlite ${pgliteRss} MB`);
  console.log(
    `WEBHOOK_ANSWER=stored: answers ${JSON.stringify(storedRun.stats.statuses)}; every delivery processed ${drainMs} ms after the last answer; ` +
      `stored by status: ${JSON.stringify(storedStatuses)}`,
  );
  console.log(
    `app/bare throughput: PostgreSQL ${ratio(pgRun.stats)} (answer when stored ${ratio(storedRun.stats)}), PGlite ${ratio(pgliteRun.stats)} (bare: ${bareRun.perSecond}/s, p99 ${bareRun.p99} ms); ` +
      `app/floor (404s): PostgreSQL ${(pgRun.stats.perSecond / Math.max(1, floor.perSecond)).toFixed(2)} (floor: ${floor.perSecond}/s)`,
  );
  const cpu = (x: { cpuMsPerAnswer?: CpuPerAnswer }) =>
    x.cpuMsPerAnswer ? `server ${x.cpuMsPerAnswer.server}, PostgreSQL ${x.cpuMsPerAnswer.postgres}, load generator ${x.cpuMsPerAnswer.loadGenerator}` : "not measured (no /proc)";
  console.log(
    `CPU ms per 2xx answer, closed loops: app on PostgreSQL: ${cpu(pgRun.stats)}; answer when stored: ${cpu(storedRun.stats)}; ` +
      `bare: ${cpu(bareRun)}; app on PGlite: ${cpu(pgliteRun.stats)}`,
  );
  report.ratios = { postgres: Number(ratio(pgRun.stats)), postgresAnswerStored: Number(ratio(storedRun.stats)), pglite: Number(ratio(pgliteRun.stats)) };
  console.log(
    JSON.stringify({
      bench: "ingest",
      date: new Date().toISOString(),
      machine,
      node: process.version,
      generator: autocannon ? `autocannon ${autocannonVersion}` : "node:http loop",
      connections: CONNECTIONS,
      deliveries: planned.length,
      mix,
      avgBodyBytes: avgBytes,
      ...report,
    }),
  );
} catch (error) {
  if (!(error instanceof OnlyClosedDone)) {
    console.error(error);
    exitCode = 1;
  }
} finally {
  await cleanupAll();
}
process.exit(exitCode);
