"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { analyticsJobsSchema, flowSchema, funnelSchema, timeInStageSchema } from "@/lib/contracts/analytics";
import { apiFetch, toQueryString } from "./api-client";

/** The analytics page's filters as its URL holds them ("" = all). */
export interface AnalyticsFilters {
  jobId: string;
  provider: string;
  from: string;
  to: string;
}

export function readAnalyticsFilters(params: Pick<URLSearchParams, "get">): AnalyticsFilters {
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "");
  return { jobId: params.get("jobId") ?? "", provider: params.get("provider") ?? "", from: day(params.get("from")), to: day(params.get("to")) };
}

/** The API query for these filters (the same string the page's URL and the CSV links carry). */
export function analyticsQueryString(filters: AnalyticsFilters, extra: Record<string, string> = {}): string {
  return toQueryString({ jobId: filters.jobId || undefined, provider: filters.provider || undefined, from: filters.from || undefined, to: filters.to || undefined, ...extra });
}

export function useAnalyticsJobs(provider: string) {
  return useQuery({
    queryKey: ["analytics", "jobs", provider],
    queryFn: ({ signal }) => apiFetch(`/api/analytics/jobs${toQueryString({ provider: provider || undefined })}`, analyticsJobsSchema, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useFunnel(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ["analytics", "funnel", filters],
    queryFn: ({ signal }) => apiFetch(`/api/analytics/funnel${analyticsQueryString(filters)}`, funnelSchema, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useTimeInStage(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ["analytics", "time-in-stage", filters],
    queryFn: ({ signal }) => apiFetch(`/api/analytics/time-in-stage${analyticsQueryString(filters)}`, timeInStageSchema, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useFlow(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ["analytics", "flow", filters],
    queryFn: ({ signal }) => apiFetch(`/api/analytics/flow${analyticsQueryString(filters)}`, flowSchema, { signal }),
    placeholderData: keepPreviousData,
  });
}
