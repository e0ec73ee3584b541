import type { Metadata } from "next";
import { Suspense } from "react";
import { CandidatesView } from "@/components/candidates/candidates-view";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Candidates · Candidate History" };

export default function CandidatesPage() {
  return (
    <div className="space-y-5">
      <header>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Candidates</h1>
        <p className="mt-1 text-sm text-slate-600">Everyone a provider has sent a webhook about, most recent activity first.</p>
      </header>
      {/* useSearchParams (filters in the URL) needs a Suspense boundary for the static shell. */}
      <Suspense fallback={<SkeletonRows rows={8} />}>
        <CandidatesView />
      </Suspense>
    </div>
  );
}
