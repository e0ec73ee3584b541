import { EventTypeBadge } from "@/components/ui/badge";
import type { OverviewStats } from "@/lib/contracts/stats";

/** Events per normalized type over the same window as the chart, as a small bar list. */
export function TypeCounts({ activity }: { activity: OverviewStats["activity"] }) {
  const max = Math.max(1, ...activity.byType.map((t) => t.count));
  return (
    <section aria-labelledby="types-heading" className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="types-heading" className="text-sm font-semibold text-slate-900">
        Events by type <span className="font-normal text-slate-500">· last {activity.days.length} days</span>
      </h2>
      {activity.byType.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">Nothing yet.</p>
      ) : (
        <table className="mt-3 w-full text-sm">
          <caption className="sr-only">Events per type, last {activity.days.length} days by received time</caption>
          <thead className="sr-only">
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Events</th>
            </tr>
          </thead>
          <tbody>
            {activity.byType.map((t) => (
              <tr key={t.type}>
                <th scope="row" className="w-36 py-1 pr-3 text-left font-normal">
                  <EventTypeBadge type={t.type} />
                </th>
                <td className="py-1">
                  <div className="flex items-center gap-2">
                    <div className="h-2 min-w-0 flex-1 rounded-full bg-slate-100">
                      <div className="h-2 rounded-full bg-slate-500" style={{ width: `${Math.max(2, (t.count / max) * 100)}%` }} />
                    </div>
                    <span className="w-10 text-right tabular-nums text-slate-700">{t.count}</span>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
