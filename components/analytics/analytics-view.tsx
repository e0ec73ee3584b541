"use client";

import { useRouter } from "next/navigation";
import { useCallback, useMemo } from "react";
import { providerLabels } from "@/components/ui/badge";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { useCurrentPath, useCurrentSearchParams } from "@/components/layout/url-state";
import { analyticsQueryString, readAnalyticsFilters, useAnalyticsJobs, useFlow, useFunnel, useTimeInStage, type AnalyticsFilters } from "@/lib/queries/use-analytics";
import { ChartCard } from "./chart-card";
import { FlowChart } from "./flow-chart";
import { FunnelChart } from "./funnel-chart";
import { TimeInStageChart } from "./time-in-stage-chart";

const field =
  "w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";

/** The Analytics page: pick a job, provider and date range; funnel, time in stage and weekly flow. Filters live in the URL. */
export function AnalyticsView() {
  const searchParams = useCurrentSearchParams();
  const router = useRouter();
  const pathname = useCurrentPath();
  const filters = useMemo(() => readAnalyticsFilters(new URLSearchParams(searchParams.toString())), [searchParams]);

  const onChange = useCallback(
    (patch: Partial<AnalyticsFilters>) => {
      const next = { ...filters, ...patch };
      router.replace(`${pathname}${analyticsQueryString(next)}`, { scroll: false });
    },
    [filters, router, pathname],
  );

  const jobs = useAnalyticsJobs(filters.provider);
  const funnel = useFunnel(filters);
  const time = useTimeInStage(filters);
  const flow = useFlow(filters);
  const csv = (path: string) => `/api/analytics/${path}${analyticsQueryString(filters, { format: "csv" })}`;
  const jobKey = (j: { jobId: string; provider: string }) => `${j.provider}:${j.jobId}`;
  // A job without an id ("(no job)") cannot be told apart from "All jobs" in the URL: that provider's whole set is shown.
  const selectedJob = filters.jobId ? jobs.data?.jobs.find((j) => j.jobId === filters.jobId && (!filters.provider || j.provider === filters.provider)) : undefined;
  const jobLabel = (j: { jobId: string; title: string | null; provider: string }) => `${j.title ?? (j.jobId || "(no job)")} · ${providerLabels[j.provider] ?? j.provider}`;

  return (
    <div className="space-y-5">
      <form aria-label="Analytics filters" className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
        <label className="flex min-w-0 flex-col text-sm">
          <span className="font-medium text-slate-700">Provider</span>
          <select name="provider" className={field} value={filters.provider} onChange={(e) => onChange({ provider: e.target.value, jobId: "" })}>
            <option value="">All providers</option>
            {(jobs.data?.providers ?? []).map((p) => (
              <option key={p.provider} value={p.provider}>
                {providerLabels[p.provider] ?? p.provider} ({p.applications})
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-col text-sm">
          <span className="font-medium text-slate-700">Job</span>
          {/* A job is picked with its provider: job ids are the provider's own, so two providers may share one. */}
          <select
            name="jobId"
            className={field}
            value={selectedJob ? jobKey(selectedJob) : filters.jobId ? "url" : ""}
            onChange={(e) => {
              const job = jobs.data?.jobs.find((j) => jobKey(j) === e.target.value);
              onChange(job ? { jobId: job.jobId, provider: job.provider } : { jobId: "" });
            }}
          >
            <option value="">All jobs</option>
            {(jobs.data?.jobs ?? []).map((j) => (
              <option key={jobKey(j)} value={jobKey(j)}>
                {jobLabel(j)} ({j.applications})
              </option>
            ))}
            {filters.jobId && !selectedJob ? <option value="url">{filters.jobId}</option> : null}
          </select>
        </label>
        <label className="flex min-w-0 flex-col text-sm">
          <span className="font-medium text-slate-700">Entered from</span>
          <input name="from" type="date" className={field} value={filters.from} onChange={(e) => onChange({ from: e.target.value })} />
        </label>
        <label className="flex min-w-0 flex-col text-sm">
          <span className="font-medium text-slate-700">Entered to (inclusive)</span>
          <input name="to" type="date" className={field} value={filters.to} onChange={(e) => onChange({ to: e.target.value })} />
        </label>
      </form>
      <p className="text-xs text-slate-500">
        Applications are picked by the day they entered the job&apos;s pipeline (their first stage). Numbers link to the candidate list filtered to that job and stage (the list shows the stage candidates are in now).
      </p>

      {funnel.isPending ? (
        <SkeletonRows rows={6} />
      ) : funnel.isError ? (
        <ErrorState message={funnel.error.message} onRetry={() => funnel.refetch()} />
      ) : funnel.data.totals.applications === 0 ? (
        <EmptyState title="No applications match">Pick another job, provider or date range, or load the demo data from the overview.</EmptyState>
      ) : (
        <div className="grid min-w-0 grid-cols-1 gap-4 lg:grid-cols-2">
          <ChartCard id="funnel" title="Funnel" note="Applications that reached each stage, in the job's stage order; the share that went on to a later stage, and where they left." csvHref={csv("funnel")}>
            <FunnelChart funnel={funnel.data} filters={filters} />
          </ChartCard>
          <ChartCard id="time" title="Time in stage" note="Median and 90th percentile (tick) over completed stays; stays still open are counted, not timed." csvHref={csv("time-in-stage")}>
            {time.isPending ? <SkeletonRows rows={4} /> : time.isError ? <ErrorState message={time.error.message} onRetry={() => time.refetch()} /> : <TimeInStageChart data={time.data} filters={filters} />}
          </ChartCard>
          <div className="min-w-0 lg:col-span-2">
            <ChartCard id="flow" title="Flow over time" note="Stage entries per week (weeks start on Monday, UTC), with hires and rejections." csvHref={csv("flow")}>
              {flow.isPending ? <SkeletonRows rows={3} /> : flow.isError ? <ErrorState message={flow.error.message} onRetry={() => flow.refetch()} /> : <FlowChart flow={flow.data} />}
            </ChartCard>
          </div>
        </div>
      )}
    </div>
  );
}
