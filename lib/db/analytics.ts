/**
 * Pipeline analytics (issue 17) in plain SQL over the summary of stays (application_stays: one row
 * per stay, derived from the stored stage observations in event_stages and each application's
 * current status in candidate_stages by refresh_application_stays, kept at ingest; migration
 * …_application_stays), on its (job_key, started_at) index: one statement per answer, aggregated in
 * the database, one scan of the selected stays.
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
 * The stays of the selected applications and the stage order, as CTEs the three answers share, read
 * from the application_stays summary (one row per stay, kept by refresh_application_stays at ingest)
 * in one pass over the job's rows. Parameters: $1 job, $2 provider, $3 include test, $4 from, $5 to.
 */
function staysCte(filters: AnalyticsFilters): { text: string; params: SqlParam[] } {
  const params: SqlParam[] = [
    filters.jobId ?? null,
    filters.provider ?? null,
    filters.includeTest ?? false,
    filters.from ? filters.from.toISOString() : null,
    filters.to ? filters.to.toISOString() : null,
  ];
  // MATERIALIZED: the answers read the stays several times; one scan of the job's index feeds them all.
  const text = `
    WITH stays AS MATERIALIZED (
      SELECT s.candidate_id, s.job_key, s.pos, s.stage, s.entered_at, s.left_at, s.prev_stage AS prev_stay, s.first_entry,
        s.status, s.status_since
      FROM application_stays s
      WHERE ($1::text IS NULL OR s.job_key = $1::text)
        AND ($2::text IS NULL OR s.provider = $2::text)
        AND NOT s.merged AND ($3::boolean OR NOT s.is_test)
        AND ($4::timestamptz IS NULL OR s.started_at >= $4::timestamptz)
        AND ($5::timestamptz IS NULL OR s.started_at < $5::timestamptz)
    ), stage_order AS (
      -- A stage's position in an application: the stays before its first entry (first_entry rows).
      SELECT s.stage, stage_name_status(s.stage) AS outcome, count(*) AS reached,
        row_number() OVER (ORDER BY stage_name_status(s.stage) <> 'active', avg(s.pos), count(*) DESC, s.stage COLLATE "C") - 1 AS ord
      FROM stays s WHERE s.first_entry GROUP BY s.stage
    )`;
  return { text, params };
}

interface JsonRow<T> {
  result: T | null;
}

/** Longer than any analytics answer should take: past it the statement is cancelled (SQLSTATE 57014) rather than left to pile up. */
export const ANALYTICS_STATEMENT_TIMEOUT_MS = 20_000;

/**
 * One analytics statement, with room to sort and hash a large job's stays in memory (the default
 * 4 MB work_mem spills a 50,000-application job to disk several times over), and a time limit.
 */
async function runAnalytics<T>(sql: Sql, text: string, params: SqlParam[]): Promise<T | null> {
  return sql.transaction(async (tx) => {
    await tx.query({ text: `SET LOCAL work_mem = '64MB'` });
    await tx.query({ text: `SET LOCAL statement_timeout = ${ANALYTICS_STATEMENT_TIMEOUT_MS}` });
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

/** Per stage: reached, advanced to a later pipeline stage, in it now, and left from it by outcome. */
export async function funnelQuery(sql: Sql, filters: AnalyticsFilters): Promise<FunnelResult> {
  const cte = staysCte(filters);
  const result = await runAnalytics<FunnelResult>(
    sql,
    `${cte.text}, furthest AS (
      -- Each application's furthest pipeline stage in the order: it advanced from every other one it reached.
      SELECT o.ord, count(*) AS n FROM (
        SELECT max(o.ord) AS ord FROM stays f JOIN stage_order o ON o.stage = f.stage
        WHERE f.first_entry AND o.outcome = 'active' GROUP BY f.candidate_id, f.job_key) o
      GROUP BY o.ord
    ), last_stays AS (
      -- One per application: where it is now, and where a closed one left from (its last stage if a
      -- pipeline stage, else the one before it if that is one: "Interview" → "Rejected" left from Interview).
      SELECT s.stage, s.status,
        CASE WHEN o.outcome <> 'active' AND s.prev_stay IS NOT NULL AND stage_name_status(s.prev_stay) = 'active' THEN s.prev_stay ELSE s.stage END AS left_from
      FROM stays s JOIN stage_order o ON o.stage = s.stage WHERE s.left_at IS NULL
    ), current_in AS (
      SELECT l.stage, count(*) AS n FROM last_stays l WHERE l.status NOT IN ${CLOSED} GROUP BY l.stage
    ), left_from AS (
      SELECT l.left_from AS stage, count(*) FILTER (WHERE l.status = 'hired') AS hired,
        count(*) FILTER (WHERE l.status = 'rejected') AS rejected, count(*) FILTER (WHERE l.status = 'withdrawn') AS withdrawn
      FROM last_stays l WHERE l.status IN ${CLOSED} GROUP BY l.left_from
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
      'totals', (SELECT json_build_object('applications', count(*),
                 'active', count(*) FILTER (WHERE l.status NOT IN ${CLOSED}),
                 'hired', count(*) FILTER (WHERE l.status = 'hired'),
                 'rejected', count(*) FILTER (WHERE l.status = 'rejected'),
                 'withdrawn', count(*) FILTER (WHERE l.status = 'withdrawn')) FROM last_stays l)
    ) AS result`,
    cte.params,
  );
  return result ?? { stages: [], totals: { applications: 0, active: 0, hired: 0, rejected: 0, withdrawn: 0 } };
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
 * open applications in it now (counted, not timed).
 */
export async function timeInStageQuery(sql: Sql, filters: AnalyticsFilters): Promise<TimeInStageRow[]> {
  const cte = staysCte(filters);
  const result = await runAnalytics<TimeInStageRow[]>(
    sql,
    `${cte.text}, timed AS (
      SELECT s.stage,
        CASE WHEN s.left_at IS NOT NULL THEN extract(epoch FROM s.left_at - s.entered_at)::float8 * 1000
             WHEN s.status IN ${CLOSED} AND s.status_since IS NOT NULL THEN greatest(0, extract(epoch FROM s.status_since - s.entered_at)::float8 * 1000)
        END AS ms
      FROM stays s JOIN stage_order o ON o.stage = s.stage WHERE o.outcome = 'active'
    ), per_stage AS (
      SELECT t.stage,
        round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) FILTER (WHERE t.ms IS NOT NULL)) AS median_ms,
        round(percentile_cont(0.9) WITHIN GROUP (ORDER BY t.ms) FILTER (WHERE t.ms IS NOT NULL)) AS p90_ms,
        count(t.ms) AS done, count(*) - count(t.ms) AS open
      FROM timed t GROUP BY t.stage
    )
    SELECT coalesce(json_agg(json_build_object('name', o.stage, 'order', o.ord, 'outcome', o.outcome,
             'medianMs', ps.median_ms, 'p90Ms', ps.p90_ms, 'count', ps.done, 'open', ps.open) ORDER BY o.ord), '[]'::json) AS result
    FROM stage_order o JOIN per_stage ps ON ps.stage = o.stage`,
    cte.params,
  );
  return result ?? [];
}

export interface FlowRows {
  stages: string[];
  entries: { week: string; stage: string; n: number }[];
  closures: { week: string; status: string; n: number }[];
}

/** Entries per stage per ISO week (Monday, UTC), and current hires, rejections and withdrawals by the week they happened. */
export async function flowQuery(sql: Sql, filters: AnalyticsFilters): Promise<FlowRows> {
  const cte = staysCte(filters);
  const week = (col: string) => `to_char(date_trunc('week', ${col} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
  const result = await runAnalytics<FlowRows>(
    sql,
    `${cte.text}, closed AS (
      SELECT s.status, s.status_since FROM stays s
      WHERE s.left_at IS NULL AND s.status IN ${CLOSED} AND s.status_since IS NOT NULL
    )
    SELECT json_build_object(
      'stages', coalesce((SELECT json_agg(o.stage ORDER BY o.ord) FROM stage_order o), '[]'::json),
      'entries', coalesce((SELECT json_agg(json_build_object('week', x.week, 'stage', x.stage, 'n', x.n))
                 FROM (SELECT ${week("s.entered_at")} AS week, s.stage, count(*) AS n FROM stays s GROUP BY 1, 2) x), '[]'::json),
      'closures', coalesce((SELECT json_agg(json_build_object('week', x.week, 'status', x.status, 'n', x.n))
                 FROM (SELECT ${week("c.status_since")} AS week, c.status, count(*) AS n FROM closed c GROUP BY 1, 2) x), '[]'::json)
    ) AS result`,
    cte.params,
  );
  return result ?? { stages: [], entries: [], closures: [] };
}

export interface AnalyticsJobRow {
  jobId: string;
  title: string | null;
  provider: string;
  applications: number;
}

/** Jobs to pick from (most applications first, at most 500) and the providers with applications. */
export async function analyticsJobsQuery(sql: Sql, filters: Pick<AnalyticsFilters, "provider" | "includeTest">) {
  const rows = await sql.query<{ job_id: string; title: string | null; provider: string; applications: number }>({
    text: `SELECT cs.job_key AS job_id, max(cs.job_title) AS title, c.provider, count(*)::int AS applications
           FROM candidate_stages cs JOIN candidates c ON c.id = cs.candidate_id
           WHERE ($1::text IS NULL OR c.provider = $1::text) AND c.status <> 'merged' AND ($2::boolean OR NOT c.is_test)
           GROUP BY cs.job_key, c.provider
           ORDER BY applications DESC, cs.job_key, c.provider`,
    params: [filters.provider ?? null, filters.includeTest ?? false],
  });
  const providers = new Map<string, number>();
  for (const r of rows) providers.set(r.provider, (providers.get(r.provider) ?? 0) + Number(r.applications));
  return {
    jobs: rows.slice(0, 500).map((r) => ({ jobId: r.job_id, title: r.title, provider: r.provider, applications: Number(r.applications) })),
    providers: [...providers.entries()].sort((a, b) => b[1] - a[1]).map(([provider, applications]) => ({ provider, applications })),
  };
}
