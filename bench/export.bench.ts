/**
 * Benchmark for the CSV export: `npx tsx bench/export.bench.ts [rows]` (default 1,000,000).
 *
 * Creates its own PostgreSQL database (TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; dropped at the end), bulk-seeds `rows` Greenhouse-shaped
 * events with SQL (`INSERT … SELECT generate_series`): rows/10 candidates (10 events each, spread
 * over the whole time range so nearly every event's predecessor is on another page: the worst case
 * for the fill's and the fallback's predecessor reads), one raw delivery per event, one stage observation per
 * event, three endpoints. Snapshots are ~0.5 KB (name, contacts, tags, application stage,
 * updated_at) and change between consecutive events, so `changed_fields` is never trivial.
 *
 * Then, in one run:
 *   - fill:  the changed-paths sweep (lib/jobs/changed-paths-fill.ts) over every seeded event, as the
 *            server runs it in the background: rows/s (a separate figure, paid once per event);
 *   - ours:  GET /api/events/export.csv through the real route handler (Request in, body bytes
 *            counted as they stream), peak RSS growth of this process sampled every 50 ms, with
 *            the stored changed paths; then once more, untimed, to hash the bytes;
 *   - psql:  `\copy (SELECT … same rows, same order, the CSV columns) TO STDOUT CSV HEADER`, the
 *            physical baseline: the same columns as ours, changed_fields and the stage move read
 *            from their stored columns (no formula guard); and the same with the snapshot column
 *            (the bytes an export that diffs has to read);
 *   - ours, fallback: the same export after `changed_paths` is set back to NULL (the sweep behind:
 *            every row diffed at export time, as before the paths were stored); its bytes must
 *            hash the same as the stored-paths export's.
 * Prints figures and ratios, and a final JSON line. Not a test: nothing here asserts a time.
 * BENCH_KEEP_DB=1 keeps the database for profiling (drop it yourself).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createScratchDatabase } from "./lib/scratch-db";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-export-"));
process.env.ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
process.env.DATA_DIR = dataDir;
process.env.LOG_LEVEL = "silent";
delete process.env.DATABASE_URL;

const ROWS = Math.max(10, Number(process.argv[2] ?? 1_000_000));
const PER_CANDIDATE = 10;
const CANDIDATES = Math.max(1, Math.ceil(ROWS / PER_CANDIDATE));

const pg = (await import("pg")).default;
const { openDb, setDb } = await import("../lib/db/client");
const { migrateDb } = await import("../lib/db/migrate-configured");
const { GET: exportRoute } = await import("../app/api/events/export.csv/route");
const { fillChangedPaths } = await import("../lib/jobs/changed-paths-fill");
const { countMissingPaths } = await import("../lib/db/changed-paths-queries");

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

const scratch = await createScratchDatabase("ch_bench_export");
const dbUrl = scratch.url;
const db = openDb({ databaseUrl: dbUrl, poolSize: 10 });

async function drop() {
  await db.close().catch(() => {});
  if (process.env.BENCH_KEEP_DB === "1") {
    console.log(`kept database ${dbUrl} (BENCH_KEEP_DB=1)`);
    return;
  }
  await scratch.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

// An ordinary (non-Prisma) connection for the bulk SQL.
const sql = new pg.Client({ connectionString: dbUrl.toString() });

function psqlCopy(select: string): Promise<{ ms: number; bytes: number; rows: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("psql", [dbUrl.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", `\\copy (${select}) TO STDOUT WITH (FORMAT csv, HEADER true)`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let bytes = 0;
    let newlines = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    });
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve({ ms: performance.now() - started, bytes, rows: newlines - 1 }) : reject(new Error(`psql exited ${code}: ${stderr}`))));
  });
}

interface ExportRun {
  ms: number;
  rows: number;
  bytes: number;
  firstByteMs: number;
  rssStart: number;
  rssPeak: number;
  rssEnd: number;
  heapStart: number;
  heapPeak: number;
  sha256: string;
}

/**
 * One export through the route handler: time, bytes, rows (line ends), peak RSS and heap of this
 * process. With `hash`, the SHA-256 of the bytes too (outside of a timed run: psql's output is only
 * counted, so ours is only counted when timed).
 */
async function measureExport(options: { hash: boolean }): Promise<ExportRun> {
  global.gc?.();
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const heapStart = process.memoryUsage().heapUsed;
  let heapPeak = heapStart;
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > rssPeak) rssPeak = rss;
    if (heapUsed > heapPeak) heapPeak = heapUsed;
  }, 50);
  try {
    const started = performance.now();
    const response = await exportRoute(new Request("http://bench.test/api/events/export.csv", { headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } }));
    if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    const reader = response.body!.getReader();
    let bytes = 0;
    let lineEnds = 0;
    let firstByteMs = 0;
    const hash = options.hash ? createHash("sha256") : null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (bytes === 0) firstByteMs = performance.now() - started;
      bytes += value.length;
      hash?.update(value);
      // Newlines inside quoted fields: the seeded data has none, so line ends = rows + header.
      for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lineEnds++;
    }
    const ms = performance.now() - started;
    const rows = lineEnds - 1;
    if (rows !== ROWS) console.warn(`warning: exported ${rows} rows, expected ${ROWS}`);
    return { ms, rows, bytes, firstByteMs, rssStart, rssPeak, rssEnd: process.memoryUsage().rss, heapStart, heapPeak, sha256: hash?.digest("hex") ?? "" };
  } finally {
    clearInterval(sampler);
  }
}

let result: Record<string, unknown> = {};
try {
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? "unknown cpu"}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM; node ${process.version}; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  await migrateDb(db);
  setDb(db);
  await sql.connect();

  // ---- seed ----
  const t0 = performance.now();
  await sql.query(`
    INSERT INTO endpoints (id, provider, name, enabled, created_at, updated_at)
    SELECT 'ep_bench_' || i, 'greenhouse', 'Greenhouse ' || (ARRAY['EU','US','APAC'])[i], true, now(), now() FROM generate_series(1, 3) i`);
  // Names with a comma, a quote, a formula prefix or non-Latin script now and then: the CSV path must quote/guard them.
  await sql.query(
    `INSERT INTO candidates (id, provider, external_id, name, email, event_count, first_seen_at, last_event_at, created_at, updated_at)
     SELECT 'cand_' || c, 'greenhouse', (100000 + c)::text,
       CASE c % 50 WHEN 0 THEN 'Doe, "Jo" ' || c WHEN 1 THEN '=HYPERLINK("x") ' || c WHEN 2 THEN 'José Ñúñez 👩‍💻 ' || c WHEN 3 THEN 'نور ' || c ELSE 'Candidate ' || c END,
       'c' || c || '@example.com', $2, timestamptz '2024-01-01', timestamptz '2026-01-01', now(), now()
     FROM generate_series(0, $1 - 1) c`,
    [CANDIDATES, PER_CANDIDATE],
  );
  const tCandidates = performance.now();
  // Event g belongs to candidate g % C and is its (g / C)-th event: each candidate's events are spread over the whole range.
  await sql.query(
    `INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, query, headers, content_type, body, body_sha256,
                             idempotency_key, idempotency_source, status, event_type, processed_at, process_count)
     SELECT 'dl_' || lpad(g::text, 9, '0'), 'ep_bench_' || (1 + g % 3), 'greenhouse',
       timestamptz '2024-01-01' + g * interval '30 seconds' + interval '2 seconds', 'POST', '',
       '{"content-type":"application/json","greenhouse-event-id":"x"}'::jsonb, 'application/json',
       convert_to('{"action":"candidate_stage_change","n":' || g || '}', 'UTF8'), md5(g::text),
       'dl_' || g, 'header', 'processed', 'candidate_stage_change', now(), 1
     FROM generate_series(0, $1 - 1) g`,
    [ROWS],
  );
  const tDeliveries = performance.now();
  await sql.query(
    `INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, provider_event, occurred_at, received_at, candidate_id,
                         candidate_name, candidate_email, job_id, job_title, application_id, stage_to, actor, snapshot)
     SELECT 'ev_' || lpad(g::text, 9, '0'), 'dl_' || lpad(g::text, 9, '0'), 0, 'ep_bench_' || (1 + g % 3), 'greenhouse',
       CASE WHEN g / $2 = 0 THEN 'created' WHEN g % 4 = 0 THEN 'updated' ELSE 'stage_changed' END,
       CASE WHEN g % 4 = 0 AND g / $2 > 0 THEN 'update_candidate' ELSE 'candidate_stage_change' END,
       timestamptz '2024-01-01' + g * interval '30 seconds', timestamptz '2024-01-01' + g * interval '30 seconds' + interval '2 seconds',
       'cand_' || (g % $2),
       CASE (g % $2) % 50 WHEN 0 THEN 'Doe, "Jo" ' || (g % $2) WHEN 1 THEN '=HYPERLINK("x") ' || (g % $2) WHEN 2 THEN 'José Ñúñez 👩‍💻 ' || (g % $2) WHEN 3 THEN 'نور ' || (g % $2) ELSE 'Candidate ' || (g % $2) END,
       'c' || (g % $2) || '@example.com', 'job' || ((g % $2) % 7), 'Engineer ' || ((g % $2) % 7), 'app' || (g % $2),
       CASE WHEN g % 4 = 0 AND g / $2 > 0 THEN NULL ELSE (ARRAY['Application Review','Phone Screen','Onsite','Offer','Hired'])[1 + (g / $2) % 5] END,
       'Recruiter ' || (g % 11),
       jsonb_build_object(
         'id', 100000 + g % $2,
         'first_name', 'Candidate', 'last_name', (g % $2)::text,
         'email_addresses', jsonb_build_array(jsonb_build_object('value', 'c' || (g % $2) || '@example.com', 'type', 'personal'))
             || CASE WHEN (g / $2) % 3 = 2 THEN jsonb_build_array(jsonb_build_object('value', 'work' || (g % $2) || '@example.com', 'type', 'work')) ELSE '[]'::jsonb END,
         'phone_numbers', jsonb_build_array(jsonb_build_object('value', '+1 555 0' || lpad(((g % $2) % 1000)::text, 3, '0'), 'type', 'mobile')),
         'tags', CASE WHEN (g / $2) % 2 = 0 THEN '["python","remote"]'::jsonb ELSE '["python","onsite","senior"]'::jsonb END,
         'title', CASE WHEN (g / $2) >= 5 THEN 'Senior Engineer' ELSE 'Engineer' END,
         'company', 'Acme ' || ((g % $2) % 13),
         'applications', jsonb_build_array(jsonb_build_object('id', 'app' || (g % $2), 'status', 'active',
             'current_stage', jsonb_build_object('name', (ARRAY['Application Review','Phone Screen','Onsite','Offer','Hired'])[1 + (g / $2) % 5]),
             'jobs', jsonb_build_array(jsonb_build_object('id', 'job' || ((g % $2) % 7), 'name', 'Engineer ' || ((g % $2) % 7))))),
         'updated_at', to_char(timestamptz '2024-01-01' + g * interval '30 seconds', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
     FROM generate_series(0, $1 - 1) g`,
    [ROWS, CANDIDATES],
  );
  const tEvents = performance.now();
  await sql.query(
    `INSERT INTO event_stages (event_id, candidate_id, job_key, job_title, stage, occurred_at, received_at)
     SELECT id, candidate_id, job_id, job_title, snapshot #>> '{applications,0,current_stage,name}', occurred_at, received_at FROM events`,
  );
  await sql.query(`ANALYZE`);
  const tSeed = performance.now();
  const size = (await sql.query(`SELECT pg_total_relation_size('events') AS events, pg_database_size(current_database()) AS db`)).rows[0];
  console.log(
    `seeded ${ROWS.toLocaleString("en")} events, ${CANDIDATES.toLocaleString("en")} candidates, ${ROWS.toLocaleString("en")} deliveries and stage rows in ${round((tSeed - t0) / 1000, 1)} s ` +
      `(candidates ${round((tCandidates - t0) / 1000, 1)} s, deliveries ${round((tDeliveries - tCandidates) / 1000, 1)} s, events ${round((tEvents - tDeliveries) / 1000, 1)} s); ` +
      `events table ${mb(Number(size.events))} MB, database ${mb(Number(size.db))} MB`,
  );

  // ---- the changed-paths fill, as the server's background sweep runs it ----
  const missingBefore = await countMissingPaths(db.sql);
  const tFill = performance.now();
  const fill = await fillChangedPaths(db.sql);
  const fillMs = performance.now() - tFill;
  const missingAfter = await countMissingPaths(db.sql);
  if (missingAfter !== 0 || fill.written !== ROWS) console.warn(`warning: fill wrote ${fill.written} of ${ROWS} (missing before ${missingBefore}, after ${missingAfter})`);
  await sql.query(`VACUUM ANALYZE events`);

  // ---- baseline: psql \copy of the same rows in the same order ----
  const columns = `e.id AS event_id, e.occurred_at, e.received_at, e.provider, ep.name AS endpoint, e.type AS event_type, e.candidate_id,
    c.external_id AS candidate_external_id, e.candidate_name, e.candidate_email, e.job_id, e.job_title, e.derived_stage_from AS stage_from, e.derived_stage_to AS stage_to, e.actor,
    e.changed_paths AS changed_fields, e.delivery_id`;
  const from = `FROM events e JOIN endpoints ep ON ep.id = e.endpoint_id JOIN candidates c ON c.id = e.candidate_id
    ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC`;
  const warm = await psqlCopy(`SELECT ${columns} ${from}`); // also warms the cache for both sides
  const psql = await psqlCopy(`SELECT ${columns} ${from}`);
  const psqlSnap = await psqlCopy(`SELECT ${columns}, e.snapshot ${from}`);
  void warm;

  // ---- ours: the route handler, streamed; stored paths, then the fallback (paths NULL) ----
  const ours = await measureExport({ hash: false });
  const oursHash = (await measureExport({ hash: true })).sha256;
  await sql.query(`UPDATE events SET changed_paths = NULL`);
  await sql.query(`VACUUM ANALYZE events`);
  // Hashed while timed: a fraction of a second against the fallback's tens of seconds.
  const fallback = await measureExport({ hash: true });

  const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
  const oursRate = rate(ours.rows, ours.ms);
  const fallbackRate = rate(fallback.rows, fallback.ms);
  const fillRate = rate(fill.written, fillMs);
  const psqlRate = rate(psql.rows, psql.ms);
  const psqlSnapRate = rate(psqlSnap.rows, psqlSnap.ms);
  const rssLine = (r: ExportRun) =>
    `start ${mb(r.rssStart)} MB, peak ${mb(r.rssPeak)} MB, growth ${mb(r.rssPeak - r.rssStart)} MB (aim < 100 MB), end ${mb(r.rssEnd)} MB; JS heap used peak ${mb(r.heapPeak)} MB (start ${mb(r.heapStart)} MB)`;
  console.log(`\nrows ${ROWS.toLocaleString("en")}`);
  console.log(`fill  changed-paths sweep             ${round(fillMs / 1000, 2)} s  ${fillRate.toLocaleString("en")} rows/s  (${fill.batches} batches; paid once per event, in the background)`);
  console.log(`ours  GET /api/events/export.csv      ${round(ours.ms / 1000, 2)} s  ${oursRate.toLocaleString("en")} rows/s  ${mb(ours.bytes)} MB  first byte ${round(ours.firstByteMs)} ms  (changed paths stored)`);
  console.log(`psql  \\copy CSV columns               ${round(psql.ms / 1000, 2)} s  ${psqlRate.toLocaleString("en")} rows/s  ${mb(psql.bytes)} MB  (stored changed_paths column)`);
  console.log(`psql  \\copy CSV columns + snapshot    ${round(psqlSnap.ms / 1000, 2)} s  ${psqlSnapRate.toLocaleString("en")} rows/s  ${mb(psqlSnap.bytes)} MB`);
  console.log(`ours  fallback, changed_paths NULL    ${round(fallback.ms / 1000, 2)} s  ${fallbackRate.toLocaleString("en")} rows/s  ${mb(fallback.bytes)} MB  first byte ${round(fallback.firstByteMs)} ms  (every row diffed at export time)`);
  console.log(`ratio ours/psql speed ${round(oursRate / psqlRate, 3)} (aim >= 0.333); fallback/psql ${round(fallbackRate / psqlRate, 3)}, fallback/psql-with-snapshot ${round(fallbackRate / psqlSnapRate, 3)}`);
  console.log(`RSS   ours     ${rssLine(ours)}`);
  console.log(`RSS   fallback ${rssLine(fallback)}`);
  console.log(`same  stored and fallback exports are ${oursHash === fallback.sha256 ? "identical" : "DIFFERENT"} (sha256 ${oursHash.slice(0, 16)}…)`);
  const runJson = (r: ExportRun) => ({
    ms: round(r.ms),
    rowsPerSecond: rate(r.rows, r.ms),
    bytes: r.bytes,
    firstByteMs: round(r.firstByteMs),
    rssStartMb: mb(r.rssStart),
    rssPeakMb: mb(r.rssPeak),
    rssGrowthMb: mb(r.rssPeak - r.rssStart),
    heapUsedPeakMb: mb(r.heapPeak),
    heapUsedStartMb: mb(r.heapStart),
  });
  result = {
    bench: "export",
    rows: ROWS,
    candidates: CANDIDATES,
    seedSeconds: round((tSeed - t0) / 1000, 1),
    fill: { ms: round(fillMs), rowsPerSecond: fillRate, written: fill.written, batches: fill.batches },
    ours: runJson(ours),
    fallback: runJson(fallback),
    psql: { ms: round(psql.ms), rowsPerSecond: psqlRate, bytes: psql.bytes },
    psqlWithSnapshot: { ms: round(psqlSnap.ms), rowsPerSecond: psqlSnapRate, bytes: psqlSnap.bytes },
    speedRatio: round(oursRate / psqlRate, 3),
    fallbackSpeedRatio: round(fallbackRate / psqlRate, 3),
    fallbackSpeedRatioWithSnapshot: round(fallbackRate / psqlSnapRate, 3),
    rssGrowthMb: mb(ours.rssPeak - ours.rssStart),
    fallbackRssGrowthMb: mb(fallback.rssPeak - fallback.rssStart),
    identicalOutput: oursHash === fallback.sha256,
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, load: os.loadavg().map((l) => round(l, 2)) },
  };
} finally {
  setDb(undefined);
  await sql.end().catch(() => {});
  await drop();
}
console.log(JSON.stringify(result));
process.exit(0);
