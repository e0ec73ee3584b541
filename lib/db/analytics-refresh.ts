import { batchCandidateKeys, type SaveItem } from "./events";
import type { Sql } from "./sql";

/**
 * The analytics summaries (application_stays, application_summary and their rollups) of a saved
 * batch. The save queues the candidates whose stays can have changed (analytics_refresh_queue, in
 * its transaction); this refreshes those of the batch's candidates still queued, right after a save
 * that is not a webhook's (afterSave in ./events; migration 20261203181053_analytics_after_save; README
 * "Pipeline analytics"). Runs refresh_application_stays, so the rows are what a full recompute gives.
 */
export async function refreshBatchAnalytics(sql: Sql, items: SaveItem[]): Promise<number> {
  const keys = batchCandidateKeys(items);
  if (keys.length === 0) return 0;
  const rows = await sql.query<{ n: number }>({
    name: "refresh_analytics_queued_by_key",
    text: "SELECT refresh_analytics_queued_by_key($1::jsonb) AS n",
    params: [JSON.stringify(keys)],
  });
  return Number(rows[0]?.n ?? 0);
}

/**
 * Up to `limit` queued candidates, oldest first, queued before `before` (null: all), refreshed in one
 * transaction; returns how many. The ingest queue's DerivedRefresher takes them all, when ingest
 * leaves room; the recovery loop takes what is older than its cutoff (a crash between a save's
 * commit and its refresh, an instance that went away).
 */
export async function refreshAnalyticsBacklog(sql: Sql, before: Date | null, limit = 500): Promise<number> {
  const rows = await sql.query<{ n: number }>({
    name: "refresh_analytics_queue_backlog",
    text: "SELECT refresh_analytics_queue_backlog($1::timestamptz, $2::int) AS n",
    params: [before?.toISOString() ?? null, limit],
  });
  return Number(rows[0]?.n ?? 0);
}

/**
 * What the refresher has yet to do, for the metrics: queued candidates per queue (counted up to
 * `cap`) and the age of the oldest (an index probe each).
 */
export async function derivedBacklog(sql: Sql, cap = 100_000): Promise<{ kind: "analytics" | "people"; candidates: number; oldestSeconds: number }[]> {
  const rows = await sql.query<{ kind: "analytics" | "people"; n: number; age: number | null }>({
    text: `SELECT 'analytics' AS kind, (SELECT count(*)::int FROM (SELECT 1 FROM analytics_refresh_queue LIMIT $1) b) AS n,
                  extract(epoch FROM now() - (SELECT min(queued_at) FROM analytics_refresh_queue))::float8 AS age
           UNION ALL
           SELECT 'people', (SELECT count(*)::int FROM (SELECT 1 FROM people_link_queue LIMIT $1) b),
                  extract(epoch FROM now() - (SELECT min(queued_at) FROM people_link_queue))::float8`,
    params: [cap],
  });
  return rows.map((r) => ({ kind: r.kind, candidates: Number(r.n), oldestSeconds: Math.max(0, Number(r.age ?? 0)) }));
}

/**
 * Resolves once no candidate waits for the refresher (both queues empty), or after `timeoutMs`
 * (false): for an action that should answer with its analytics and People in place (loading the
 * demo data), since webhooks' own answers do not wait for them.
 */
export async function waitForDerivedWork(sql: Sql, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const backlog = await derivedBacklog(sql, 1);
    if (backlog.every((b) => b.candidates === 0)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
