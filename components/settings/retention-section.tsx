"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { erasureListSchema, retentionRunSchema, retentionSettingsSchema, type RetentionSettingsView } from "@/lib/contracts/responses";
import { apiFetch } from "@/lib/queries/api-client";
import { useCan } from "../team/permissions";

const buttonClass =
  "h-9 rounded-md px-3 text-sm font-medium ring-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:cursor-not-allowed disabled:opacity-60";
const retentionKey = ["settings", "retention"] as const;

/** Empty means "keep forever" (null). */
const toText = (v: number | null) => (v === null ? "" : String(v));
const toDays = (v: string): number | null => (v.trim() === "" ? null : Number(v));

/** Settings → Retention (admin): how long raw bodies, events and the refused-request logs are kept; Run now. */
export function RetentionSection() {
  const canManage = useCan("write");
  const client = useQueryClient();
  const settings = useQuery({ queryKey: retentionKey, queryFn: () => apiFetch("/api/settings/retention", retentionSettingsSchema), enabled: canManage });
  const [form, setForm] = useState({ rawBodyDays: "", eventDays: "", rejectedDays: "30" });
  useEffect(() => {
    if (settings.data) setForm({ rawBodyDays: toText(settings.data.rawBodyDays), eventDays: toText(settings.data.eventDays), rejectedDays: String(settings.data.rejectedDays) });
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (body: RetentionSettingsView) => apiFetch("/api/settings/retention", retentionSettingsSchema, { method: "PUT", body: JSON.stringify(body) }),
    onSuccess: (data) => client.setQueryData(retentionKey, data),
  });
  const run = useMutation({ mutationFn: () => apiFetch("/api/retention/run", retentionRunSchema, { method: "POST" }) });
  const ids = { raw: useId(), events: useId(), rejected: useId() };
  if (!canManage) return null;

  const field = (id: string, label: string, key: keyof typeof form, hint: string, required = false) => (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={1}
        inputMode="numeric"
        required={required}
        placeholder={required ? "" : "keep forever"}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        aria-describedby={`${id}-hint`}
        className="h-9 w-40 rounded-md border border-slate-300 px-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {hint}
      </p>
    </div>
  );

  return (
    <section aria-labelledby="retention-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="retention-heading" className="text-sm font-semibold text-slate-900">
        Retention
      </h2>
      <p className="text-sm text-slate-600">
        Days to keep personal data; empty keeps it forever. Retention runs daily by itself (one instance of the cluster at a time) in
        small batches that give way to incoming webhooks.
      </p>
      <form
        className="flex flex-wrap items-start gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ rawBodyDays: toDays(form.rawBodyDays), eventDays: toDays(form.eventDays), rejectedDays: Number(form.rejectedDays) });
        }}
      >
        {field(ids.raw, "Raw bodies (days)", "rawBodyDays", "Bodies of processed deliveries; the delivery keeps its hash and size.")}
        {field(ids.events, "Events (days)", "eventDays", "Older events are deleted, with candidates left without any.")}
        {field(ids.rejected, "Refused requests (days)", "rejectedDays", "Refused-request logs, rejections and idempotency keys.", true)}
        <div className="flex items-center gap-2 self-center">
          <button type="submit" disabled={save.isPending} className={`${buttonClass} bg-slate-900 text-white ring-slate-900 hover:bg-slate-700`}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
          <button type="button" disabled={run.isPending} onClick={() => run.mutate()} className={`${buttonClass} bg-white text-slate-700 ring-slate-300 hover:bg-slate-50`}>
            {run.isPending ? "Running…" : "Run now"}
          </button>
        </div>
      </form>
      <p role="status" className="text-sm text-slate-700">
        {save.isSuccess && !run.data ? "Saved." : ""}
        {run.data
          ? `Dropped ${run.data.rawBodies} raw bodies, ${run.data.events} events, ${run.data.candidates} candidates, ${run.data.rejectedRequests} refused requests, ${run.data.endpointRejections} rejections and ${run.data.idempotencyKeys} idempotency keys.`
          : ""}
      </p>
      {save.error || run.error || settings.error ? (
        <p role="alert" className="text-sm text-red-700">
          {(save.error ?? run.error ?? settings.error)!.message}
        </p>
      ) : null}
    </section>
  );
}

/** Settings → Erasures (admin): the erasure records, newest first — when, by whom, how much; never who. */
export function ErasuresSection() {
  const canManage = useCan("write");
  const erasures = useQuery({ queryKey: ["erasures"], queryFn: () => apiFetch("/api/erasures?limit=20", erasureListSchema), enabled: canManage });
  if (!canManage) return null;
  const rows = erasures.data?.erasures ?? [];
  return (
    <section aria-labelledby="erasures-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="erasures-heading" className="text-sm font-semibold text-slate-900">
        Erasures
      </h2>
      <p className="text-sm text-slate-600">
        Candidates are erased from their page (<em>Erase candidate…</em>), the API or <code className="font-mono">npm run erase</code>. The
        records keep no personal data.
      </p>
      {erasures.error ? (
        <p role="alert" className="text-sm text-red-700">
          {erasures.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-600">{erasures.isPending ? "Loading…" : "No erasures yet."}</p>
      ) : (
        // Wider than a phone: a scrollable region, so reachable (and scrollable) by keyboard.
        <div tabIndex={0} role="region" aria-label="Erasure records" className="overflow-x-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">The latest erasures, newest first</caption>
            <thead className="text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-4 font-medium">When</th>
                <th scope="col" className="py-1 pr-4 font-medium">By</th>
                <th scope="col" className="py-1 pr-4 font-medium">Removed</th>
                <th scope="col" className="py-1 font-medium">Record</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} className="border-t border-slate-100">
                  <td className="py-1 pr-4 whitespace-nowrap">{new Date(e.at).toISOString().replace("T", " ").slice(0, 16)} UTC</td>
                  <td className="py-1 pr-4">{e.actor}</td>
                  <td className="py-1 pr-4">
                    {e.counts.candidates} candidates, {e.counts.events} events, {e.counts.deliveries} delivery bodies
                  </td>
                  <td className="py-1 font-mono text-xs">{e.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
