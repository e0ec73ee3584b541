import type { Metadata } from "next";
import { Suspense } from "react";
import { AnalyticsView } from "@/components/analytics/analytics-view";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Analytics · Candidate History" };
export const dynamic = "force-dynamic";

export default function AnalyticsPage() {
  return (
    <div className="space-y-5">
      <header>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Pipeline analytics</h1>
        <p className="mt-1 text-sm text-slate-600">Where each job&apos;s candidates go, how long they stay, and how the pipeline moves week by week.</p>
      </header>
      <Suspense fallback={<SkeletonRows rows={8} />}>
        <AnalyticsView />
      </Suspense>
    </div>
  );
}
