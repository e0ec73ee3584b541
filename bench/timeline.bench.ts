/**
 * Benchmark for the candidate timeline read: `npx tsx bench/timeline.bench.ts [runs]`.
 *
 * On a fresh PostgreSQL database (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * created here and dropped at the end) and an in-memory PGlite, seeds two candidates with 5,000
 * events each plus a few hundred ordinary simulated candidates, then times
 * `GET /api/candidates/{id}/timeline` through the real route handler (Request in, body text out):
 * the first page (limit 50) and page 50 (via nextCursor). Baseline, same run, same database: one
 * `SELECT … FROM events WHERE candidate_id = $1 ORDER BY occurred_at DESC, received_at DESC, id DESC
 * LIMIT 51` with the snapshot column ($queryRaw), the least any page read must do. Also prints where
 * the time goes (each query of the handler timed on its own). Not a test: no timing assertions.
 *
 *   greenhouse: stage changes across three jobs (snapshot + one stage observation) and candidate
 *               updates (snapshot only), the provider's own payload shapes.
 *   talview:    full candidate snapshots on every event (no stages: Talview payloads state none).
 */
import { createScratchDatabase } from "./lib/scratch-db";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-timeline-"));
process.env.ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
process.env.DATA_DIR = dataDir;
process.env.LOG_LEVEL = "silent";
delete process.env.DATABASE_URL;

const RUNS = Number(process.argv[2] ?? 100);
const WARMUP = 15;
const BREAKDOWN_RUNS = 30;
const HISTORY_EVENTS = 5_000;
const PAGE = 50;
const DEEP_PAGE = 50;
const OTHERS = { greenhouse: 100, talview: 100, idibu: 60, outhire: 60 } as const;

const { openDb, setDb } = await import("../lib/db/client");
const { migrateDb } = await import("../lib/db/migrate-configured");
const { GET: timelineRoute } = await import("../app/api/candidates/[id]/timeline/route");
const { getCandidateIdentity } = await import("../lib/api/timeline");
const queries = await import("../lib/db/timeline-queries");
const { readSnapshotPredecessors, readStageTransitions } = await import("../lib/db/changed-paths-queries");
const { computeChanges, stateFromPredecessors } = await import("../lib/history/build-timeline");
const { getProvider } = await import("../lib/providers/registry");
const { buildHistories } = await import("../lib/simulator/build-histories");
const { greenhouseLongHistory, talviewLongHistory } = await import("./lib/long-histories");
const { createBenchEndpoint, seedDeliveries } = await import("./lib/seed");
type Db = import("../lib/db/client").Db;

type Stats = { p50: number; p95: number; max: number; runs: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
async function time(runs: number, warmup: number, work: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(percentile(samples, 50)), p95: r(percentile(samples, 95)), max: r(samples.at(-1)!), runs };
}

// ---- the histories (pure, built once, shared by both databases) ----
const t0 = performance.now();
const subjects = {
  greenhouse: { provider: "greenhouse", deliveries: greenhouseLongHistory(HISTORY_EVENTS) },
  talview: { provider: "talview", deliveries: talviewLongHistory(HISTORY_EVENTS) },
} as const;
const others = Object.entries(OTHERS).map(([provider, candidates]) => ({
  provider,
  deliveries: buildHistories({ provider: provider as never, candidates, seed: "bench-timeline-others" }).flatMap((h) => h.deliveries),
}));
const buildMs = performance.now() - t0;
const snapshotKb = (d: { body: Buffer }[]) => d.reduce((n, x) => n + x.body.length, 0) / d.length / 1024;

// ---- databases ----
interface BenchDb {
  db: Db;
  drop(): Promise<void>;
}
const cleanups: (() => Promise<void>)[] = [];

async function openPostgres(): Promise<BenchDb> {
  const scratch = await createScratchDatabase("ch_bench");
  const db = openDb({ databaseUrl: scratch.url, poolSize: 10 });
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await db.close().catch(() => {});
    await scratch.drop();
  };
  cleanups.push(drop);
  return { db, drop };
}
async function openPglite(): Promise<BenchDb> {
  const db = openDb({});
  let closed = false;
  const drop = async () => {
    if (closed) return;
    closed = true;
    await db.close().catch(() => {});
  };
  cleanups.push(drop);
  return { db, drop };
}
async function cleanupAll(): Promise<void> {
  for (const cleanup of cleanups) await cleanup().catch((e) => console.error(`cleanup failed: ${e}`));
  rmSync(dataDir, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanupAll().finally(() => process.exit(130)));
}

// ---- one database ----
async function callTimeline(id: string, cursor?: string) {
  const query = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) });
  const request = new Request(`http://bench.test/api/candidates/${id}/timeline?${query}`, {
    headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` },
  });
  const response = await timelineRoute(request, { params: Promise.resolve({ id }) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`timeline ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

function baselineQuery(db: Db, id: string, key?: { occurredAt: Date; receivedAt: Date; id: string }) {
  return key
    ? db.prisma.$queryRaw`
        SELECT id, type, provider_event, type_inferred, provider, endpoint_id, delivery_id, occurred_at, received_at, candidate_id,
               candidate_name, candidate_email, job_id, job_title, application_id, stage_from, stage_to, actor, details, snapshot
        FROM events WHERE candidate_id = ${id}
          AND (occurred_at, received_at, id) < (${key.occurredAt}, ${key.receivedAt}, ${key.id})
        ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT ${PAGE + 1}`
    : db.prisma.$queryRaw`
        SELECT id, type, provider_event, type_inferred, provider, endpoint_id, delivery_id, occurred_at, received_at, candidate_id,
               candidate_name, candidate_email, job_id, job_title, application_id, stage_from, stage_to, actor, details, snapshot
        FROM events WHERE candidate_id = ${id}
        ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT ${PAGE + 1}`;
}

/** Each step of handleTimeline on its own (page 1), to see which one dominates. */
async function breakdown(db: Db, id: string) {
  const prisma = db.prisma;
  const candidate = (await getCandidateIdentity(db, id))!;
  const history = getProvider(candidate.provider)!.history;
  const page = await queries.getTimelinePage(db.sql, [id], PAGE);
  const own = [...page.rows].reverse();
  const request = [{ requestId: own[0].id, candidateId: id, key: own[0] }];
  const predecessors = (await readSnapshotPredecessors(db.sql, request, 20)).get(own[0].id) ?? [];
  const base = stateFromPredecessors(predecessors, history).state;
  const result = await callTimeline(id);
  const steps: Record<string, () => Promise<unknown>> = {
    getCandidateIdentity: () => getCandidateIdentity(db, id),
    getTimelinePage: () => queries.getTimelinePage(db.sql, [id], PAGE),
    "readSnapshotPredecessors (first batch: 1)": () => readSnapshotPredecessors(db.sql, request, 1),
    "computeChanges (50 diffs)": async () => computeChanges(own as never, base, history),
    getStageTransitions: () => readStageTransitions(db.sql, page.rows.map((e) => e.id)),
    "JSON.parse+stringify body": async () => JSON.stringify(JSON.parse(result)),
  };
  const out: Record<string, Stats> = {};
  for (const [name, work] of Object.entries(steps)) out[name] = await time(BREAKDOWN_RUNS, 5, work);
  return { out, responseKb: Math.round(Buffer.byteLength(result) / 102.4) / 10, stageRows: (await queries.getStageObservations(db.sql, id)).length };
}

async function benchDb(kind: "postgres" | "pglite") {
  const { db, drop } = kind === "postgres" ? await openPostgres() : await openPglite();
  try {
    const tm = performance.now();
    await migrateDb(db);
    const migrateMs = performance.now() - tm;
    setDb(db);

    const ts = performance.now();
    const ids: Record<string, string> = {};
    for (const { provider, deliveries } of [...others]) {
      const endpoint = await createBenchEndpoint(db.prisma, provider);
      await seedDeliveries(db, endpoint, provider, deliveries);
    }
    for (const [name, { provider, deliveries }] of Object.entries(subjects)) {
      const endpoint = await createBenchEndpoint(db.prisma, provider);
      await seedDeliveries(db, endpoint, provider, deliveries);
      const subject = await db.prisma.candidate.findFirst({ where: { provider }, orderBy: { eventCount: "desc" }, select: { id: true, eventCount: true } });
      if (!subject || subject.eventCount !== HISTORY_EVENTS) throw new Error(`${name}: expected ${HISTORY_EVENTS} events, got ${subject?.eventCount}`);
      ids[name] = subject.id;
    }
    await db.prisma.$executeRawUnsafe("ANALYZE");
    const seedMs = performance.now() - ts;
    const counts = {
      candidates: await db.prisma.candidate.count(),
      events: await db.prisma.event.count(),
      eventStages: await db.prisma.eventStage.count(),
      deliveries: await db.prisma.delivery.count(),
    };
    console.log(
      `\n[${kind}] migrated in ${(migrateMs / 1000).toFixed(1)} s; seeded in ${(seedMs / 1000).toFixed(1)} s: ` +
        `${counts.candidates} candidates, ${counts.events} events, ${counts.eventStages} event_stages, ${counts.deliveries} deliveries`,
    );

    const results: Record<string, unknown> = {};
    for (const name of Object.keys(subjects)) {
      const id = ids[name];
      const first = JSON.parse(await callTimeline(id));
      if (first.events.length !== PAGE || !first.nextCursor) throw new Error(`${name}: first page has ${first.events.length} events`);
      const withDiffs = first.events.filter((e: { changes: unknown[] }) => e.changes.length > 0).length;

      let cursor: string = first.nextCursor;
      for (let p = 2; p < DEEP_PAGE; p++) cursor = JSON.parse(await callTimeline(id, cursor)).nextCursor;
      const deep = JSON.parse(await callTimeline(id, cursor));
      if (deep.events.length !== PAGE) throw new Error(`${name}: page ${DEEP_PAGE} has ${deep.events.length} events`);
      const [o, r, eid] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as string[];
      const deepKey = { occurredAt: new Date(o), receivedAt: new Date(r), id: eid };

      const page1 = await time(RUNS, WARMUP, () => callTimeline(id));
      const pageDeep = await time(RUNS, WARMUP, () => callTimeline(id, cursor));
      const base1 = await time(RUNS, WARMUP, () => baselineQuery(db, id));
      const baseDeep = await time(RUNS, WARMUP, () => baselineQuery(db, id, deepKey));
      const parts = await breakdown(db, id);
      results[name] = {
        page1, [`page${DEEP_PAGE}`]: pageDeep, baseline: base1, [`baselinePage${DEEP_PAGE}`]: baseDeep,
        ratioP50: +(page1.p50 / base1.p50).toFixed(2), ratioP95: +(page1.p95 / base1.p95).toFixed(2),
        ratioDeepP50: +(pageDeep.p50 / baseDeep.p50).toFixed(2), ratioDeepP95: +(pageDeep.p95 / baseDeep.p95).toFixed(2),
        eventsWithDiffs: withDiffs, responseKb: parts.responseKb, stageObservations: parts.stageRows, breakdown: parts.out,
      };

      const fmt = (ms: number) => ms.toFixed(2).padStart(8);
      const line = (label: string, s: Stats) => `  ${label.padEnd(36)} p50 ${fmt(s.p50)} ms  p95 ${fmt(s.p95)} ms  max ${fmt(s.max)} ms`;
      console.log(
        `[${kind}] ${name}: ${HISTORY_EVENTS} events, ${parts.stageRows} stage observations, first page ${parts.responseKb} KB, ` +
          `${withDiffs}/${PAGE} events with changes; ${RUNS} runs after ${WARMUP} warm-up`,
      );
      console.log(line("timeline page 1 (route handler)", page1));
      console.log(line(`timeline page ${DEEP_PAGE} (route handler)`, pageDeep));
      console.log(line("baseline SELECT … LIMIT 51", base1));
      console.log(line(`baseline SELECT … LIMIT 51, page ${DEEP_PAGE}`, baseDeep));
      console.log(
        `  ratio ours/baseline: page 1 p50 ${(page1.p50 / base1.p50).toFixed(1)}×, p95 ${(page1.p95 / base1.p95).toFixed(1)}×; ` +
          `page ${DEEP_PAGE} p50 ${(pageDeep.p50 / baseDeep.p50).toFixed(1)}×, p95 ${(pageDeep.p95 / baseDeep.p95).toFixed(1)}×`,
      );
      console.log(`  where page 1 goes (each step alone, ${BREAKDOWN_RUNS} runs):`);
      for (const [step, s] of Object.entries(parts.out)) console.log(`    ${step.padEnd(34)} p50 ${fmt(s.p50)} ms  p95 ${fmt(s.p95)} ms`);
    }
    return { seedMs: Math.round(seedMs), counts, results };
  } finally {
    setDb(undefined);
    await drop();
  }
}

let exitCode = 0;
const report: Record<string, unknown> = {};
try {
  console.log(
    `timeline bench: node ${process.version}; histories built in ${(buildMs / 1000).toFixed(1)} s ` +
      `(greenhouse ${snapshotKb(subjects.greenhouse.deliveries).toFixed(1)} KB/body, talview ${snapshotKb(subjects.talview.deliveries).toFixed(1)} KB/body); ` +
      `seeding: every delivery mapped by its provider (normalizeDelivery); each candidate's last delivery saved with ` +
      `saveProcessingOutcome (re-aggregates the candidate), the other events written before it with createMany (same columns); ` +
      `candidate and raw delivery rows inserted in bulk`,
  );
  for (const kind of ["postgres", "pglite"] as const) report[kind] = await benchDb(kind);
  console.log(JSON.stringify({ bench: "timeline", node: process.version, runs: RUNS, page: PAGE, deepPage: DEEP_PAGE, events: HISTORY_EVENTS, ...report }));
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await cleanupAll();
}
// The Prisma wasm engine keeps the event loop alive.
process.exit(exitCode);
