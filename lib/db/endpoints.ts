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
  urlRotatedAt: true,
  // At most two: the current URL and, after a rotation, the previous one (see EndpointUrl).
  urls: { select: { token: true, validUntil: true }, orderBy: { createdAt: "desc" } },
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
  /** Deleted endpoints are found too, so that their URL answers 410 (gone) and the refusal is filed under them. */
  deleted: boolean;
  /** Null when the URL it was found by is the current one; otherwise when that replaced URL stops working. */
  urlValidUntil: Date | null;
}

/**
 * The endpoint a webhook URL's token points at. Read on every delivery, hence plain SQL (see
 * lib/db/sql.ts), and one probe of endpoint_urls' primary key finds current and previous URLs
 * alike (then the endpoint by its own key). A replaced URL past its window is still returned, with
 * its `urlValidUntil`, and a deleted endpoint with `deleted`: the caller decides (see
 * getEndpointForIngestCached, and the 410 in lib/http/webhook-handler.ts).
 */
export async function getEndpointForIngest(sql: Sql, token: string): Promise<IngestEndpoint | null> {
  const [row] = await sql.query<{ id: string; provider: string; secret: string | null; previous_secret: string | null; previous_valid_until: Date | string | null; enabled: boolean; deleted: boolean; url_valid_until: Date | string | null }>({
    name: "ingest_endpoint_by_url",
    text: `SELECT e.id, e.provider, e.secret, e.previous_secret, e.previous_valid_until, e.enabled, e.deleted_at IS NOT NULL AS deleted, u.valid_until AS url_valid_until
      FROM endpoint_urls u JOIN endpoints e ON e.id = u.endpoint_id
      WHERE u.token = $1`,
    params: [token],
  });
  if (!row) return null;
  return {
    id: row.id,
    provider: row.provider,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousValidUntil: row.previous_valid_until === null ? null : new Date(row.previous_valid_until),
    enabled: row.enabled,
    deleted: row.deleted,
    urlValidUntil: row.url_valid_until === null ? null : new Date(row.url_valid_until),
  };
}

/** The token of an endpoint's current webhook URL (null: no such endpoint). */
export async function getCurrentUrlToken(sql: Sql, endpointId: string): Promise<string | null> {
  const [row] = await sql.query<{ token: string }>({
    text: `SELECT u.token FROM endpoint_urls u JOIN endpoints e ON e.id = u.endpoint_id
      WHERE u.endpoint_id = $1 AND u.valid_until IS NULL AND e.deleted_at IS NULL ORDER BY u.created_at DESC LIMIT 1`,
    params: [endpointId],
  });
  return row?.token ?? null;
}

/**
 * Each delivery needs its endpoint; reading it once a second instead of once a delivery takes a
 * statement off every request. A change made through this instance applies at once (the entries are
 * dropped before and after the write); other instances see it within INGEST_ENDPOINT_TTL_MS. Unknown
 * tokens are not cached, so a new endpoint works at once everywhere. Keyed by the URL's token.
 */
export const INGEST_ENDPOINT_TTL_MS = 1_000;
// On globalThis: the webhook route (pages/) and the settings API (app/) are separate bundles, each
// with its own copy of this module, and a change made through one must reach the other's readers.
const shared = globalThis as unknown as { ingestEndpointCache?: Map<string, { sql: Sql; endpoint: IngestEndpoint; expires: number }> };
const ingestEndpoints = (shared.ingestEndpointCache ??= new Map());

/** Whether the URL the endpoint was found by is a replaced one whose overlap window has ended (checked on every use, cached or not). */
export function urlExpired(endpoint: IngestEndpoint, now = Date.now()): boolean {
  return endpoint.urlValidUntil !== null && endpoint.urlValidUntil.getTime() <= now;
}

/**
 * The endpoint a URL token points at, null for an unknown token. A replaced URL past its window is
 * returned too (see urlExpired): the webhook route answers it 404 but files the refusal under the endpoint.
 */
export async function getEndpointForIngestCached(sql: Sql, token: string, now = Date.now()): Promise<IngestEndpoint | null> {
  const hit = ingestEndpoints.get(token);
  let endpoint: IngestEndpoint | null;
  if (hit && hit.sql === sql && hit.expires > now) {
    endpoint = hit.endpoint;
  } else {
    endpoint = await getEndpointForIngest(sql, token);
    if (endpoint) {
      if (ingestEndpoints.size >= 10_000) ingestEndpoints.clear();
      ingestEndpoints.set(token, { sql, endpoint, expires: now + INGEST_ENDPOINT_TTL_MS });
    } else {
      ingestEndpoints.delete(token);
    }
  }
  return endpoint;
}

/** Drops every cached URL of the endpoint (its current and previous tokens alike). */
function forgetIngestEndpoint(id: string): void {
  for (const [token, entry] of ingestEndpoints) if (entry.endpoint.id === id) ingestEndpoints.delete(token);
}

/**
 * A new URL token; the current one becomes the previous one, accepted until `previousValidUntil`
 * (the one before that, if still in its window, ends now: one previous URL at a time, as with secrets).
 */
export async function rotateEndpointUrl(
  prisma: PrismaClient,
  id: string,
  next: { token: string; previousValidUntil: Date; rotatedAt: Date },
): Promise<boolean> {
  forgetIngestEndpoint(id);
  const [, , , updated] = await prisma.$transaction([
    prisma.$executeRaw`DELETE FROM endpoint_urls WHERE endpoint_id = ${id} AND valid_until IS NOT NULL`,
    prisma.$executeRaw`UPDATE endpoint_urls SET valid_until = ${next.previousValidUntil} WHERE endpoint_id = ${id} AND valid_until IS NULL`,
    prisma.$executeRaw`
      INSERT INTO endpoint_urls (token, endpoint_id, created_at)
      SELECT ${next.token}, id, ${next.rotatedAt} FROM endpoints WHERE id = ${id} AND deleted_at IS NULL`,
    prisma.$executeRaw`UPDATE endpoints SET url_rotated_at = ${next.rotatedAt}, updated_at = now() WHERE id = ${id} AND deleted_at IS NULL`,
  ]);
  forgetIngestEndpoint(id);
  return updated > 0;
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
  /** Last 24 h: deliveries with drift notes (where they differ from the provider's docs) and how many notes. */
  drift24h: { deliveries: number; notes: number };
  /** Last 24 h: ignored deliveries per provider event (actions not turned into history), most first. */
  ignoredEvents24h: { eventType: string; count: number }[];
}

/**
 * The newest delivery of each endpoint in $1: one probe of (endpoint_id, received_at, id) per
 * endpoint, whatever the log's size. (`DISTINCT ON (endpoint_id)` read every delivery of the
 * endpoints: 2.6 s at 1,000,000.) The probe selects only that index's columns so that it is an
 * index-only scan, which the planner prefers to walking the time index and filtering by endpoint —
 * a walk that never ends early for an endpoint without recent deliveries. The status is then read
 * by primary key.
 */
export const latestDeliveryPerEndpointSql = `
  SELECT e.id AS endpoint_id, d.received_at, (SELECT x.status FROM deliveries x WHERE x.id = d.id) AS status
  FROM unnest($1::text[]) AS e(id)
  CROSS JOIN LATERAL (SELECT received_at, id FROM deliveries WHERE endpoint_id = e.id ORDER BY received_at DESC, id DESC LIMIT 1) d`;

/** Per endpoint: the latest delivery and the last 24 h of outcomes, in three queries. */
export async function getEndpointActivity(prisma: PrismaClient, ids: string[], now = new Date()): Promise<Map<string, EndpointActivity>> {
  const since = new Date(now.getTime() - 24 * 3600_000);
  const result = new Map<string, EndpointActivity>(
    ids.map((id) => [
      id,
      {
        lastDeliveryAt: null,
        lastDeliveryStatus: null,
        last24h: { processed: 0, ignored: 0, duplicate: 0, failed: 0, received: 0, rejected: 0 },
        drift24h: { deliveries: 0, notes: 0 },
        ignoredEvents24h: [],
      },
    ]),
  );
  if (ids.length === 0) return result;
  const [latest, counts, rejected, ignored] = await Promise.all([
    prisma.$queryRawUnsafe<{ endpoint_id: string; received_at: Date; status: string }[]>(latestDeliveryPerEndpointSql, ids),
    // Drift notes are a JSON array per delivery (older rows too: bare paths).
    prisma.$queryRaw<{ endpoint_id: string; status: string; n: number; drift_deliveries: number; drift_notes: number }[]>`
      SELECT endpoint_id, status, count(*)::int AS n,
        count(*) FILTER (WHERE jsonb_typeof(schema_drift) = 'array' AND jsonb_array_length(schema_drift) > 0)::int AS drift_deliveries,
        coalesce(sum(jsonb_array_length(schema_drift)) FILTER (WHERE jsonb_typeof(schema_drift) = 'array'), 0)::int AS drift_notes
      FROM deliveries
      WHERE endpoint_id = ANY(${ids}) AND received_at >= ${since} GROUP BY endpoint_id, status`,
    prisma.$queryRaw<{ endpoint_id: string; n: number }[]>`
      SELECT endpoint_id, count(*)::int AS n FROM endpoint_rejections
      WHERE endpoint_id = ANY(${ids}) AND at >= ${since} GROUP BY endpoint_id`,
    prisma.$queryRaw<{ endpoint_id: string; event_type: string | null; n: number }[]>`
      SELECT endpoint_id, event_type, count(*)::int AS n FROM deliveries
      WHERE endpoint_id = ANY(${ids}) AND received_at >= ${since} AND status = 'ignored'
      GROUP BY endpoint_id, event_type ORDER BY n DESC, event_type`,
  ]);
  for (const row of latest) {
    const a = result.get(row.endpoint_id)!;
    a.lastDeliveryAt = row.received_at;
    a.lastDeliveryStatus = row.status;
  }
  for (const row of counts) {
    const a = result.get(row.endpoint_id)!;
    if (row.status in a.last24h) a.last24h[row.status as keyof EndpointActivity["last24h"]] = row.n;
    a.drift24h.deliveries += row.drift_deliveries;
    a.drift24h.notes += row.drift_notes;
  }
  for (const row of ignored) result.get(row.endpoint_id)!.ignoredEvents24h.push({ eventType: row.event_type ?? "(none)", count: row.n });
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
