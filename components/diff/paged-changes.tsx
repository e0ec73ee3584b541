"use client";

import { useState } from "react";
import { EVENT_CHANGES_PAGE_SIZE, useEventChanges } from "@/lib/queries/use-event-changes";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { ChangeRows } from "./change-rows";

const pagerButton =
  "rounded-md px-2 py-1 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:cursor-not-allowed disabled:opacity-50";

/**
 * Every change of one event, fetched from the API a page at a time: the timeline carries only an
 * event's first changes, and rendering tens of thousands of rows at once would freeze the page.
 */
export function PagedChanges({
  candidateId,
  eventId,
  noise,
  caption,
  onCollapse,
}: {
  candidateId: string;
  eventId: string;
  noise: boolean;
  caption: string;
  onCollapse: () => void;
}) {
  const [offset, setOffset] = useState(0);
  const page = useEventChanges(candidateId, eventId, noise, offset);

  if (page.isPending) {
    return (
      <div role="status" aria-label="Loading changes" className="space-y-1.5">
        <Skeleton className="h-6 w-full" />
        <Skeleton className="h-6 w-full" />
      </div>
    );
  }
  if (page.isError) return <ErrorState message={page.error.message} onRetry={() => page.refetch()} />;

  const { changes, changeCount, nextOffset } = page.data;
  const first = changeCount === 0 ? 0 : page.data.offset + 1;
  return (
    <div className={`space-y-2 ${page.isPlaceholderData ? "opacity-60" : ""}`}>
      <ChangeRows changes={changes} caption={caption} />
      <nav aria-label="Pages of changes" className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <span aria-live="polite">
          Changes {first.toLocaleString("en-GB")}–{(page.data.offset + changes.length).toLocaleString("en-GB")} of {changeCount.toLocaleString("en-GB")}
        </span>
        {changeCount > EVENT_CHANGES_PAGE_SIZE ? (
          <>
            <button type="button" className={pagerButton} disabled={offset === 0 || page.isFetching} onClick={() => setOffset(Math.max(0, offset - EVENT_CHANGES_PAGE_SIZE))}>
              Previous
            </button>
            <button type="button" className={pagerButton} disabled={nextOffset === null || page.isFetching} onClick={() => nextOffset !== null && setOffset(nextOffset)}>
              Next
            </button>
          </>
        ) : null}
        <button type="button" className={`ml-auto ${pagerButton}`} onClick={onCollapse}>
          Show fewer
        </button>
      </nav>
    </div>
  );
}
