"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { queryKeys } from "@/lib/queries/keys";

const field =
  "min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400";

/** A date input's day as the ISO instant it starts (UTC), or the one after it ends for `to`. */
export function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = Date.parse(`${day}T00:00:00Z`);
  return new Date(end ? start + 86_400_000 : start).toISOString();
}

/** Search (delivery id, idempotency key, the provider's candidate id) and a day range, kept in the URL. */
export function LogSearch({
  q,
  from,
  to,
  keep,
  onChange,
}: {
  q: string;
  from: string;
  to: string;
  /** The log's other filters, as hidden fields: a search submitted before hydration (a plain GET) keeps them. */
  keep: Record<string, string>;
  onChange: (changes: Record<string, string | null>) => void;
}) {
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  return (
    <form
      role="search"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ q: text.trim() || null });
      }}
    >
      {Object.entries(keep)
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
      <label className="flex min-w-0 flex-1 basis-64 flex-col gap-1 text-sm text-slate-600">
        Search
        <input
          type="search"
          name="q"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => text.trim() !== q && onChange({ q: text.trim() || null })}
          placeholder="Delivery id, idempotency key or candidate id"
          className={field}
        />
      </label>
      <label className="flex flex-col gap-1 text-sm text-slate-600">
        From (UTC)
        <input type="date" name="from" value={from} onChange={(e) => onChange({ from: e.target.value || null })} className={field} />
      </label>
      <label className="flex flex-col gap-1 text-sm text-slate-600">
        To (UTC)
        <input type="date" name="to" value={to} onChange={(e) => onChange({ to: e.target.value || null })} className={field} />
      </label>
    </form>
  );
}

type Progress = { done: number; total: number; failed: number } | null;

/**
 * "Reprocess these": the filtered set, through POST /api/deliveries/reprocess, with done/total as
 * it goes; and the CSV of the same status and endpoint.
 */
export function LogActions({ filters, csvHref }: { filters: Record<string, string | undefined>; csvHref: string }) {
  const client = useQueryClient();
  const [progress, setProgress] = useState<Progress>(null);
  const [state, setState] = useState<"idle" | "running" | "done" | "error">("idle");
  const [message, setMessage] = useState("");

  async function run() {
    if (!window.confirm("Reprocess every delivery these filters show (up to 1,000, newest first)? Their events are rebuilt from the stored bodies.")) return;
    setState("running");
    setProgress(null);
    const qs = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    try {
      const response = await fetch(`/api/deliveries/reprocess${qs ? `?${qs}` : ""}`, { method: "POST", credentials: "same-origin" });
      if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines.filter(Boolean)) {
          const item = JSON.parse(line) as { type: string; done: number; total: number; failed: number; message?: string };
          setProgress({ done: item.done, total: item.total, failed: item.failed });
          if (item.type === "error") throw new Error(item.message);
        }
      }
      setState("done");
    } catch (error) {
      setState("error");
      setMessage(error instanceof Error ? error.message : String(error));
    }
    await client.invalidateQueries({ queryKey: queryKeys.deliveries.all });
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <a href={csvHref} className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
        CSV of this status and endpoint
      </a>
      <button
        type="button"
        onClick={() => void run()}
        disabled={state === "running"}
        className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-60"
      >
        Reprocess these
      </button>
      <span role="status" className="text-xs text-slate-600">
        {state === "running" ? `Reprocessing ${progress ? `${progress.done.toLocaleString("en-GB")} / ${progress.total.toLocaleString("en-GB")}` : "…"}` : null}
        {state === "done" && progress ? `Reprocessed ${progress.done.toLocaleString("en-GB")} / ${progress.total.toLocaleString("en-GB")}, ${progress.failed.toLocaleString("en-GB")} failed` : null}
        {state === "error" ? `Reprocessing stopped: ${message}` : null}
      </span>
      {state === "running" && progress && progress.total > 0 ? (
        <progress value={progress.done} max={progress.total} aria-label="Reprocessing progress" className="h-2 w-32" />
      ) : null}
    </div>
  );
}
