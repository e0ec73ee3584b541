import type { AnalyticsFilters } from "@/lib/queries/use-analytics";

/**
 * The candidate list filtered to a stage of the job: the list filters by *current* stage (its
 * `stage` contains the name, `job` is the job id or part of its title), so a funnel number links to
 * who is in that stage now, and an outcome number to those with that status.
 */
export function candidatesHref(filters: AnalyticsFilters, stage: string | null, status?: string): string {
  const q = new URLSearchParams();
  if (filters.jobId) q.set("job", filters.jobId);
  if (filters.provider) q.set("provider", filters.provider);
  if (stage) q.set("stage", stage);
  if (status) q.set("status", status);
  const s = q.toString();
  return s ? `/candidates?${s}` : "/candidates";
}
