import type { ProviderCatalogEntry } from "../types";

/** What the UI and the API schemas know of Greenhouse: client-safe, no server code. */
export const greenhouseCatalog = {
  id: "greenhouse" as const,
  displayName: "Greenhouse",
  /** Chart and legend fill (passes 3:1 against white). */
  color: "bg-emerald-600",
  signs: true,
  setup: {
    whereToPaste:
      "In Greenhouse go to Configure → Dev Center → Web Hooks and create one web hook per event below: paste this URL as the Endpoint URL and this endpoint's secret as the Secret key.",
    events: [
      "Application created",
      "Prospect created",
      "Candidate stage change",
      "Candidate/Prospect updated",
      "Candidate hired",
      "Candidate unhired",
      "Candidate/Prospect rejected",
      "Candidate/Prospect unrejected",
      "Candidate deleted",
      "Candidate merged",
    ],
    signature: 'Greenhouse sends "Signature: sha256 <hex>", the HMAC-SHA256 of the raw body keyed with the Secret key.',
  },
} satisfies ProviderCatalogEntry;
