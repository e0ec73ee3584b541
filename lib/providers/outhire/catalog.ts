import type { ProviderCatalogEntry } from "../types";

/** What the UI and the API schemas know of Outhire: client-safe, no server code. */
export const outhireCatalog = {
  id: "outhire" as const,
  displayName: "Outhire",
  /** Chart and legend fill (passes 3:1 against white). */
  color: "bg-amber-500",
  signs: true,
  setup: {
    whereToPaste:
      "In Outhire's webhook settings add an endpoint with this URL and subscribe it to the events below. Use this endpoint's secret (whsec_…) as the signing secret; if Outhire issues its own secret instead, add that one to this endpoint.",
    events: ["candidate.applied", "candidate.stage_changed"],
    signature:
      'Standard Webhooks: "webhook-signature: v1,<base64>" is the HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" keyed with the base64-decoded secret after whsec_; deliveries more than 5 minutes old or early are refused.',
  },
} satisfies ProviderCatalogEntry;
