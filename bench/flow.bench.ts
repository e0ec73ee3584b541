/**
 * Flow over time (issue 17) on a loaded database, read and ingest cost:
 *
 *   npx tsx bench/flow.bench.ts --url postgres://…/copy [--job job-big] [--runs 20]
 *   npx tsx bench/flow.bench.ts --refresh --url postgres://…/after --base-url postgres://…/before [--batches 40]
 *
 * Reads: the flow answer (lib/db/analytics.ts flowQuery: flow_rollup plus the cut weeks at the
 * window's edges) beside, in the same run and interleaved, (a) the previous answer, which counted
 * every selected stay in application_stays (its SQL kept here), and (b) the plain SQL the scale
 * bench uses as its baseline: stage entries counted over event_stages. For all jobs, one job, and a
 * from/to window cut at a time of day at both ends. Needs a copy of a scale-bench database with the
 * migrations applied (README "Pipeline analytics" → Speed); never run it on a database you keep.
 *
 * --refresh: what keeping the rollup costs the ingest statement. Batches of 50 random candidates
 * are refreshed (refresh_application_stays, as the batch's save calls it) in a transaction rolled
 * back, alternating between the database with this version and a copy of it from before
 * (--base-url, the same data without the flow_rollup migration); with --changed each batch's
 * applications are first closed and their last observation moved (untimed), so that the refresh has
 * deltas to write, as after new events. Not a test: no assertions.
 */
import pg from "pg";
import { flowQuery } from "../lib/db/analytics";
import type { Sql, SqlParam } from "../lib/db/sql";

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const url = arg("url");
if (!url) {
  console.error("usage: npx tsx bench/flow.bench.ts --url postgres://… [--job job-big] [--runs 20] | --refresh --url … --base-url …");
  process.exit(2);
}
const RUNS = Number(arg("runs", "20"));
const JOB = arg("job", "job-big")!;

function sqlOf(pool: pg.Pool): Sql {
  const query = async <T>(q: { text: string; params?: SqlParam[] }) => (await pool.query({ text: q.text, values: q.params as unknown[] })).rows as T[];
  return {
    query: query as Sql["query"],
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: Sql = {
          query: (async <T>(q: { text: string; params?: SqlParam[] }) => (await client.query({ text: q.text, values: q.params as unknown[] })).rows as T[]) as Sql["query"],
          transaction: () => Promise.reject(new Error("nested")),
        };
        const out = await fn(tx);
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};
const fmt = (xs: number[]) => `${pct(xs, 0.5).toFixed(1)} / ${pct(xs, 0.95).toFixed(1)} ms`;
const load = async () => (await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ");

/** The previous flow answer: every selected stay counted per stage and week, the stage order from the applications grouped by path. */
const previousFlow = `
  WITH paths AS MATERIALIZED (
    SELECT row_number() OVER () AS id, g.* FROM (
      SELECT a.reached, count(*) AS n FROM application_summary a
      WHERE ($1::text IS NULL OR a.job_key = $1::text) AND NOT a.merged AND NOT a.is_test
        AND ($2::timestamptz IS NULL OR a.started_at >= $2::timestamptz) AND ($3::timestamptz IS NULL OR a.started_at < $3::timestamptz)
      GROUP BY a.reached, a.last_stage, a.left_from, a.status) g
  ), firsts AS (
    SELECT p.n, e.value ->> 0 AS stage, (e.value ->> 1)::int AS pos FROM paths p CROSS JOIN LATERAL json_array_elements(p.reached::json) AS e(value)
  ), stage_order AS (
    SELECT r.stage, row_number() OVER (ORDER BY stage_name_status(r.stage) <> 'active', sum(r.pos * r.n) / sum(r.n), sum(r.n) DESC, r.stage COLLATE "C") AS ord
    FROM firsts r GROUP BY r.stage
  )
  SELECT json_build_object(
    'stages', (SELECT json_agg(o.stage ORDER BY o.ord) FROM stage_order o),
    'entries', (SELECT json_agg(json_build_object('week', to_char(x.week, 'YYYY-MM-DD'), 'stage', x.stage, 'n', x.n)) FROM (
      SELECT date_trunc('week', s.entered_at AT TIME ZONE 'UTC') AS week, s.stage, count(*) AS n FROM application_stays s
      WHERE ($1::text IS NULL OR s.job_key = $1::text) AND NOT s.merged AND NOT s.is_test
        AND ($2::timestamptz IS NULL OR s.started_at >= $2::timestamptz) AND ($3::timestamptz IS NULL OR s.started_at < $3::timestamptz)
      GROUP BY 1, 2) x),
    'closures', (SELECT json_agg(json_build_object('week', to_char(x.week, 'YYYY-MM-DD'), 'status', x.status, 'n', x.n)) FROM (
      SELECT date_trunc('week', a.status_since AT TIME ZONE 'UTC') AS week, a.status, count(*) AS n FROM application_summary a
      WHERE ($1::text IS NULL OR a.job_key = $1::text) AND NOT a.merged AND NOT a.is_test AND a.status IN ('hired', 'rejected', 'withdrawn') AND a.status_since IS NOT NULL
        AND ($2::timestamptz IS NULL OR a.started_at >= $2::timestamptz) AND ($3::timestamptz IS NULL OR a.started_at < $3::timestamptz)
      GROUP BY 1, 2) x)) AS result`;

/** The scale bench's baseline: stage entries (runs of one stage in history order) counted per stage over event_stages. */
const plainEntries = `
  SELECT stage, count(*) FROM (
    SELECT stage, lag(stage) OVER (PARTITION BY candidate_id, job_key ORDER BY occurred_at, received_at, event_id) AS prev
    FROM event_stages WHERE ($1::text IS NULL OR job_key = $1::text)) s
  WHERE prev IS DISTINCT FROM stage GROUP BY stage`;

async function reads() {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const sql = sqlOf(pool);
  const setLocal = `SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true), set_config('random_page_cost', '1.1', true)`;
  const inTx = (text: string, params: SqlParam[]) => sql.transaction(async (tx) => (await tx.query({ text: setLocal }), tx.query({ text, params })));
  const [span] = await sql.query<{ lo: Date; hi: Date }>({ text: `SELECT min(started_at) AS lo, max(started_at) AS hi FROM application_summary` });
  // A window cut at a time of day at both ends: the middle half of the span.
  const lo = new Date(span!.lo.getTime() + (span!.hi.getTime() - span!.lo.getTime()) / 4 + 13 * 3_600_000 + 17_000);
  const hi = new Date(span!.lo.getTime() + ((span!.hi.getTime() - span!.lo.getTime()) * 3) / 4 + 5 * 3_600_000 + 3_000);
  const selections = [
    { name: "all jobs", jobId: null, from: null, to: null },
    { name: `one job (${JOB})`, jobId: JOB, from: null, to: null },
    { name: "all jobs, window cut at both ends", jobId: null, from: lo, to: hi },
    { name: `${JOB}, window cut at both ends`, jobId: JOB, from: lo, to: hi },
  ];
  console.log(`flow reads on ${url!.replace(/\/\/[^@]*@/, "//")}, ${RUNS} runs each, interleaved; load average at start: ${await load()}`);
  console.log(`| selection | flow answer (rollup) p50 / p95 | previous answer (stays) p50 / p95 | plain SQL (entries per stage, event_stages) p50 / p95 |`);
  console.log(`|---|---|---|---|`);
  for (const s of selections) {
    const times: Record<"now" | "before" | "plain", number[]> = { now: [], before: [], plain: [] };
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    const steps = {
      now: () => flowQuery(sql, { jobId: s.jobId ?? undefined, from: s.from, to: s.to }),
      before: () => inTx(previousFlow, [s.jobId, iso(s.from), iso(s.to)]),
      plain: () => inTx(plainEntries, [s.jobId]),
    };
    for (const step of Object.values(steps)) await step(); // warm
    for (let i = 0; i < RUNS; i++) {
      const order = (["now", "before", "plain"] as const).slice(i % 3).concat((["now", "before", "plain"] as const).slice(0, i % 3));
      for (const k of order) {
        const t0 = performance.now();
        await steps[k]();
        times[k].push(performance.now() - t0);
      }
    }
    console.log(`| ${s.name} | **${fmt(times.now)}** | ${fmt(times.before)} | ${fmt(times.plain)} |`);
  }
  console.log(`load average at end: ${await load()}`);
  await pool.end();
}

async function refresh() {
  const baseUrl = arg("base-url");
  if (!baseUrl) throw new Error("--refresh needs --base-url (a copy of the same data without this version's migration)");
  const BATCHES = Number(arg("batches", "40"));
  const SIZE = Number(arg("size", "50"));
  // --changed: the batch's applications change before the refresh (as ingest's do); otherwise the
  // refresh recomputes what is already there.
  const CHANGED = process.argv.includes("--changed");
  const pools = { before: new pg.Pool({ connectionString: baseUrl, max: 1 }), after: new pg.Pool({ connectionString: url, max: 1 }) };
  const [{ n }] = (await pools.after.query(`SELECT count(*)::int AS n FROM candidates`)).rows as { n: number }[];
  const ids = (await pools.after.query(`SELECT id FROM candidates ORDER BY id`)).rows.map((r: { id: string }) => r.id);
  const times: Record<"before" | "after", number[]> = { before: [], after: [] };
  console.log(`refresh_application_stays, ${BATCHES} batches of ${SIZE} random candidates (of ${n}), ${CHANGED ? "changed first (closed, last entry moved)" : "unchanged"}, rolled back, alternating; load average at start: ${await load()}`);
  let seed = 17;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let b = 0; b < BATCHES; b++) {
    const batch = Array.from({ length: SIZE }, () => ids[Math.floor(rand() * ids.length)]!);
    const order = b % 2 === 0 ? (["before", "after"] as const) : (["after", "before"] as const);
    for (const k of order) {
      const client = await pools[k].connect();
      try {
        await client.query("BEGIN");
        if (CHANGED) {
          // As a batch of new events would: each application closes now, and its last observation
          // moves 8 days later (a new entry week), so the refresh has something to count.
          await client.query({ text: `UPDATE candidate_stages SET status = 'hired', status_since = now() WHERE candidate_id = ANY ($1::text[])`, values: [batch] });
          await client.query({
            text: `UPDATE event_stages es SET occurred_at = es.occurred_at + interval '8 days' FROM (
                     SELECT DISTINCT ON (candidate_id, job_key) event_id, job_key FROM event_stages WHERE candidate_id = ANY ($1::text[])
                     ORDER BY candidate_id, job_key, occurred_at DESC, received_at DESC, event_id DESC) l
                   WHERE es.event_id = l.event_id AND es.job_key = l.job_key`,
            values: [batch],
          });
        }
        const t0 = performance.now();
        await client.query({ text: `SELECT refresh_application_stays($1::text[])`, values: [batch] });
        times[k].push(performance.now() - t0);
        await client.query("ROLLBACK");
      } finally {
        client.release();
      }
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const k of ["before", "after"] as const) console.log(`${k}: p50 ${pct(times[k], 0.5).toFixed(1)} ms, p95 ${pct(times[k], 0.95).toFixed(1)} ms, mean ${mean(times[k]).toFixed(1)} ms`);
  console.log(`load average at end: ${await load()}`);
  await pools.before.end();
  await pools.after.end();
}

await (process.argv.includes("--refresh") ? refresh() : reads());
process.exit(0);
