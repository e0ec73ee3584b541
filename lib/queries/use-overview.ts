"use client";

import { useQuery } from "@tanstack/react-query";
import { overviewStatsSchema } from "@/lib/contracts/stats";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

/** GET /api/stats: the overview's totals, activity, recent events and endpoints needing attention. */
export function useOverview() {
  return useQuery({
    queryKey: queryKeys.stats.overview,
    queryFn: ({ signal }) => apiFetch("/api/stats", overviewStatsSchema, { signal }),
    refetchInterval: 30_000,
  });
}
