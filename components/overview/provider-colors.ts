import type { ProviderId } from "@/lib/providers/types";

/** One fill per provider, used by the chart and its legend (each passes 3:1 against white). */
export const providerFill: Record<ProviderId, string> = {
  greenhouse: "bg-emerald-600",
  talview: "bg-sky-600",
  idibu: "bg-violet-600",
  outhire: "bg-amber-500",
};
