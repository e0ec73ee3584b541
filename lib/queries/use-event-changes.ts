"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { eventChangesSchema } from "@/lib/contracts/responses";
import { apiFetch, toQueryString } from "./api-client";
import { queryKeys } from "./keys";

/** Changes per page when an event's full diff is opened: enough to read, few enough to render at once. */
export const EVENT_CHANGES_PAGE_SIZE = 500;

/** One page of a timeline event's changes, fetched when the event's "show all" is opened. */
export function useEventChanges(candidateId: string, eventId: string, noise: boolean, offset: number) {
  return useQuery({
    queryKey: queryKeys.candidates.eventChanges(candidateId, eventId, noise, offset),
    queryFn: ({ signal }) =>
      apiFetch(
        `/api/candidates/${encodeURIComponent(candidateId)}/timeline/events/${encodeURIComponent(eventId)}/changes${toQueryString({ offset, limit: EVENT_CHANGES_PAGE_SIZE, noise })}`,
        eventChangesSchema,
        { signal },
      ),
    // A stored event's changes change only when a late delivery lands before it: rare, and the timeline refetches then.
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}
