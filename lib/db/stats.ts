import { deliveryStatuses, type DeliveryStatus } from "../contracts/delivery-status";
import type { PrismaClient } from "./generated/client";
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
export async function compactStatRollups(prisma: PrismaClient): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<{ folded: number | bigint | string }[]>(`SELECT compact_stat_rollups()::text AS folded`);
  return Number(rows[0]?.folded ?? 0);
}

const isProvider = (p: string): p is ProviderId => (providerIds as readonly string[]).includes(p);
const isType = (t: string): t is NormalizedEventType => (normalizedEventTypes as readonly string[]).includes(t);
const zeroProviders = () => Object.fromEntries(providerIds.map((p) => [p, 0])) as Record<ProviderId, number>;

/**
 * Everything the overview page shows, in a handful of aggregate queries (GROUP BY / COUNT / LIMIT):
 * nothing here loads whole tables, and nothing reads more rows as history grows: totals and the
 * activity chart come from the stat_rollups the triggers keep, the last-24-hours figures from one
 * day of deliveries by index. Day buckets are UTC days of the *received* time, so backfilled
 * or simulated data with old occurred times still shows up as recent activity.
 */
export async function getOverviewStats(prisma: PrismaClient, options: OverviewStatsOptions = {}) {
  const now = options.now ?? new Date();
  const days = options.days ?? 14;
  const since24h = new Date(now.getTime() - DAY_MS);
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const windowStart = new Date(todayStart - (days - 1) * DAY_MS);
  const rejectSince = new Date(now.getTime() - (options.rejectWindowDays ?? 7) * DAY_MS);
  const includeTest = options.includeTest ?? false;
  const real = includeTest ? {} : { isTest: false };

  const [totalRows, endpoints, statusRows, activityRows, failedRows, rejectedEndpoints, recentDeliveries] = await Promise.all([
    prisma.$queryRawUnsafe<TotalRow[]>(ROLLUP_TOTALS_SQL, includeTest),
    prisma.endpoint.count({ where: { deletedAt: null } }),
    // Bounded by one day's deliveries (the received_at index), not by all of them.
    prisma.delivery.groupBy({ by: ["status"], where: { receivedAt: { gte: since24h }, ...real }, _count: { _all: true } }),
    prisma.$queryRawUnsafe<ActivityRow[]>(ROLLUP_ACTIVITY_SQL, windowStart.toISOString().slice(0, 10), includeTest),
    prisma.delivery.groupBy({
      by: ["endpointId"],
      where: { status: "failed", receivedAt: { gte: since24h }, ...real },
      _count: { _all: true },
      _max: { receivedAt: true },
    }),
    prisma.endpoint.findMany({
      where: { deletedAt: null, rejectedCount: { gt: 0 }, lastRejectedAt: { gte: rejectSince } },
      select: { id: true },
    }),
    // Newest processed deliveries via the (status, received_at) index, then their events.
    prisma.delivery.findMany({
      where: { status: "processed", ...real },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: options.recentLimit ?? 10,
      select: { id: true },
    }),
  ]);
  const total = (kind: string) => Number(totalRows.find((r) => r.kind === kind)?.n ?? 0);
  const [candidates, events, deliveries] = [total("candidates"), total("events"), total("deliveries")];
  const deltas = totalRows.reduce((a, r) => a + Number(r.deltas), 0);
  // Fold here once deltas pile up: reads stay O(groups) without a scheduler. Concurrent readers
  // are safe (the function's advisory lock lets one fold); a failure only leaves the deltas for later.
  if (deltas >= (options.compactAfter ?? COMPACT_AFTER_DELTAS)) await compactStatRollups(prisma).catch(() => 0);

  const byStatus = Object.fromEntries(deliveryStatuses.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const row of statusRows) if ((deliveryStatuses as readonly string[]).includes(row.status)) byStatus[row.status as DeliveryStatus] = row._count._all;

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

  const attentionIds = [...new Set([...failedRows.map((r) => r.endpointId), ...rejectedEndpoints.map((e) => e.id)])];
  const [attentionEndpoints, recentEvents] = await Promise.all([
    attentionIds.length === 0
      ? Promise.resolve([])
      : prisma.endpoint.findMany({
          where: { id: { in: attentionIds } },
          select: { id: true, name: true, provider: true, enabled: true, rejectedCount: true, lastRejectedAt: true, lastRejectReason: true, deletedAt: true },
        }),
    recentDeliveries.length === 0
      ? Promise.resolve([])
      : prisma.event.findMany({
          where: { deliveryId: { in: recentDeliveries.map((d) => d.id) } },
          orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
          take: options.recentLimit ?? 10,
          select: {
            id: true,
            type: true,
            providerEvent: true,
            typeInferred: true,
            provider: true,
            deliveryId: true,
            occurredAt: true,
            receivedAt: true,
            candidateId: true,
            jobTitle: true,
            stageTo: true,
            endpointId: true,
            candidateName: true,
            candidate: { select: { name: true, externalId: true } },
          },
        }),
  ]);

  const failedBy = new Map(failedRows.map((r) => [r.endpointId, { count: r._count._all, last: r._max.receivedAt }]));
  const rejectedInWindow = (at: Date | null) => at !== null && at >= rejectSince;
  const attention = attentionEndpoints
    .filter((e) => e.deletedAt === null || failedBy.has(e.id))
    .map((e) => ({
      endpointId: e.id,
      name: e.name,
      provider: e.provider,
      enabled: e.enabled,
      failed24h: failedBy.get(e.id)?.count ?? 0,
      lastFailedAt: failedBy.get(e.id)?.last ?? null,
      rejectedCount: rejectedInWindow(e.lastRejectedAt) ? e.rejectedCount : 0,
      lastRejectedAt: e.lastRejectedAt,
      lastRejectReason: e.lastRejectReason,
    }))
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
    recentEvents: recentEvents.map(({ candidate, candidateName, ...e }) => ({
      ...e,
      candidateName: candidate.name ?? candidateName,
      candidateExternalId: candidate.externalId,
    })),
    attention,
  };
}
