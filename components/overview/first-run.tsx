"use client";

import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { demoResultSchema } from "@/lib/contracts/demo";
import { apiFetch } from "@/lib/queries/api-client";
import { useCan } from "../team/permissions";

const steps = [
  ["Create an endpoint", "In Settings, pick your ATS. You get a webhook URL (and, where the provider signs, a secret)."],
  ["Paste it into your ATS", "Add the URL and secret to the provider's webhook settings and subscribe to candidate events."],
  ["Watch the history build", "Every delivery is stored exactly as received, then turned into events on each candidate's timeline."],
] as const;

/** Shown until the first endpoint or delivery exists: what this is, how to start, or demo data. */
export interface ProviderInfo {
  id: string;
  displayName: string;
  signature: string;
}

export function FirstRun({ providers }: { providers: ProviderInfo[] }) {
  const canWrite = useCan("write");
  const client = useQueryClient();
  const demo = useMutation({
    mutationFn: () => apiFetch("/api/demo", demoResultSchema, { method: "POST" }),
    onSuccess: () => client.invalidateQueries(),
  });

  return (
    <section aria-labelledby="first-run-heading" className="rounded-xl border border-slate-200 bg-white p-8">
      <p className="text-xs font-semibold uppercase tracking-wide text-sky-700">Getting started</p>
      <h1 id="first-run-heading" className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">
        Every candidate webhook, kept and explained
      </h1>
      <p className="mt-3 max-w-3xl text-slate-600">
        Candidate History receives your applicant-tracking system&apos;s candidate webhooks, keeps each delivery byte for byte,
        and turns them into a per-candidate timeline: stage changes, hires, rejections and field-level diffs. Nothing has
        arrived yet.
      </p>

      <ol className="mt-6 grid gap-4 md:grid-cols-3">
        {steps.map(([title, text], i) => (
          <li key={title} className="rounded-lg border border-slate-200 bg-slate-50 p-4">
            <p className="flex items-center gap-2 font-medium text-slate-900">
              <span aria-hidden className="flex h-6 w-6 items-center justify-center rounded-full bg-slate-900 text-xs text-white">
                {i + 1}
              </span>
              {title}
            </p>
            <p className="mt-2 text-sm text-slate-600">{text}</p>
          </li>
        ))}
      </ol>

      {/* Setting up needs the write permission; a viewer sees the steps only. */}
      {canWrite ? (
      <div className="mt-8 flex flex-wrap items-center gap-3">
        <Link
          href="/settings"
          className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 focus-visible:ring-offset-2"
        >
          Create an endpoint in Settings
        </Link>
        <button
          type="button"
          onClick={() => demo.mutate()}
          disabled={demo.isPending}
          className="rounded-md bg-white px-4 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:cursor-wait disabled:opacity-60"
        >
          {demo.isPending ? "Loading demo data…" : "Load demo data"}
        </button>
        <p className="text-sm text-slate-600">
          Demo data: one &ldquo;(demo)&rdquo; endpoint per provider and 20 simulated candidates, sent through the real webhook URLs.
        </p>
      </div>
      ) : null}
      <div aria-live="polite" className="mt-3 text-sm">
        {demo.isPending ? (
          <p role="status" className="text-slate-600">
            Creating endpoints and sending about 120 signed webhooks; this takes a few seconds…
          </p>
        ) : null}
        {demo.isError ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-800">
            Could not load demo data: {demo.error.message}
          </div>
        ) : null}
        {demo.data && !demo.data.ok ? (
          <div role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-amber-900">
            {demo.data.message}
          </div>
        ) : null}
      </div>

      <div className="mt-8 border-t border-slate-200 pt-6">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Supported providers</h2>
        <ul className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {providers.map((p) => (
            <li key={p.id} className="rounded-lg border border-slate-200 p-3">
              <p className="font-medium text-slate-900">{p.displayName}</p>
              <p className="mt-1 text-xs text-slate-600">{p.signature}</p>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
