import { deliveryStatuses, type DeliveryStatus } from "../contracts/delivery-status";
import type { Sql, SqlParam, SqlQuery } from "./sql";
import { jsonList } from "./sql-values";
import { normalizedEventTypes, providerIds, type NormalizedEventType, type ProviderId } from "../providers/types";

const DAY_MS = 86_400_000;

export interface OverviewStatsOptions {
  now?: Date;
  /** Days in the activity window, today (UTC) included. */
  days?: number;
  /** How far back a rejected request still puts an endpoint on the "needs attention" list. */
  rejectWindowDays?: number;
  recentLimit?: number;
  /** Count what "Send test delivery" created too (left out by default). */
  includeTest?: boolean;
  /** Fold the rollups' deltas once there are this many (default COMPACT_AFTER_DELTAS). */
  compactAfter?: number;
}

interface ActivityRow {
  day: string;
  provider: string;
  type: string;
  count: number | bigint;
}

interface TotalRow {
  kind: string;
  n: number | bigint | string;
  deltas: number | bigint | string;
}

/** Delta rows (see compact_stat_rollups) tolerated before a read folds them. */
export const COMPACT_AFTER_DELTAS = 500;

/**
 * Totals of candidates, events and deliveries from the rollups the triggers keep (migration
 * stat_rollups) — O(groups), where count(*) would read every row — and how many unfolded deltas
 * there are. $1: include test data.
 */
export const ROLLUP_TOTALS_SQL = `
  SELECT kind, coalesce(sum(n) FILTER (WHERE $1::boolean OR NOT is_test), 0)::text AS n,
         count(*) FILTER (WHERE NOT folded)::int AS deltas
  FROM stat_rollups GROUP BY kind`;

/** Events per UTC day of receipt, provider and type since $1 (a date), from the rollups. $2: include test data. */
export const ROLLUP_ACTIVITY_SQL = `
  SELECT to_char(day, 'YYYY-MM-DD') AS day, provider, type, sum(n)::int AS count
  FROM stat_rollups
  WHERE kind = 'events' AND day >= $1::date AND ($2::boolean OR NOT is_test)
  GROUP BY day, provider, type HAVING sum(n) <> 0`;

/** Folds the rollups' deltas (SQL function compact_stat_rollups); returns how many it folded, 0 when another instance is at it. */
export async function compactStatRollups(sql: Sql): Promise<number> {
  const rows = await sql.query<{ folded: number | bigint | string }>({ text: `SELECT compact_stat_rollups()::text AS folded` });
  return Number(rows[0]?.folded ?? 0);
}

const isProvider = (p: string): p is ProviderId => (providerIds as readonly string[]).includes(p);
const isType = (t: string): t is NormalizedEventType => (normalizedEventTypes as readonly string[]).includes(t);
const zeroProviders = () => Object.fromEntries(providerIds.map((p) => [p, 0])) as Record<ProviderId, number>;

interface OverviewRow {
  totals: unknown;
  endpoints: number | string;
  by_status: unknown;
  activity: unknown;
  failed: unknown;
  attention: unknown;
  recent: unknown;
}

interface RecentEventRow {
  id: string;
  type: string;
  provider_event: string | null;
  type_inferred: boolean;
  provider: string;
  delivery_id: string;
  occurred_at: string;
  received_at: string;
  candidate_id: string;
  job_title: string | null;
  stage_to: string | null;
  endpoint_id: string;
  candidate_name: string | null;
  current_name: string | null;
  external_id: string;
}

/**
 * The overview in one statement (one round trip, no client-side query building): each part a
 * subquery whose rows come back as JSON. What each part may read is what getOverviewStats' comment
 * says; tests/integration/stat-rollups.test.ts checks the plan.
 */
export function overviewQuery(o: { since24h: Date; windowStart: Date; rejectSince: Date; includeTest: boolean; recentLimit: number }): SqlQuery {
  const params: SqlParam[] = [o.includeTest, o.since24h.toISOString(), o.windowStart.toISOString().slice(0, 10), o.rejectSince.toISOString(), Math.max(1, Math.floor(o.recentLimit))];
  const real = (alias: string) => `($1::boolean OR NOT ${alias}.is_test)`;
  return {
    text: `
      WITH failed AS (
        SELECT d.endpoint_id, count(*)::int AS n, max(d.received_at) AS last
        FROM deliveries d WHERE d.status = 'failed' AND d.received_at >= $2::timestamptz AND ${real("d")}
        GROUP BY d.endpoint_id
      ), recent_deliveries AS (
        SELECT d.id FROM deliveries d WHERE d.status = 'processed' AND ${real("d")}
        ORDER BY d.received_at DESC, d.id DESC LIMIT $5
      )
      SELECT
        (SELECT json_agg(t) FROM (${ROLLUP_TOTALS_SQL}) t) AS totals,
        (SELECT count(*)::int FROM endpoints e WHERE e.deleted_at IS NULL) AS endpoints,
        (SELECT json_agg(t) FROM (SELECT d.status, count(*)::int AS n FROM deliveries d
                                  WHERE d.received_at >= $2::timestamptz AND ${real("d")} GROUP BY d.status) t) AS by_status,
        (SELECT json_agg(t) FROM (${ROLLUP_ACTIVITY_SQL.replace("$1::date", "$3::date").replace("$2::boolean", "$1::boolean")}) t) AS activity,
        (SELECT json_agg(f) FROM failed f) AS failed,
        (SELECT json_agg(t) FROM (SELECT e.id, e.name, e.provider, e.enabled, e.rejected_count, e.last_rejected_at, e.last_reject_reason, e.deleted_at
                                  FROM endpoints e
                                  WHERE e.id IN (SELECT endpoint_id FROM failed)
                                     OR (e.deleted_at IS NULL AND e.rejected_count > 0 AND e.last_rejected_at >= $4::timestamptz)) t) AS attention,
        (SELECT json_agg(t) FROM (SELECT ev.id, ev.type, ev.provider_event, ev.type_inferred, ev.provider, ev.delivery_id, ev.occurred_at, ev.received_at,
                                         ev.candidate_id, ev.job_title, ev.stage_to, ev.endpoint_id, ev.candidate_name,
                                         c.name AS current_name, c.external_id
                                  FROM recent_deliveries rd JOIN events ev ON ev.delivery_id = rd.id JOIN candidates c ON c.id = ev.candidate_id
                                  ORDER BY ev.received_at DESC, ev.id DESC LIMIT $5) t) AS recent`,
    params,
  };
}

/**
 * Everything the overview page shows, in a handful of aggregate queries (GROUP BY / COUNT / LIMIT):
 * nothing here loads whole tables, and nothing reads more rows as history grows: totals and the
 * activity chart come from the stat_rollups the triggers keep, the last-24-hours figures from one
 * day of deliveries by index. Day buckets are UTC days of the *received* time, so backfilled
 * or simulated data with old occurred times still shows up as recent activity.
 */
export async function getOverviewStats(sql: Sql, options: OverviewStatsOptions = {}) {
  const now = options.now ?? new Date();
  const days = options.days ?? 14;
  const since24h = new Date(now.getTime() - DAY_MS);
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const windowStart = new Date(todayStart - (days - 1) * DAY_MS);
  const rejectSince = new Date(now.getTime() - (options.rejectWindowDays ?? 7) * DAY_MS);
  const includeTest = options.includeTest ?? false;
  const real = includeTest ? {} : { isTest: false };

  const [answer] = await sql.query<OverviewRow>(overviewQuery({ since24h, windowStart, rejectSince, includeTest, recentLimit: options.recentLimit ?? 10 }));
  const totalRows = jsonList<TotalRow>(answer.totals);
  const endpoints = Number(answer.endpoints);
  const statusRows = jsonList<{ status: string; n: number }>(answer.by_status);
  const activityRows = jsonList<ActivityRow>(answer.activity);
  const failedRows = jsonList<{ endpoint_id: string; n: number; last: string }>(answer.failed);
  const attentionEndpoints = jsonList<{
    id: string;
    name: string;
    provider: string;
    enabled: boolean;
    rejected_count: number;
    last_rejected_at: string | null;
    last_reject_reason: string | null;
    deleted_at: string | null;
  }>(answer.attention);
  const recentEvents = jsonList<RecentEventRow>(answer.recent);
  const total = (kind: string) => Number(totalRows.find((r) => r.kind === kind)?.n ?? 0);
  const [candidates, events, deliveries] = [total("candidates"), total("events"), total("deliveries")];
  const deltas = totalRows.reduce((a, r) => a + Number(r.deltas), 0);
  // Fold here once deltas pile up: reads stay O(groups) without a scheduler. Concurrent readers
  // are safe (the function's advisory lock lets one fold); a failure only leaves the deltas for later.
  if (deltas >= (options.compactAfter ?? COMPACT_AFTER_DELTAS)) await compactStatRollups(sql).catch(() => 0);

  const byStatus = Object.fromEntries(deliveryStatuses.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const row of statusRows) if ((deliveryStatuses as readonly string[]).includes(row.status)) byStatus[row.status as DeliveryStatus] = Number(row.n);

  const dayList = Array.from({ length: days }, (_, i) => {
    const day = new Date(windowStart.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    return { day, total: 0, byProvider: zeroProviders() };
  });
  const dayIndex = new Map(dayList.map((d, i) => [d.day, i]));
  const providerTotals = new Map<ProviderId, number>();
  const typeTotals = new Map<NormalizedEventType, number>();
  for (const row of activityRows) {
    const n = Number(row.count);
    const i = dayIndex.get(row.day);
    if (i === undefined || !isProvider(row.provider)) continue;
    dayList[i].total += n;
    dayList[i].byProvider[row.provider] += n;
    providerTotals.set(row.provider, (providerTotals.get(row.provider) ?? 0) + n);
    if (isType(row.type)) typeTotals.set(row.type, (typeTotals.get(row.type) ?? 0) + n);
  }
  const sorted = <K>(m: Map<K, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));

  const failedBy = new Map(failedRows.map((r) => [r.endpoint_id, { count: Number(r.n), last: new Date(r.last) }]));
  const rejectedInWindow = (at: Date | null) => at !== null && at >= rejectSince;
  const attention = attentionEndpoints
    .filter((e) => e.deleted_at === null || failedBy.has(e.id))
    .map((e) => {
      const lastRejectedAt = e.last_rejected_at === null ? null : new Date(e.last_rejected_at);
      return {
        endpointId: e.id,
        name: e.name,
        provider: e.provider,
        enabled: e.enabled,
        failed24h: failedBy.get(e.id)?.count ?? 0,
        lastFailedAt: failedBy.get(e.id)?.last ?? null,
        rejectedCount: rejectedInWindow(lastRejectedAt) ? Number(e.rejected_count) : 0,
        lastRejectedAt,
        lastRejectReason: e.last_reject_reason,
      };
    })
    .sort((a, b) => b.failed24h - a.failed24h || b.rejectedCount - a.rejectedCount || a.name.localeCompare(b.name));

  return {
    generatedAt: now,
    firstRun: endpoints === 0 && deliveries === 0,
    totals: { candidates, events, deliveries, endpoints },
    last24h: { since: since24h, total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
    activity: {
      basis: "receivedAt" as const,
      since: windowStart,
      days: dayList,
      byProvider: sorted(providerTotals).map(([provider, count]) => ({ provider, count })),
      byType: sorted(typeTotals).map(([type, count]) => ({ type, count })),
    },
    recentEvents: recentEvents.map((e) => ({
      id: e.id,
      type: e.type,
      providerEvent: e.provider_event,
      typeInferred: e.type_inferred,
      provider: e.provider,
      deliveryId: e.delivery_id,
      occurredAt: new Date(e.occurred_at),
      receivedAt: new Date(e.received_at),
      candidateId: e.candidate_id,
      jobTitle: e.job_title,
      stageTo: e.stage_to,
      endpointId: e.endpoint_id,
      candidateName: e.current_name ?? e.candidate_name,
      candidateExternalId: e.external_id,
    })),
    attention,
  };
}
