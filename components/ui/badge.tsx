import type { ReactNode } from "react";
import { providerCatalog, providerLabel } from "@/lib/providers/catalog";

const eventTypeColors: Record<string, string> = {
  created: "bg-sky-50 text-sky-800 ring-sky-200",
  updated: "bg-slate-100 text-slate-700 ring-slate-200",
  deleted: "bg-red-50 text-red-800 ring-red-200",
  applied: "bg-indigo-50 text-indigo-800 ring-indigo-200",
  prospect_created: "bg-violet-50 text-violet-800 ring-violet-200",
  stage_changed: "bg-amber-50 text-amber-900 ring-amber-200",
  hired: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  unhired: "bg-orange-50 text-orange-800 ring-orange-200",
  rejected: "bg-rose-50 text-rose-800 ring-rose-200",
  unrejected: "bg-teal-50 text-teal-800 ring-teal-200",
  merged: "bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-200",
};

const statusColors: Record<string, string> = {
  processed: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  duplicate: "bg-slate-100 text-slate-700 ring-slate-200",
  ignored: "bg-slate-50 text-slate-600 ring-slate-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
  received: "bg-amber-50 text-amber-900 ring-amber-200",
};

export const providerLabels: Record<string, string> = Object.fromEntries(providerCatalog.map((p) => [p.id, p.displayName]));

function Pill({ className, children, title }: { className: string; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center whitespace-nowrap rounded-md px-2 py-0.5 font-mono text-xs font-medium ring-1 ring-inset ${className}`}>
      {children}
    </span>
  );
}

export function EventTypeBadge({ type, inferred }: { type: string; inferred?: boolean }) {
  return (
    <Pill className={eventTypeColors[type] ?? eventTypeColors.updated} title={inferred ? "type inferred from the body" : undefined}>
      {type}
      {inferred ? "?" : ""}
    </Pill>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <Pill className={statusColors[status] ?? statusColors.ignored}>{status}</Pill>;
}

export function ProviderBadge({ provider }: { provider: string }) {
  return <span className="text-xs font-medium text-slate-600">{providerLabel(provider)}</span>;
}
