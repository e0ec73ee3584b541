/** `from → to` for a stage move; an unknown `from` (first stage seen) reads "—". */
export function StageArrow({ from, to }: { from: string | null; to: string | null }) {
  return (
    <span className="inline-flex min-w-0 flex-wrap items-center gap-1">
      <span className={`rounded px-1.5 py-0.5 text-xs ${from ? "bg-slate-100 text-slate-700" : "text-slate-400"}`}>
        {from ?? <span aria-label="no previous stage">—</span>}
      </span>
      <span aria-hidden className="text-slate-400">
        →
      </span>
      <span className="sr-only">to</span>
      <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${to ? "bg-amber-50 text-amber-900 ring-1 ring-inset ring-amber-200" : "text-slate-400"}`}>
        {to ?? "—"}
      </span>
    </span>
  );
}
