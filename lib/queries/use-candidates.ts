"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { candidateListSchema } from "@/lib/contracts/responses";
import { apiFetch, toQueryString } from "./api-client";
import { CANDIDATES_PAGE_SIZE, candidateListParams, type CandidateFilters } from "./candidate-list-params";
import { queryKeys } from "./keys";

export type { CandidateFilters, DeletedFilter } from "./candidate-list-params";

/** Candidates by last activity (the API's order), one page of 50 at a time over `nextCursor`. */
export function useCandidates(filters: CandidateFilters) {
  const params = candidateListParams(filters);
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
