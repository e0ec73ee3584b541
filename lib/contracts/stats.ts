import { z } from "zod";
import { deliverySummarySchema, eventSummarySchema } from "./responses";
import { normalizedEventTypes, providerIds } from "../providers/types";

/*
 * Wire shape of GET /api/stats (the overview). Schema only: the client imports this file, so it
 * must not import anything server-side; the handler lives in app/api/stats/route.ts.
 */

const isoDate = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const deliveryStatus = deliverySummarySchema.shape.status;

export const STATS_DAYS = 14;
export const ATTENTION_REJECT_WINDOW_DAYS = 7;

export const overviewStatsSchema = z.object({
  generatedAt: isoDate,
  /** No endpoint and no delivery yet: the dashboard shows its first-run guide. */
  firstRun: z.boolean(),
  totals: z.object({
    candidates: count,
    events: count,
    deliveries: count,
    endpoints: count,
  }),
  /** Deliveries received in the last 24 hours, per status (every status present, 0 when none). */
  last24h: z.object({
    since: isoDate,
    total: count,
    byStatus: z.record(deliveryStatus, count),
  }),
  /** Events per UTC day by received time (not the provider's occurred time), oldest day first. */
  activity: z.object({
    basis: z.literal("receivedAt"),
    since: isoDate,
    days: z.array(
      z.object({
        day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        total: count,
        byProvider: z.record(z.enum(providerIds), count),
      }),
    ),
    /** Same window: totals per provider and per normalized event type, largest first. */
    byProvider: z.array(z.object({ provider: z.enum(providerIds), count })),
    byType: z.array(z.object({ type: z.enum(normalizedEventTypes), count })),
  }),
  /** The 10 newest events by received time. */
  recentEvents: z.array(
    eventSummarySchema.pick({
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
    }).extend({ candidateName: z.string().nullable(), candidateExternalId: z.string() }),
  ),
  /** Endpoints with failed deliveries in the last 24 h, or rejected requests in the last 7 days. */
  attention: z.array(
    z.object({
      endpointId: z.string(),
      name: z.string(),
      provider: z.enum(providerIds),
      enabled: z.boolean(),
      failed24h: count,
      lastFailedAt: isoDate.nullable(),
      rejectedCount: count,
      lastRejectedAt: isoDate.nullable(),
      lastRejectReason: z.string().nullable(),
    }),
  ),
});
export type OverviewStats = z.infer<typeof overviewStatsSchema>;
