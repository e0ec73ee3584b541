import { useInfiniteQuery } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch, toQueryString } from "./api-client";

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });

export interface AuditFilters {
  actor: string;
  action: string;
  from: string;
  to: string;
}

export function auditQueryString(filters: AuditFilters): string {
  return toQueryString({
    actor: filters.actor || undefined,
    action: filters.action || undefined,
    from: filters.from ? new Date(filters.from).toISOString() : undefined,
    to: filters.to ? new Date(filters.to).toISOString() : undefined,
  });
}

export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ["audit", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const base = auditQueryString(filters);
      const cursor = pageParam ? `${base ? "&" : "?"}cursor=${encodeURIComponent(pageParam)}` : "";
      return apiFetch(`/api/audit${base}${cursor}`, auditPageSchema);
    },
    getNextPageParam: (page) => page.nextCursor,
  });
}
