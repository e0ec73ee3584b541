import type { OverviewStats } from "@/lib/contracts/stats";
import { providerLabels } from "@/components/ui/badge";
import { providerIds } from "@/lib/providers/types";
import { providerFill } from "./provider-colors";

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const weekday = new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: "UTC" });

/** Events per UTC day by received time, stacked per provider: plain divs, no chart library. */
export function ActivityChart({ activity }: { activity: OverviewStats["activity"] }) {
  const max = Math.max(1, ...activity.days.map((d) => d.total));
  const total = activity.days.reduce((n, d) => n + d.total, 0);
  const present = providerIds.filter((p) => activity.byProvider.some((x) => x.provider === p));
  return (
    <section aria-labelledby="activity-heading" className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id="activity-heading" className="text-sm font-semibold text-slate-900">
          Events per day <span className="font-normal text-slate-500">· last {activity.days.length} days</span>
        </h2>
        <p className="text-xs text-slate-500">By received time (UTC days), not the provider&apos;s occurred time</p>
      </div>

      {total === 0 ? (
        <p className="mt-6 text-sm text-slate-600">No events received in the last {activity.days.length} days.</p>
      ) : (
        <>
          <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Legend">
            {present.map((p) => (
              <li key={p} className="flex items-center gap-1.5">
                <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-sm ${providerFill[p]}`} />
                {providerLabels[p]}
                <span className="tabular-nums text-slate-500">{activity.byProvider.find((x) => x.provider === p)?.count}</span>
              </li>
            ))}
          </ul>
          <div aria-hidden className="mt-4 flex h-40 items-end gap-1 border-b border-slate-200">
            {activity.days.map((d) => {
              const title = `${d.day}: ${d.total} event${d.total === 1 ? "" : "s"}${providerIds
                .filter((p) => d.byProvider[p] > 0)
                .map((p) => `\n${providerLabels[p]} ${d.byProvider[p]}`)
                .join("")}`;
              return (
                <div key={d.day} title={title} className="flex h-full min-w-0 flex-1 flex-col justify-end">
                  {d.total > 0 ? <span className="mb-0.5 text-center text-[10px] tabular-nums text-slate-500">{d.total}</span> : null}
                  <div className="flex flex-col-reverse overflow-hidden rounded-t-sm" style={{ height: `${(d.total / max) * 85}%` }}>
                    {providerIds.map((p) =>
                      d.byProvider[p] > 0 ? <div key={p} className={providerFill[p]} style={{ height: `${(d.byProvider[p] / d.total) * 100}%` }} /> : null,
                    )}
                  </div>
                </div>
              );
            })}
          </div>
          <div aria-hidden className="mt-1 flex gap-1 text-[10px] text-slate-500">
            {activity.days.map((d, i) => (
              <span key={d.day} className="min-w-0 flex-1 truncate text-center">
                {i % 2 === activity.days.length % 2 || i === activity.days.length - 1 ? dayLabel.format(new Date(`${d.day}T00:00:00Z`)) : ""}
              </span>
            ))}
          </div>
          {/* sr-only on the table itself does not hold it to 1 px (tables size to their content) and it widened the page on phones. */}
          <div className="sr-only">
            <table>
              <caption>Events per day by received time, per provider</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Total</th>
                  {present.map((p) => (
                    <th key={p} scope="col">
                      {providerLabels[p]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {activity.days.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">
                      {weekday.format(new Date(`${d.day}T00:00:00Z`))} {d.day}
                    </th>
                    <td>{d.total}</td>
                    {present.map((p) => (
                      <td key={p}>{d.byProvider[p]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
