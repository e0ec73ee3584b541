import type { DeliveryStatus } from "../contracts/delivery-status";
import type { PrismaClient } from "./generated/client";
import type { Sql, SqlParam, SqlQuery } from "./sql";
import { findDeliveryIdsMatching } from "./delivery-search";


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
  bodyPurgedAt: true,
  bodyPurgeReason: true,
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
  bodyPurgedAt: true,
  bodyPurgeReason: true,
  bodySize: true,
  bodyRedactedAt: true,
  redactedFields: true,
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

export interface DeliverySummary {
  id: string;
  endpointId: string;
  provider: string;
  receivedAt: Date;
  method: string;
  contentType: string | null;
  status: string;
  error: string | null;
  eventType: string | null;
  schemaDrift: unknown;
  duplicateOfId: string | null;
  idempotencyKey: string;
  idempotencySource: string;
  processedAt: Date | null;
  processCount: number;
  bodySha256: string;
  /** Set when the raw body was dropped (erasure, retention). */
  bodyPurgedAt: Date | null;
  bodyPurgeReason: string | null;
  eventCount: number;
}

/**
 * One keyset page of the delivery log, newest first. Plain SQL because of what Prisma made of it:
 * its `_count` of events is a LEFT JOIN to `SELECT delivery_id, count(*) FROM events GROUP BY
 * delivery_id`, an aggregate over every event before the first row (2.3 s at 1,000,000). Here each
 * row's count is an index-only probe of `events (delivery_id, seq)`, and the filters and the
 * row-value cursor match the order of the index that serves them (plans pinned in
 * tests/integration/deliveries-plan.test.ts): the cost is that of the page, whatever the log's size.
 */
export function deliveriesPageQuery(options: ListDeliveriesOptions & { ids?: string[] }): SqlQuery {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => `$${params.push(value)}`;
  const where: string[] = [];
  if (options.endpointId) where.push(`d.endpoint_id = ${param(options.endpointId)}`);
  if (options.status) where.push(`d.status = ${param(options.status)}`);
  if (options.ids) where.push(`d.id IN (SELECT jsonb_array_elements_text(${param(JSON.stringify(options.ids))}::jsonb))`);
  if (options.from) where.push(`d.received_at >= ${param(options.from.toISOString())}::timestamptz`);
  if (options.to) where.push(`d.received_at < ${param(options.to.toISOString())}::timestamptz`);
  if (options.cursor) where.push(`(d.received_at, d.id) < (${param(options.cursor.receivedAt.toISOString())}::timestamptz, ${param(options.cursor.id)})`);
  return {
    text: `SELECT d.id, d.endpoint_id AS "endpointId", d.provider, d.received_at AS "receivedAt", d.method, d.content_type AS "contentType",
                  d.status, d.error, d.event_type AS "eventType", d.schema_drift AS "schemaDrift", d.duplicate_of_id AS "duplicateOfId",
                  d.idempotency_key AS "idempotencyKey", d.idempotency_source AS "idempotencySource", d.processed_at AS "processedAt",
                  d.process_count AS "processCount", d.body_sha256 AS "bodySha256",
                  d.body_purged_at AS "bodyPurgedAt", d.body_purge_reason AS "bodyPurgeReason",
                  (SELECT count(*)::int FROM events e WHERE e.delivery_id = d.id) AS "eventCount"
           FROM deliveries d
           ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
           ORDER BY d.received_at DESC, d.id DESC
           LIMIT ${param(options.limit + 1)}`,
    params,
  };
}

export async function listDeliveries(
  db: { sql: Sql; prisma: PrismaClient },
  options: ListDeliveriesOptions,
): Promise<{ rows: DeliverySummary[]; hasMore: boolean }> {
  // `q` names a handful of deliveries through indexed lookups; the page then reads only those.
  const ids = options.q ? await findDeliveryIdsMatching(db.prisma, options.q) : undefined;
  if (ids?.length === 0) return { rows: [], hasMore: false };
  const rows = await db.sql.query<DeliverySummary>(deliveriesPageQuery({ ...options, ids }));
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

/**
 * One delivery with its raw body, in one plain-SQL statement (the delivery panel opens it on every
 * click): the shape Prisma's `select` gave, `_count.events` an index-only probe of `events (delivery_id, seq)`.
 */
export async function getDelivery(sql: Sql, id: string) {
  const [row] = await sql.query<DeliveryDetailRow & { event_count: number }>({
    name: "delivery_detail",
    text: `SELECT d.id, d.endpoint_id AS "endpointId", d.provider, d.received_at AS "receivedAt", d.method, d.content_type AS "contentType",
                  d.status, d.error, d.event_type AS "eventType", d.schema_drift AS "schemaDrift", d.duplicate_of_id AS "duplicateOfId",
                  d.idempotency_key AS "idempotencyKey", d.idempotency_source AS "idempotencySource", d.processed_at AS "processedAt",
                  d.process_count AS "processCount", d.body_sha256 AS "bodySha256",
                  d.body_purged_at AS "bodyPurgedAt", d.body_purge_reason AS "bodyPurgeReason", d.body_size AS "bodySize",
                  d.body_redacted_at AS "bodyRedactedAt", d.redacted_fields AS "redactedFields",
                  d.query, d.headers, d.body,
                  (SELECT count(*)::int FROM events e WHERE e.delivery_id = d.id) AS event_count
           FROM deliveries d WHERE d.id = $1`,
    params: [id],
  });
  if (!row) return null;
  const { event_count, ...delivery } = row;
  return { ...delivery, _count: { events: Number(event_count) } };
}

interface DeliveryDetailRow extends Omit<DeliverySummary, "eventCount"> {
  bodySize: number | null;
  bodyRedactedAt: Date | null;
  redactedFields: unknown;
  query: string | null;
  headers: Record<string, string> | null;
  body: Uint8Array;
}

/** Deliveries stored but never processed (the process died between the two steps). */
/** Deliveries still `received` that arrived before `receivedBefore`, oldest first, ready to process. */
export function listUnprocessedDeliveries(prisma: PrismaClient, receivedBefore: Date, limit: number) {
  return prisma.delivery.findMany({
    where: { status: "received", receivedAt: { lt: receivedBefore } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: limit,
    select: deliveryForProcessingSelect,
  });
}

/**
 * Deliveries the recovery sweep would pick up (received, not processed, older than its grace
 * period), counted up to `cap`: read from the status index, cheap while the backlog is small.
 */
export async function countRecoveryBacklog(sql: Sql, graceMs = 30_000, cap = 100_000): Promise<number> {
  const rows = await sql.query<{ n: number }>({
    text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM deliveries WHERE status = 'received' AND received_at < $1::timestamptz LIMIT $2) b`,
    params: [new Date(Date.now() - graceMs).toISOString(), cap],
  });
  return Number(rows[0]?.n ?? 0);
}

/** Non-duplicate deliveries in receive order, a keyset page at a time: what a full reprocess walks. */
export async function listDeliveriesForReprocess(prisma: PrismaClient, after: { receivedAt: Date; id: string } | null, take: number) {
  return prisma.delivery.findMany({
    where: {
      status: { not: "duplicate" },
      // A bodiless delivery (erasure, retention) has nothing to rebuild from: its events stay as they are.
      bodyPurgedAt: null,
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
  return prisma.delivery.count({ where: { status: { not: "duplicate" }, bodyPurgedAt: null } });
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
