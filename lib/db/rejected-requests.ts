import type { PrismaClient } from "./generated/client";

/** Refused requests kept per endpoint; older ones are dropped as new ones arrive, so a flood cannot fill the disk. */
export const REJECTED_KEPT_PER_ENDPOINT = 100;
/**
 * Requests to URLs no endpoint has (404) are kept as one more set of this size (endpoint_id null):
 * anyone can send them, so they get a bound of their own and cannot push a real endpoint's out.
 * How many are written per second is bounded too (see lib/http/webhook-handler.ts).
 */
export const REJECTED_KEPT_UNKNOWN = 100;
/** Body bytes kept for a signature or content-type refusal: enough to see what was sent, not a copy of it. */
export const REJECTED_BODY_MAX_BYTES = 4 * 1024;
/** The statuses whose body is worth keeping: the sender reached a real endpoint but something about the request was off. */
const BODY_KEPT_FOR = new Set([401, 415]);

export interface RejectedRequestInput {
  id: string;
  /** Null: the URL matched no endpoint. */
  endpointId: string | null;
  provider: string | null;
  at: Date;
  status: number;
  error: string;
  reason: string;
  method: string;
  contentType: string | null;
  source: string | null;
  headers: Record<string, string>;
  /** What was read of the body (empty when refused before reading it). */
  body: Buffer;
  /** The body's size when it was not read (its declared Content-Length); `body.length` otherwise. */
  size?: number;
}

/** Statements that log one refused request and drop what falls outside the per-endpoint bound (run inside the caller's transaction). */
export function recordRejectedRequestStatements(prisma: PrismaClient, input: RejectedRequestInput) {
  const { body, size, ...row } = input;
  return [
    prisma.rejectedRequest.create({
      data: {
        ...row,
        reason: row.reason.slice(0, 500),
        size: size ?? body.length,
        body: BODY_KEPT_FOR.has(row.status) ? new Uint8Array(body.subarray(0, REJECTED_BODY_MAX_BYTES)) : null,
      },
      select: { id: true },
    }),
    // Both walk (endpoint_id, at) from the newest: `IS NULL` uses that index as `=` does.
    input.endpointId === null
      ? prisma.$executeRaw`
      DELETE FROM rejected_requests WHERE id IN (
        SELECT id FROM rejected_requests WHERE endpoint_id IS NULL
        ORDER BY at DESC, id DESC OFFSET ${REJECTED_KEPT_UNKNOWN})`
      : prisma.$executeRaw`
      DELETE FROM rejected_requests WHERE id IN (
        SELECT id FROM rejected_requests WHERE endpoint_id = ${input.endpointId}
        ORDER BY at DESC, id DESC OFFSET ${REJECTED_KEPT_PER_ENDPOINT})`,
  ] as const;
}

/** A request to a URL no endpoint has: nothing to count it on, only the bounded log. */
export async function recordUnknownEndpointRequest(prisma: PrismaClient, input: Omit<RejectedRequestInput, "endpointId" | "provider">): Promise<void> {
  await prisma.$transaction([...recordRejectedRequestStatements(prisma, { ...input, endpointId: null, provider: null })]);
}

export interface ListRejectedOptions {
  endpointId?: string;
  from?: Date;
  to?: Date;
  /** A rejected request's id, or text in its reason. */
  q?: string;
  cursor?: { at: Date; id: string };
  limit: number;
}

export async function listRejectedRequests(prisma: PrismaClient, options: ListRejectedOptions) {
  const rows = await prisma.rejectedRequest.findMany({
    where: {
      ...(options.endpointId ? { endpointId: options.endpointId } : {}),
      ...(options.from || options.to ? { at: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) } } : {}),
      AND: [
        options.q ? { OR: [{ id: options.q }, { reason: { contains: options.q, mode: "insensitive" as const } }] } : {},
        options.cursor ? { OR: [{ at: { lt: options.cursor.at } }, { at: options.cursor.at, id: { lt: options.cursor.id } }] } : {},
      ],
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: options.limit + 1,
  });
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}
