import type { Metadata } from "next";
import { PersonDetail } from "@/components/people/person-detail";

export const metadata: Metadata = { title: "Person · Candidate History" };
export const dynamic = "force-dynamic";

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PersonDetail id={id} />;
}
