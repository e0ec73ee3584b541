import type { Metadata } from "next";
import { Suspense } from "react";
import { PeopleView } from "@/components/people/people-view";
import { RecordsTabs } from "@/components/people/records-tabs";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "People · Candidate History" };
export const dynamic = "force-dynamic";

export default function PeoplePage() {
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Candidates</h1>
          <p className="mt-1 text-sm text-slate-600">People: records of every provider grouped by person (same email), most recent activity first.</p>
        </div>
        <RecordsTabs current="people" />
      </header>
      <Suspense fallback={<SkeletonRows rows={8} />}>
        <PeopleView />
      </Suspense>
    </div>
  );
}
