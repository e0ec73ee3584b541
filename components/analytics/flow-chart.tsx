import type { Flow } from "@/lib/contracts/analytics";
import { stageFill } from "./stage-colors";

const weekLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const label = (week: string) => weekLabel.format(new Date(`${week}T00:00:00Z`));

/** Entries per stage per week (stacked columns), and hires and rejections per week beneath. */
export function FlowChart({ flow }: { flow: Flow }) {
  const totals = flow.weeks.map((w) => Object.values(w.entries).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const maxOut = Math.max(1, ...flow.weeks.map((w) => Math.max(w.hired, w.rejected + w.withdrawn)));
  return (
    <>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Legend">
        {flow.stages.map((s, i) => (
          <li key={s} className="flex min-w-0 items-center gap-1.5">
            <span aria-hidden className={`inline-block h-2.5 w-2.5 shrink-0 rounded-sm ${stageFill(i)}`} />
            <span className="truncate">{s}</span>
          </li>
        ))}
      </ul>
      <div aria-hidden className="mt-3 flex h-36 items-end gap-px border-b border-slate-200">
        {flow.weeks.map((w, wi) => (
          <div key={w.week} title={`Week of ${w.week}: ${totals[wi]} entries`} className="flex h-full min-w-0 flex-1 flex-col justify-end">
            <div className="flex flex-col-reverse overflow-hidden rounded-t-sm" style={{ height: `${(totals[wi]! / max) * 100}%` }}>
              {flow.stages.map((s, i) =>
                w.entries[s] ? <div key={s} className={stageFill(i)} style={{ height: `${(w.entries[s]! / totals[wi]!) * 100}%` }} /> : null,
              )}
            </div>
          </div>
        ))}
      </div>
      <p className="mt-3 text-xs font-medium text-slate-700">
        Per week: <span aria-hidden className="ml-1 inline-block h-2 w-2.5 rounded-sm bg-emerald-600" /> hires,{" "}
        <span aria-hidden className="ml-1 inline-block h-2 w-2.5 rounded-sm bg-rose-600" /> rejections and withdrawals
      </p>
      <div aria-hidden className="mt-1 flex h-12 items-end gap-px border-b border-slate-200">
        {flow.weeks.map((w) => (
          <div key={w.week} title={`Week of ${w.week}: ${w.hired} hired, ${w.rejected} rejected, ${w.withdrawn} withdrew`} className="flex h-full min-w-0 flex-1 items-end gap-px">
            <div className="min-w-0 flex-1 bg-emerald-600" style={{ height: `${(w.hired / maxOut) * 100}%` }} />
            <div className="min-w-0 flex-1 bg-rose-600" style={{ height: `${((w.rejected + w.withdrawn) / maxOut) * 100}%` }} />
          </div>
        ))}
      </div>
      {flow.weeks.length > 0 ? (
        <div aria-hidden className="mt-1 flex justify-between gap-2 text-[10px] text-slate-500">
          <span>{label(flow.weeks[0]!.week)}</span>
          {flow.weeks.length > 1 ? <span>{label(flow.weeks.at(-1)!.week)}</span> : null}
        </div>
      ) : null}
      <div className="sr-only">
        <table>
          <caption>Entries per stage, hires, rejections and withdrawals per week (weeks start on Monday, UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              {flow.stages.map((s) => (
                <th key={s} scope="col">
                  Entered {s}
                </th>
              ))}
              <th scope="col">Hired</th>
              <th scope="col">Rejected</th>
              <th scope="col">Withdrew</th>
            </tr>
          </thead>
          <tbody>
            {flow.weeks.map((w) => (
              <tr key={w.week}>
                <th scope="row">{w.week}</th>
                {flow.stages.map((s) => (
                  <td key={s}>{w.entries[s] ?? 0}</td>
                ))}
                <td>{w.hired}</td>
                <td>{w.rejected}</td>
                <td>{w.withdrawn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
