"use client";

import { useQuery } from "@tanstack/react-query";
import { exportCountSchema } from "../contracts/responses";
import { apiFetch } from "./api-client";
import { queryKeys } from "./keys";

/** How many events (and of how many candidates) the events export at `exportHref` will write. */
export function useExportCount(exportHref: string) {
  const countHref = exportHref.replace("/api/events/export.csv", "/api/events/export-count");
  return useQuery({
    queryKey: queryKeys.exportCount(countHref),
    queryFn: ({ signal }) => apiFetch(countHref, exportCountSchema, { signal }),
    staleTime: 10_000,
  });
}
