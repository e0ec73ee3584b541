import { candidateConditions, type CandidateFilters } from "./candidate-filters";
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
  stageDerived: true,
  actor: true,
  details: true,
} as const;

/** Filters shared by GET /api/events and the CSV export (one builder, one meaning). */
export interface EventFilters extends CandidateFilters {
  candidateId?: string;
  /**
   * The candidate and the records merged into it (resolved from candidateId by
   * withMergedSources): a survivor's events include theirs, as its timeline does.
   */
  candidateIds?: string[];
  provider?: string;
  endpointId?: string;
  type?: string;
  from?: Date;
  to?: Date;
}

export interface ListEventsOptions extends EventFilters {
  limit: number;
  cursor?: { occurredAt: Date; receivedAt: Date; id: string };
  withSnapshot?: boolean;
}

/**
 * The WHERE conditions of the filters. `q`, `stage`, `job`, `deleted` and `status` are about the
 * candidate, with the candidate list's meaning, so exporting from the candidates view gives the events of the
 * candidates on screen.
 */
export function eventFilterConditions(options: EventFilters): Prisma.EventWhereInput[] {
  const and: Prisma.EventWhereInput[] = [];
  if (options.candidateIds) and.push({ candidateId: { in: options.candidateIds } });
  else if (options.candidateId) and.push({ candidateId: options.candidateId });
  if (options.provider) and.push({ provider: options.provider });
  if (options.endpointId) and.push({ endpointId: options.endpointId });
  if (options.type) and.push({ type: options.type });
  if (options.from) and.push({ occurredAt: { gte: options.from } });
  if (options.to) and.push({ occurredAt: { lt: options.to } });
  // A column of the event itself (copied from its candidate at insert): no join.
  if (!options.includeTest) and.push({ isTest: false });
  const candidate = candidateConditions(options);
  if (candidate.length > 0) and.push({ candidate: { AND: candidate } });
  return and;
}

/** Newest first by (occurred, received, id): the same order the timeline uses. */
export async function listEvents(prisma: PrismaClient, options: ListEventsOptions) {
  const and = eventFilterConditions(options);
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

/** `candidateIds` for a candidateId filter: the candidate and the candidates merged into it. */
export async function withMergedSources<F extends EventFilters>(prisma: PrismaClient, filters: F): Promise<F> {
  if (!filters.candidateId) return filters;
  const survivor = await prisma.candidate.findUnique({ where: { id: filters.candidateId }, select: { provider: true, externalId: true } });
  const merged = survivor
    ? await prisma.candidate.findMany({ where: { provider: survivor.provider, mergedIntoExternalId: survivor.externalId }, select: { id: true } })
    : [];
  return { ...filters, candidateIds: [filters.candidateId, ...merged.map((m) => m.id)] };
}
