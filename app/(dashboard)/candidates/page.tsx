import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { CandidatesView } from "@/components/candidates/candidates-view";
import { RecordsTabs } from "@/components/people/records-tabs";
import { SkeletonRows } from "@/components/ui/states";
import { prefetchCandidatesPage } from "@/lib/queries/prefetch-candidates";

export const metadata: Metadata = { title: "Candidates · Candidate History" };
export const dynamic = "force-dynamic";

export default async function CandidatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The first page of rows is rendered on the server, for the filters in the URL.
  const state = await prefetchCandidatesPage(await searchParams);
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Candidates</h1>
          <p className="mt-1 text-sm text-slate-600">Everyone a provider has sent a webhook about, most recent activity first.</p>
        </div>
        <RecordsTabs current="records" />
      </header>
      <HydrationBoundary state={state}>
        <Suspense fallback={<SkeletonRows rows={8} />}>
          <CandidatesView />
        </Suspense>
      </HydrationBoundary>
    </div>
  );
}
