"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { moveResultSchema, personListSchema, personTimelineSchema, personViewSchema, suggestionListSchema } from "@/lib/contracts/people";
import { apiFetch, ApiError, toQueryString } from "./api-client";
import { queryKeys, TIMELINE_PAGE_SIZE } from "./keys";

const peopleKeys = {
  all: ["people"] as const,
  list: (filters: Record<string, string | undefined>) => ["people", "list", filters] as const,
  detail: (id: string) => ["people", "detail", id] as const,
  timeline: (id: string, noise: boolean) => ["people", "timeline", id, { noise }] as const,
  suggestions: (id: string) => ["people", "suggestions", id] as const,
};

const noRetryOn404 = (count: number, error: Error) => !(error instanceof ApiError && error.status === 404) && count < 1;

/** GET /api/people with the People view's search and status filter, 50 a page. */
export function usePeople(filters: { q?: string; status?: string }) {
  return useInfiniteQuery({
    queryKey: peopleKeys.list(filters),
    queryFn: ({ pageParam, signal }) => apiFetch(`/api/people${toQueryString({ ...filters, limit: 50, cursor: pageParam })}`, personListSchema, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: string) {
  return useQuery({
    queryKey: peopleKeys.detail(id),
    queryFn: ({ signal }) => apiFetch(`/api/people/${encodeURIComponent(id)}`, personViewSchema, { signal }),
    retry: noRetryOn404,
  });
}

/** Every record's events interleaved, newest first (the same page size as a candidate's timeline). */
export function usePersonTimeline(id: string, noise: boolean) {
  return useInfiniteQuery({
    queryKey: peopleKeys.timeline(id, noise),
    queryFn: ({ pageParam, signal }) =>
      apiFetch(`/api/people/${encodeURIComponent(id)}/timeline${toQueryString({ limit: TIMELINE_PAGE_SIZE, noise, cursor: pageParam })}`, personTimelineSchema, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: noRetryOn404,
  });
}

export function usePersonSuggestions(id: string) {
  return useQuery({
    queryKey: peopleKeys.suggestions(id),
    queryFn: ({ signal }) => apiFetch(`/api/people/${encodeURIComponent(id)}/suggestions`, suggestionListSchema, { signal }),
    retry: noRetryOn404,
  });
}

type Action = "link" | "unlink" | "suggestions/accept" | "suggestions/dismiss";

/** Link, unlink, accept or dismiss: every people query and the candidate lists are refreshed after. */
export function usePersonAction(personId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, candidateId }: { action: Action; candidateId: string }) =>
      apiFetch(`/api/people/${encodeURIComponent(personId)}/${action}`, action === "suggestions/dismiss" ? z.object({}).passthrough() : moveResultSchema, {
        method: "POST",
        body: JSON.stringify({ candidateId }),
      }),
    onSettled: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: peopleKeys.all }), client.invalidateQueries({ queryKey: queryKeys.candidates.all })]);
    },
  });
}
