"use client";

import { useQuery } from "@tanstack/react-query";
import { deliveryDetailSchema } from "@/lib/api/responses";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

/** One delivery with its headers and raw body, for the deliveries page's detail panel. */
export function useDeliveryDetail(id: string | null) {
  return useQuery({
    queryKey: queryKeys.deliveries.detail(id ?? ""),
    queryFn: ({ signal }) => apiFetch(`/api/deliveries/${encodeURIComponent(id!)}`, deliveryDetailSchema, { signal }),
    enabled: Boolean(id),
  });
}
