import { Prisma, type PrismaClient } from "./generated/client";
import type { Sql } from "./sql";
import { findDeliveryIdsMatching } from "./delivery-search";

export const deliveryStatuses = ["received", "processed", "duplicate", "ignored", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface NewDelivery {
  id: string;
  endpointId: string;
  provider: string;
  receivedAt: Date;
  method: string;
  query: string;
  headers: Record<string, string>;
  contentType: string | null;
  body: Buffer;
  bodySha256: string;
  idempotencyKey: string;
  idempotencySource: string;
}

/**
 * Stores the raw delivery and claims its idempotency key in ONE statement (its own transaction):
 * the unique key on (endpoint, key) decides which of two concurrent redeliveries is the original,
 * across instances; the loser is still stored, as a `duplicate` pointing at the original.
 */
export async function storeDelivery(sql: Sql, delivery: NewDelivery): Promise<{ duplicateOf: string | null }> {
  const [row] = await sql.query<{ status: string; duplicate_of_id: string | null }>({
    name: "store_delivery",
    text: `WITH claim AS (
             INSERT INTO idempotency_keys (endpoint_id, key, delivery_id) VALUES ($2, $11, $1)
             ON CONFLICT DO NOTHING RETURNING delivery_id)
           INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, query, headers, content_type, body, body_sha256,
                                   idempotency_key, idempotency_source, status, duplicate_of_id)
           VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7::jsonb, $8, $9::bytea, $10, $11, $12,
                   CASE WHEN EXISTS (SELECT 1 FROM claim) THEN 'received' ELSE 'duplicate' END,
                   CASE WHEN EXISTS (SELECT 1 FROM claim) THEN NULL
                        ELSE (SELECT k.delivery_id FROM idempotency_keys k WHERE k.endpoint_id = $2 AND k.key = $11) END)
           RETURNING status, duplicate_of_id`,
    params: [
      delivery.id,
      delivery.endpointId,
      delivery.provider,
      delivery.receivedAt.toISOString(),
      delivery.method,
      delivery.query,
      JSON.stringify(delivery.headers),
      delivery.contentType,
      delivery.body,
      delivery.bodySha256,
      delivery.idempotencyKey,
      delivery.idempotencySource,
    ],
  });
  if (row.status !== "duplicate") return { duplicateOf: null };
  if (row.duplicate_of_id) return { duplicateOf: row.duplicate_of_id };
  return { duplicateOf: await linkToOriginal(sql, delivery) };
}

/**
 * The original was committed while the storing statement waited on its key: that statement's
 * snapshot predates it, a new statement sees it.
 */
async function linkToOriginal(sql: Sql, delivery: NewDelivery): Promise<string | null> {
  const [linked] = await sql.query<{ duplicate_of_id: string | null }>({
    text: `UPDATE deliveries SET duplicate_of_id = (SELECT k.delivery_id FROM idempotency_keys k WHERE k.endpoint_id = $2 AND k.key = $3)
           WHERE id = $1 RETURNING duplicate_of_id`,
    params: [delivery.id, delivery.endpointId, delivery.idempotencyKey],
  });
  return linked?.duplicate_of_id ?? null;
}

export interface StoreResult {
  id: string;
  duplicateOf: string | null;
}

/**
 * `storeDelivery` for a batch, in one statement: the first delivery of a key in the batch claims it
 * (unless an earlier one holds it); the others are stored as duplicates of the holder.
 */
export async function storeDeliveries(sql: Sql, deliveries: NewDelivery[]): Promise<StoreResult[]> {
  if (deliveries.length === 0) return [];
  const rows = await sql.query<{ id: string; status: string; duplicate_of_id: string | null }>({
    name: "store_deliveries",
    text: `WITH input AS (
             SELECT r.*, decode(r.body_base64, 'base64') AS body,
                    first_value(r.id) OVER (PARTITION BY r.endpoint_id, r.idempotency_key ORDER BY r.ord) AS lead_id
             FROM jsonb_to_recordset($1::jsonb) AS r(ord int, id text, endpoint_id text, provider text, received_at timestamptz,
               method text, query text, headers jsonb, content_type text, body_base64 text, body_sha256 text,
               idempotency_key text, idempotency_source text)
           ), claim AS (
             INSERT INTO idempotency_keys (endpoint_id, key, delivery_id)
             SELECT i.endpoint_id, i.idempotency_key, i.id FROM input i WHERE i.id = i.lead_id ORDER BY i.endpoint_id, i.idempotency_key
             ON CONFLICT DO NOTHING RETURNING delivery_id
           )
           INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, query, headers, content_type, body, body_sha256,
                                   idempotency_key, idempotency_source, status, duplicate_of_id)
           SELECT i.id, i.endpoint_id, i.provider, i.received_at, i.method, i.query, i.headers, i.content_type, i.body, i.body_sha256,
                  i.idempotency_key, i.idempotency_source,
                  CASE WHEN i.id IN (SELECT delivery_id FROM claim) THEN 'received' ELSE 'duplicate' END,
                  CASE WHEN i.id IN (SELECT delivery_id FROM claim) THEN NULL
                       WHEN i.lead_id IN (SELECT delivery_id FROM claim) THEN i.lead_id
                       ELSE (SELECT k.delivery_id FROM idempotency_keys k WHERE k.endpoint_id = i.endpoint_id AND k.key = i.idempotency_key) END
           FROM input i ORDER BY i.ord
           RETURNING id, status, duplicate_of_id`,
    params: [
      JSON.stringify(
        deliveries.map((d, ord) => ({
          ord,
          id: d.id,
          endpoint_id: d.endpointId,
          provider: d.provider,
          received_at: d.receivedAt,
          method: d.method,
          query: d.query,
          headers: d.headers,
          content_type: d.contentType,
          body_base64: Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength).toString("base64"),
          body_sha256: d.bodySha256,
          idempotency_key: d.idempotencyKey,
          idempotency_source: d.idempotencySource,
        })),
      ),
    ],
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const results: StoreResult[] = [];
  for (const d of deliveries) {
    const row = byId.get(d.id)!;
    if (row.status !== "duplicate" || row.duplicate_of_id) {
      results.push({ id: d.id, duplicateOf: row.duplicate_of_id });
      continue;
    }
    results.push({ id: d.id, duplicateOf: await linkToOriginal(sql, d) });
  }
  return results;
}

export const deliveryForProcessingSelect = {
  id: true,
  endpointId: true,
  provider: true,
  receivedAt: true,
  method: true,
  query: true,
  headers: true,
  contentType: true,
  body: true,
  status: true,
} as const;

export function getDeliveryForProcessing(prisma: PrismaClient, id: string) {
  return prisma.delivery.findUnique({ where: { id }, select: deliveryForProcessingSelect });
}

const deliverySummarySelect = {
  id: true,
  endpointId: true,
  provider: true,
  receivedAt: true,
  method: true,
  contentType: true,
  status: true,
  error: true,
  eventType: true,
  schemaDrift: true,
  duplicateOfId: true,
  idempotencyKey: true,
  idempotencySource: true,
  processedAt: true,
  processCount: true,
  bodySha256: true,
  _count: { select: { events: true } },
} as const;

export interface ListDeliveriesOptions {
  endpointId?: string;
  status?: DeliveryStatus;
  /** See findDeliveryIdsMatching. */
  q?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: { receivedAt: Date; id: string };
}

export async function listDeliveries(prisma: PrismaClient, options: ListDeliveriesOptions) {
  const matching = options.q ? await findDeliveryIdsMatching(prisma, options.q) : null;
  if (matching?.length === 0) return { rows: [], hasMore: false };
  const where: Prisma.DeliveryWhereInput = {
    ...(matching ? { id: { in: matching } } : {}),
    ...(options.from || options.to ? { receivedAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) } } : {}),
    ...(options.endpointId ? { endpointId: options.endpointId } : {}),
    ...(options.status ? { status: options.status } : {}),
    ...(options.cursor
      ? {
          OR: [
            { receivedAt: { lt: options.cursor.receivedAt } },
            { receivedAt: options.cursor.receivedAt, id: { lt: options.cursor.id } },
          ],
        }
      : {}),
  };
  const rows = await prisma.delivery.findMany({
    where,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: deliverySummarySelect,
  });
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

export function getDelivery(prisma: PrismaClient, id: string) {
  return prisma.delivery.findUnique({
    where: { id },
    select: { ...deliverySummarySelect, query: true, headers: true, body: true },
  });
}

/** Deliveries stored but never processed (the process died between the two steps). */
export async function listUnprocessedDeliveryIds(prisma: PrismaClient, olderThan: Date, limit: number): Promise<string[]> {
  const rows = await prisma.delivery.findMany({
    where: { status: "received", receivedAt: { lt: olderThan } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Non-duplicate deliveries in receive order, a keyset page at a time: what a full reprocess walks. */
export async function listDeliveriesForReprocess(prisma: PrismaClient, after: { receivedAt: Date; id: string } | null, take: number) {
  return prisma.delivery.findMany({
    where: {
      status: { not: "duplicate" },
      ...(after
        ? { OR: [{ receivedAt: { gt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { gt: after.id } }] }
        : {}),
    },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take,
    select: deliveryForProcessingSelect,
  });
}

export function countDeliveriesForReprocess(prisma: PrismaClient): Promise<number> {
  return prisma.delivery.count({ where: { status: { not: "duplicate" } } });
}

/** Candidates left with no event after a reprocess (the mapping now files their events elsewhere). */
export async function deleteEmptyCandidates(prisma: PrismaClient): Promise<number> {
  return prisma.$executeRaw`DELETE FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.candidate_id = c.id)`;
}

export function getDeliveryCandidate(prisma: PrismaClient, deliveryId: string) {
  return prisma.event.findFirst({ where: { deliveryId }, orderBy: { seq: "asc" }, select: { candidateId: true } });
}

export async function markDeliveryFailed(prisma: PrismaClient, id: string, error: string): Promise<void> {
  await prisma.delivery.update({
    where: { id },
    data: { status: "failed", error, processedAt: new Date(), processCount: { increment: 1 } },
    select: { id: true },
  });
}
