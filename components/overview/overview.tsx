"use client";

import { ErrorState, Skeleton } from "@/components/ui/states";
import { ExportButton, eventsExportHref } from "@/components/export/export-button";
import { formatDateTime } from "@/components/ui/time";
import { useOverview } from "@/lib/queries/use-overview";
import { ActivityChart } from "./activity-chart";
import { AttentionList } from "./attention-list";
import { FirstRun, type ProviderInfo } from "./first-run";
import { RecentEvents } from "./recent-events";
import { StatCards } from "./stat-cards";
import { TypeCounts } from "./type-counts";

function OverviewSkeleton() {
  return (
    <div role="status" aria-label="Loading overview" className="space-y-6">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-24 w-full rounded-lg" />
        ))}
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Skeleton className="h-64 w-full rounded-lg lg:col-span-2" />
        <Skeleton className="h-64 w-full rounded-lg" />
      </div>
      <Skeleton className="h-80 w-full rounded-lg" />
    </div>
  );
}

export function Overview({ providers }: { providers: ProviderInfo[] }) {
  const { data, isPending, isError, error, refetch } = useOverview();
  if (isPending) return <OverviewSkeleton />;
  if (isError) return <ErrorState message={error.message} onRetry={() => void refetch()} />;
  if (data.firstRun) return <FirstRun providers={providers} />;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Overview</h1>
        <div className="flex flex-wrap items-center gap-3">
          <ExportButton href={eventsExportHref({})} label="Export all events" description="every event received, as CSV" />
          <p className="text-xs text-slate-500">Updated {formatDateTime(data.generatedAt)}</p>
        </div>
      </div>
      <StatCards stats={data} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <ActivityChart activity={data.activity} />
        </div>
        <TypeCounts activity={data.activity} />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <RecentEvents events={data.recentEvents} />
        </div>
        <AttentionList items={data.attention} />
      </div>
    </div>
  );
}
