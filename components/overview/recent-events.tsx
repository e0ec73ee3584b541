import Link from "next/link";
import { EventTypeBadge, ProviderBadge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { OverviewStats } from "@/lib/contracts/stats";

export function RecentEvents({ events }: { events: OverviewStats["recentEvents"] }) {
  return (
    <section aria-labelledby="recent-heading" className="min-w-0 rounded-lg border border-slate-200 bg-white">
      <div className="flex items-baseline justify-between gap-3 px-4 pt-4">
        <h2 id="recent-heading" className="text-sm font-semibold text-slate-900">
          Recent events
        </h2>
        <Link href="/candidates" className="rounded text-xs font-medium text-sky-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
          All candidates
        </Link>
      </div>
      {events.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">No events yet.</p>
      ) : (
        <table className="stack-on-phone mt-2 w-full table-fixed text-sm">
          <caption className="sr-only">The 10 most recently received events</caption>
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs font-medium text-slate-500">
              <th scope="col" className="w-[38%] px-4 py-2 font-medium">Candidate</th>
              <th scope="col" className="w-[22%] px-2 py-2 font-medium">Event</th>
              <th scope="col" className="px-2 py-2 font-medium">Received</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {events.map((e) => (
              <tr key={e.id} className="align-top hover:bg-slate-50">
                <td className="px-4 py-2">
                  <Link
                    href={`/candidates/${encodeURIComponent(e.candidateId)}`}
                    className="block truncate rounded font-medium text-slate-900 hover:text-sky-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                    title={e.candidateName ?? e.candidateExternalId}
                  >
                    {e.candidateName ?? <span className="font-mono text-xs">{e.candidateExternalId}</span>}
                  </Link>
                  <div className="mt-0.5 flex min-w-0 items-center gap-2">
                    <ProviderBadge provider={e.provider} />
                    <span className="truncate font-mono text-[11px] text-slate-500" title={e.candidateExternalId}>
                      {e.candidateExternalId}
                    </span>
                  </div>
                </td>
                <td className="px-2 py-2">
                  <EventTypeBadge type={e.type} inferred={e.typeInferred} />
                  {e.stageTo ? (
                    <div className="mt-0.5 truncate text-xs text-slate-600" title={`→ ${e.stageTo}`}>
                      → {e.stageTo}
                    </div>
                  ) : null}
                </td>
                <td className="px-2 py-2 text-xs text-slate-600">
                  <Time iso={e.receivedAt} />
                  {e.occurredAt !== e.receivedAt ? (
                    <div className="mt-0.5 text-slate-500">
                      occurred <Time iso={e.occurredAt} />
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
