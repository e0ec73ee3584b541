"use client";

import type { EndpointView } from "@/lib/contracts/responses";
import { CopyButton } from "../ui/copy-button";
import { Time } from "../ui/time";

/** Shown once after creation or rotation: the secret is never shown again, only its hint. */
export function SecretReveal({
  endpoint,
  secret,
  title,
  previousValidUntil,
  onDismiss,
}: {
  endpoint: EndpointView;
  secret: string | null;
  title: string;
  previousValidUntil?: string | null;
  onDismiss: () => void;
}) {
  return (
    <section aria-label={title} className="rounded-lg border border-sky-200 bg-sky-50 p-5 text-sm">
      <div className="flex items-start justify-between gap-4">
        <h2 className="font-semibold text-sky-950">{title}</h2>
        <button type="button" onClick={onDismiss} className="rounded-md px-2 py-1 text-xs text-sky-900 ring-1 ring-sky-300 hover:bg-sky-100">
          Done
        </button>
      </div>
      <dl className="mt-3 space-y-3">
        <div>
          <dt className="text-xs font-medium text-sky-900">Webhook URL</dt>
          <dd className="mt-1 flex items-center gap-2">
            <code data-testid="revealed-url" className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-sky-200">
              {endpoint.url}
            </code>
            <CopyButton text={endpoint.url} />
          </dd>
        </div>
        {secret ? (
          <div>
            <dt className="text-xs font-medium text-sky-900">Signing secret — copy it now, it will not be shown again</dt>
            <dd className="mt-1 flex items-center gap-2">
              <code data-testid="revealed-secret" className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-sky-200">
                {secret}
              </code>
              <CopyButton text={secret} />
            </dd>
            {previousValidUntil ? (
              <p className="mt-1 text-xs text-sky-900">The previous secret keeps working until <Time iso={previousValidUntil} />.</p>
            ) : null}
          </div>
        ) : null}
      </dl>
      {endpoint.setup ? (
        <div className="mt-4 space-y-2 text-sky-950">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-sky-900">Set up in the provider</h3>
          <p>{endpoint.setup.whereToPaste}</p>
          <ul className="list-disc space-y-1 pl-5">
            {endpoint.setup.events.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          {endpoint.setup.urls ? (
            <ul className="space-y-1">
              {endpoint.setup.urls.map((u) => (
                <li key={u.event} className="flex items-center gap-2">
                  <code className="break-all font-mono text-xs">{u.url}</code>
                  <CopyButton text={u.url} />
                </li>
              ))}
            </ul>
          ) : null}
          <p className="text-xs text-sky-900">{endpoint.setup.signature}</p>
        </div>
      ) : null}
    </section>
  );
}
