import type { PrismaClient } from "./generated/client";

export interface EndpointDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Stored and turned into events (or deliberately ignored, or a redelivery): the sender's job done. */
  succeeded: number;
  failed: number;
  /** Refused before storage (signature, content type, method). */
  rejected: number;
  /** Stored, not processed yet. */
  pending: number;
}

/** One endpoint's outcomes per UTC day over the last `days` days, oldest first, days without traffic included. */
export async function getEndpointDailyOutcomes(prisma: PrismaClient, endpointId: string, days: number, now = new Date()): Promise<EndpointDay[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (days - 1) * 86_400_000);
  const [deliveries, rejections] = await Promise.all([
    prisma.$queryRaw<{ day: string; status: string; n: number }[]>`
      SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, status, count(*)::int AS n
      FROM deliveries WHERE endpoint_id = ${endpointId} AND received_at >= ${since} GROUP BY 1, 2`,
    prisma.$queryRaw<{ day: string; n: number }[]>`
      SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
      FROM endpoint_rejections WHERE endpoint_id = ${endpointId} AND at >= ${since} GROUP BY 1`,
  ]);
  const byDay = new Map<string, EndpointDay>();
  for (let i = 0; i < days; i++) {
    const day = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, succeeded: 0, failed: 0, rejected: 0, pending: 0 });
  }
  for (const row of deliveries) {
    const d = byDay.get(row.day);
    if (!d) continue;
    if (row.status === "failed") d.failed += row.n;
    else if (row.status === "received") d.pending += row.n;
    else d.succeeded += row.n;
  }
  for (const row of rejections) {
    const d = byDay.get(row.day);
    if (d) d.rejected += row.n;
  }
  return [...byDay.values()];
}
