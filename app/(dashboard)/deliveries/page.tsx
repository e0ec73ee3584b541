import type { Metadata } from "next";
import { Suspense } from "react";
import { DeliveriesView } from "@/components/deliveries/deliveries-view";
import { SkeletonRows } from "@/components/ui/states";

export const metadata: Metadata = { title: "Deliveries · Candidate History" };

export default function DeliveriesPage() {
  return (
    <Suspense fallback={<SkeletonRows rows={8} />}>
      <DeliveriesView />
    </Suspense>
  );
}
