import Link from "next/link";
import { ProviderBadge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { ATTENTION_REJECT_WINDOW_DAYS, type OverviewStats } from "@/lib/contracts/stats";

export function AttentionList({ items }: { items: OverviewStats["attention"] }) {
  return (
    <section aria-labelledby="attention-heading" className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="attention-heading" className="text-sm font-semibold text-slate-900">
        Endpoints needing attention
      </h2>
      <p className="mt-0.5 text-xs text-slate-500">
        Failed deliveries in the last 24 h, or requests rejected in the last {ATTENTION_REJECT_WINDOW_DAYS} days
      </p>
      {items.length === 0 ? (
        <p className="mt-4 flex items-center gap-2 text-sm text-slate-700">
          <span aria-hidden className="inline-block h-2 w-2 rounded-full bg-emerald-500" />
          All endpoints healthy.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100">
          {items.map((a) => (
            <li key={a.endpointId} className="py-3 first:pt-0 last:pb-0">
              <div className="flex min-w-0 items-baseline justify-between gap-2">
                <span className="truncate font-medium text-slate-900" title={a.name}>
                  {a.name}
                </span>
                <ProviderBadge provider={a.provider} />
              </div>
              <div className="truncate font-mono text-[11px] text-slate-500" title={a.endpointId}>
                {a.endpointId}
                {a.enabled ? "" : " · disabled"}
              </div>
              {a.failed24h > 0 ? (
                <p className="mt-1.5 text-sm">
                  <Link
                    href={`/deliveries?status=failed&endpointId=${encodeURIComponent(a.endpointId)}`}
                    className="rounded font-medium text-red-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                  >
                    {a.failed24h} failed deliver{a.failed24h === 1 ? "y" : "ies"}
                  </Link>
                  {a.lastFailedAt ? (
                    <span className="text-xs text-slate-500">
                      {" "}
                      · last <Time iso={a.lastFailedAt} />
                    </span>
                  ) : null}
                </p>
              ) : null}
              {a.rejectedCount > 0 ? (
                <div className="mt-1.5 text-sm">
                  <span className="font-medium text-amber-800">
                    {a.rejectedCount} rejected request{a.rejectedCount === 1 ? "" : "s"}
                  </span>
                  {a.lastRejectedAt ? (
                    <span className="text-xs text-slate-500">
                      {" "}
                      · last <Time iso={a.lastRejectedAt} />
                    </span>
                  ) : null}
                  {a.lastRejectReason ? (
                    <p className="mt-0.5 break-words text-xs text-slate-600" title={a.lastRejectReason}>
                      {a.lastRejectReason.length > 200 ? `${a.lastRejectReason.slice(0, 200)}…` : a.lastRejectReason}
                    </p>
                  ) : null}
                  {/* The cause decides the advice (a secret only matters for a signature refusal): each refused request carries its own. */}
                  <Link
                    href={`/deliveries?status=rejected&endpointId=${encodeURIComponent(a.endpointId)}`}
                    className="mt-0.5 inline-block rounded text-xs font-medium text-sky-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                  >
                    See the refused requests and what to do
                  </Link>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
