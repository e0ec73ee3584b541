import Link from "next/link";
import type { OverviewStats } from "@/lib/contracts/stats";

const nf = new Intl.NumberFormat("en-GB");

function Card({ label, value, children, href }: { label: string; value: number; children?: React.ReactNode; href?: string }) {
  const body = (
    <>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{nf.format(value)}</dd>
      {children ? <dd className="mt-2 text-xs text-slate-600">{children}</dd> : null}
    </>
  );
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      {href ? (
        <Link href={href} className="block rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
          <dl>{body}</dl>
        </Link>
      ) : (
        <dl>{body}</dl>
      )}
    </div>
  );
}

const statusOrder = [
  ["processed", "text-emerald-700"],
  ["duplicate", "text-slate-600"],
  ["ignored", "text-slate-600"],
  ["failed", "text-red-700"],
  ["received", "text-amber-800"],
] as const;

export function StatCards({ stats }: { stats: OverviewStats }) {
  const { totals, last24h } = stats;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="sr-only">
        Totals
      </h2>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Card label="Candidates" value={totals.candidates} href="/candidates" />
        <Card label="Events" value={totals.events}>
          normalized from {nf.format(totals.deliveries)} stored deliveries
        </Card>
        <Card label="Endpoints" value={totals.endpoints} href="/settings" />
        <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
          <div className="flex items-baseline justify-between gap-2">
            <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Deliveries, last 24 h</h3>
            <Link href="/deliveries" className="rounded text-xs font-medium text-sky-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
              Log
            </Link>
          </div>
          <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{nf.format(last24h.total)}</p>
          <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs">
            {statusOrder.map(([status, color]) => {
              const n = last24h.byStatus[status];
              if (n === 0 && status !== "failed") return null;
              return (
                <li key={status}>
                  <Link
                    href={`/deliveries?status=${status}`}
                    className={`rounded tabular-nums hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${n > 0 ? color : "text-slate-500"}`}
                  >
                    {nf.format(n)} {status}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </section>
  );
}
