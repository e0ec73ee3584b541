import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { CandidateDetail } from "@/components/candidates/candidate-detail";
import { prefetchCandidatePage } from "@/lib/queries/prefetch-candidate";

export const metadata: Metadata = { title: "Candidate · Candidate History" };
export const dynamic = "force-dynamic";

export default async function CandidatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <HydrationBoundary state={await prefetchCandidatePage(id)}>
      <CandidateDetail id={id} />
    </HydrationBoundary>
  );
}
