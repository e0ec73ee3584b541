import type { Prisma, PrismaClient } from "./generated/client";

export const eventSelect = {
  id: true,
  type: true,
  providerEvent: true,
  typeInferred: true,
  provider: true,
  endpointId: true,
  deliveryId: true,
  occurredAt: true,
  receivedAt: true,
  candidateId: true,
  candidateName: true,
  candidateEmail: true,
  jobId: true,
  jobTitle: true,
  applicationId: true,
  stageFrom: true,
  stageTo: true,
  actor: true,
  details: true,
} as const;

export interface ListEventsOptions {
  candidateId?: string;
  provider?: string;
  endpointId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: { occurredAt: Date; receivedAt: Date; id: string };
  withSnapshot?: boolean;
}

/** Newest first by (occurred, received, id): the same order the timeline uses. */
export async function listEvents(prisma: PrismaClient, options: ListEventsOptions) {
  const and: Prisma.EventWhereInput[] = [];
  if (options.candidateId) and.push({ candidateId: options.candidateId });
  if (options.provider) and.push({ provider: options.provider });
  if (options.endpointId) and.push({ endpointId: options.endpointId });
  if (options.type) and.push({ type: options.type });
  if (options.from) and.push({ occurredAt: { gte: options.from } });
  if (options.to) and.push({ occurredAt: { lt: options.to } });
  const c = options.cursor;
  if (c) {
    and.push({
      OR: [
        { occurredAt: { lt: c.occurredAt } },
        { occurredAt: c.occurredAt, receivedAt: { lt: c.receivedAt } },
        { occurredAt: c.occurredAt, receivedAt: c.receivedAt, id: { lt: c.id } },
      ],
    });
  }
  const rows = await prisma.event.findMany({
    where: { AND: and },
    orderBy: [{ occurredAt: "desc" }, { receivedAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: { ...eventSelect, snapshot: options.withSnapshot ?? false },
  });
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}
