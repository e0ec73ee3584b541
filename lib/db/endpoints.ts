import type { PrismaClient } from "./generated/client";
import type { Sql } from "./sql";
import { recordRejectedRequestStatements, type RejectedRequestInput } from "./rejected-requests";

const publicEndpointSelect = {
  id: true,
  provider: true,
  name: true,
  enabled: true,
  rejectedCount: true,
  lastRejectedAt: true,
  lastRejectReason: true,
  secretHint: true,
  previousValidUntil: true,
  secretRotatedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface CreateEndpointOptions {
  id: string;
  provider: string;
  name: string;
  /** Already encrypted. */
  secret: string | null;
  secretHint?: string | null;
}

export function createEndpoint(prisma: PrismaClient, options: CreateEndpointOptions) {
  return prisma.endpoint.create({ data: options, select: publicEndpointSelect });
}

export function listEndpoints(prisma: PrismaClient) {
  return prisma.endpoint.findMany({
    where: { deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: publicEndpointSelect,
  });
}

export function getEndpoint(prisma: PrismaClient, id: string) {
  return prisma.endpoint.findFirst({ where: { id, deletedAt: null }, select: publicEndpointSelect });
}

/** What the ingest path needs: includes the secret, so it never leaves lib/ingest. */
export interface IngestEndpoint {
  id: string;
  provider: string;
  secret: string | null;
  previousSecret: string | null;
  previousValidUntil: Date | null;
  enabled: boolean;
}

/** Read on every delivery, hence plain SQL (see lib/db/sql.ts). */
export async function getEndpointForIngest(sql: Sql, id: string): Promise<IngestEndpoint | null> {
  const [row] = await sql.query<{ id: string; provider: string; secret: string | null; previous_secret: string | null; previous_valid_until: Date | string | null; enabled: boolean }>({
    name: "ingest_endpoint",
    text: "SELECT id, provider, secret, previous_secret, previous_valid_until, enabled FROM endpoints WHERE id = $1 AND deleted_at IS NULL",
    params: [id],
  });
  if (!row) return null;
  return {
    id: row.id,
    provider: row.provider,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousValidUntil: row.previous_valid_until === null ? null : new Date(row.previous_valid_until),
    enabled: row.enabled,
  };
}

/**
 * Each delivery needs its endpoint; reading it once a second instead of once a delivery takes a
 * statement off every request. A change made through this instance applies at once (the entry is
 * dropped before and after the write); other instances see it within INGEST_ENDPOINT_TTL_MS. Unknown ids are not cached, so a new
 * endpoint works at once everywhere.
 */
export const INGEST_ENDPOINT_TTL_MS = 1_000;
// On globalThis: the webhook route (pages/) and the settings API (app/) are separate bundles, each
// with its own copy of this module, and a change made through one must reach the other's readers.
const shared = globalThis as unknown as { ingestEndpointCache?: Map<string, { sql: Sql; endpoint: IngestEndpoint; expires: number }> };
const ingestEndpoints = (shared.ingestEndpointCache ??= new Map());

export async function getEndpointForIngestCached(sql: Sql, id: string, now = Date.now()): Promise<IngestEndpoint | null> {
  const hit = ingestEndpoints.get(id);
  if (hit && hit.sql === sql && hit.expires > now) return hit.endpoint;
  const endpoint = await getEndpointForIngest(sql, id);
  if (endpoint) {
    if (ingestEndpoints.size >= 10_000) ingestEndpoints.clear();
    ingestEndpoints.set(id, { sql, endpoint, expires: now + INGEST_ENDPOINT_TTL_MS });
  } else {
    ingestEndpoints.delete(id);
  }
  return endpoint;
}

function forgetIngestEndpoint(id: string): void {
  ingestEndpoints.delete(id);
}

/** The current secret becomes the previous one, accepted until `previousValidUntil`. */
export async function rotateEndpointSecret(
  prisma: PrismaClient,
  id: string,
  next: { secret: string; secretHint: string; previousValidUntil: Date; rotatedAt: Date },
): Promise<boolean> {
  forgetIngestEndpoint(id);
  const count = await prisma.$executeRaw`
    UPDATE endpoints SET previous_secret = secret, previous_valid_until = ${next.previousValidUntil},
      secret = ${next.secret}, secret_hint = ${next.secretHint}, secret_rotated_at = ${next.rotatedAt}, updated_at = now()
    WHERE id = ${id} AND deleted_at IS NULL`;
  forgetIngestEndpoint(id);
  return count > 0;
}

/** Secrets stored before encryption at rest existed: re-written encrypted at start-up. */
export function listEndpointSecrets(prisma: PrismaClient) {
  return prisma.endpoint.findMany({ select: { id: true, secret: true, previousSecret: true } });
}

export async function updateEndpointSecrets(prisma: PrismaClient, id: string, secrets: { secret: string | null; previousSecret: string | null; secretHint?: string | null }) {
  forgetIngestEndpoint(id);
  await prisma.endpoint.update({ where: { id }, data: secrets, select: { id: true } });
  forgetIngestEndpoint(id);
}

export interface EndpointActivity {
  lastDeliveryAt: Date | null;
  lastDeliveryStatus: string | null;
  last24h: { processed: number; ignored: number; duplicate: number; failed: number; received: number; rejected: number };
}

/** Per endpoint: the latest delivery and the last 24 h of outcomes, in three grouped queries. */
export async function getEndpointActivity(prisma: PrismaClient, ids: string[], now = new Date()): Promise<Map<string, EndpointActivity>> {
  const since = new Date(now.getTime() - 24 * 3600_000);
  const result = new Map<string, EndpointActivity>(
    ids.map((id) => [id, { lastDeliveryAt: null, lastDeliveryStatus: null, last24h: { processed: 0, ignored: 0, duplicate: 0, failed: 0, received: 0, rejected: 0 } }]),
  );
  if (ids.length === 0) return result;
  const [latest, counts, rejected] = await Promise.all([
    prisma.$queryRaw<{ endpoint_id: string; received_at: Date; status: string }[]>`
      SELECT DISTINCT ON (endpoint_id) endpoint_id, received_at, status FROM deliveries
      WHERE endpoint_id = ANY(${ids}) ORDER BY endpoint_id, received_at DESC, id DESC`,
    prisma.$queryRaw<{ endpoint_id: string; status: string; n: number }[]>`
      SELECT endpoint_id, status, count(*)::int AS n FROM deliveries
      WHERE endpoint_id = ANY(${ids}) AND received_at >= ${since} GROUP BY endpoint_id, status`,
    prisma.$queryRaw<{ endpoint_id: string; n: number }[]>`
      SELECT endpoint_id, count(*)::int AS n FROM endpoint_rejections
      WHERE endpoint_id = ANY(${ids}) AND at >= ${since} GROUP BY endpoint_id`,
  ]);
  for (const row of latest) {
    const a = result.get(row.endpoint_id)!;
    a.lastDeliveryAt = row.received_at;
    a.lastDeliveryStatus = row.status;
  }
  for (const row of counts) {
    const a = result.get(row.endpoint_id)!;
    if (row.status in a.last24h) a.last24h[row.status as keyof EndpointActivity["last24h"]] = row.n;
  }
  for (const row of rejected) result.get(row.endpoint_id)!.last24h.rejected = row.n;
  return result;
}

export interface UpdateEndpointOptions {
  name?: string;
  enabled?: boolean;
}

export async function updateEndpoint(prisma: PrismaClient, id: string, changes: UpdateEndpointOptions) {
  forgetIngestEndpoint(id);
  const result = await prisma.endpoint.updateMany({ where: { id, deletedAt: null }, data: changes });
  forgetIngestEndpoint(id);
  return result.count === 0 ? null : getEndpoint(prisma, id);
}

/** Soft delete: deliveries and events received through the endpoint stay and keep their link. */
export async function deleteEndpoint(prisma: PrismaClient, id: string): Promise<boolean> {
  forgetIngestEndpoint(id);
  const result = await prisma.endpoint.updateMany({
    where: { id, deletedAt: null },
    data: { deletedAt: new Date(), enabled: false },
  });
  forgetIngestEndpoint(id);
  return result.count > 0;
}

export async function recordRejectedAttempt(
  prisma: PrismaClient,
  rejection: { id: string; endpointId: string; status: number; reason: string; at: Date },
  /** What was sent, for the delivery log's `status=rejected` (bounded per endpoint). */
  request?: Omit<RejectedRequestInput, keyof typeof rejection>,
): Promise<void> {
  const reason = rejection.reason.slice(0, 500);
  const counted = [
    prisma.endpoint.update({
      where: { id: rejection.endpointId },
      data: { rejectedCount: { increment: 1 }, lastRejectedAt: rejection.at, lastRejectReason: reason },
      select: { id: true },
    }),
    prisma.endpointRejection.create({ data: { ...rejection, reason }, select: { id: true } }),
  ] as const;
  await (request ? prisma.$transaction([...counted, ...recordRejectedRequestStatements(prisma, { ...request, ...rejection })]) : prisma.$transaction([...counted]));
}
