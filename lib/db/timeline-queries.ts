import type { EventKey } from "../history/types";
import type { Prisma, PrismaClient } from "./generated/client";
import { eventSelect } from "./event-queries";

function before(key: EventKey): Prisma.EventWhereInput {
  return {
    OR: [
      { occurredAt: { lt: key.occurredAt } },
      { occurredAt: key.occurredAt, receivedAt: { lt: key.receivedAt } },
      { occurredAt: key.occurredAt, receivedAt: key.receivedAt, id: { lt: key.id } },
    ],
  };
}

const order = [{ occurredAt: "desc" }, { receivedAt: "desc" }, { id: "desc" }] as const;

/** Newest first, events of the candidate and of candidates merged into it. */
export async function getTimelinePage(prisma: PrismaClient, candidateIds: string[], limit: number, cursor?: EventKey) {
  const rows = await prisma.event.findMany({
    where: { AND: [{ candidateId: { in: candidateIds } }, ...(cursor ? [before(cursor)] : [])] },
    orderBy: [...order],
    take: limit + 1,
    select: { ...eventSelect, snapshot: true },
  });
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Candidates merged into this one (Greenhouse merge_candidate names the survivor by provider id). */
export function getMergedSources(prisma: PrismaClient, provider: string, externalId: string) {
  return prisma.candidate.findMany({
    where: { provider, mergedIntoExternalId: externalId },
    select: { id: true, externalId: true, name: true },
  });
}

export function findCandidateByExternalId(prisma: PrismaClient, provider: string, externalId: string) {
  return prisma.candidate.findUnique({
    where: { provider_externalId: { provider, externalId } },
    select: { id: true, externalId: true, name: true },
  });
}

/** Every stage observation of the candidate, per job in history order: the stage path and time in stage. */
export function getStageObservations(prisma: PrismaClient, candidateId: string) {
  return prisma.eventStage.findMany({
    where: { candidateId },
    orderBy: [{ jobKey: "asc" }, { occurredAt: "asc" }, { receivedAt: "asc" }, { eventId: "asc" }],
    select: { jobKey: true, jobTitle: true, stage: true, occurredAt: true, eventId: true },
  });
}

export function getLatestEventDetails(prisma: PrismaClient, candidateId: string, type: string) {
  return prisma.event.findFirst({
    where: { candidateId, type },
    orderBy: [...order],
    select: { id: true, details: true, occurredAt: true },
  });
}

/** One event as a timeline page row, when it belongs to one of these candidates. */
export function getTimelineEvent(prisma: PrismaClient, candidateIds: string[], eventId: string) {
  return prisma.event.findFirst({
    where: { id: eventId, candidateId: { in: candidateIds } },
    select: { ...eventSelect, snapshot: true },
  });
}
