"use client";

import { useQuery } from "@tanstack/react-query";
import { endpointListSchema } from "../contracts/responses";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

export function useEndpoints() {
  return useQuery({
    queryKey: queryKeys.endpoints.all,
    queryFn: () => apiFetch("/api/endpoints", endpointListSchema),
    refetchInterval: 10_000,
  });
}
