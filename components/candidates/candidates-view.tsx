"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useCandidates, type CandidateFilters as Filters } from "@/lib/queries/use-candidates";
import { readCandidateFilters } from "@/lib/queries/candidate-list-params";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { ExportButton, eventsExportHref } from "@/components/export/export-button";
import { CandidateFilters } from "./candidate-filters";
import { CandidatesTable } from "./candidates-table";
import { useCurrentPath, useCurrentSearchParams, useRememberListQuery } from "@/components/layout/url-state";

const filterKeys = ["q", "provider", "stage", "job", "deleted", "status", "includeTest"] as const;

/** Adds names to a suggestion list once per spelling that differs only by case (the first seen wins). */
function addSuggestion(byLowerCase: Map<string, string>, name: string) {
  const key = name.toLocaleLowerCase();
  if (!byLowerCase.has(key)) byLowerCase.set(key, name);
}

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "base" });

/** The candidate list: filters live in the URL, rows come 50 at a time. */
export function CandidatesView() {
  const searchParams = useCurrentSearchParams();
  const router = useRouter();
  const pathname = useCurrentPath();
  const filters = useMemo(() => readCandidateFilters(new URLSearchParams(searchParams.toString())), [searchParams]);
  useRememberListQuery(pathname, searchParams.toString());

  const onChange = useCallback(
    (patch: Partial<Filters>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const key of filterKeys) {
        if (!(key in patch)) continue;
        const value = patch[key]?.trim();
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [searchParams, router, pathname],
  );

  const list = useCandidates(filters);
  const candidates = useMemo(() => list.data?.pages.flatMap((p) => p.candidates) ?? [], [list.data]);

  // Suggestions for the stage and job filters: every stage and job seen so far in this session.
  const [seen, setSeen] = useState<{ stages: string[]; jobs: string[] }>({ stages: [], jobs: [] });
  useEffect(() => {
    setSeen((prev) => {
      // The filters match any case, so "Interview" and "interview" are one suggestion.
      const stages = new Map(prev.stages.map((s) => [s.toLocaleLowerCase(), s]));
      const jobs = new Map(prev.jobs.map((j) => [j.toLocaleLowerCase(), j]));
      for (const c of candidates) {
        for (const s of c.stages) {
          addSuggestion(stages, s.stage);
          if (s.jobTitle) addSuggestion(jobs, s.jobTitle);
          else if (s.jobKey) addSuggestion(jobs, s.jobKey);
        }
        if (c.currentStage) addSuggestion(stages, c.currentStage);
      }
      if (stages.size === prev.stages.length && jobs.size === prev.jobs.length) return prev;
      return { stages: [...stages.values()].sort(byName), jobs: [...jobs.values()].sort(byName) };
    });
  }, [candidates]);

  const filtered = Boolean(filters.q || filters.provider || filters.stage || filters.job || filters.deleted || filters.status || filters.includeTest);

  return (
    <div className="space-y-4">
      <CandidateFilters filters={filters} onChange={onChange} stageOptions={seen.stages} jobOptions={seen.jobs} />
      <div className="flex justify-end">
        <ExportButton
          href={eventsExportHref({ q: filters.q, provider: filters.provider, stage: filters.stage, job: filters.job, deleted: filters.deleted, status: filters.status, includeTest: filters.includeTest })}
          label="Export events"
          description={filtered ? "every event of the candidates matching these filters, as CSV" : "every event, as CSV"}
        />
      </div>

      {list.isPending ? (
        <SkeletonRows rows={8} />
      ) : list.isError && !list.isFetchNextPageError ? (
        <ErrorState message={list.error.message} onRetry={() => list.refetch()} />
      ) : candidates.length === 0 ? (
        filtered ? (
          <EmptyState title="No candidates match these filters">
            <button
              type="button"
              onClick={() => onChange({ q: "", provider: "", stage: "", job: "", deleted: undefined, status: undefined, includeTest: undefined })}
              className="font-medium text-sky-700 underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
            >
              Clear the filters
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No candidates yet">
            Candidates appear here as soon as a provider sends its first webhook. See the overview page to connect one.
          </EmptyState>
        )
      ) : (
        <>
          <div aria-live="polite" className="flex items-center justify-between text-xs text-slate-500">
            <span>
              {candidates.length} candidate{candidates.length === 1 ? "" : "s"}
              {list.hasNextPage ? " shown, more available" : ""} · most recent activity first
            </span>
            {list.isPlaceholderData ? <span role="status">Updating…</span> : null}
          </div>
          <CandidatesTable candidates={candidates} dimmed={list.isPlaceholderData} />
          {list.isFetchNextPageError ? <ErrorState message={list.error.message} onRetry={() => list.fetchNextPage()} /> : null}
          {list.hasNextPage ? (
            <div className="flex justify-center">
              <button
                type="button"
                onClick={() => list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
                className="rounded-md bg-white px-4 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-60"
              >
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
