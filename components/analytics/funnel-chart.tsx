import Link from "next/link";
import type { Funnel } from "@/lib/contracts/analytics";
import { formatShare } from "@/lib/analytics/math";
import type { AnalyticsFilters } from "@/lib/queries/use-analytics";
import { candidatesHref } from "./links";

const outcomeText = { hired: "text-emerald-700", rejected: "text-rose-700", withdrawn: "text-amber-700" } as const;

/** Reached per stage as bars, in the job's stage order, with conversion to the next and where applications left. */
export function FunnelChart({ funnel, filters }: { funnel: Funnel; filters: AnalyticsFilters }) {
  const max = Math.max(1, ...funnel.stages.map((s) => s.reached));
  const t = funnel.totals;
  return (
    <>
      <p className="text-sm text-slate-700">
        <span className="font-semibold tabular-nums">{t.applications}</span> applications:{" "}
        <Link className="underline-offset-2 hover:underline" href={candidatesHref(filters, null, "active")}>
          <span className="tabular-nums">{t.active}</span> open
        </Link>
        {(["hired", "rejected", "withdrawn"] as const).map((o) => (
          <span key={o}>
            {" · "}
            <Link className={`underline-offset-2 hover:underline ${outcomeText[o]}`} href={candidatesHref(filters, null, o)}>
              <span className="tabular-nums">{t[o]}</span> {o}
            </Link>
          </span>
        ))}
      </p>
      <ol className="mt-3 space-y-2" aria-label="Stages in the job's order">
        {funnel.stages.map((s) => (
          <li key={s.name} className="min-w-0">
            <div className="flex min-w-0 items-baseline justify-between gap-2 text-sm">
              <span className={`min-w-0 truncate ${s.outcome === "active" ? "text-slate-900" : outcomeText[s.outcome]}`} title={s.name}>
                {s.name}
              </span>
              <Link href={candidatesHref(filters, s.name)} className="shrink-0 font-semibold tabular-nums underline-offset-2 hover:underline" aria-label={`${s.reached} reached ${s.name}: candidates now in it`}>
                {s.reached}
              </Link>
            </div>
            <div aria-hidden className="mt-1 h-3 w-full rounded-sm bg-slate-100">
              <div className={`h-3 rounded-sm ${s.outcome === "active" ? "bg-sky-600" : "bg-slate-400"}`} style={{ width: `${(s.reached / max) * 100}%` }} />
            </div>
            <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-slate-600">
              {s.conversion !== null ? <span>{formatShare(s.conversion)} went on</span> : null}
              {s.current > 0 ? (
                <Link href={candidatesHref(filters, s.name, "active")} className="underline-offset-2 hover:underline">
                  <span className="tabular-nums">{s.current}</span> here now
                </Link>
              ) : null}
              {(["hired", "rejected", "withdrawn"] as const).map((o) =>
                s.left[o] > 0 ? (
                  <Link key={o} href={candidatesHref(filters, s.name, o)} className={`underline-offset-2 hover:underline ${outcomeText[o]}`}>
                    <span className="tabular-nums">{s.left[o]}</span> {o} from here
                  </Link>
                ) : null,
              )}
            </p>
          </li>
        ))}
      </ol>
      <div className="sr-only">
        <table>
          <caption>Funnel: applications per stage in the job&apos;s order</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Reached</th>
              <th scope="col">Went on to a later stage</th>
              <th scope="col">In it now</th>
              <th scope="col">Hired from here</th>
              <th scope="col">Rejected from here</th>
              <th scope="col">Withdrew from here</th>
            </tr>
          </thead>
          <tbody>
            {funnel.stages.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name}</th>
                <td>{s.reached}</td>
                <td>{s.conversion === null ? "–" : `${s.advanced} (${formatShare(s.conversion)})`}</td>
                <td>{s.current}</td>
                <td>{s.left.hired}</td>
                <td>{s.left.rejected}</td>
                <td>{s.left.withdrawn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
