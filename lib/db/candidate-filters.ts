import type { CandidateStatus } from "../history/status";
import type { Prisma } from "./generated/client";
import type { SqlParam } from "./sql";

/**
 * Filters on candidates, with one meaning for the candidate list, the event list and the CSV export
 * (so exporting from the list gives the events of the candidates on screen).
 */
export interface CandidateFilters {
  /** The candidate's name or email contains it (any case), or it is the provider's candidate id. */
  q?: string;
  /** Candidates currently in a stage whose name contains this (any case), in any job or in `job`. */
  stage?: string;
  /**
   * Stage ids whose name (given in Settings) contains `stage`: resolved by the caller
   * (lib/api/stage-names.ts, withNamedStages), so the filter finds a stage by its name as shown.
   */
  stageIds?: string[];
  /** Candidates with a job whose id is this, or whose title contains it (any case), among their current stages. */
  job?: string;
  /** Candidates deleted (or merged away): listed by default, `exclude`d, or `only` them. */
  deleted?: "exclude" | "only";
  status?: CandidateStatus;
  /** Test data ("Send test delivery") is left out unless this is set. */
  includeTest?: boolean;
}

/** `text` as a literal inside a LIKE pattern (backslash is PostgreSQL's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The filters as Prisma conditions on a candidate. */
export function candidateConditions(filters: CandidateFilters): Prisma.CandidateWhereInput[] {
  const and: Prisma.CandidateWhereInput[] = [];
  if (filters.q) {
    // Prisma passes `contains` into ILIKE as is: escape the wildcards so `_` and `%` match themselves.
    const text = escapeLike(filters.q);
    and.push({
      OR: [
        { name: { contains: text, mode: "insensitive" } },
        { email: { contains: text, mode: "insensitive" } },
        { externalId: filters.q },
      ],
    });
  }
  // A candidate matches when any of its jobs is currently in the stage (and the job matches).
  if (filters.stage || filters.job) {
    const stage: Prisma.CandidateStageWhereInput = { stage: { contains: escapeLike(filters.stage ?? ""), mode: "insensitive" } };
    const named = filters.stageIds?.length ? [{ stage: { in: filters.stageIds } }] : [];
    and.push({
      stages: {
        some: {
          AND: [
            ...(filters.stage ? [{ OR: [stage, ...named] }] : []),
            ...(filters.job ? [{ OR: [{ jobKey: filters.job }, { jobTitle: { contains: escapeLike(filters.job), mode: "insensitive" as const } }] }] : []),
          ],
        },
      },
    });
  }
  if (filters.deleted === "exclude") and.push({ deletedAt: null });
  if (filters.deleted === "only") and.push({ deletedAt: { not: null } });
  if (filters.status) and.push({ status: filters.status });
  return and;
}

/** The same filters as SQL text on the candidate row `c`, with positional parameters (the export reads a page in one query). */
export function candidateConditionsSql(filters: CandidateFilters, param: (value: SqlParam) => string): string[] {
  const and: string[] = [];
  if (filters.q) {
    const pattern = param(`%${escapeLike(filters.q)}%`);
    and.push(`(c.name ILIKE ${pattern} OR c.email ILIKE ${pattern} OR c.external_id = ${param(filters.q)})`);
  }
  if (filters.stage || filters.job) {
    const named = filters.stageIds?.length ? ` OR cs.stage IN (SELECT jsonb_array_elements_text(${param(JSON.stringify(filters.stageIds))}::jsonb))` : "";
    const stage = filters.stage ? `AND (cs.stage ILIKE ${param(`%${escapeLike(filters.stage)}%`)}${named})` : "";
    const job = filters.job ? `AND (cs.job_key = ${param(filters.job)} OR cs.job_title ILIKE ${param(`%${escapeLike(filters.job)}%`)})` : "";
    and.push(`EXISTS (SELECT 1 FROM candidate_stages cs WHERE cs.candidate_id = c.id ${stage} ${job})`);
  }
  if (filters.deleted === "exclude") and.push(`c.deleted_at IS NULL`);
  if (filters.deleted === "only") and.push(`c.deleted_at IS NOT NULL`);
  if (filters.status) and.push(`c.status = ${param(filters.status)}`);
  return and;
}
