"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { createdEndpointSchema, endpointSchema, rotatedSecretSchema, rotatedUrlSchema, testDeliveryResultSchema } from "../contracts/responses";
import type { ProviderId } from "../providers/types";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

/** The settings page's writes; each refreshes the endpoint list (and, for test deliveries, the data views). */
export function useEndpointMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.endpoints.all });
  return {
    create: useMutation({
      mutationFn: (input: { provider: ProviderId; name: string; secret?: string }) =>
        apiFetch("/api/endpoints", createdEndpointSchema, { method: "POST", body: JSON.stringify(input) }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...changes }: { id: string; name?: string; enabled?: boolean }) =>
        apiFetch(`/api/endpoints/${id}`, endpointSchema, { method: "PATCH", body: JSON.stringify(changes) }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => apiFetch(`/api/endpoints/${id}`, z.object({ deleted: z.literal(true) }), { method: "DELETE" }),
      onSuccess: refresh,
    }),
    rotate: useMutation({
      mutationFn: ({ id, overlapHours }: { id: string; overlapHours: number }) =>
        apiFetch(`/api/endpoints/${id}/rotate-secret`, rotatedSecretSchema, { method: "POST", body: JSON.stringify({ overlapHours }) }),
      onSuccess: refresh,
    }),
    rotateUrl: useMutation({
      mutationFn: ({ id, overlapHours }: { id: string; overlapHours: number }) =>
        apiFetch(`/api/endpoints/${id}/rotate-url`, rotatedUrlSchema, { method: "POST", body: JSON.stringify({ overlapHours }) }),
      onSuccess: refresh,
    }),
    testDelivery: useMutation({
      mutationFn: (id: string) => apiFetch(`/api/endpoints/${id}/test-delivery`, testDeliveryResultSchema, { method: "POST" }),
      onSuccess: async () => {
        await refresh();
        await client.invalidateQueries({ queryKey: queryKeys.candidates.all });
        await client.invalidateQueries({ queryKey: queryKeys.deliveries.all });
      },
    }),
  };
}
