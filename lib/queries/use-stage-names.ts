"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { stageNamesSchema } from "../contracts/responses";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

const stageNamesKey = (id: string) => ["endpoints", "stage-names", id] as const;

/** GET /api/endpoints/{id}/stage-names: every stage id seen through the endpoint, with its name. */
export function useStageNames(id: string) {
  return useQuery({
    queryKey: stageNamesKey(id),
    queryFn: ({ signal }) => apiFetch(`/api/endpoints/${encodeURIComponent(id)}/stage-names`, stageNamesSchema, { signal }),
  });
}

/** PUT the changed names; every view that shows stages is refreshed, since names apply to past events. */
export function useSaveStageNames(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (names: Record<string, string>) =>
      apiFetch(`/api/endpoints/${encodeURIComponent(id)}/stage-names`, stageNamesSchema, { method: "PUT", body: JSON.stringify({ names }) }),
    onSuccess: async (view) => {
      client.setQueryData(stageNamesKey(id), view);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.candidates.all }),
        client.invalidateQueries({ queryKey: queryKeys.stats.overview }),
      ]);
    },
  });
}
