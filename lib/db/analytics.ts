/**
 * Pipeline analytics (issue 17) in plain SQL over two summaries derived from the stored stage
 * observations (event_stages) and each application's current status (candidate_stages) by
 * refresh_application_stays, kept by ingest (migrations …_application_stays, …_application_summary;
 * refreshed after each batch's save, lib/ingest/derived-refresher.ts):
 * application_stays (one row per stay, with its duration) and application_summary (one row per
 * application). One statement per answer, aggregated in the database: the funnel reads the
 * applications grouped by path, time in stage and the flow a job's stays index-only in (stage,
 * duration) order (README "Pipeline analytics" → Speed).
 *
 * Definitions (README "Pipeline analytics"):
 *   - An application is a candidate × job (candidate_stages row). Merged-away candidates are left
 *     out (their history lives on in the record they were merged into), test candidates unless asked.
 *   - A stay is a run of observations of one stage in history order (occurred, received, event id),
 *     so late deliveries land where they happened and repeated observations are one stay.
 *   - `from`/`to` select applications by their first observation in the job (entering its first stage).
 *   - The job's stage order: a stage's position in an application is the number of stays before its
 *     first entry (0 for where it started); stages are ordered by the mean position over the
 *     applications that reached them, then most reached, then name (byte order);
 *     stages whose name is an outcome ("Hired", "Rejected": stage_name_status) go last.
 *   - Status is the application's current one (candidate_stages.status): an unhire or unreject
 *     reopens it, so it no longer counts as hired or rejected.
 */
import { flowWindow } from "../analytics/math";
import type { Sql, SqlParam } from "./sql";

export interface AnalyticsFilters {
  jobId?: string;
  provider?: string;
  from?: Date | null;
  to?: Date | null;
  includeTest?: boolean;
}

const CLOSED = `('hired', 'rejected', 'withdrawn')`;

/**
 * The filters, on a summary row's copies of the application's job, provider, flags and first
 * observation (the same columns on application_stays and application_summary).
 * Parameters: $1 job, $2 provider, $3 include test, $4 from, $5 to.
 */
function filterParams(filters: AnalyticsFilters): SqlParam[] {
  return [
    filters.jobId ?? null,
    filters.provider ?? null,
    filters.includeTest ?? false,
    filters.from ? filters.from.toISOString() : null,
    filters.to ? filters.to.toISOString() : null,
  ];
}
const where = (t: string) => `($1::text IS NULL OR ${t}.job_key = $1::text)
        AND ($2::text IS NULL OR ${t}.provider = $2::text)
        AND NOT ${t}.merged AND ($3::boolean OR NOT ${t}.is_test)
        AND ($4::timestamptz IS NULL OR ${t}.started_at >= $4::timestamptz)
        AND ($5::timestamptz IS NULL OR ${t}.started_at < $5::timestamptz)`;

/**
 * What the funnel and time in stage share after the groups of applications by path (`paths`): each
 * group's first entries, and the stage order.
 */
const orderCtes = `, firsts AS (
      -- Each group's first entries: [stage, pos] pairs, pos being the stays before it (0 where it started).
      SELECT p.id, p.n, e.value ->> 0 AS stage, (e.value ->> 1)::int AS pos
      FROM paths p CROSS JOIN LATERAL json_array_elements(p.reached::json) AS e(value)
    ), stage_order AS (
      -- Ordered by the mean position over the applications that reached the stage: sum(pos × n) /
      -- sum(n), the same numeric division as avg(pos) over their first entries.
      SELECT r.stage, stage_name_status(r.stage) AS outcome, sum(r.n)::bigint AS reached,
        row_number() OVER (ORDER BY stage_name_status(r.stage) <> 'active', sum(r.pos * r.n) / sum(r.n), sum(r.n) DESC, r.stage COLLATE "C") - 1 AS ord
      FROM firsts r
      GROUP BY r.stage
    )`;

/**
 * The selected applications grouped by their path (application_summary: one row per application,
 * kept with the stays), and the stage order, as CTEs the answers share. Applications with the same
 * first entries, last stage, stage left from and status count the same in every figure of the funnel,
 * so each group is counted once, weighted by its size: a job's 50,000 applications are a few dozen
 * groups when its pipeline is followed, and at worst one group per application.
 */
const pathsCte = `
    WITH paths AS MATERIALIZED (
      SELECT row_number() OVER () AS id, g.* FROM (
        SELECT a.reached, a.last_stage, a.left_from, a.status, count(*) AS n
        FROM application_summary a
        WHERE ${where("a")}
        GROUP BY a.reached, a.last_stage, a.left_from, a.status) g
    )${orderCtes}`;

/**
 * The same groups for all jobs, from funnel_rollup (applications counted per path and start week,
 * kept at ingest: a few thousand rows where application_summary has a million), plus the
 * applications of the weeks a from/to cuts, read from application_summary's started_at index, as
 * the flow does. Parameters: $1 provider, $2 include test, $3 read the rollup, $4–$5 its start
 * weeks, $6–$9 the cut ranges (flowWindow; see rollupPathParams).
 */
const rollupPathsCte = `
    WITH paths AS MATERIALIZED (
      SELECT row_number() OVER () AS id, g.* FROM (
        SELECT c.reached, c.last_stage, c.left_from, c.status, sum(c.n)::bigint AS n FROM (
          SELECT f.reached, f.last_stage, f.left_from, f.status, f.n FROM funnel_rollup f
          WHERE $3::boolean AND ($1::text IS NULL OR f.provider = $1::text) AND ($2::boolean OR NOT f.is_test)
            AND ($4::date IS NULL OR f.start_week >= $4::date) AND ($5::date IS NULL OR f.start_week < $5::date)
          UNION ALL
          SELECT a.reached, a.last_stage, a.left_from, a.status, 1 FROM application_summary a
          WHERE ($1::text IS NULL OR a.provider = $1::text) AND NOT a.merged AND ($2::boolean OR NOT a.is_test)
            AND ((a.started_at >= $6::timestamptz AND a.started_at < $7::timestamptz) OR (a.started_at >= $8::timestamptz AND a.started_at < $9::timestamptz))
        ) c
        GROUP BY c.reached, c.last_stage, c.left_from, c.status HAVING sum(c.n) <> 0) g
    )${orderCtes}`;

/**
 * A from/to as a rollup read takes it (flowWindow): whether to read the rollup, its first and end
 * start week (days), and the two cut ranges at the edges (null when absent): six parameters.
 */
function windowParams(filters: AnalyticsFilters): SqlParam[] {
  const w = flowWindow(filters.from, filters.to);
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
  return [w.rollup, day(w.fromWeek), day(w.toWeek), ...[0, 1].flatMap((i) => w.edges[i]?.map((d) => d.toISOString()) ?? [null, null])];
}

function rollupPathParams(filters: AnalyticsFilters): SqlParam[] {
  return [filters.provider ?? null, filters.includeTest ?? false, ...windowParams(filters)];
}

/** The funnel's paths and stage order for these filters: from the rollup for all jobs, else the job's applications. */
function paths(filters: AnalyticsFilters): { cte: string; params: SqlParam[] } {
  return filters.jobId ? { cte: pathsCte, params: filterParams(filters) } : { cte: rollupPathsCte, params: rollupPathParams(filters) };
}

interface JsonRow<T> {
  result: T | null;
}

/** Longer than any analytics answer should take: past it the statement is cancelled (SQLSTATE 57014) rather than left to pile up. */
export const ANALYTICS_STATEMENT_TIMEOUT_MS = 20_000;

/** The settings every analytics statement runs with, for its transaction only (see runAnalytics). */
export const ANALYTICS_SETTINGS_SQL = `SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true), set_config('random_page_cost', '1.1', true),
                    set_config('statement_timeout', '${ANALYTICS_STATEMENT_TIMEOUT_MS}', true)`;

/**
 * One analytics statement, with room to sort and hash a large job's stays in memory (the default
 * 4 MB work_mem spills a 50,000-application job to disk several times over), and a time limit.
 */
async function runAnalytics<T>(sql: Sql, text: string, params: SqlParam[]): Promise<T | null> {
  return sql.transaction(async (tx) => {
    // For this transaction only (SET LOCAL), in one round trip: room in memory; no JIT (compiling
    // the expressions costs 100–200 ms at these row counts and saves less); random reads priced as
    // the in-memory, index-only reads they are (at the default 4 the planner sorts 400,000 stays
    // rather than read them in index order); and the time limit.
    await tx.query({ text: ANALYTICS_SETTINGS_SQL });
    const [row] = await tx.query<JsonRow<T>>({ text, params });
    return row?.result ?? null;
  });
}

export interface FunnelRow {
  name: string;
  order: number;
  outcome: "active" | "hired" | "rejected" | "withdrawn";
  reached: number;
  advanced: number;
  current: number;
  left: { hired: number; rejected: number; withdrawn: number };
}
export interface FunnelResult {
  stages: FunnelRow[];
  totals: { applications: number; active: number; hired: number; rejected: number; withdrawn: number };
}

/**
 * Per stage: reached, advanced to a later pipeline stage, in it now, and left from it by outcome.
 * Read from application_summary alone (one row per application), grouped by path.
 */
export async function funnelQuery(sql: Sql, filters: AnalyticsFilters): Promise<FunnelResult> {
  // Only all jobs read funnel_rollup; a job's funnel reads its applications.
  if (!filters.jobId) await compactFlowRollupIfNeeded(sql);
  const statement = funnelStatement(filters);
  const result = await runAnalytics<FunnelResult>(sql, statement.text, statement.params);
  return result ?? { stages: [], totals: { applications: 0, active: 0, hired: 0, rejected: 0, withdrawn: 0 } };
}

/** The funnel's one statement (its plan for all jobs is pinned in tests/integration/analytics-plan.test.ts). */
export function funnelStatement(filters: AnalyticsFilters): { text: string; params: SqlParam[] } {
  const { cte, params } = paths(filters);
  return {
    text: `${cte}, furthest AS (
      -- Each application's furthest pipeline stage in the order: it advanced from every other one it
      -- reached. Once per group of applications with the same path.
      SELECT f.ord, sum(f.n)::bigint AS n FROM (
        SELECT max(o.ord) AS ord, min(r.n) AS n
        FROM firsts r JOIN stage_order o ON o.stage = r.stage
        WHERE o.outcome = 'active' GROUP BY r.id) f
      GROUP BY f.ord
    ), current_in AS (
      -- Where an open application is now (its last stage).
      SELECT p.last_stage AS stage, sum(p.n)::bigint AS n FROM paths p WHERE p.status NOT IN ${CLOSED} GROUP BY p.last_stage
    ), left_from AS (
      -- Where a closed one left from: its last stage if a pipeline stage, else the one before it if that
      -- is one ("Interview" → "Rejected" left from Interview; application_summary.left_from).
      SELECT p.left_from AS stage, sum(p.n) FILTER (WHERE p.status = 'hired')::bigint AS hired,
        sum(p.n) FILTER (WHERE p.status = 'rejected')::bigint AS rejected, sum(p.n) FILTER (WHERE p.status = 'withdrawn')::bigint AS withdrawn
      FROM paths p WHERE p.status IN ${CLOSED} GROUP BY p.left_from
    ), per_stage AS (
      SELECT o.stage, o.ord, o.outcome, o.reached,
        CASE WHEN o.outcome = 'active' THEN o.reached - coalesce(fu.n, 0) ELSE 0 END AS advanced, coalesce(ci.n, 0) AS current,
        coalesce(lf.hired, 0) AS left_hired, coalesce(lf.rejected, 0) AS left_rejected, coalesce(lf.withdrawn, 0) AS left_withdrawn
      FROM stage_order o
      LEFT JOIN furthest fu ON fu.ord = o.ord
      LEFT JOIN current_in ci ON ci.stage = o.stage
      LEFT JOIN left_from lf ON lf.stage = o.stage
    )
    SELECT json_build_object(
      'stages', coalesce((SELECT json_agg(json_build_object('name', ps.stage, 'order', ps.ord, 'outcome', ps.outcome,
                 'reached', ps.reached, 'advanced', ps.advanced, 'current', ps.current,
                 'left', json_build_object('hired', ps.left_hired, 'rejected', ps.left_rejected, 'withdrawn', ps.left_withdrawn))
               ORDER BY ps.ord) FROM per_stage ps), '[]'::json),
      'totals', (SELECT json_build_object('applications', coalesce(sum(p.n), 0)::bigint,
                 'active', coalesce(sum(p.n) FILTER (WHERE p.status NOT IN ${CLOSED}), 0)::bigint,
                 'hired', coalesce(sum(p.n) FILTER (WHERE p.status = 'hired'), 0)::bigint,
                 'rejected', coalesce(sum(p.n) FILTER (WHERE p.status = 'rejected'), 0)::bigint,
                 'withdrawn', coalesce(sum(p.n) FILTER (WHERE p.status = 'withdrawn'), 0)::bigint) FROM paths p)
    ) AS result`,
    params,
  };
}

export interface TimeInStageRow {
  name: string;
  order: number;
  outcome: "active";
  medianMs: number | null;
  p90Ms: number | null;
  count: number;
  open: number;
}

/**
 * Per pipeline stage: median and p90 of completed stays (ended by the next stage, or by the
 * application closing: the clock stops at the hire or rejection, as on the candidate page), and the
 * open applications in it now (counted, not timed). The durations are the stays' duration_ms, kept
 * with them; a job's stays are read in (stage, duration) order, index-only, from
 * application_stays_job_stage_duration_idx (all jobs: …_stage_duration_idx), so the percentiles'
 * sorts get their rows already in order (a check, not a sort) and no heap page is read.
 */
export async function timeInStageQuery(sql: Sql, filters: AnalyticsFilters): Promise<TimeInStageRow[]> {
  if (!filters.jobId && !filters.from && !filters.to) return timeInStageAllJobs(sql, filters);
  const result = await runAnalytics<TimeInStageRow[]>(
    sql,
    `${pathsCte}, per_stage AS (
      SELECT s.stage,
        round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.duration_ms) FILTER (WHERE s.duration_ms IS NOT NULL)) AS median_ms,
        round(percentile_cont(0.9) WITHIN GROUP (ORDER BY s.duration_ms) FILTER (WHERE s.duration_ms IS NOT NULL)) AS p90_ms,
        count(s.duration_ms) AS done, count(*) - count(s.duration_ms) AS open
      FROM application_stays s
      WHERE ${where("s")}
      GROUP BY s.stage
    )
    SELECT coalesce(json_agg(json_build_object('name', o.stage, 'order', o.ord, 'outcome', o.outcome,
             'medianMs', ps.median_ms, 'p90Ms', ps.p90_ms, 'count', ps.done, 'open', ps.open) ORDER BY o.ord), '[]'::json) AS result
    FROM stage_order o JOIN per_stage ps ON ps.stage = o.stage WHERE o.outcome = 'active'`,
    filterParams(filters),
  );
  return result ?? [];
}

/**
 * Time in stage for all jobs over all time (the analytics page as it opens), without reading every
 * stay: stay_duration_rollup counts the completed stays per stage and duration bucket (and the open
 * ones), kept at ingest. Each percentile is computed exactly as percentile_cont computes it: the
 * ranks it interpolates between (floor and ceil of p × (n − 1)), the bucket that holds each (from
 * the running counts), then one index probe of application_stays_stage_duration_idx from that
 * bucket's lower bound, skipping the bucket's stays before the rank (none when they all last the
 * same; at most the bucket, 1.6% of a duration's range, otherwise). The stage order comes from funnel_rollup (rollupPathsCte). A from/to or a
 * job reads the stays themselves (timeInStageQuery).
 */
async function timeInStageAllJobs(sql: Sql, filters: AnalyticsFilters): Promise<TimeInStageRow[]> {
  await compactFlowRollupIfNeeded(sql);
  const statement = timeInStageAllJobsStatement(filters);
  return (await runAnalytics<TimeInStageRow[]>(sql, statement.text, statement.params)) ?? [];
}

/** That statement (its plan is pinned in tests/integration/analytics-plan.test.ts). */
export function timeInStageAllJobsStatement(filters: Pick<AnalyticsFilters, "provider" | "includeTest">): { text: string; params: SqlParam[] } {
  return {
    text: `${rollupPathsCte}, counts AS (
      SELECT r.stage, r.open, r.bucket, sum(r.n)::bigint AS n, sum(r.sum_ms) AS sum_ms, sum(r.sum_sq) AS sum_sq FROM stay_duration_rollup r
      WHERE ($1::text IS NULL OR r.provider = $1::text) AND ($2::boolean OR NOT r.is_test)
      GROUP BY r.stage, r.open, r.bucket HAVING sum(r.n) <> 0
    ), per_stage AS (
      SELECT c.stage, coalesce(sum(c.n) FILTER (WHERE NOT c.open), 0)::bigint AS done, coalesce(sum(c.n) FILTER (WHERE c.open), 0)::bigint AS open
      FROM counts c GROUP BY c.stage
    ), buckets AS (
      -- The completed stays before each bucket (its first rank) and in it, and whether they all last
      -- the same (n × Σd² = (Σd)², exact in numeric).
      SELECT c.stage, c.bucket, c.n, sum(c.n) OVER (PARTITION BY c.stage ORDER BY c.bucket) - c.n AS before,
        c.n * c.sum_sq = c.sum_ms * c.sum_ms AS uniform
      FROM counts c WHERE NOT c.open
    ), wanted AS (
      -- percentile_cont's interpolation: between the values at ranks floor(h) and ceil(h), h = p × (n − 1), 0-based.
      SELECT ps.stage, q.p, q.p * (ps.done - 1)::float8 AS h FROM per_stage ps CROSS JOIN (VALUES (0.5::float8), (0.9::float8)) AS q(p) WHERE ps.done > 0
    ), ranks AS (
      SELECT DISTINCT w.stage, k.k FROM wanted w CROSS JOIN LATERAL (VALUES (floor(w.h)::bigint), (ceil(w.h)::bigint)) AS k(k)
    ), probes AS (
      -- The value at each rank: the index from the bucket's lower bound, skipping the bucket's stays
      -- before the rank (none when they all last the same).
      SELECT r.stage, r.k, v.ms FROM ranks r
      JOIN buckets b ON b.stage = r.stage AND r.k >= b.before AND r.k < b.before + b.n
      CROSS JOIN LATERAL (
        SELECT s.duration_ms AS ms FROM application_stays s
        WHERE s.stage = r.stage AND s.duration_ms >= b.bucket
          AND ($1::text IS NULL OR s.provider = $1::text) AND NOT s.merged AND ($2::boolean OR NOT s.is_test)
        ORDER BY s.duration_ms OFFSET CASE WHEN b.uniform THEN 0 ELSE r.k - b.before END LIMIT 1
      ) v
    ), pct AS (
      -- float8_lerp: lo + pct × (hi − lo), pct = h − floor(h); no interpolation when h is whole.
      SELECT w.stage, w.p,
        round(CASE WHEN ceil(w.h) = floor(w.h) THEN lo.ms ELSE lo.ms + (w.h - floor(w.h)::bigint::float8) * (hi.ms - lo.ms) END) AS ms
      FROM wanted w
      JOIN probes lo ON lo.stage = w.stage AND lo.k = floor(w.h)::bigint
      JOIN probes hi ON hi.stage = w.stage AND hi.k = ceil(w.h)::bigint
    )
    SELECT coalesce(json_agg(json_build_object('name', o.stage, 'order', o.ord, 'outcome', o.outcome,
             'medianMs', (SELECT v.ms FROM pct v WHERE v.stage = ps.stage AND v.p = 0.5),
             'p90Ms', (SELECT v.ms FROM pct v WHERE v.stage = ps.stage AND v.p = 0.9),
             'count', ps.done, 'open', ps.open) ORDER BY o.ord), '[]'::json) AS result
    FROM stage_order o JOIN per_stage ps ON ps.stage = o.stage WHERE o.outcome = 'active'`,
    params: rollupPathParams({ provider: filters.provider, includeTest: filters.includeTest }),
  };
}

export interface FlowRows {
  stages: string[];
  entries: { week: string; stage: string; n: number }[];
  closures: { week: string; status: string; n: number }[];
}

/** Unfolded deltas in a rollup (flow_rollup, funnel_rollup, …) past which an analytics read folds them first (see compactFlowRollup). */
export const FLOW_COMPACT_AFTER_DELTAS = 2_000;

/** Folds the deltas of flow_rollup and the rollups kept with it (SQL compact_flow_rollup); returns how many, 0 when another instance is at it. */
export async function compactFlowRollup(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ folded: string }>({ text: `SELECT compact_flow_rollup()::text AS folded` });
  return Number(row?.folded ?? 0);
}

/** The rollups flow_rollup_add appends to and compact_flow_rollup folds. */
const ROLLUPS = ["flow_rollup", "funnel_rollup", "stay_duration_rollup", "job_applications_rollup"] as const;

/**
 * Folds the rollups' deltas when one of them has at least `after` (counted up to that bound, so the
 * check costs the same however many there are). Readers sum deltas correctly either way; folding
 * keeps the rows a read sums, and so its time, bounded.
 */
export async function compactFlowRollupIfNeeded(sql: Sql, after = FLOW_COMPACT_AFTER_DELTAS): Promise<number> {
  const [row] = await sql.query<{ n: number }>({
    text: `SELECT greatest(${ROLLUPS.map((t) => `(SELECT count(*) FROM (SELECT 1 FROM ${t} WHERE NOT folded LIMIT $1) d)`).join(", ")})::int AS n`,
    params: [after],
  });
  return (row?.n ?? 0) >= after ? compactFlowRollup(sql) : 0;
}

/**
 * Entries per stage per ISO week (Monday, UTC), and current hires, rejections and withdrawals by the
 * week they happened, with the stage order (mean position of the first entries, as the funnel's),
 * summed from flow_rollup for the weeks of starts wholly inside from/to, plus the stays and
 * applications of the cut weeks at the edges, read through application_summary's started_at indexes.
 */
export async function flowQuery(sql: Sql, filters: AnalyticsFilters): Promise<FlowRows> {
  await compactFlowRollupIfNeeded(sql);
  const statement = flowStatement(filters);
  const result = await runAnalytics<FlowRows>(sql, statement.text, statement.params);
  return result ?? { stages: [], entries: [], closures: [] };
}

/** The flow's one statement (its plan is pinned in tests/integration/analytics-plan.test.ts). */
export function flowStatement(filters: AnalyticsFilters): { text: string; params: SqlParam[] } {
  return {
    text: `WITH edge_apps AS MATERIALIZED (
      -- The applications of the cut weeks: at most two ranges of starts ($7–$8, $9–$10; absent ones are
      -- NULL and select nothing), each an index range of application_summary by started_at.
      SELECT a.candidate_id, a.job_key, a.status, a.status_since FROM application_summary a
      WHERE ($1::text IS NULL OR a.job_key = $1::text) AND ($2::text IS NULL OR a.provider = $2::text)
        AND NOT a.merged AND ($3::boolean OR NOT a.is_test)
        AND ((a.started_at >= $7::timestamptz AND a.started_at < $8::timestamptz) OR (a.started_at >= $9::timestamptz AND a.started_at < $10::timestamptz))
    ), counted AS (
      SELECT f.kind, f.name, f.week, f.n, f.first_n, f.first_pos FROM flow_rollup f
      WHERE $4::boolean AND f.per_job = ($1::text IS NOT NULL) AND f.job_key = coalesce($1::text, '')
        AND ($2::text IS NULL OR f.provider = $2::text) AND ($3::boolean OR NOT f.is_test)
        AND ($5::date IS NULL OR f.start_week >= $5::date) AND ($6::date IS NULL OR f.start_week < $6::date)
      UNION ALL
      SELECT 'entry', s.stage, flow_week(s.entered_at), 1, CASE WHEN s.first_entry THEN 1 ELSE 0 END, CASE WHEN s.first_entry THEN s.pos ELSE 0 END
      FROM edge_apps a JOIN application_stays s ON s.candidate_id = a.candidate_id AND s.job_key = a.job_key
      UNION ALL
      SELECT 'closure', a.status, flow_week(a.status_since), 1, 0, 0
      FROM edge_apps a WHERE a.status IN ${CLOSED} AND a.status_since IS NOT NULL
    ), grouped AS (
      SELECT c.kind, c.name, c.week, sum(c.n) AS n, sum(c.first_n) AS first_n, sum(c.first_pos) AS first_pos
      FROM counted c GROUP BY c.kind, c.name, c.week HAVING sum(c.n) <> 0
    ), stage_order AS (
      -- As the funnel's: mean position of the first entries (the same numeric division), then most
      -- reached, then name; outcome stages last.
      SELECT g.name AS stage,
        row_number() OVER (ORDER BY stage_name_status(g.name) <> 'active', sum(g.first_pos) / sum(g.first_n), sum(g.first_n) DESC, g.name COLLATE "C") AS ord
      FROM grouped g WHERE g.kind = 'entry' GROUP BY g.name HAVING sum(g.first_n) > 0
    )
    SELECT json_build_object(
      'stages', coalesce((SELECT json_agg(o.stage ORDER BY o.ord) FROM stage_order o), '[]'::json),
      'entries', coalesce((SELECT json_agg(json_build_object('week', to_char(g.week, 'YYYY-MM-DD'), 'stage', g.name, 'n', g.n))
                 FROM grouped g WHERE g.kind = 'entry'), '[]'::json),
      'closures', coalesce((SELECT json_agg(json_build_object('week', to_char(g.week, 'YYYY-MM-DD'), 'status', g.name, 'n', g.n))
                 FROM grouped g WHERE g.kind = 'closure'), '[]'::json)
    ) AS result`,
    params: [filters.jobId ?? null, filters.provider ?? null, filters.includeTest ?? false, ...windowParams(filters)],
  };
}

export interface AnalyticsJobRow {
  jobId: string;
  title: string | null;
  provider: string;
  applications: number;
}

/**
 * Jobs to pick from (most applications first, at most 500) and the providers with applications:
 * job_applications_rollup's counts of application_summary (applications with stage history, not
 * merged away, as the funnel's totals count them), kept at ingest; the title from the jobs table.
 */
export async function analyticsJobsQuery(sql: Sql, filters: Pick<AnalyticsFilters, "provider" | "includeTest">) {
  await compactFlowRollupIfNeeded(sql);
  const rows = await sql.query<{ job_id: string; title: string | null; provider: string; applications: number }>({
    text: `SELECT r.job_key AS job_id, (SELECT nullif(max(j.job_title), '') FROM jobs j WHERE j.job_key = r.job_key) AS title,
             r.provider, sum(r.n)::int AS applications
           FROM job_applications_rollup r
           WHERE ($1::text IS NULL OR r.provider = $1::text) AND ($2::boolean OR NOT r.is_test)
           GROUP BY r.job_key, r.provider HAVING sum(r.n) > 0
           ORDER BY applications DESC, r.job_key, r.provider`,
    params: [filters.provider ?? null, filters.includeTest ?? false],
  });
  const providers = new Map<string, number>();
  for (const r of rows) providers.set(r.provider, (providers.get(r.provider) ?? 0) + Number(r.applications));
  return {
    jobs: rows.slice(0, 500).map((r) => ({ jobId: r.job_id, title: r.title, provider: r.provider, applications: Number(r.applications) })),
    providers: [...providers.entries()].sort((a, b) => b[1] - a[1]).map(([provider, applications]) => ({ provider, applications })),
  };
}
