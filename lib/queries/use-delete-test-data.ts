"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { deletedTestDataSchema } from "../contracts/responses";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

/** Removes what "Send test delivery" created; every data view refreshes. */
export function useDeleteTestData() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch("/api/test-data", deletedTestDataSchema, { method: "DELETE" }),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.candidates.all }),
        client.invalidateQueries({ queryKey: queryKeys.deliveries.all }),
        client.invalidateQueries({ queryKey: queryKeys.stats.overview }),
        client.invalidateQueries({ queryKey: queryKeys.endpoints.all }),
      ]);
    },
  });
}
