"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { useDeliveries } from "@/lib/queries/use-deliveries";
import { useEndpoints } from "@/lib/queries/use-endpoints";
import { DeliveriesTable } from "./deliveries-table";
import { DeliveryPanel } from "./delivery-panel";
import { dayBound, LogActions, LogSearch } from "./log-tools";
import { RejectedList } from "./rejected-list";
import { EndpointFilter, StatusTabs, statusTabs, type StatusTab } from "./filters";
import { useCurrentPath, useCurrentSearchParams } from "@/components/layout/url-state";

/** The raw delivery log; filters and the selected delivery live in the URL (?status=&endpointId=&selected=). */
export function DeliveriesView() {
  const params = useCurrentSearchParams();
  const router = useRouter();
  const pathname = useCurrentPath();
  const rawStatus = params.get("status") ?? "all";
  const status: StatusTab = (statusTabs as readonly string[]).includes(rawStatus) ? (rawStatus as StatusTab) : "all";
  const endpointId = params.get("endpointId") ?? "";
  const selected = params.get("selected");
  const q = params.get("q") ?? "";
  const fromDay = params.get("from") ?? "";
  const toDay = params.get("to") ?? "";

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  const filters = {
    status: status === "all" ? undefined : status,
    endpointId: endpointId || undefined,
    q: q || undefined,
    from: dayBound(fromDay, false),
    to: dayBound(toDay, true),
  };
  const list = useDeliveries(filters, 50, status !== "rejected");
  const csvQuery = new URLSearchParams(Object.entries({ status: filters.status, endpointId: filters.endpointId }).filter((e): e is [string, string] => Boolean(e[1])));
  const endpoints = useEndpoints();
  const deliveries = list.data?.pages.flatMap((p) => p.deliveries) ?? [];
  const failedWithoutData = list.isError && !list.data;
  const loadError: Error | null = list.error;
  const filtered = status !== "all" || endpointId !== "" || q !== "" || fromDay !== "" || toDay !== "";

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Deliveries</h1>
        <p className="mt-1 text-sm text-slate-600">Every webhook request as received, newest first, with what processing made of it.</p>
      </div>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <StatusTabs value={status} onChange={(s) => update({ status: s === "all" ? null : s })} />
        <EndpointFilter value={endpointId} endpoints={endpoints.data?.endpoints} onChange={(id) => update({ endpointId: id || null })} />
      </div>
      {status === "rejected" ? null : (
        <>
          <LogSearch q={q} from={fromDay} to={toDay} keep={{ status: filters.status ?? "", endpointId }} onChange={update} />
          <LogActions filters={filters} csvHref={`/api/deliveries/export.csv${csvQuery.size ? `?${csvQuery}` : ""}`} />
        </>
      )}

      {status === "rejected" ? <RejectedList endpointId={endpointId || undefined} /> : null}
      <div hidden={status === "rejected"} className={`grid items-start gap-4 ${selected ? "lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)] xl:grid-cols-[minmax(0,1fr)_minmax(0,32rem)]" : ""}`}>
        <div className="min-w-0">
          {list.isPending ? (
            <SkeletonRows rows={8} />
          ) : failedWithoutData ? (
            <ErrorState message={loadError?.message ?? "could not load deliveries"} onRetry={() => void list.refetch()} />
          ) : deliveries.length === 0 ? (
            <EmptyState title={filtered ? "No deliveries match these filters" : "No deliveries yet"}>
              {filtered ? (
                <button
                  type="button"
                  onClick={() => update({ status: null, endpointId: null, q: null, from: null, to: null })}
                  className="rounded font-medium text-sky-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  Clear filters
                </button>
              ) : (
                "Webhook requests show up here as soon as a provider sends one to an endpoint's URL."
              )}
            </EmptyState>
          ) : (
            <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
              <DeliveriesTable deliveries={deliveries} selectedId={selected} compact={Boolean(selected)} onSelect={(id) => update({ selected: id })} />
              <div className="flex items-center justify-between gap-3 border-t border-slate-200 px-3 py-2 text-xs text-slate-600">
                <span role="status">
                  {deliveries.length} deliver{deliveries.length === 1 ? "y" : "ies"} shown
                  {list.isFetching && !list.isFetchingNextPage ? " · refreshing…" : ""}
                </span>
                {list.hasNextPage ? (
                  <button
                    type="button"
                    onClick={() => void list.fetchNextPage()}
                    disabled={list.isFetchingNextPage}
                    className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-60"
                  >
                    {list.isFetchingNextPage ? "Loading…" : "Load more"}
                  </button>
                ) : (
                  <span>End of the log</span>
                )}
              </div>
              {loadError ? (
                <div className="border-t border-slate-200 p-3">
                  <ErrorState
                    message={loadError.message}
                    onRetry={() => void (list.isFetchNextPageError ? list.fetchNextPage() : list.refetch())}
                  />
                </div>
              ) : null}
            </div>
          )}
        </div>
        {selected ? (
          <div className="min-w-0 lg:sticky lg:top-20 lg:max-h-[calc(100vh-6rem)] lg:overflow-y-auto lg:rounded-lg">
            <DeliveryPanel id={selected} endpoints={endpoints.data?.endpoints} onClose={() => update({ selected: null })} onSelect={(id) => update({ selected: id })} />
          </div>
        ) : null}
      </div>
    </div>
  );
}
