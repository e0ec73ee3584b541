import type { ReactNode } from "react";

/** A chart's frame: heading, a note, the CSV download of its data, then the chart. */
export function ChartCard({ id, title, note, csvHref, children }: { id: string; title: string; note?: ReactNode; csvHref: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id={`${id}-heading`} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        <a href={csvHref} download className="rounded-md px-2 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100">
          CSV<span className="sr-only"> of {title.toLowerCase()}</span>
        </a>
      </div>
      {note ? <p className="mt-1 text-xs text-slate-500">{note}</p> : null}
      <div className="mt-3">{children}</div>
    </section>
  );
}
