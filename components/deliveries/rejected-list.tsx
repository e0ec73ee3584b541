"use client";

import { ProviderBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { useRejectedRequests } from "@/lib/queries/use-rejected-requests";

/** Requests refused before storage: what was sent, why it was refused and what to do about it. */
export function RejectedList({ endpointId }: { endpointId?: string }) {
  const list = useRejectedRequests({ endpointId });
  const rows = list.data?.pages.flatMap((p) => p.deliveries) ?? [];
  if (list.isPending) return <SkeletonRows rows={6} />;
  if (list.isError && !list.data) return <ErrorState message={list.error.message} onRetry={() => void list.refetch()} />;
  if (rows.length === 0) {
    return <EmptyState title="No refused requests">Requests refused before storage (bad signature, content type or method, disabled or deleted endpoint, too large, unknown URL) show up here with what was sent.</EmptyState>;
  }
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-600">
        Refused before storage, so never processed. The newest 100 per endpoint (and 100 to unknown URLs) are kept, each with its headers (credentials
        redacted) and, for signature and content-type refusals, the first 4 KiB of the body.
      </p>
      <ul aria-label="Refused requests" className="space-y-2">
        {rows.map((r) => (
          <li key={r.id} className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="rounded bg-amber-100 px-1.5 py-0.5 font-mono text-xs font-semibold text-amber-900">{r.httpStatus}</span>
              <code className="font-mono text-xs text-slate-800">{r.error}</code>
              {r.provider ? <ProviderBadge provider={r.provider} /> : <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">unknown endpoint</span>}
              <span className="ml-auto text-xs text-slate-700">
                <Time iso={r.receivedAt} />
              </span>
            </div>
            <p className="mt-1.5 break-words text-slate-800">{r.reason}</p>
            <p className="mt-1 break-words text-xs text-slate-700">
              <span className="font-medium">What to do: </span>
              {r.advice}
            </p>
            <p className="mt-1 break-words text-xs text-slate-500">
              {r.method} · {r.contentType ?? "no content type"} · {r.size.toLocaleString("en-GB")} bytes · from {r.source ?? "unknown address"} ·{" "}
              {r.endpointId ? <span className="font-mono">{r.endpointId}</span> : "no endpoint has this URL"}
            </p>
            <details className="mt-2">
              <summary className="cursor-pointer select-none rounded text-xs font-medium text-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
                Headers and body
              </summary>
              <dl className="mt-1.5 grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-x-2 gap-y-0.5 font-mono text-xs">
                {Object.entries(r.headers).map(([name, value]) => (
                  <div key={name} className="contents">
                    <dt className="break-all text-slate-600">{name}</dt>
                    <dd className="break-all text-slate-900">{value}</dd>
                  </div>
                ))}
              </dl>
              {r.body ? (
                <pre
                  tabIndex={0}
                  role="region"
                  aria-label={`Body of refused request ${r.id}`}
                  className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs text-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  {r.body.text}
                  {r.size > r.body.bytes ? `\n… first ${r.body.bytes.toLocaleString("en-GB")} of ${r.size.toLocaleString("en-GB")} bytes kept` : ""}
                </pre>
              ) : (
                <p className="mt-2 text-xs text-slate-500">Body not kept for this kind of refusal.</p>
              )}
            </details>
          </li>
        ))}
      </ul>
      {list.hasNextPage ? (
        <button
          type="button"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-60"
        >
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}
