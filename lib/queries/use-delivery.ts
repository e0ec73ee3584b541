"use client";

import { useQuery } from "@tanstack/react-query";
import { deliveryDetailSchema } from "@/lib/contracts/responses";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

/** One raw delivery (headers and body): an expanded timeline event, or the delivery log's detail panel. */
export function useDelivery(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.deliveries.detail(id),
    queryFn: ({ signal }) => apiFetch(`/api/deliveries/${encodeURIComponent(id)}`, deliveryDetailSchema, { signal }),
    enabled,
    // The stored body never changes; status fields do on reprocess, which invalidates this key.
    staleTime: 60_000,
  });
}
