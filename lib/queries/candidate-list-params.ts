import { candidateStatuses, type CandidateStatus } from "../history/status";

/** `exclude` hides deleted candidates, `only` shows just them. */
export type DeletedFilter = "exclude" | "only";

/** The candidate list's filters as the URL holds them. */
export interface CandidateFilters {
  q?: string;
  provider?: string;
  stage?: string;
  job?: string;
  deleted?: DeletedFilter;
  status?: CandidateStatus;
  /** "1": list test candidates too. */
  includeTest?: string;
}

export const CANDIDATES_PAGE_SIZE = 50;

/** The filters from the list's URL (unknown values are dropped). Shared by the page's server render and the browser. */
export function readCandidateFilters(params: Pick<URLSearchParams, "get">): CandidateFilters {
  const deleted = params.get("deleted");
  const status = params.get("status");
  return {
    q: params.get("q") ?? undefined,
    provider: params.get("provider") ?? undefined,
    stage: params.get("stage") ?? undefined,
    job: params.get("job") ?? undefined,
    deleted: deleted === "exclude" || deleted === "only" ? deleted : undefined,
    status: (candidateStatuses as readonly string[]).includes(status ?? "") ? (status as CandidateStatus) : undefined,
    includeTest: params.get("includeTest") === "1" ? "1" : undefined,
  };
}

/** The API parameters (and query key) for these filters: empty ones left out. */
export function candidateListParams(filters: CandidateFilters) {
  return {
    q: filters.q || undefined,
    provider: filters.provider || undefined,
    stage: filters.stage || undefined,
    job: filters.job || undefined,
    deleted: filters.deleted || undefined,
    status: filters.status || undefined,
    includeTest: filters.includeTest || undefined,
  };
}
