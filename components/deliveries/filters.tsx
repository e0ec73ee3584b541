"use client";

import type { EndpointView } from "@/lib/contracts/responses";
import { providerLabels } from "@/components/ui/badge";

export const statusTabs = ["all", "processed", "duplicate", "ignored", "failed", "received", "rejected"] as const;
export type StatusTab = (typeof statusTabs)[number];

export function StatusTabs({ value, onChange }: { value: StatusTab; onChange: (status: StatusTab) => void }) {
  return (
    <div role="group" aria-label="Filter by status" className="flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
      {statusTabs.map((s) => (
        <button
          key={s}
          type="button"
          aria-pressed={value === s}
          onClick={() => onChange(s)}
          className={`rounded-md px-3 py-1 text-sm capitalize focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${
            value === s ? "bg-white font-medium text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"
          }`}
        >
          {s}
        </button>
      ))}
    </div>
  );
}

export function EndpointFilter({
  value,
  endpoints,
  onChange,
}: {
  value: string;
  endpoints: EndpointView[] | undefined;
  onChange: (endpointId: string) => void;
}) {
  const known = endpoints?.some((e) => e.id === value) ?? false;
  return (
    <div className="flex min-w-0 items-center gap-2">
      <label htmlFor="endpoint-filter" className="text-sm text-slate-600">
        Endpoint
      </label>
      <select
        id="endpoint-filter"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="min-w-0 max-w-72 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
      >
        <option value="">All endpoints</option>
        {value && !known ? <option value={value}>{value}</option> : null}
        {endpoints?.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name} · {providerLabels[e.provider] ?? e.provider}
          </option>
        ))}
      </select>
    </div>
  );
}
