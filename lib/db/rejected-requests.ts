import type { PrismaClient } from "./generated/client";

/** Refused requests kept per endpoint; older ones are dropped as new ones arrive, so a flood cannot fill the disk. */
export const REJECTED_KEPT_PER_ENDPOINT = 100;
/** Body bytes kept for a signature or content-type refusal: enough to see what was sent, not a copy of it. */
export const REJECTED_BODY_MAX_BYTES = 4 * 1024;
/** The statuses whose body is worth keeping: the sender reached a real endpoint but something about the request was off. */
const BODY_KEPT_FOR = new Set([401, 415]);

export interface RejectedRequestInput {
  id: string;
  endpointId: string;
  provider: string;
  at: Date;
  status: number;
  error: string;
  reason: string;
  method: string;
  contentType: string | null;
  source: string | null;
  headers: Record<string, string>;
  body: Buffer;
}

/** Statements that log one refused request and drop what falls outside the per-endpoint bound (run inside the caller's transaction). */
export function recordRejectedRequestStatements(prisma: PrismaClient, input: RejectedRequestInput) {
  const { body, ...row } = input;
  return [
    prisma.rejectedRequest.create({
      data: {
        ...row,
        reason: row.reason.slice(0, 500),
        size: body.length,
        body: BODY_KEPT_FOR.has(row.status) ? new Uint8Array(body.subarray(0, REJECTED_BODY_MAX_BYTES)) : null,
      },
      select: { id: true },
    }),
    prisma.$executeRaw`
      DELETE FROM rejected_requests WHERE id IN (
        SELECT id FROM rejected_requests WHERE endpoint_id = ${input.endpointId}
        ORDER BY at DESC, id DESC OFFSET ${REJECTED_KEPT_PER_ENDPOINT})`,
  ] as const;
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
