import type { CandidateStatus } from "../history/status";
import type { SqlParam } from "./sql";

/**
 * Filters on candidates, with one meaning for the candidate list, the event list and the CSV export
 * (so exporting from the list gives the events of the candidates on screen).
 */
export interface CandidateFilters {
  /** The candidate's name or email contains it (any case), or it is the provider's candidate id. */
  q?: string;
  /**
   * Candidates currently in a stage whose id, or name given in Settings, contains this (any case), in
   * any job or in `job`: a stage is found by the name it is shown with.
   */
  stage?: string;
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

/**
 * The filters as SQL text on the candidate row `c`, with positional parameters: the one builder the
 * candidate list, the event list and the CSV export share. `q` folds case and accents on both sides
 * with search_fold() (a migration: lower(unaccent(…))), which the trigram index
 * candidates_search_trgm_idx serves for any substring of three characters or more.
 */
export function candidateConditionsSql(filters: CandidateFilters, param: (value: SqlParam) => string): string[] {
  const and: string[] = [];
  if (filters.q) {
    // The same expression as the index's, or the index is not used.
    const pattern = param(`%${escapeLike(filters.q)}%`);
    and.push(`(${candidateSearchText("c")} LIKE search_fold(${pattern}) OR c.external_id = ${param(filters.q)})`);
  }
  if (filters.stage || filters.job) {
    // The stage ids named like it are read in the same statement (a hashed subplan over the small
    // stage_names table, run once), not by a query of their own before it: one round trip per page.
    const stage = filters.stage
      ? (() => {
          const pattern = param(`%${escapeLike(filters.stage)}%`);
          return `AND (cs.stage ILIKE ${pattern} OR cs.stage IN (SELECT n.stage_id FROM stage_names n WHERE n.name ILIKE ${pattern}))`;
        })()
      : "";
    // The job's ids come from the jobs table (every id/title pair there has been; a few thousand
    // rows), so the candidates are found through candidate_stages' job_key index; the test on the
    // stage row itself stays, so a title the job no longer has does not match.
    const jobMatch = (alias: string, key: string, title: string) => `(${alias}.job_key = ${key} OR ${alias}.job_title ILIKE ${title})`;
    const job = filters.job
      ? (() => {
          const key = param(filters.job);
          const title = param(`%${escapeLike(filters.job)}%`);
          return `AND cs.job_key IN (SELECT j.job_key FROM jobs j WHERE ${jobMatch("j", key, title)}) AND ${jobMatch("cs", key, title)}`;
        })()
      : "";
    and.push(`EXISTS (SELECT 1 FROM candidate_stages cs WHERE cs.candidate_id = c.id ${stage} ${job})`);
  }
  if (filters.deleted === "exclude") and.push(`c.deleted_at IS NULL`);
  if (filters.deleted === "only") and.push(`c.deleted_at IS NOT NULL`);
  if (filters.status) and.push(`c.status = ${param(filters.status)}`);
  return and;
}

/** The indexed search text of a candidate row (candidates_search_trgm_idx is on exactly this). */
export function candidateSearchText(alias: string): string {
  return `search_fold(coalesce(${alias}.name, '') || ' ' || coalesce(${alias}.email, ''))`;
}
