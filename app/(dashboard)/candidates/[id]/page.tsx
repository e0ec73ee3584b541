import type { Metadata } from "next";
import { CandidateDetail } from "@/components/candidates/candidate-detail";

export const metadata: Metadata = { title: "Candidate · Candidate History" };

export default async function CandidatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CandidateDetail id={id} />;
}
