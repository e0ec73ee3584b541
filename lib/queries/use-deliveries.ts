"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { deliveryListSchema } from "@/lib/contracts/responses";
import { apiFetch, toQueryString } from "./api-client";
import { queryKeys } from "./keys";

export interface DeliveryFilters {
  status?: string;
  endpointId?: string;
  q?: string;
  /** ISO times. */
  from?: string;
  to?: string;
}

/** The raw delivery log, newest first, a keyset page at a time ("Load more"). */
export function useDeliveries(filters: DeliveryFilters, limit = 50, enabled = true) {
  const key = { status: filters.status, endpointId: filters.endpointId, q: filters.q, from: filters.from, to: filters.to };
  return useInfiniteQuery({
    queryKey: queryKeys.deliveries.list(key),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(`/api/deliveries${toQueryString({ ...key, cursor: pageParam, limit })}`, deliveryListSchema, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}
