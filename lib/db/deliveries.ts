import { Prisma, type PrismaClient } from "./generated/client";

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
 * Stores the raw delivery and claims its idempotency key in one transaction. The unique key on
 * (endpoint, key) decides which of two concurrent redeliveries is the original, across instances;
 * the loser is still stored, as a `duplicate` pointing at the original.
 */
export async function storeDelivery(prisma: PrismaClient, delivery: NewDelivery): Promise<{ duplicateOf: string | null }> {
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ delivery_id: string }[]>`
      INSERT INTO idempotency_keys (endpoint_id, key, delivery_id)
      VALUES (${delivery.endpointId}, ${delivery.idempotencyKey}, ${delivery.id})
      ON CONFLICT DO NOTHING
      RETURNING delivery_id`;
    let duplicateOf: string | null = null;
    if (claimed.length === 0) {
      // A new statement sees the committed winner under READ COMMITTED.
      const winner = await tx.$queryRaw<{ delivery_id: string }[]>`
        SELECT delivery_id FROM idempotency_keys WHERE endpoint_id = ${delivery.endpointId} AND key = ${delivery.idempotencyKey}`;
      duplicateOf = winner[0]?.delivery_id ?? null;
    }
    await tx.delivery.create({
      data: {
        ...delivery,
        // Prisma types Bytes as Uint8Array<ArrayBuffer>; a Buffer is one, over a possibly pooled ArrayBuffer.
        body: delivery.body as Uint8Array<ArrayBuffer>,
        status: duplicateOf ? "duplicate" : "received",
        duplicateOfId: duplicateOf,
      },
      select: { id: true },
    });
    return { duplicateOf };
  });
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
  limit: number;
  cursor?: { receivedAt: Date; id: string };
}

export async function listDeliveries(prisma: PrismaClient, options: ListDeliveriesOptions) {
  const where: Prisma.DeliveryWhereInput = {
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
