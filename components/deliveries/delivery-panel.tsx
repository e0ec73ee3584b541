"use client";

import { useEffect, useRef } from "react";
import { ProviderBadge, StatusBadge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import type { EndpointView } from "@/lib/contracts/responses";
import { useDelivery } from "@/lib/queries/use-delivery";
import { useReprocessDelivery } from "@/lib/queries/use-reprocess-delivery";
import { DRIFT_KEYS_SHOWN, formatDeliveryError } from "@/lib/format/body-display";
import { useCan } from "../team/permissions";
import { useKeyShortcut } from "@/components/layout/keyboard";
import { BodyView } from "./body-view";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 min-w-0 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function Mono({ children, title }: { children: React.ReactNode; title?: string }) {
  return (
    <span className="break-all font-mono text-xs" title={title}>
      {children}
    </span>
  );
}

export function DeliveryPanel({
  id,
  endpoints,
  onClose,
  onSelect,
}: {
  id: string;
  endpoints: EndpointView[] | undefined;
  onClose: () => void;
  onSelect: (id: string) => void;
}) {
  const { data, isPending, isError, error, refetch } = useDelivery(id ?? "", Boolean(id));
  const reprocess = useReprocessDelivery();
  const canWrite = useCan("write");
  const headingRef = useRef<HTMLHeadingElement>(null);
  const endpoint = data ? endpoints?.find((e) => e.id === data.endpointId) : undefined;
  const result = reprocess.data?.id === id ? reprocess.data : undefined;
  const reprocessError = reprocess.isError && reprocess.variables === id ? reprocess.error : null;

  // A newly selected delivery: forget the previous reprocess result and move focus here.
  // Escape closes the panel from anywhere in the page, and focus goes back to the delivery's row.
  useKeyShortcut(
    "Escape",
    () => {
      const row = document.querySelector<HTMLElement>('table button[aria-pressed="true"]');
      onClose();
      row?.focus();
      return true;
    },
    { inFields: true },
  );
  useEffect(() => {
    reprocess.reset();
    headingRef.current?.focus({ preventScroll: true });
  }, [id]);

  return (
    <aside aria-labelledby="delivery-heading" className="min-w-0 rounded-lg border border-slate-200 bg-white">
      <div className="flex items-start justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <div className="min-w-0">
          <h2 id="delivery-heading" ref={headingRef} tabIndex={-1} className="text-sm font-semibold text-slate-900 focus:outline-none">
            Delivery
          </h2>
          <div className="mt-0.5 flex min-w-0 items-center gap-1.5">
            <span className="truncate font-mono text-xs text-slate-600" title={id}>
              {id}
            </span>
            <CopyButton text={id} label="Copy id" />
          </div>
        </div>
        <button
          type="button"
          onClick={onClose}
          className="rounded-md px-2 py-1 text-sm text-slate-600 ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        >
          Close<span className="sr-only"> delivery details</span>
        </button>
      </div>

      {isPending ? (
        <div role="status" aria-label="Loading delivery" className="space-y-3 p-4">
          <Skeleton className="h-6 w-1/2" />
          <Skeleton className="h-16 w-full" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : isError ? (
        <div className="p-4">
          <ErrorState message={error.message} onRetry={() => void refetch()} />
        </div>
      ) : (
        <div className="space-y-5 p-4">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={data.status} />
            <ProviderBadge provider={data.provider} />
            {data.eventType ? <Mono title="event type">{data.eventType}</Mono> : null}
          </div>

          {data.status === "failed" && data.error ? (
            <div role="note" className="rounded-lg border border-red-300 bg-red-50 p-3">
              <p className="text-xs font-semibold uppercase tracking-wide text-red-800">Processing failed</p>
              <p className="mt-1 whitespace-pre-wrap break-words font-mono text-sm text-red-900">{formatDeliveryError(data.error)}</p>
            </div>
          ) : null}

          <div className="rounded-lg border border-slate-200 p-3">
            <div className="flex flex-wrap items-center gap-3">
              {canWrite ? (
              <button
                type="button"
                onClick={() => reprocess.mutate(id)}
                disabled={data.status === "duplicate" || Boolean(data.bodyPurgedAt) || reprocess.isPending}
                aria-describedby="reprocess-help"
                className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600"
              >
                {reprocess.isPending ? "Reprocessing…" : "Reprocess"}
              </button>
              ) : null}
              <p id="reprocess-help" className="min-w-0 flex-1 text-xs text-slate-600">
                {data.bodyPurgedAt
                  ? `The raw body was dropped (${data.bodyPurgeReason === "erased" ? "its candidate was erased" : "retention"}): there is nothing to reprocess; its events, if any, stay as they are.`
                  : data.status === "duplicate"
                  ? "Duplicates are never processed: they repeat a delivery already stored. Reprocess the original instead."
                  : "Re-runs parsing and mapping on the stored body. Idempotent: the same events are replaced, not added."}
              </p>
            </div>
            <div aria-live="polite">
              {result ? (
                <div className={`mt-3 rounded-md p-2 text-sm ${result.status === "failed" ? "bg-red-50 text-red-900" : "bg-emerald-50 text-emerald-900"}`}>
                  <p className="flex flex-wrap items-center gap-2">
                    Reprocessed: <StatusBadge status={result.status} />
                    {result.eventType ? <Mono>{result.eventType}</Mono> : null}
                    <span>
                      · {result.events.length} event{result.events.length === 1 ? "" : "s"}
                    </span>
                  </p>
                  {result.error ? <p className="mt-1 whitespace-pre-wrap break-words font-mono text-xs">{result.error}</p> : null}
                </div>
              ) : null}
              {reprocessError ? (
                <p role="alert" className="mt-3 rounded-md bg-red-50 p-2 text-sm text-red-900">
                  Reprocess failed: {reprocessError.message}
                </p>
              ) : null}
            </div>
          </div>

          <dl className="grid grid-cols-2 gap-x-4 gap-y-3">
            <Field label="Received">
              <Time iso={data.receivedAt} className="text-xs" />
            </Field>
            <Field label="Processed">
              {data.processedAt ? <Time iso={data.processedAt} className="text-xs" /> : "—"}
              {data.processCount > 1 ? <span className="text-xs text-slate-500"> · {data.processCount}×</span> : null}
            </Field>
            <Field label="Endpoint">
              {endpoint ? <span className="block truncate" title={endpoint.name}>{endpoint.name}</span> : null}
              <Mono title={data.endpointId}>{data.endpointId}</Mono>
            </Field>
            <Field label="Events">{data.eventCount}</Field>
            <Field label="Idempotency key">
              <Mono>{data.idempotencyKey}</Mono>
            </Field>
            <Field label="Key source">
              <Mono>{data.idempotencySource}</Mono>
            </Field>
            {data.duplicateOfId ? (
              <Field label="Duplicate of">
                <button
                  type="button"
                  onClick={() => onSelect(data.duplicateOfId!)}
                  className="break-all rounded text-left font-mono text-xs text-sky-800 underline hover:text-sky-950 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
                >
                  {data.duplicateOfId}
                </button>
              </Field>
            ) : null}
            <Field label="Request">
              <Mono>
                {data.method}
                {data.query ? ` ?${data.query.replace(/^\?/, "")}` : ""}
              </Mono>
            </Field>
            <Field label="Body SHA-256">
              <Mono title={data.bodySha256}>{data.bodySha256.slice(0, 16)}…</Mono>
            </Field>
          </dl>

          <section aria-labelledby="drift-heading">
            <h3 id="drift-heading" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
              Schema drift
            </h3>
            {data.schemaDrift && data.schemaDrift.length > 0 ? (
              <>
                <p className="mt-1 text-xs text-slate-600">Where this delivery differs from the provider&apos;s documentation: keys it does not list, values of another type (recorded, not rejected):</p>
                <ul className="mt-1.5 flex flex-wrap gap-1.5">
                  {data.schemaDrift.slice(0, DRIFT_KEYS_SHOWN).map((path) => (
                    <li key={path} className="max-w-full break-all rounded bg-amber-50 px-1.5 py-0.5 font-mono text-xs text-amber-900 ring-1 ring-amber-200">
                      {path}
                    </li>
                  ))}
                  {data.schemaDrift.length > DRIFT_KEYS_SHOWN ? (
                    <li className="px-1.5 py-0.5 text-xs text-slate-600">and {(data.schemaDrift.length - DRIFT_KEYS_SHOWN).toLocaleString("en-GB")} more</li>
                  ) : null}
                </ul>
              </>
            ) : (
              <p className="mt-1 text-sm text-slate-600">None: every key matches the documented schema.</p>
            )}
          </section>

          <section aria-labelledby="headers-heading">
            <h3 id="headers-heading" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
              Headers <span className="font-normal normal-case">(credentials redacted)</span>
            </h3>
            <table className="mt-1.5 w-full table-fixed text-xs">
              <caption className="sr-only">Request headers</caption>
              <thead className="sr-only">
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {Object.entries(data.headers)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([name, value]) => (
                    <tr key={name} className="align-top">
                      <th scope="row" className="w-2/5 break-all py-1 pr-2 text-left font-mono font-normal text-slate-600">
                        {name}
                      </th>
                      <td className="break-all py-1 font-mono text-slate-900">{value}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>

          <section aria-labelledby="body-heading">
            <h3 id="body-heading" className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
              Body
            </h3>
            <BodyView deliveryId={data.id} body={data.body} contentType={data.contentType} />
          </section>
        </div>
      )}
    </aside>
  );
}
