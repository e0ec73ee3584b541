"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { timelineSchema } from "@/lib/contracts/responses";
import { ApiError, apiFetch, toQueryString } from "./api-client";
import { queryKeys, TIMELINE_PAGE_SIZE } from "./keys";

export { TIMELINE_PAGE_SIZE };

const LIVE_INTERVAL_MS = 3_000;

/**
 * A candidate's timeline, newest first, 50 events a page ("Load older" follows `nextCursor`).
 * While only the first page is loaded it is polled every 3 s (react-query pauses polling in a hidden
 * tab). Once older pages are loaded, polling would refetch every page, so the caller refetches when
 * the (polled) candidate shows a change instead.
 */
export function useTimeline(id: string, noise: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.candidates.timeline(id, noise),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(
        `/api/candidates/${encodeURIComponent(id)}/timeline${toQueryString({ limit: TIMELINE_PAGE_SIZE, noise, cursor: pageParam })}`,
        timelineSchema,
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) => {
      if (query.state.error instanceof ApiError && query.state.error.status === 404) return false;
      return (query.state.data?.pages.length ?? 0) <= 1 ? LIVE_INTERVAL_MS : false;
    },
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
    // Toggling bookkeeping changes keeps this candidate's events on screen until the new ones arrive.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === id ? previous : undefined),
  });
}
