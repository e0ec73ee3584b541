"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useDelivery } from "@/lib/queries/use-delivery";
import { StatusBadge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { BodyClipNote } from "@/components/deliveries/body-view";
import { DRIFT_KEYS_SHOWN, formatBodyForDisplay, formatDeliveryError } from "@/lib/format/body-display";

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The raw delivery behind an event, fetched when this panel first mounts (the event is expanded). */
export function RawDelivery({ deliveryId }: { deliveryId: string }) {
  const delivery = useDelivery(deliveryId);
  const body = useMemo(() => (delivery.data ? formatBodyForDisplay(delivery.data.body.text, delivery.data.body.bytes) : null), [delivery.data]);

  if (delivery.isPending) {
    return (
      <div role="status" aria-label="Loading delivery" className="space-y-2">
        <Skeleton className="h-4 w-1/3" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  }
  if (delivery.isError) return <ErrorState message={delivery.error.message} onRetry={() => delivery.refetch()} />;

  const d = delivery.data;
  const headers = Object.entries(d.headers).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
        <StatusBadge status={d.status} />
        <span className="font-mono">{d.method}</span>
        {d.contentType ? <span className="min-w-0 break-all font-mono">{d.contentType}</span> : null}
        <span>{formatBytes(d.body.bytes)}</span>
        <span>
          received <Time iso={d.receivedAt} />
        </span>
        <span className="min-w-0 break-all font-mono text-slate-500">{d.id}</span>
        <Link
          href={`/deliveries?selected=${encodeURIComponent(d.id)}`}
          className="ml-auto font-medium text-sky-700 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        >
          Open in delivery log →
        </Link>
      </div>
      {d.error ? <p className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-800">{formatDeliveryError(d.error)}</p> : null}
      {d.schemaDrift && d.schemaDrift.length > 0 ? (
        <p className="text-xs text-slate-600">
          Differs from the provider&apos;s docs (drift notes):{" "}
          <span className="break-all font-mono">{d.schemaDrift.slice(0, DRIFT_KEYS_SHOWN).join(", ")}</span>
          {d.schemaDrift.length > DRIFT_KEYS_SHOWN ? ` and ${(d.schemaDrift.length - DRIFT_KEYS_SHOWN).toLocaleString("en-GB")} more` : null}
        </p>
      ) : null}

      <figure className="overflow-hidden rounded-lg border border-slate-200 bg-slate-900">
        <figcaption className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs font-medium text-slate-300">
          <span>Body{body && !body.json ? (body.truncated ? " (shown as received)" : " (not JSON, shown as received)") : ""}</span>
          <span className="flex gap-2 [&>button]:bg-white [&>button]:text-slate-700">
            {body?.clipped ? null : <CopyButton text={body?.text ?? ""} label={body?.json ? "Copy JSON" : "Copy"} />}
            {body?.clipped || (body?.json && body.text !== d.body.text) ? <CopyButton text={d.body.text} label="Copy raw" /> : null}
          </span>
        </figcaption>
        {body?.clipped ? (
          <div className="border-b border-slate-700 bg-amber-50 px-3 py-1.5">
            <BodyClipNote display={body} deliveryId={d.id} bytes={d.body.bytes} />
          </div>
        ) : null}
        <pre tabIndex={0} role="region" aria-label="Raw body" className="max-h-[28rem] overflow-auto whitespace-pre-wrap p-3 font-mono text-xs leading-relaxed text-slate-100 [overflow-wrap:anywhere] focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-400">
          {body?.text || <span className="text-slate-400">(empty body)</span>}
        </pre>
      </figure>

      <details open className="rounded-md border border-slate-200 bg-white">
        <summary className="cursor-pointer select-none px-3 py-1.5 text-xs font-medium text-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
          Headers ({headers.length})
        </summary>
        <table className="w-full table-fixed border-t border-slate-200 text-left text-xs">
          <caption className="sr-only">Request headers</caption>
          <colgroup>
            <col className="w-1/3" />
            <col />
          </colgroup>
          <tbody className="divide-y divide-slate-100">
            {headers.map(([name, value]) => (
              <tr key={name}>
                <th scope="row" className="break-all px-3 py-1 align-top font-mono font-normal text-slate-500">
                  {name}
                </th>
                <td className="break-all px-3 py-1 font-mono text-slate-800">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
