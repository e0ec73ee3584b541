"use client";

import { useEffect, useId, useRef, useState } from "react";
import { CsvRecordCounter } from "@/lib/csv/writer";
import { useExportCount } from "@/lib/queries/use-export-count";
import { useCan } from "../team/permissions";

type ExportState =
  | { phase: "idle" }
  | { phase: "running"; rows: number }
  | { phase: "done"; rows: number; fileName: string }
  | { phase: "cancelled"; rows: number }
  | { phase: "error"; message: string };

/** The file name from `Content-Disposition` (the exact UTF-8 `filename*` first). */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="([^"]*)"/i.exec(header) ?? /filename=([^;]+)/i.exec(header);
  return plain ? plain[1].trim() : fallback;
}

const formatCount = (n: number) => n.toLocaleString("en");
const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** `href` with `bom=1` for Excel, which reads UTF-8 only after a byte-order mark. */
function withBom(href: string): string {
  return `${href}${href.includes("?") ? "&" : "?"}bom=1`;
}

/**
 * Downloads a CSV export of what is on screen: says beforehand how many rows (and candidates) it
 * will write, streams the response (fetch + reader), shows the rows written out of that total,
 * saves it through a Blob URL under the server's file name, and can be cancelled (AbortController,
 * which also stops the server's query loop). "For Excel" adds the UTF-8 byte-order mark.
 */
export function ExportButton({ href: csvHref, label = "Export CSV", description }: { href: string; label?: string; description?: string }) {
  const allowed = useCan("export");
  const [state, setState] = useState<ExportState>({ phase: "idle" });
  const [excel, setExcel] = useState(false);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const count = useExportCount(csvHref);
  const total = count.data?.events ?? null;
  const summaryId = useId();
  const href = excel ? withBom(csvHref) : csvHref;

  async function run() {
    const abort = new AbortController();
    controller.current = abort;
    setState({ phase: "running", rows: 0 });
    let rows = 0;
    try {
      const response = await fetch(href, { credentials: "same-origin", signal: abort.signal, headers: { accept: "text/csv" } });
      if (response.status === 401) {
        window.location.href = `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
        return;
      }
      if (!response.ok || !response.body) {
        let message = `export failed with ${response.status}`;
        try {
          message = ((await response.json()) as { message?: string }).message ?? message;
        } catch {
          // not JSON
        }
        setState({ phase: "error", message });
        return;
      }
      const fileName = fileNameFromDisposition(response.headers.get("content-disposition"), "export.csv");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const counter = new CsvRecordCounter();
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let lastPaint = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parts.push(value as Uint8Array<ArrayBuffer>);
        // Records end with CRLF outside quotes; the first one is the header row.
        rows = Math.max(0, counter.push(decoder.decode(value, { stream: true })) - 1);
        const now = performance.now();
        if (now - lastPaint > 100) {
          lastPaint = now;
          setState({ phase: "running", rows });
        }
      }
      const url = URL.createObjectURL(new Blob(parts, { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      link.style.display = "none";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ phase: "done", rows, fileName });
    } catch (error) {
      if (abort.signal.aborted) setState({ phase: "cancelled", rows });
      else setState({ phase: "error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  }

  if (!allowed) return null;
  const running = state.phase === "running";
  const buttonClass =
    "inline-flex h-9 items-center gap-1.5 rounded-md bg-white px-3 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-60";
  return (
    <div className="inline-flex flex-wrap items-center gap-2">
      {running ? (
        <button type="button" onClick={() => controller.current?.abort()} className={buttonClass} aria-label="Cancel export">
          Cancel export
        </button>
      ) : (
        <button
          type="button"
          onClick={() => void run()}
          className={buttonClass}
          title={description}
          aria-label={description ? `${label}: ${description}` : label}
          aria-describedby={summaryId}
        >
          <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            <path d="M10 2a1 1 0 0 1 1 1v7.59l2.3-2.3a1 1 0 1 1 1.4 1.42l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.42L9 10.6V3a1 1 0 0 1 1-1ZM4 15a1 1 0 0 1 1 1v1h10v-1a1 1 0 1 1 2 0v2a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-2a1 1 0 0 1 1-1Z" />
          </svg>
          {label}
        </button>
      )}
      <span id={summaryId} className="text-xs text-slate-600" data-testid="export-summary">
        {count.data ? `${plural(count.data.events, "row", "rows")} of ${plural(count.data.candidates, "candidate", "candidates")}` : count.isError ? "" : "counting…"}
      </span>
      <label className="inline-flex items-center gap-1 text-xs text-slate-700">
        <input type="checkbox" checked={excel} onChange={(e) => setExcel(e.target.checked)} disabled={running} className="h-3.5 w-3.5 rounded border-slate-300" />
        For Excel
      </label>
      <span role="status" aria-live="polite" className="text-xs text-slate-600">
        {state.phase === "running"
          ? total !== null
            ? `Exporting… ${formatCount(state.rows)} of ${plural(total, "row", "rows")}`
            : `Exporting… ${formatCount(state.rows)} row${state.rows === 1 ? "" : "s"} so far`
          : state.phase === "done"
            ? `Exported ${formatCount(state.rows)} row${state.rows === 1 ? "" : "s"} to ${state.fileName}`
            : state.phase === "cancelled"
              ? `Export cancelled after ${formatCount(state.rows)} row${state.rows === 1 ? "" : "s"}`
              : ""}
      </span>
      {state.phase === "error" ? (
        <span role="alert" className="text-xs text-red-700">
          Export failed: {state.message}
        </span>
      ) : null}
    </div>
  );
}

/** `/api/events/export.csv` with the given filters (empty ones left out). */
export function eventsExportHref(filters: Record<string, string | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const qs = params.toString();
  return `/api/events/export.csv${qs ? `?${qs}` : ""}`;
}
