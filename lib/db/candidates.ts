import { candidateConditionsSql, type CandidateFilters } from "./candidate-filters";
import type { PrismaClient } from "./generated/client";
import type { Sql, SqlParam, SqlQuery } from "./sql";

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

/**
 * The ids of one page, newest event first (limit + 1 rows: the extra one says there is more): the
 * shared filter builder, a row-value cursor on the (last_event_at, id) index, the trigram index for `q`.
 */
export function candidatesPageQuery(options: ListCandidatesOptions): SqlQuery {
  const params: SqlParam[] = [];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const and = candidateConditionsSql(options, param);
  if (options.provider) and.push(`c.provider = ${param(options.provider)}`);
  if (!options.includeTest) and.push(`NOT c.is_test`);
  if (options.cursor) {
    and.push(`(c.last_event_at, c.id) < (${param(options.cursor.lastEventAt.toISOString())}::timestamptz, ${param(options.cursor.id)})`);
  }
  return {
    text: `SELECT c.id FROM candidates c ${and.length > 0 ? `WHERE ${and.join(" AND ")}` : ""}
           ORDER BY c.last_event_at DESC, c.id DESC LIMIT ${Math.max(1, Math.floor(options.limit)) + 1}`,
    params,
  };
}

/** One page: its ids in plain SQL (candidatesPageQuery), then the rows and their current stages by id. */
export async function listCandidates(db: { prisma: PrismaClient; sql: Sql }, options: ListCandidatesOptions) {
  const ids = await db.sql.query<{ id: string }>(candidatesPageQuery(options));
  const page = ids.slice(0, options.limit).map((r) => r.id);
  const found = page.length > 0 ? await db.prisma.candidate.findMany({ where: { id: { in: page } }, select: candidateSelect }) : [];
  const byId = new Map(found.map((c) => [c.id, c]));
  // A row gone between the two reads (erased, say) is left out rather than failing the page.
  const rows = page.flatMap((id) => byId.get(id) ?? []);
  return { rows, hasMore: ids.length > options.limit };
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
