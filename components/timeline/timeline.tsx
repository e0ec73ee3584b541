"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { CandidateView } from "@/lib/contracts/responses";
import { useTimeline } from "@/lib/queries/use-timeline";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { useKeyShortcut } from "@/components/layout/keyboard";
import { hasVisibleChange, TimelineEvent } from "./timeline-event";

/** What changes on the candidate when a delivery for it lands. */
function liveSignature(c: CandidateView | undefined): string | null {
  return c ? `${c.eventCount}|${c.lastEventAt}|${c.deletedAt}|${c.mergedFrom.length}` : null;
}

/**
 * The candidate's events, newest first, with a page-level toggle for bookkeeping changes.
 * `candidate` is the polled header data: once older pages are loaded the timeline stops polling
 * and refetches when the candidate changes instead.
 */
export function Timeline({ candidateId, candidate }: { candidateId: string; candidate?: CandidateView }) {
  const [noise, setNoise] = useState(false);
  // Events with no visible change are one line each anyway; "Compact" makes every event one line.
  const [compactAll, setCompactAll] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const step = (by: 1 | -1) => {
    const items = [...(list.current?.querySelectorAll<HTMLElement>(":scope > li > article") ?? [])];
    if (items.length === 0) return false;
    const current = items.findIndex((a) => a.contains(document.activeElement));
    const next = items[current === -1 ? (by === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, current + by))];
    // A one-line event is focused on its button (Enter opens it); a card on itself.
    (next.querySelector<HTMLElement>(":scope > button") ?? next).focus();
    next.scrollIntoView({ block: "nearest" });
    return true;
  };
  useKeyShortcut("j", () => step(1));
  useKeyShortcut("k", () => step(-1));
  const timeline = useTimeline(candidateId, noise);
  const events = useMemo(() => timeline.data?.pages.flatMap((p) => p.events) ?? [], [timeline.data]);
  const pageCount = timeline.data?.pages.length ?? 0;

  const signature = liveSignature(candidate);
  const lastSignature = useRef(signature);
  const { refetch, isFetching } = timeline;
  useEffect(() => {
    if (signature === lastSignature.current) return;
    const previous = lastSignature.current;
    lastSignature.current = signature;
    if (previous !== null && pageCount > 1 && !isFetching) void refetch();
  }, [signature, pageCount, isFetching, refetch]);

  // Events that arrive while the page is open are marked "new" (not the ones present at first load).
  const seen = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!timeline.data || timeline.isPlaceholderData) return;
    if (seen.current === null) {
      seen.current = new Set(events.map((e) => e.id));
      return;
    }
    const added = events.filter((e) => !seen.current!.has(e.id)).map((e) => e.id);
    if (added.length === 0) return;
    for (const id of added) seen.current.add(id);
    setFresh((prev) => new Set([...prev, ...added]));
  }, [events, timeline.data, timeline.isPlaceholderData]);

  const total = candidate?.eventCount;
  return (
    <section aria-labelledby="timeline-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 id="timeline-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Timeline
        </h2>
        <span className="text-xs text-slate-500">
          {timeline.data ? `${events.length}${total !== undefined && total > events.length ? ` of ${total}` : ""} events, newest first` : null}
        </span>
        <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" title="new deliveries appear within a few seconds while this tab is visible">
          <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${isFetching && !timeline.isFetchingNextPage ? "bg-sky-500" : "bg-emerald-500"}`} />
          Live
        </span>
        <BookkeepingToggle checked={noise} onChange={setNoise} />
        <label className="inline-flex cursor-pointer items-center gap-2 text-sm text-slate-700" title="one line per event; j and k move between events">
          <input
            type="checkbox"
            checked={compactAll}
            onChange={(e) => setCompactAll(e.target.checked)}
            className="h-4 w-4 rounded border-slate-300 accent-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
          />
          Compact
        </label>
        {timeline.isPlaceholderData ? (
          <span role="status" className="text-xs text-slate-500">
            Updating…
          </span>
        ) : null}
      </div>

      {timeline.isPending ? (
        <SkeletonRows rows={4} />
      ) : timeline.isError && !timeline.data ? (
        <ErrorState message={timeline.error.message} onRetry={() => timeline.refetch()} />
      ) : events.length === 0 ? (
        <EmptyState title="No events yet">Deliveries for this candidate will show here as they arrive.</EmptyState>
      ) : (
        <>
          <ol ref={list} className={`space-y-2 ${timeline.isPlaceholderData ? "opacity-60" : ""}`}>
            {events.map((event) => (
              <li key={event.id}>
                <TimelineEvent
                  key={String(compactAll)}
                  event={event}
                  isNew={fresh.has(event.id)}
                  candidateId={candidateId}
                  noise={noise}
                  compact={compactAll || !hasVisibleChange(event)}
                />
              </li>
            ))}
          </ol>
          {timeline.isFetchNextPageError ? <ErrorState message={timeline.error?.message ?? "failed"} onRetry={() => timeline.fetchNextPage()} /> : null}
          <div className="flex justify-center pt-1">
            {timeline.hasNextPage ? (
              <button
                type="button"
                onClick={() => timeline.fetchNextPage()}
                disabled={timeline.isFetchingNextPage}
                className="rounded-md bg-white px-4 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-60"
              >
                {timeline.isFetchingNextPage ? "Loading…" : "Load older events"}
              </button>
            ) : (
              <p className="text-xs text-slate-500">Beginning of history</p>
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** "Show bookkeeping changes": the timelines' noise switch (the API's noise=1), on a candidate's and a person's. */
export function BookkeepingToggle({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="ml-auto inline-flex cursor-pointer items-center gap-2 text-sm text-slate-700">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="h-4 w-4 rounded border-slate-300 accent-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
      />
      Show bookkeeping changes
    </label>
  );
}
