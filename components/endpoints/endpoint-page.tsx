"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { DeliveriesTable } from "@/components/deliveries/deliveries-table";
import { EndpointRow } from "@/components/settings/endpoint-row";
import { providerLabels, StatusBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { useDeliveries } from "@/lib/queries/use-deliveries";
import { useEndpointActivity } from "@/lib/queries/use-endpoint-activity";
import { useEndpoints } from "@/lib/queries/use-endpoints";
import { OutcomeChart } from "./outcome-chart";
import { StageNamesSection } from "./stage-names-section";

const linkClass = "rounded font-medium text-sky-700 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400";

/** One endpoint: its actions and setup, outcomes per day, last delivery, and its newest deliveries. */
export function EndpointPage({ id }: { id: string }) {
  const router = useRouter();
  const endpoints = useEndpoints();
  const activity = useEndpointActivity(id);
  const deliveries = useDeliveries({ endpointId: id }, 10);
  const endpoint = endpoints.data?.endpoints.find((e) => e.id === id);
  const log = (status?: string) => `/deliveries?${new URLSearchParams({ ...(status ? { status } : {}), endpointId: id })}`;

  if (endpoints.isPending) return <SkeletonRows rows={6} />;
  if (endpoints.isError) return <ErrorState message={endpoints.error.message} onRetry={() => void endpoints.refetch()} />;
  if (!endpoint) {
    return (
      <EmptyState title="No such endpoint">
        <Link href="/settings" className={linkClass}>
          Back to Settings
        </Link>
      </EmptyState>
    );
  }
  const rows = deliveries.data?.pages.flatMap((p) => p.deliveries) ?? [];
  const providerName = providerLabels[endpoint.provider] ?? endpoint.provider;
  return (
    <div className="space-y-5">
      <div>
        <Link href="/settings" className={`text-sm ${linkClass}`}>
          ← Settings
        </Link>
        <h1 className="mt-2 break-words text-xl font-semibold tracking-tight text-slate-900">{endpoint.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {providerName} endpoint · last delivery{" "}
          {endpoint.activity.lastDeliveryAt ? (
            <>
              <Time iso={endpoint.activity.lastDeliveryAt} />{" "}
              {endpoint.activity.lastDeliveryStatus ? <StatusBadge status={endpoint.activity.lastDeliveryStatus} /> : null}
            </>
          ) : (
            "never"
          )}
        </p>
      </div>

      {/* The Settings list's own row (a list item): actions, URL, secret and setup steps in one place. */}
      <ul aria-label="Endpoint">
        <EndpointRow endpoint={endpoint} providerName={providerName} />
      </ul>

      <section aria-labelledby="outcomes-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="outcomes-heading" className="text-sm font-semibold text-slate-900">
          Outcomes, last 14 days (UTC)
        </h2>
        <p className="mt-0.5 text-xs text-slate-600">
          Open the log:{" "}
          <Link href={log()} className={linkClass}>
            all
          </Link>{" "}
          ·{" "}
          <Link href={log("failed")} className={linkClass}>
            failed
          </Link>{" "}
          ·{" "}
          <Link href={log("rejected")} className={linkClass}>
            rejected
          </Link>
        </p>
        <div className="mt-3">
          {activity.data ? (
            <OutcomeChart days={activity.data.days} />
          ) : activity.isError ? (
            <ErrorState message={activity.error.message} onRetry={() => void activity.refetch()} />
          ) : (
            <SkeletonRows rows={3} />
          )}
        </div>
      </section>

      <StageNamesSection endpointId={endpoint.id} />

      <section aria-labelledby="recent-deliveries-heading" className="min-w-0 space-y-2">
        <h2 id="recent-deliveries-heading" className="text-sm font-semibold text-slate-900">
          Newest deliveries
        </h2>
        {deliveries.isPending ? (
          <SkeletonRows rows={4} />
        ) : rows.length === 0 ? (
          <EmptyState title="No deliveries yet">Deliveries to this endpoint show here as they arrive.</EmptyState>
        ) : (
          <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
            <DeliveriesTable deliveries={rows} selectedId={null} compact={false} onSelect={(deliveryId) => router.push(`${log()}&selected=${encodeURIComponent(deliveryId)}`)} />
          </div>
        )}
      </section>
    </div>
  );
}
