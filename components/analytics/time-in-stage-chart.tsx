import Link from "next/link";
import type { TimeInStage } from "@/lib/contracts/analytics";
import { formatDuration } from "@/components/ui/time";
import type { AnalyticsFilters } from "@/lib/queries/use-analytics";
import { candidatesHref } from "./links";

const duration = (ms: number | null) => (ms === null ? "–" : formatDuration(ms));

/** Median (bar) and p90 (tick) per stage over completed stays; open stays counted beside. */
export function TimeInStageChart({ data, filters }: { data: TimeInStage; filters: AnalyticsFilters }) {
  const max = Math.max(1, ...data.stages.map((s) => s.p90Ms ?? s.medianMs ?? 0));
  return (
    <>
      <ul className="space-y-2" aria-label="Time per stage">
        {data.stages.map((s) => (
          <li key={s.name} className="min-w-0">
            <div className="flex min-w-0 items-baseline justify-between gap-2 text-sm">
              <span className="min-w-0 truncate text-slate-900" title={s.name}>
                {s.name}
              </span>
              <span className="shrink-0 text-xs text-slate-600">
                median <span className="font-semibold tabular-nums text-slate-900">{duration(s.medianMs)}</span> · p90{" "}
                <span className="tabular-nums">{duration(s.p90Ms)}</span>
              </span>
            </div>
            <div aria-hidden className="relative mt-1 h-3 w-full rounded-sm bg-slate-100">
              {s.medianMs !== null ? <div className="h-3 rounded-sm bg-indigo-500" style={{ width: `${(s.medianMs / max) * 100}%` }} /> : null}
              {s.p90Ms !== null ? <div className="absolute top-0 h-3 w-0.5 bg-slate-700" style={{ left: `calc(${(s.p90Ms / max) * 100}% - 1px)` }} /> : null}
            </div>
            <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-slate-600">
              <span>
                <span className="tabular-nums">{s.count}</span> completed stay{s.count === 1 ? "" : "s"}
              </span>
              {s.open > 0 ? (
                <Link href={candidatesHref(filters, s.name, "active")} className="underline-offset-2 hover:underline">
                  <span className="tabular-nums">{s.open}</span> still here
                </Link>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
      <div className="sr-only">
        <table>
          <caption>Time in stage over completed stays</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Median</th>
              <th scope="col">90th percentile</th>
              <th scope="col">Completed stays</th>
              <th scope="col">Still in the stage</th>
            </tr>
          </thead>
          <tbody>
            {data.stages.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name}</th>
                <td>{duration(s.medianMs)}</td>
                <td>{duration(s.p90Ms)}</td>
                <td>{s.count}</td>
                <td>{s.open}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
