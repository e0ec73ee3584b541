"use client";

import Link from "next/link";
import { ApiError } from "@/lib/queries/api-client";
import { useCandidate } from "@/lib/queries/use-candidate";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { Timeline } from "@/components/timeline/timeline";
import { ExportButton, eventsExportHref } from "@/components/export/export-button";
import { CandidateBanners, CandidateHeader } from "./candidate-header";
import { StagePaths } from "./stage-paths";
import { useListHref } from "@/components/layout/url-state";
import { useState } from "react";
import type { ErasureView } from "@/lib/contracts/responses";
import { EraseCandidate, ErasedNotice } from "./erase-candidate";

function HeaderSkeleton() {
  return (
    <div role="status" aria-label="Loading candidate" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <Skeleton className="h-6 w-64" />
      <Skeleton className="h-4 w-48" />
      <div className="grid grid-cols-3 gap-4 pt-2 lg:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-8 w-full" />
        ))}
      </div>
    </div>
  );
}

export function CandidateDetail({ id }: { id: string }) {
  const candidate = useCandidate(id);
  const listHref = useListHref("/candidates");
  const [erased, setErased] = useState<ErasureView | null>(null);

  const back = (
    <Link
      href={listHref}
      className="inline-flex text-sm text-slate-600 hover:text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
    >
      ← Candidates
    </Link>
  );

  if (erased) {
    return (
      <div className="space-y-4">
        {back}
        <ErasedNotice erasure={erased} />
      </div>
    );
  }

  if (candidate.isError && !candidate.data) {
    const notFound = candidate.error instanceof ApiError && candidate.error.status === 404;
    return (
      <div className="space-y-4">
        {back}
        {notFound ? (
          <EmptyState title="Candidate not found">
            No candidate with id <code className="break-all font-mono">{id}</code>.
          </EmptyState>
        ) : (
          <ErrorState message={candidate.error.message} onRetry={() => candidate.refetch()} />
        )}
      </div>
    );
  }

  return (
    <div className="space-y-6">
      {back}
      {candidate.data ? (
        <>
          <div className="space-y-3">
            <CandidateBanners candidate={candidate.data} />
            <CandidateHeader candidate={candidate.data} />
          </div>
          <StagePaths paths={candidate.data.stagePaths} />
        </>
      ) : (
        <HeaderSkeleton />
      )}
      <div className="flex flex-wrap items-start justify-end gap-3">
        {candidate.data ? <EraseCandidate candidateId={id} externalId={candidate.data.externalId} onErased={setErased} /> : null}
        <ExportButton href={eventsExportHref({ candidateId: id, includeTest: candidate.data?.isTest ? "1" : undefined })} label="Export events" description="this candidate's events with their changed fields, as CSV" />
      </div>
      <Timeline candidateId={id} candidate={candidate.data} />
    </div>
  );
}
