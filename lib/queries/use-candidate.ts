"use client";

import { useQuery } from "@tanstack/react-query";
import { candidateViewSchema } from "@/lib/contracts/responses";
import { ApiError, apiFetch } from "./api-client";
import { queryKeys } from "./keys";

export const LIVE_INTERVAL_MS = 3_000;

/** One candidate with stage paths and merge links; polled while the tab is visible. */
export function useCandidate(id: string) {
  return useQuery({
    queryKey: queryKeys.candidates.detail(id),
    queryFn: ({ signal }) => apiFetch(`/api/candidates/${encodeURIComponent(id)}`, candidateViewSchema, { signal }),
    refetchInterval: (query) => (query.state.error instanceof ApiError && query.state.error.status === 404 ? false : LIVE_INTERVAL_MS),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
  });
}
