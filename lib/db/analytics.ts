/**
 * Pipeline analytics (issue 17) in plain SQL over the stored stage observations (event_stages) and
 * each application's current status (candidate_stages), on the (job_key, candidate_id, history
 * order, stage) index: one statement per answer, aggregated in the database.
 *
 * Definitions (README "Pipeline analytics"):
 *   - An application is a candidate × job (candidate_stages row). Merged-away candidates are left
 *     out (their history lives on in the record they were merged into), test candidates unless asked.
 *   - A stay is a run of observations of one stage in history order (occurred, received, event id),
 *     so late deliveries land where they happened and repeated observations are one stay.
 *   - `from`/`to` select applications by their first observation in the job (entering its first stage).
 *   - The job's stage order: each application lists its stages by first entry (0, 1, 2, …); stages
 *     are ordered by the median of that position over the applications that reached them, then the
 *     mean, then most reached, then name; stages whose name is an outcome ("Hired", "Rejected":
 *     stage_name_status) go last.
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
 * The stays of the selected applications, their positions and the stage order, as CTEs the three
 * answers share. Parameters: $1 job, $2 provider, $3 include test, $4 from, $5 to.
 */
function staysCte(filters: AnalyticsFilters): { text: string; params: SqlParam[] } {
  const params: SqlParam[] = [
    filters.jobId ?? null,
    filters.provider ?? null,
    filters.includeTest ?? false,
    filters.from ? filters.from.toISOString() : null,
    filters.to ? filters.to.toISOString() : null,
  ];
  // The job condition is repeated on event_stages so the planner reads that job's slice of the index.
  const text = `
    WITH apps AS (
      SELECT cs.candidate_id, cs.job_key, cs.status, cs.status_since
      FROM candidate_stages cs JOIN candidates c ON c.id = cs.candidate_id
      WHERE ($1::text IS NULL OR cs.job_key = $1::text)
        AND ($2::text IS NULL OR c.provider = $2::text)
        AND c.status <> 'merged' AND ($3::boolean OR NOT c.is_test)
    ), obs AS (
      SELECT es.candidate_id, es.job_key, es.stage, es.occurred_at, es.received_at, es.event_id, a.status, a.status_since,
        lag(es.stage) OVER w AS prev_stage,
        first_value(es.occurred_at) OVER w AS started_at
      FROM event_stages es JOIN apps a ON a.candidate_id = es.candidate_id AND a.job_key = es.job_key
      WHERE ($1::text IS NULL OR es.job_key = $1::text)
      WINDOW w AS (PARTITION BY es.candidate_id, es.job_key ORDER BY es.occurred_at, es.received_at, es.event_id)
    ), stays AS (
      SELECT o.candidate_id, o.job_key, o.stage, o.status, o.status_since, o.occurred_at AS entered_at,
        stage_name_status(o.stage) AS outcome,
        row_number() OVER s AS stay_no,
        lead(o.occurred_at) OVER s AS left_at
      FROM obs o
      WHERE o.prev_stage IS DISTINCT FROM o.stage
        AND ($4::timestamptz IS NULL OR o.started_at >= $4::timestamptz)
        AND ($5::timestamptz IS NULL OR o.started_at < $5::timestamptz)
      WINDOW s AS (PARTITION BY o.candidate_id, o.job_key ORDER BY o.occurred_at, o.received_at, o.event_id)
    ), positions AS (
      -- Each application's stages by first entry: 0, 1, 2, …
      SELECT f.candidate_id, f.job_key, f.stage, f.outcome,
        row_number() OVER (PARTITION BY f.candidate_id, f.job_key ORDER BY f.first_stay) - 1 AS pos
      FROM (SELECT candidate_id, job_key, stage, min(outcome) AS outcome, min(stay_no) AS first_stay
            FROM stays GROUP BY candidate_id, job_key, stage) f
    ), stage_order AS (
      SELECT p.stage, min(p.outcome) AS outcome, count(*) AS reached,
        row_number() OVER (ORDER BY min(p.outcome) <> 'active', percentile_cont(0.5) WITHIN GROUP (ORDER BY p.pos),
                           avg(p.pos), count(*) DESC, p.stage COLLATE "C") - 1 AS ord
      FROM positions p GROUP BY p.stage
    )`;
  return { text, params };
}

interface JsonRow<T> {
  result: T | null;
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
  const [row] = await sql.query<JsonRow<FunnelResult>>({
    text: `${cte.text}, app_paths AS (
      SELECT s.candidate_id, s.job_key, min(s.status) AS status,
        -- Where a closed application left from: its latest pipeline stage (else its latest stage).
        (array_agg(s.stage ORDER BY (s.outcome = 'active') DESC, s.stay_no DESC))[1] AS left_from,
        (array_agg(s.stage ORDER BY s.stay_no DESC))[1] AS current_stage
      FROM stays s GROUP BY s.candidate_id, s.job_key
    ), furthest AS (
      SELECT p.candidate_id, p.job_key, max(o.ord) FILTER (WHERE o.outcome = 'active') AS max_ord
      FROM positions p JOIN stage_order o ON o.stage = p.stage GROUP BY p.candidate_id, p.job_key
    ), advanced AS (
      SELECT p.stage, count(*) FILTER (WHERE f.max_ord > o.ord) AS n
      FROM positions p JOIN furthest f ON f.candidate_id = p.candidate_id AND f.job_key = p.job_key
      JOIN stage_order o ON o.stage = p.stage GROUP BY p.stage
    ), current_in AS (
      SELECT a.current_stage AS stage, count(*) AS n FROM app_paths a WHERE a.status NOT IN ${CLOSED} GROUP BY a.current_stage
    ), left_from AS (
      SELECT a.left_from AS stage, count(*) FILTER (WHERE a.status = 'hired') AS hired,
        count(*) FILTER (WHERE a.status = 'rejected') AS rejected, count(*) FILTER (WHERE a.status = 'withdrawn') AS withdrawn
      FROM app_paths a WHERE a.status IN ${CLOSED} GROUP BY a.left_from
    ), per_stage AS (
      SELECT o.stage, o.ord, o.outcome, o.reached, coalesce(ad.n, 0) AS advanced, coalesce(ci.n, 0) AS current,
        coalesce(lf.hired, 0) AS left_hired, coalesce(lf.rejected, 0) AS left_rejected, coalesce(lf.withdrawn, 0) AS left_withdrawn
      FROM stage_order o
      LEFT JOIN advanced ad ON ad.stage = o.stage
      LEFT JOIN current_in ci ON ci.stage = o.stage
      LEFT JOIN left_from lf ON lf.stage = o.stage
    )
    SELECT json_build_object(
      'stages', coalesce((SELECT json_agg(json_build_object('name', ps.stage, 'order', ps.ord, 'outcome', ps.outcome,
                 'reached', ps.reached, 'advanced', CASE WHEN ps.outcome = 'active' THEN ps.advanced ELSE 0 END, 'current', ps.current,
                 'left', json_build_object('hired', ps.left_hired, 'rejected', ps.left_rejected, 'withdrawn', ps.left_withdrawn))
               ORDER BY ps.ord) FROM per_stage ps), '[]'::json),
      'totals', (SELECT json_build_object('applications', count(*),
                 'active', count(*) FILTER (WHERE a.status NOT IN ${CLOSED}),
                 'hired', count(*) FILTER (WHERE a.status = 'hired'),
                 'rejected', count(*) FILTER (WHERE a.status = 'rejected'),
                 'withdrawn', count(*) FILTER (WHERE a.status = 'withdrawn')) FROM app_paths a)
    ) AS result`,
    params: cte.params,
  });
  return row?.result ?? { stages: [], totals: { applications: 0, active: 0, hired: 0, rejected: 0, withdrawn: 0 } };
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
  const [row] = await sql.query<JsonRow<TimeInStageRow[]>>({
    text: `${cte.text}, timed AS (
      SELECT s.stage,
        CASE WHEN s.left_at IS NOT NULL THEN extract(epoch FROM s.left_at - s.entered_at)::float8 * 1000
             WHEN s.status IN ${CLOSED} AND s.status_since IS NOT NULL THEN greatest(0, extract(epoch FROM s.status_since - s.entered_at)::float8 * 1000)
        END AS ms
      FROM stays s WHERE s.outcome = 'active'
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
    params: cte.params,
  });
  return row?.result ?? [];
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
  const [row] = await sql.query<JsonRow<FlowRows>>({
    text: `${cte.text}, closed AS (
      SELECT DISTINCT s.candidate_id, s.job_key, s.status, s.status_since FROM stays s
      WHERE s.status IN ${CLOSED} AND s.status_since IS NOT NULL
    )
    SELECT json_build_object(
      'stages', coalesce((SELECT json_agg(o.stage ORDER BY o.ord) FROM stage_order o), '[]'::json),
      'entries', coalesce((SELECT json_agg(json_build_object('week', x.week, 'stage', x.stage, 'n', x.n))
                 FROM (SELECT ${week("s.entered_at")} AS week, s.stage, count(*) AS n FROM stays s GROUP BY 1, 2) x), '[]'::json),
      'closures', coalesce((SELECT json_agg(json_build_object('week', x.week, 'status', x.status, 'n', x.n))
                 FROM (SELECT ${week("c.status_since")} AS week, c.status, count(*) AS n FROM closed c GROUP BY 1, 2) x), '[]'::json)
    ) AS result`,
    params: cte.params,
  });
  return row?.result ?? { stages: [], entries: [], closures: [] };
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
