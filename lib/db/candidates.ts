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
  mergedIntoId: true,
} as const;

export interface ListCandidatesOptions {
  q?: string;
  provider?: string;
  stage?: string;
  job?: string;
  limit: number;
  cursor?: { lastEventAt: Date; id: string };
}

export async function listCandidates(prisma: PrismaClient, options: ListCandidatesOptions) {
  const and: Prisma.CandidateWhereInput[] = [];
  if (options.provider) and.push({ provider: options.provider });
  if (options.stage) and.push({ currentStage: options.stage });
  if (options.job) and.push({ currentJob: options.job });
  if (options.q) {
    and.push({
      OR: [
        { name: { contains: options.q, mode: "insensitive" } },
        { email: { contains: options.q, mode: "insensitive" } },
        { externalId: options.q },
      ],
    });
  }
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
