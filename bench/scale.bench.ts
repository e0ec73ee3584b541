/**
 * The dashboard at scale: `npx tsx bench/scale.bench.ts --candidates N --events M [--pglite] [--big-job N] [--runs R] [--only PREFIX[,PREFIX…]] [--reuse-db NAME] [--json FILE]`
 * (defaults 100,000 / 1,000,000, 20 runs; needs the build). `--only analytics` times only the reads
 * whose name starts with the prefix (the pipeline analytics).
 *
 * `--pglite`: the same data in embedded PGlite (the app's default backend when DATABASE_URL is unset)
 * in a temporary DATA_DIR, the app started on it as `npm start` would. PGlite is one process's: the
 * bench loads it and times every baseline SQL in-process first, closes it, then starts the app and
 * times the HTTP reads (the two are in the same run, not interleaved). The aim there is p95 < 300 ms.
 *
 * Creates its own PostgreSQL database (TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; dropped at the end unless BENCH_KEEP_DB=1), loads
 * it with SQL (bench/lib/scale-seed.ts), runs the changed-paths fill and the version check over it as
 * a running instance would have (so the app finds nothing to catch up on), VACUUM ANALYZEs, then starts
 * the built app on it as `npm start` serves it (tests/helpers/app-server.ts) and records `startupMs`:
 * from the start (migrations included) to the first healthy answer of `GET /api/health`, and the
 * same on the still empty database first (`startupEmptyMs`), so that what grows with the data shows.
 *
 * Then every dashboard read, through the HTTP API with the admin token, R runs each after two
 * warm-up runs (sequential; time to the last byte of the answer), beside the best plain SQL for
 * the same answer on the existing indexes (its own R runs on one connection). Aims (issue 20):
 * p95 < 100 ms and p95 ≤ 3 × the baseline's p95, the baseline counted as at least 5 ms.
 * The pipeline analytics (issue 17) are timed the same way with their own aim, p95 < 300 ms: for
 * all jobs together (every candidate: at --candidates 50000 that is the issue's "job with 50,000
 * candidates") and for one job, beside the plain SQL that counts stage entries per stage.
 * `--reuse-db NAME`: time the reads on a database an earlier run kept (BENCH_KEEP_DB=1) with the same
 * --candidates / --big-job, instead of creating and loading one: the migrations the kept database lacks
 * are applied first (timed, apart from start-up), and the database is kept again at the end. For a
 * change to the reads at 1,000,000 candidates, where a load takes most of an hour.
 * Prints a table and writes `{"calls": [{name, p50Ms, p95Ms, baselineMs, baselineP95Ms, met}],
 * "startupMs", …}` to FILE. Not a test: nothing here fails on a time.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { CURRENT_CHANGED_PATHS_VERSION } from "../lib/history/provider-config";
import { fillChangedPaths } from "../lib/jobs/changed-paths-fill";
import { ensureChangedPathsVersion } from "../lib/db/changed-paths-version";
import { openDb, pgliteDirFor, type Db } from "../lib/db/client";
import type { SqlParam } from "../lib/db/sql";
import { migrateDb } from "../lib/db/migrate-configured";
import { encodeCursor } from "../lib/http/cursor";
import { startApp, type AppServer } from "../tests/helpers/app-server";
import { scaleSamples, seedScale, type ScaleSeedResult } from "./lib/scale-seed";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const CANDIDATES = Number(arg("candidates", "100000"));
const EVENTS = Number(arg("events", "1000000"));
const RUNS = Math.max(5, Number(arg("runs", "20")));
/** `--big-job N`: N of the candidates in one job (`job-big`), timed as the analytics_*_big_job calls. */
const BIG_JOB = Number(arg("big-job", "0"));
const JSON_FILE = arg("json", "");
/** `--only PREFIX[,PREFIX…]`: time only the reads whose name starts with one of them (e.g. `analytics`). */
const ONLY = arg("only", "");
const PGLITE = process.argv.includes("--pglite");
/** `--reuse-db NAME`: an earlier run's kept PostgreSQL database (see the header). */
const REUSE_DB = arg("reuse-db", "");
if (REUSE_DB && (PGLITE || !/^ch_bench_scale_\w+$/.test(REUSE_DB))) throw new Error("--reuse-db takes a kept PostgreSQL scale database's name (ch_bench_scale_…)");
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};
const log = (line: string) => console.log(line);

const name = REUSE_DB || `ch_bench_scale_${Date.now()}_${randomBytes(3).toString("hex")}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
/** The app's database: a PostgreSQL URL, or null for PGlite in dataDir. */
let databaseUrl: string | null = null;
if (!PGLITE) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (!REUSE_DB) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  databaseUrl = dbUrl.toString();
}
const openBenchDb = (): Db => (databaseUrl ? openDb({ databaseUrl, poolSize: 4 }) : openDb({ pgliteDir: pgliteDirFor(dataDir) }));
let db: Db | null = openBenchDb();
/** The baselines' one connection on PostgreSQL (PGlite: the bench's own instance, until the app starts). */
const client = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : null;
const query = async <Row = Record<string, any>>(text: string, params: unknown[] = []): Promise<Row[]> => {
  if (client) return (await client.query(text, params)).rows as Row[];
  if (!db) throw new Error("PGlite is closed: the app has it");
  return db.sql.query<Row>({ text, params: params as SqlParam[] });
};
let app: AppServer | null = null;

async function drop() {
  await app?.kill().catch(() => {});
  await client?.end().catch(() => {});
  await db?.close().catch(() => {});
  if (process.env.BENCH_KEEP_DB === "1" || REUSE_DB) {
    const why = REUSE_DB ? "--reuse-db" : "BENCH_KEEP_DB=1";
    log(databaseUrl ? `kept database ${databaseUrl} (${why})` : `kept PGlite in ${pgliteDirFor(dataDir)} (${why})`);
    if (databaseUrl) rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (!databaseUrl) return;
  const cleanup = new pg.Client({ connectionString: adminUrl });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await cleanup.end();
}

interface Call {
  name: string;
  path: string;
  /** The best plain SQL for the same answer. */
  baseline: { text: string; params?: unknown[] };
  /** The call's p95 aim in ms (default 100). */
  aimMs?: number;
}

interface Result {
  name: string;
  path: string;
  p50Ms: number;
  p95Ms: number;
  baselineMs: number;
  baselineP95Ms: number;
  met: boolean;
}

const summaryColumns = `id, provider, external_id, name, email, current_stage, current_job, event_count, first_seen_at, last_event_at, deleted_at, merged_into_external_id`;
const eventColumns = `id, delivery_id, endpoint_id, provider, type, occurred_at, received_at, candidate_id, candidate_name, job_title, stage_from, stage_to, actor`;
const deliveryColumns = `id, endpoint_id, provider, received_at, method, content_type, status, error, event_type, duplicate_of_id, processed_at, process_count, body_sha256`;

/**
 * Pipeline analytics: all jobs (the largest selection the seed has) and one job. The baseline is the
 * plain SQL at their core: the stays (runs of one stage in history order) counted per stage.
 */
function analyticsCalls(jobKey: string, bigJobKey: string | null): Call[] {
  const entries = (where: string) => `
    SELECT stage, count(*) FROM (
      SELECT stage, lag(stage) OVER (PARTITION BY candidate_id, job_key ORDER BY occurred_at, received_at, event_id) AS prev
      FROM event_stages ${where}) s
    WHERE prev IS DISTINCT FROM stage GROUP BY stage`;
  const job = encodeURIComponent(jobKey);
  return [
    { name: "analytics_funnel", path: `/api/analytics/funnel`, baseline: { text: entries("") }, aimMs: 300 },
    { name: "analytics_time_in_stage", path: `/api/analytics/time-in-stage`, baseline: { text: entries("") }, aimMs: 300 },
    { name: "analytics_flow", path: `/api/analytics/flow`, baseline: { text: entries("") }, aimMs: 300 },
    { name: "analytics_funnel_job", path: `/api/analytics/funnel?jobId=${job}`, baseline: { text: entries("WHERE job_key = $1"), params: [jobKey] }, aimMs: 300 },
    ...(bigJobKey
      ? (["funnel", "time-in-stage", "flow"] as const).map((answer) => ({
          name: `analytics_${answer.replace(/-/g, "_")}_big_job`,
          path: `/api/analytics/${answer}?jobId=${encodeURIComponent(bigJobKey)}`,
          baseline: { text: entries("WHERE job_key = $1"), params: [bigJobKey] },
          aimMs: 300,
        }))
      : []),
    { name: "analytics_jobs", path: `/api/analytics/jobs`, baseline: { text: `SELECT job_key, count(*) FROM candidate_stages GROUP BY job_key` }, aimMs: 300 },
  ];
}

let output: Record<string, unknown> = {};
try {
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model ?? "unknown cpu"}, ${cpus.length} cores, ${round(os.totalmem() / 1024 ** 3)} GB RAM; node ${process.version}`;
  const backend = PGLITE ? "PGlite (embedded)" : "PostgreSQL";
  log(`scale bench on ${backend}: ${CANDIDATES.toLocaleString("en")} candidates, ${EVENTS.toLocaleString("en")} events, ${RUNS} runs per call`);
  log(`machine: ${machine}; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ${new Date().toISOString()}`);
  const migrateStarted = performance.now();
  await migrateDb(db!);
  const migrateSeconds = (performance.now() - migrateStarted) / 1000;
  await client?.connect();

  let startupEmptyMs = Number.NaN;
  let loadSeconds = 0;
  let fillSeconds = 0;
  let seeded: Pick<ScaleSeedResult, "deliveries" | "samples">;
  if (REUSE_DB) {
    // The kept database: what the migrations it lacked cost at this size, then fresh statistics.
    log(`reusing ${name}: migrations applied in ${round(migrateSeconds)} s`);
    await query(`ANALYZE`);
    const [{ n: deliveries }] = await query<{ n: string }>(`SELECT count(*) AS n FROM deliveries`);
    seeded = { deliveries: Number(deliveries), samples: await scaleSamples(db!.sql, { candidates: CANDIDATES, bigJob: BIG_JOB }) };
  } else {
    // The same start on the empty database: what start-up costs when there is no data at all. PGlite
    // is one process's: the bench lets go of it while the app has it.
    if (!client) await db!.close();
    const emptyStarted = performance.now();
    const empty = await startApp({ databaseUrl, dataDir, readyTimeoutMs: 120_000 });
    startupEmptyMs = performance.now() - emptyStarted;
    await empty.kill();
    log(`startupMs on the empty database ${Math.round(startupEmptyMs)}`);
    if (!client) db = openBenchDb();

    const loadStarted = performance.now();
    seeded = await seedScale(db!.sql, { candidates: CANDIDATES, events: EVENTS, bigJob: BIG_JOB }, log);
    loadSeconds = (performance.now() - loadStarted) / 1000;
    log(`loaded in ${round(loadSeconds)} s: ${seeded.deliveries.toLocaleString("en")} deliveries`);

    // What a running instance would have done by now: the version check and the changed-paths fill.
    const fillStarted = performance.now();
    await ensureChangedPathsVersion(db!.sql, CURRENT_CHANGED_PATHS_VERSION, { chunk: 20_000 });
    const fill = await fillChangedPaths(db!.sql, { events: 2_000 });
    await query(`VACUUM ANALYZE`);
    fillSeconds = (performance.now() - fillStarted) / 1000;
    log(`changed paths filled (${fill.written.toLocaleString("en")}) and vacuumed in ${round(fillSeconds)} s`);
  }
  const databaseBytes = Number((await query(`SELECT pg_database_size(current_database()) AS n`))[0].n);
  log(`database size ${round(databaseBytes / 1024 ** 3, 2)} GB`);

  const s = seeded.samples;
  const [deep] = await query(`SELECT last_event_at, id FROM candidates ORDER BY last_event_at DESC, id DESC OFFSET ${Math.floor(CANDIDATES / 2)} LIMIT 1`);
  const deepCursor = encodeCursor([deep.last_event_at, deep.id]);
  const deepAt = new Date(deep.last_event_at).toISOString();
  const failedDelivery = (await query(`SELECT id FROM deliveries WHERE status = 'failed' ORDER BY received_at DESC LIMIT 1`))[0].id;
  const now = new Date();
  const since24h = new Date(now.getTime() - 86_400_000).toISOString();
  const windowStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 13 * 86_400_000).toISOString();
  const listOrder = `ORDER BY last_event_at DESC, id DESC LIMIT 51`;
  const q = (value: string) => encodeURIComponent(value);
  // A person as GET /api/people lists it: the person and its records (lib/db/people.ts listPeople).
  const personColumns = `p.id, p.name, p.status, p.last_event_at,
    (SELECT json_agg(json_build_object('id', c.id, 'provider', c.provider, 'external_id', c.external_id, 'name', c.name, 'email', c.email,
                                       'status', c.status, 'last_event_at', c.last_event_at, 'reason', m.reason) ORDER BY m.linked_at)
     FROM person_members m JOIN candidates c ON c.id = m.candidate_id WHERE m.person_id = p.id) AS records`;
  const peopleOrder = `ORDER BY p.last_event_at DESC, p.id DESC LIMIT 51`;
  // The candidate list's search (accent- and case-free substring, or the provider's id), on the
  // expression its trigram index is built on (candidate-filters.ts): the same answer, indexed.
  const searchMatch = `search_fold(coalesce(c.name, '') || ' ' || coalesce(c.email, '')) LIKE search_fold($1) OR c.external_id = $2`;

  const calls: Call[] = [
    { name: "candidates_list", path: `/api/candidates`, baseline: { text: `SELECT ${summaryColumns} FROM candidates ${listOrder}` } },
    {
      name: "candidates_deep_page",
      path: `/api/candidates?cursor=${deepCursor}`,
      baseline: { text: `SELECT ${summaryColumns} FROM candidates WHERE (last_event_at, id) < ($1::timestamptz, $2) ${listOrder}`, params: [deepAt, deep.id] },
    },
    {
      name: "candidates_search_name",
      path: `/api/candidates?q=${q(s.rareName)}`,
      baseline: { text: `SELECT ${summaryColumns} FROM candidates c WHERE ${searchMatch} ${listOrder}`, params: [`%${s.rareName}%`, s.rareName] },
    },
    {
      name: "candidates_search_email",
      path: `/api/candidates?q=${q(s.email)}`,
      baseline: { text: `SELECT ${summaryColumns} FROM candidates c WHERE ${searchMatch} ${listOrder}`, params: [`%${s.email}%`, s.email] },
    },
    {
      name: "candidates_filter_stage",
      path: `/api/candidates?stage=${q(s.stage)}`,
      baseline: {
        // A stage whose name contains it in any case (candidate-filters.ts).
        text: `SELECT ${summaryColumns} FROM candidates c WHERE EXISTS (SELECT 1 FROM candidate_stages cs WHERE cs.candidate_id = c.id AND cs.stage ILIKE $1) ${listOrder}`,
        params: [`%${s.stage}%`],
      },
    },
    {
      name: "candidates_filter_status",
      path: `/api/candidates?status=${s.status}`,
      // The derived column the list filters on (candidate-filters.ts), read in the order of its index (status, last_event_at, id).
      baseline: { text: `SELECT ${summaryColumns} FROM candidates WHERE status = $1 ${listOrder}`, params: [s.status] },
    },
    {
      name: "candidates_filter_job",
      path: `/api/candidates?job=${q(s.job)}`,
      baseline: {
        // The filter's meaning (candidate-filters.ts): the job's id, or a title containing it in any case;
        // the best SQL for it finds the job ids in the small jobs table first (migration jobs), then the
        // candidates by candidate_stages' job_key index (the ILIKE over every stage row took 65 ms at 100,000).
        text: `SELECT ${summaryColumns} FROM candidates c WHERE EXISTS (SELECT 1 FROM candidate_stages cs WHERE cs.candidate_id = c.id
                 AND cs.job_key IN (SELECT j.job_key FROM jobs j WHERE j.job_key = $1 OR j.job_title ILIKE $2)
                 AND (cs.job_key = $1 OR cs.job_title ILIKE $2)) ${listOrder}`,
        params: [s.job, `%${s.job}%`],
      },
    },
    {
      name: "overview_stats",
      path: `/api/stats`,
      baseline: {
        // The totals and the 14-day activity from the rollups the triggers keep (migration
        // stat_rollups); the scan the overview used to be (three count(*) and a GROUP BY over events)
        // is the "before" figure in the README.
        text: `SELECT (SELECT json_agg(x) FROM (SELECT kind, sum(n) FILTER (WHERE NOT is_test) AS n FROM stat_rollups GROUP BY kind) x) AS totals,
                      (SELECT json_agg(x) FROM (SELECT status, count(*) FROM deliveries WHERE received_at >= $1 AND NOT is_test GROUP BY status) x) AS by_status,
                      (SELECT json_agg(x) FROM (SELECT day, provider, type, sum(n) AS n FROM stat_rollups
                                                WHERE kind = 'events' AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND NOT is_test
                                                GROUP BY 1, 2, 3) x) AS activity`,
        params: [since24h, windowStart],
      },
    },
    {
      name: "events_list",
      path: `/api/events`,
      baseline: { text: `SELECT ${eventColumns} FROM events ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT 51` },
    },
    {
      name: "events_filter_type",
      path: `/api/events?type=${s.eventType}`,
      baseline: { text: `SELECT ${eventColumns} FROM events WHERE type = $1 ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT 51`, params: [s.eventType] },
    },
    {
      name: "events_candidate",
      path: `/api/events?candidateId=${s.candidateId}`,
      baseline: {
        text: `SELECT ${eventColumns} FROM events WHERE candidate_id = $1 ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT 51`,
        params: [s.candidateId],
      },
    },
    {
      name: "deliveries_first_page",
      path: `/api/deliveries`,
      baseline: { text: `SELECT ${deliveryColumns} FROM deliveries ORDER BY received_at DESC, id DESC LIMIT 51` },
    },
    {
      name: "deliveries_endpoint",
      path: `/api/deliveries?endpointId=${s.endpointId}`,
      baseline: { text: `SELECT ${deliveryColumns} FROM deliveries WHERE endpoint_id = $1 ORDER BY received_at DESC, id DESC LIMIT 51`, params: [s.endpointId] },
    },
    {
      name: "deliveries_failed",
      path: `/api/deliveries?status=failed`,
      baseline: { text: `SELECT ${deliveryColumns} FROM deliveries WHERE status = 'failed' ORDER BY received_at DESC, id DESC LIMIT 51` },
    },
    {
      name: "delivery_detail",
      path: `/api/deliveries/${failedDelivery}`,
      baseline: { text: `SELECT ${deliveryColumns}, query, headers, body FROM deliveries WHERE id = $1`, params: [failedDelivery] },
    },
    {
      name: "candidate_detail",
      path: `/api/candidates/${s.candidateId}`,
      baseline: {
        text: `SELECT ${summaryColumns}, (SELECT json_agg(cs) FROM candidate_stages cs WHERE cs.candidate_id = c.id) AS stages FROM candidates c WHERE id = $1`,
        params: [s.candidateId],
      },
    },
    {
      name: "candidate_timeline",
      path: `/api/candidates/${s.candidateId}/timeline`,
      baseline: {
        text: `SELECT ${eventColumns}, snapshot, details FROM events WHERE candidate_id = $1 ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT 51`,
        params: [s.candidateId],
      },
    },
    {
      name: "people_list",
      path: `/api/people`,
      baseline: { text: `SELECT ${personColumns} FROM people p WHERE NOT p.is_test ${peopleOrder}` },
    },
    {
      name: "people_search",
      path: `/api/people?q=${q(s.personEmail)}`,
      baseline: {
        text: `SELECT ${personColumns} FROM people p
               WHERE p.id IN (SELECT m.person_id FROM person_members m JOIN candidates c ON c.id = m.candidate_id WHERE ${searchMatch})
                 AND NOT p.is_test ${peopleOrder}`,
        params: [`%${s.personEmail}%`, s.personEmail],
      },
    },
    {
      name: "person_timeline",
      path: `/api/people/${s.personId}/timeline`,
      // Every record's events in one page, newest first (the sample person has a Greenhouse and a Talview record).
      baseline: {
        text: `SELECT ${eventColumns}, snapshot, details FROM events
               WHERE candidate_id IN (SELECT candidate_id FROM person_members WHERE person_id = $1)
               ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT 51`,
        params: [s.personId],
      },
    },
    ...analyticsCalls(s.jobKey, s.bigJobKey),
    { name: "endpoints_list", path: `/api/endpoints`, baseline: { text: `SELECT id, provider, name, enabled, rejected_count, last_rejected_at FROM endpoints WHERE deleted_at IS NULL` } },
  ];
  const timed = calls.filter((c) => ONLY.split(",").some((prefix) => c.name.startsWith(prefix)));

  // The sample person must be what person_timeline claims to time: one person, two providers.
  const records = await query<{ provider: string }>(`SELECT c.provider FROM person_members m JOIN candidates c ON c.id = m.candidate_id WHERE m.person_id = $1`, [s.personId]);
  log(`sample person ${s.personId}: ${records.length} records (${records.map((r) => r.provider).join(", ")})`);

  /** R runs of the call's baseline SQL after two warm-ups. */
  const timeBaseline = async (call: Call) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const started = performance.now();
      await query(call.baseline.text, call.baseline.params);
      if (i >= 2) times.push(performance.now() - started);
    }
    return times;
  };
  // PGlite: every baseline now, in this process, before the app takes the database.
  const baselines = new Map<string, number[]>();
  if (!client) {
    for (const call of timed) baselines.set(call.name, await timeBaseline(call));
    log(`baselines timed in-process on PGlite (${timed.length} reads); closing it for the app`);
    await db!.close();
    db = null;
  } else {
    await db!.close();
    db = null;
  }

  const startStarted = performance.now();
  app = await startApp({ databaseUrl, dataDir, readyTimeoutMs: 120_000 });
  const startupMs = performance.now() - startStarted;
  log(`startupMs ${Math.round(startupMs)} (start → first healthy answer, migrations included; empty database: ${Math.round(startupEmptyMs)})`);

  const headers = { authorization: `Bearer ${app.adminToken}` };
  const timeHttp = async (call: Call) => {
    const started = performance.now();
    const response = await fetch(`${app!.url}${call.path}`, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${call.name}: ${call.path} answered ${response.status}`);
    return performance.now() - started;
  };

  const results: Result[] = [];
  for (const call of timed) {
    for (let i = 0; i < 2; i++) await timeHttp(call);
    const http: number[] = [];
    for (let i = 0; i < RUNS; i++) http.push(await timeHttp(call));
    // PostgreSQL: the baseline right after its call, so both see the same load.
    const sql = baselines.get(call.name) ?? (await timeBaseline(call));
    const h = stats(http);
    const b = stats(sql);
    const aim = call.aimMs ?? (PGLITE ? 300 : 100);
    const met = PGLITE ? h.p95 < aim : h.p95 < aim && h.p95 <= 3 * Math.max(b.p95, 5);
    results.push({ name: call.name, path: call.path, p50Ms: round(h.p50), p95Ms: round(h.p95), baselineMs: round(b.p50, 2), baselineP95Ms: round(b.p95, 2), met });
    log(`  ${call.name.padEnd(24)} p50 ${round(h.p50).toString().padStart(8)} ms  p95 ${round(h.p95).toString().padStart(8)} ms   SQL p50 ${round(b.p50, 2).toString().padStart(8)} ms  p95 ${round(b.p95, 2).toString().padStart(8)} ms  ${met ? "aim met" : "NOT MET"}`);
  }

  log("");
  log(
    PGLITE
      ? "| read | p50 | p95 | plain SQL p50 / p95 (in-process PGlite) | aim (PGlite: p95 < 300 ms) |"
      : "| read | p50 | p95 | plain SQL p50 / p95 | aim (p95 < 100 ms, analytics 300 ms; ≤ 3× SQL) |",
  );
  log("|---|---|---|---|---|");
  for (const r of results) log(`| \`${r.name}\` | ${r.p50Ms} ms | ${r.p95Ms} ms | ${r.baselineMs} / ${r.baselineP95Ms} ms | ${r.met ? "met" : "**not met**"} |`);
  log(`| start-up (start → first healthy answer; empty database ${Math.round(startupEmptyMs)} ms) | ${Math.round(startupMs)} ms | | | ${startupMs < 10_000 ? "met" : "**not met**"} (< 10 s) |`);

  output = {
    bench: "scale",
    backend: PGLITE ? "pglite" : "postgres",
    command: `npx tsx bench/scale.bench.ts --candidates ${CANDIDATES} --events ${EVENTS}${PGLITE ? " --pglite" : ""} --big-job ${BIG_JOB} --runs ${RUNS}${ONLY ? ` --only ${ONLY}` : ""}${REUSE_DB ? ` --reuse-db ${REUSE_DB}` : ""}`,
    date: new Date().toISOString(),
    machine,
    load: os.loadavg().map((l) => round(l, 2)),
    candidates: CANDIDATES,
    events: EVENTS,
    deliveries: seeded.deliveries,
    reusedDatabase: REUSE_DB || undefined,
    migrateSeconds: round(migrateSeconds),
    loadSeconds: round(loadSeconds),
    fillSeconds: round(fillSeconds),
    databaseBytes,
    startupMs: Math.round(startupMs),
    startupEmptyMs: Math.round(startupEmptyMs),
    calls: results,
  };
  if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify(output, null, 2) + "\n");
} finally {
  await drop();
}
console.log(JSON.stringify(output));
process.exit(0);
