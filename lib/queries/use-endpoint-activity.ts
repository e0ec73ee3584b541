"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-client";

export const endpointActivitySchema = z.object({
  endpointId: z.string(),
  days: z.array(z.object({ day: z.string(), succeeded: z.number().int(), failed: z.number().int(), rejected: z.number().int(), pending: z.number().int() })),
});
export type EndpointActivityView = z.infer<typeof endpointActivitySchema>;

/** GET /api/endpoints/{id}/activity: outcomes per UTC day for the endpoint page's chart. */
export function useEndpointActivity(id: string, days = 14) {
  return useQuery({
    queryKey: ["endpoints", "activity", id, days],
    queryFn: ({ signal }) => apiFetch(`/api/endpoints/${encodeURIComponent(id)}/activity?days=${days}`, endpointActivitySchema, { signal }),
    refetchInterval: 10_000,
  });
}
