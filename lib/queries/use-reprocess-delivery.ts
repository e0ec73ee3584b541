"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { reprocessResultSchema } from "@/lib/contracts/responses";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

/** POST /api/deliveries/{id}/reprocess; refreshes the delivery log, candidates and overview after. */
export function useReprocessDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/deliveries/${encodeURIComponent(id)}/reprocess`, reprocessResultSchema, { method: "POST" }),
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.deliveries.all }),
        client.invalidateQueries({ queryKey: queryKeys.candidates.all }),
        client.invalidateQueries({ queryKey: queryKeys.stats.overview }),
      ]);
    },
  });
}
