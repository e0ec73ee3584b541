import { providerCatalog, type ProviderId } from "@/lib/providers/catalog";

/** One fill per provider, used by the chart and its legend (each passes 3:1 against white). */
export const providerFill = Object.fromEntries(providerCatalog.map((p) => [p.id, p.color])) as Record<ProviderId, string>;
