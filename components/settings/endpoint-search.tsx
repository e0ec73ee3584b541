"use client";

import type { EndpointView } from "@/lib/contracts/responses";

/** Name, provider or id, case-insensitive and by part: "green" finds every Greenhouse endpoint. */
export function matchesEndpoint(endpoint: EndpointView, providerName: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === "" || [endpoint.name, providerName, endpoint.id].some((field) => field.toLowerCase().includes(q));
}

export function EndpointSearch({ value, onChange, shown, total }: { value: string; onChange: (value: string) => void; shown: number; total: number }) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <label className="flex min-w-0 flex-1 basis-56 items-center gap-2 text-sm text-slate-600">
        <span className="shrink-0">Search endpoints</span>
        <input
          type="search"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="Name, provider or id"
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        />
      </label>
      <span role="status" className="text-xs text-slate-500">
        {value.trim() ? `${shown} of ${total} endpoints` : `${total} endpoint${total === 1 ? "" : "s"}`}
      </span>
    </div>
  );
}
