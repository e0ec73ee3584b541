"use client";

import { ProviderBadge, StatusBadge } from "@/components/ui/badge";
import { formatDateTime, Time } from "@/components/ui/time";
import type { DeliverySummary } from "@/lib/contracts/responses";

/**
 * The delivery log. Rows are selectable with mouse and keyboard: the received-time cell holds a
 * real button (so Tab reaches it), and clicking anywhere on the row does the same. With the detail
 * panel open (`compact`) the provider column (shown in the panel) and, below 1280 px, the id give way.
 */
export function DeliveriesTable({
  deliveries,
  selectedId,
  compact,
  onSelect,
}: {
  deliveries: DeliverySummary[];
  selectedId: string | null;
  compact: boolean;
  onSelect: (id: string) => void;
}) {
  return (
    <table className="stack-on-phone w-full table-fixed text-sm">
      <caption className="sr-only">Webhook deliveries, newest first. Select a row to see its headers and body.</caption>
      <thead className="bg-slate-50">
        <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
          <th scope="col" className="w-[11rem] px-3 py-2 font-medium">Received</th>
          <th scope="col" className={`${compact ? "hidden" : ""} w-24 px-2 py-2 font-medium`}>Provider</th>
          <th scope="col" className="px-2 py-2 font-medium">Event type</th>
          <th scope="col" className="w-24 px-2 py-2 font-medium">Status</th>
          <th scope="col" className="w-16 px-3 py-2 text-right font-medium">Events</th>
          <th scope="col" className={`${compact ? "hidden w-28 xl:table-cell" : "w-44"} px-3 py-2 font-medium`}>Id</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {deliveries.map((d) => {
          const selected = d.id === selectedId;
          return (
            <tr
              key={d.id}
              aria-selected={selected}
              onClick={() => onSelect(d.id)}
              className={`cursor-pointer align-middle ${selected ? "bg-sky-50 shadow-[inset_3px_0_0_0_var(--color-sky-600)]" : "hover:bg-slate-50"}`}
            >
              <td className="px-3 py-2 text-xs text-slate-700">
                <button
                  type="button"
                  onClick={(e) => {
                    e.stopPropagation();
                    onSelect(d.id);
                  }}
                  aria-label={`Show delivery ${d.id}, received ${formatDateTime(d.receivedAt)}`}
                  aria-pressed={selected}
                  className="rounded text-left hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  <Time iso={d.receivedAt} />
                </button>
              </td>
              <td className={`${compact ? "hidden" : ""} px-2 py-2`}>
                <ProviderBadge provider={d.provider} />
              </td>
              <td className="px-2 py-2">
                {d.eventType ? (
                  <span className="block truncate font-mono text-xs text-slate-800" title={d.eventType}>
                    {d.eventType}
                  </span>
                ) : (
                  <span className="text-xs text-slate-500">—</span>
                )}
                {compact ? null : d.error ? (
                  <span className="block truncate text-xs text-red-700" title={d.error}>
                    {d.error}
                  </span>
                ) : null}
              </td>
              <td className="px-2 py-2">
                <StatusBadge status={d.status} />
              </td>
              <td data-label="Events" className="px-3 py-2 text-right tabular-nums text-slate-700">{d.eventCount}</td>
              <td className={`${compact ? "hidden xl:table-cell" : ""} px-3 py-2`}>
                <span className="block truncate font-mono text-xs text-slate-600" title={d.id}>
                  {d.id}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
