"use client";

import Link from "next/link";
import { useState } from "react";
import type { EndpointView } from "@/lib/contracts/responses";
import { useEndpointMutations } from "@/lib/queries/use-endpoint-mutations";
import { StatusBadge } from "../ui/badge";
import { CopyButton } from "../ui/copy-button";
import { Time } from "../ui/time";
import { SecretReveal } from "./secret-reveal";

const buttonClass =
  "rounded-md px-3 py-1.5 text-xs font-medium ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-50";

export function EndpointRow({ endpoint, providerName }: { endpoint: EndpointView; providerName: string }) {
  const { update, remove, rotate, rotateUrl, testDelivery } = useEndpointMutations();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(endpoint.name);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [overlapHours, setOverlapHours] = useState(24);
  const [rotated, setRotated] = useState<{ secret: string; previousValidUntil: string } | null>(null);
  const [rotatingUrl, setRotatingUrl] = useState(false);
  const [urlOverlapHours, setUrlOverlapHours] = useState(24);
  const [rotatedUrl, setRotatedUrl] = useState<{ url: string; previousUrlValidUntil: string } | null>(null);
  const log = (status?: string) => `/deliveries?${new URLSearchParams({ ...(status ? { status } : {}), endpointId: endpoint.id })}`;
  const counts = endpoint.activity.last24h;
  const test = testDelivery.variables === endpoint.id ? testDelivery : null;

  return (
    <li aria-label={`${providerName} endpoint ${endpoint.name}`} className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-3">
            <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-700">{providerName}</span>
            {renaming ? (
              <form
                className="flex items-center gap-2"
                onSubmit={async (e) => {
                  e.preventDefault();
                  await update.mutateAsync({ id: endpoint.id, name: name.trim() });
                  setRenaming(false);
                }}
              >
                <label htmlFor={`name-${endpoint.id}`} className="sr-only">
                  Endpoint name
                </label>
                <input
                  id={`name-${endpoint.id}`}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  className="rounded-md border border-slate-300 px-2 py-1 text-sm"
                  autoFocus
                />
                <button type="submit" className={buttonClass}>
                  Save
                </button>
              </form>
            ) : (
              <h3 className="truncate font-medium"><Link href={`/settings/endpoints/${endpoint.id}`} className="rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">{endpoint.name}</Link></h3>
            )}
            {!endpoint.enabled ? <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">disabled</span> : null}
          </div>
          <div className="mt-2 flex items-center gap-2">
            <code className="truncate font-mono text-xs text-slate-600" title={endpoint.url}>
              {endpoint.url}
            </code>
            <CopyButton text={endpoint.url} label="Copy URL" />
          </div>
          <p className="mt-2 text-xs text-slate-600">
            {endpoint.signs ? (
              <>
                Secret <code className="font-mono">{endpoint.secretHint ?? "—"}</code>
                {endpoint.previousValidUntil ? <> · previous secret valid until <Time iso={endpoint.previousValidUntil} /></> : null}
              </>
            ) : (
              <>
                No signature: the URL is the credential.
                {endpoint.previousUrlValidUntil ? <> · previous URL keeps working until <Time iso={endpoint.previousUrlValidUntil} /></> : null}
              </>
            )}
          </p>
        </div>

        <div className="flex items-center gap-2">
          <span id={`enabled-${endpoint.id}`} className="text-xs text-slate-600">
            Enabled
          </span>
          <button
            type="button"
            role="switch"
            aria-checked={endpoint.enabled}
            aria-labelledby={`enabled-${endpoint.id}`}
            onClick={() => (!endpoint.enabled || window.confirm(`Disable "${endpoint.name}"? Deliveries to it are refused (410) until it is enabled again.`)) && update.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}
            className={`relative h-6 w-11 rounded-full transition focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${endpoint.enabled ? "bg-emerald-500" : "bg-slate-300"}`}
          >
            <span className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition ${endpoint.enabled ? "left-5" : "left-0.5"}`} />
          </button>
        </div>
      </div>

      <dl className="mt-4 grid grid-cols-2 gap-3 border-t border-slate-100 pt-3 text-xs sm:grid-cols-4 lg:grid-cols-8">
        <div className="col-span-2 sm:col-span-1 lg:col-span-2">
          <dt className="text-slate-500">Last delivery</dt>
          <dd className="mt-0.5 flex items-center gap-1.5">
            {endpoint.activity.lastDeliveryAt ? (
              <>
                <Time iso={endpoint.activity.lastDeliveryAt} />
                {endpoint.activity.lastDeliveryStatus ? <StatusBadge status={endpoint.activity.lastDeliveryStatus} /> : null}
              </>
            ) : (
              "never"
            )}
          </dd>
        </div>
        {/* Each count opens the delivery log filtered to this endpoint and that outcome. */}
        {(
          [
            ["Processed (24 h)", "processed", counts.processed, false],
            ["Ignored", "ignored", counts.ignored, false],
            ["Duplicate", "duplicate", counts.duplicate, false],
            ["Failed", "failed", counts.failed, true],
            ["Rejected", "rejected", counts.rejected, true],
          ] as const
        ).map(([label, status, n, alarming]) => (
          <div key={label}>
            <dt className="text-slate-500">{label}</dt>
            <dd className="mt-0.5">
              <Link
                href={log(status)}
                aria-label={`${n} ${status} (last 24 h): open the log of ${endpoint.name}'s ${status} deliveries`}
                className={`rounded font-mono tabular-nums underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${alarming && n > 0 ? "font-semibold text-red-700" : "text-sky-700"}`}
              >
                {n}
              </Link>
            </dd>
          </div>
        ))}
        {endpoint.lastRejectReason ? (
          <div className="col-span-2 sm:col-span-1">
            <dt className="text-slate-500">Last rejection</dt>
            <dd className="mt-0.5 line-clamp-2 text-red-700" title={endpoint.lastRejectReason}>
              {endpoint.lastRejectReason}
            </dd>
          </div>
        ) : null}
      </dl>
      {endpoint.activity.drift24h.notes > 0 || endpoint.activity.ignoredEvents24h.length > 0 ? (
        <p className="mt-2 text-xs text-slate-600">
          {endpoint.activity.drift24h.notes > 0 ? (
            <Link href={`/deliveries?endpointId=${endpoint.id}`} className="text-sky-700 underline underline-offset-2">
              Schema drift (24 h): {endpoint.activity.drift24h.notes} note{endpoint.activity.drift24h.notes === 1 ? "" : "s"} on{" "}
              {endpoint.activity.drift24h.deliveries} deliver{endpoint.activity.drift24h.deliveries === 1 ? "y" : "ies"}
            </Link>
          ) : null}
          {endpoint.activity.drift24h.notes > 0 && endpoint.activity.ignoredEvents24h.length > 0 ? " · " : null}
          {endpoint.activity.ignoredEvents24h.length > 0 ? (
            <span>
              Not understood (24 h, stored as ignored):{" "}
              {endpoint.activity.ignoredEvents24h.map((e) => `${e.count} ${e.eventType}`).join(", ")}
            </span>
          ) : null}
        </p>
      ) : null}

      <div className="mt-4 flex flex-wrap items-center gap-2">
        <button type="button" className={buttonClass} disabled={testDelivery.isPending} onClick={() => testDelivery.mutate(endpoint.id)}>
          Send test delivery
        </button>
        <button type="button" className={buttonClass} onClick={() => setRenaming((v) => !v)}>
          Rename
        </button>
        {endpoint.signs ? (
          <button type="button" className={buttonClass} onClick={() => setRotating((v) => !v)} aria-expanded={rotating}>
            Rotate secret
          </button>
        ) : (
          <button type="button" className={buttonClass} onClick={() => setRotatingUrl((v) => !v)} aria-expanded={rotatingUrl}>
            Rotate URL
          </button>
        )}
        <button type="button" className={`${buttonClass} text-red-700`} onClick={() => setConfirmDelete(true)}>
          Delete
        </button>
      </div>

      {test?.isPending ? (
        <p role="status" className="mt-3 text-xs text-slate-600">
          Sending a signed sample through the webhook URL…
        </p>
      ) : null}
      {test?.data ? (
        <p role="status" data-testid="test-delivery-result" className="mt-3 text-xs">
          HTTP <span className="font-mono font-semibold">{test.data.httpStatus}</span> · {test.data.providerEvent} ·{" "}
          {test.data.deliveryStatus ? <StatusBadge status={test.data.deliveryStatus} /> : null}
          {test.data.message ? <span className="ml-1 text-red-700">{test.data.message}</span> : null}
          {test.data.candidateId ? (
            <Link href={`/candidates/${test.data.candidateId}`} className="ml-2 text-sky-700 underline">
              Open the candidate
            </Link>
          ) : null}
        </p>
      ) : null}
      {test?.error ? (
        <p role="alert" className="mt-3 text-xs text-red-700">
          {test.error.message}
        </p>
      ) : null}

      {rotating ? (
        <form
          aria-label="Rotate secret"
          className="mt-3 flex flex-wrap items-end gap-2 rounded-md bg-slate-50 p-3"
          onSubmit={async (e) => {
            e.preventDefault();
            const result = await rotate.mutateAsync({ id: endpoint.id, overlapHours });
            setRotated({ secret: result.secret, previousValidUntil: result.previousValidUntil });
            setRotating(false);
          }}
        >
          <OverlapHoursField id={`overlap-${endpoint.id}`} label="Old secret keeps working for (hours)" value={overlapHours} onChange={setOverlapHours} />
          <button type="submit" className={buttonClass} disabled={rotate.isPending}>
            Issue new secret
          </button>
          {rotate.error ? <p className="text-xs text-red-700">{rotate.error.message}</p> : null}
        </form>
      ) : null}
      {rotated ? (
        <div className="mt-3">
          <SecretReveal endpoint={endpoint} secret={rotated.secret} previousValidUntil={rotated.previousValidUntil} title="New secret issued" onDismiss={() => setRotated(null)} />
        </div>
      ) : null}

      {rotatingUrl ? (
        <form
          aria-label="Rotate URL"
          className="mt-3 space-y-2 rounded-md bg-slate-50 p-3"
          onSubmit={async (e) => {
            e.preventDefault();
            const result = await rotateUrl.mutateAsync({ id: endpoint.id, overlapHours: urlOverlapHours });
            setRotatedUrl(result);
            setRotatingUrl(false);
          }}
        >
          <p className="text-xs text-slate-700">
            Issue a new webhook URL for <strong>{endpoint.name}</strong>? Paste it into {providerName}&apos;s webhook settings; the current URL keeps
            receiving deliveries for the hours below, then stops (404).
          </p>
          <div className="flex flex-wrap items-end gap-2">
            <OverlapHoursField id={`url-overlap-${endpoint.id}`} label="Old URL keeps working for (hours)" value={urlOverlapHours} onChange={setUrlOverlapHours} />
            <button type="submit" className={buttonClass} disabled={rotateUrl.isPending}>
              Issue new URL
            </button>
            <button type="button" className={buttonClass} onClick={() => setRotatingUrl(false)}>
              Cancel
            </button>
          </div>
          {rotateUrl.error ? <p className="text-xs text-red-700">{rotateUrl.error.message}</p> : null}
        </form>
      ) : null}
      {rotatedUrl ? (
        <div role="status" aria-label="New URL issued" className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-xs text-emerald-950">
          <p className="font-medium">New URL issued</p>
          <div className="mt-1 flex min-w-0 items-center gap-2">
            <code data-testid="rotated-url" className="min-w-0 break-all font-mono">
              {rotatedUrl.url}
            </code>
            <CopyButton text={rotatedUrl.url} label="Copy new URL" />
          </div>
          <p className="mt-1">
            Paste it into {providerName}&apos;s webhook settings. The old URL keeps working until <Time iso={rotatedUrl.previousUrlValidUntil} />.
          </p>
          <button type="button" className={`${buttonClass} mt-2`} onClick={() => setRotatedUrl(null)}>
            Done
          </button>
        </div>
      ) : null}

      {confirmDelete ? (
        <div role="alertdialog" aria-label="Confirm delete" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p>
            Delete <strong>{endpoint.name}</strong>? Its URL stops accepting deliveries. Events and deliveries already received are kept.
          </p>
          <div className="mt-2 flex gap-2">
            <button type="button" className="rounded-md bg-red-700 px-3 py-1.5 text-xs font-medium text-white hover:bg-red-800" onClick={() => remove.mutate(endpoint.id)}>
              Delete endpoint
            </button>
            <button type="button" className={buttonClass} onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </li>
  );
}

/** How long the old secret or URL keeps working after a rotation (the API's overlapHours, 0–720). */
function OverlapHoursField({ id, label, value, onChange }: { id: string; label: string; value: number; onChange: (hours: number) => void }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs text-slate-600">
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={0}
        max={720}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        className="mt-1 w-28 rounded-md border border-slate-300 px-2 py-1 text-sm"
      />
    </div>
  );
}
