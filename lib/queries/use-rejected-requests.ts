"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { rejectedListSchema } from "@/lib/contracts/rejected-view";
import { apiFetch, toQueryString } from "./api-client";
import { queryKeys } from "./keys";

/** Requests refused before storage, newest first, a keyset page at a time. */
export function useRejectedRequests(filters: { endpointId?: string }, limit = 50) {
  const key = { status: "rejected", endpointId: filters.endpointId };
  return useInfiniteQuery({
    queryKey: queryKeys.deliveries.list(key),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(`/api/deliveries${toQueryString({ ...key, cursor: pageParam, limit })}`, rejectedListSchema, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
