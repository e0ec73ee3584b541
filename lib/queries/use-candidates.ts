"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { candidateListSchema } from "@/lib/api/responses";
import type { CandidateStatus } from "@/lib/history/status";
import { apiFetch, toQueryString } from "./api-client";
import { queryKeys } from "./keys";

/** `exclude` hides deleted candidates, `only` shows just them. */
export type DeletedFilter = "exclude" | "only";

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

/** Candidates by last activity (the API's order), one page of 50 at a time over `nextCursor`. */
export function useCandidates(filters: CandidateFilters) {
  const params = {
    q: filters.q || undefined,
    provider: filters.provider || undefined,
    stage: filters.stage || undefined,
    job: filters.job || undefined,
    deleted: filters.deleted || undefined,
    status: filters.status || undefined,
    includeTest: filters.includeTest || undefined,
  };
  return useInfiniteQuery({
    queryKey: queryKeys.candidates.list(params),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(`/api/candidates${toQueryString({ ...params, cursor: pageParam, limit: CANDIDATES_PAGE_SIZE })}`, candidateListSchema, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // While a new filter loads, the previous rows stay (dimmed) instead of a blank table.
    placeholderData: keepPreviousData,
  });
}
