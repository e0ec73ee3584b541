import { candidateConditions, type CandidateFilters } from "./candidate-filters";
import type { Prisma, PrismaClient } from "./generated/client";

const candidateSelect = {
  id: true,
  provider: true,
  externalId: true,
  name: true,
  email: true,
  currentStage: true,
  currentJob: true,
  eventCount: true,
  firstSeenAt: true,
  lastEventAt: true,
  deletedAt: true,
  mergedIntoExternalId: true,
  status: true,
  isTest: true,
  stages: { select: { jobKey: true, jobTitle: true, stage: true, since: true, status: true, statusSince: true }, orderBy: { since: "desc" } },
} as const;

export interface ListCandidatesOptions extends CandidateFilters {
  provider?: string;
  limit: number;
  cursor?: { lastEventAt: Date; id: string };
}

export async function listCandidates(prisma: PrismaClient, options: ListCandidatesOptions) {
  const and: Prisma.CandidateWhereInput[] = candidateConditions(options);
  if (options.provider) and.push({ provider: options.provider });
  if (!options.includeTest) and.push({ isTest: false });
  if (options.cursor) {
    and.push({
      OR: [
        { lastEventAt: { lt: options.cursor.lastEventAt } },
        { lastEventAt: options.cursor.lastEventAt, id: { lt: options.cursor.id } },
      ],
    });
  }
  const rows = await prisma.candidate.findMany({
    where: { AND: and },
    orderBy: [{ lastEventAt: "desc" }, { id: "desc" }],
    take: options.limit + 1,
    select: candidateSelect,
  });
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

export function getCandidate(prisma: PrismaClient, id: string) {
  return prisma.candidate.findUnique({ where: { id }, select: candidateSelect });
}

/** Internal ids of merge survivors named by provider id, for linking merged rows. */
export async function resolveMergeTargets(prisma: PrismaClient, rows: { provider: string; mergedIntoExternalId: string | null }[]) {
  const wanted = rows.filter((r) => r.mergedIntoExternalId !== null);
  if (wanted.length === 0) return new Map<string, { id: string; name: string | null }>();
  const found = await prisma.candidate.findMany({
    where: { OR: wanted.map((r) => ({ provider: r.provider, externalId: r.mergedIntoExternalId! })) },
    select: { id: true, name: true, provider: true, externalId: true },
  });
  return new Map(found.map((c) => [`${c.provider}:${c.externalId}`, { id: c.id, name: c.name }]));
}
