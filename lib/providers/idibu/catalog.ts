import type { ProviderCatalogEntry } from "../types";

/** What the UI and the API schemas know of idibu: client-safe, no server code. */
export const idibuCatalog = {
  id: "idibu" as const,
  displayName: "idibu",
  /** Chart and legend fill (passes 3:1 against white). */
  color: "bg-violet-600",
  // idibu documents no signature; the unguessable endpoint URL is the credential.
  signs: false,
  setup: {
    whereToPaste:
      "In idibu, add a webhook for the candidate events and paste this endpoint's URL as its target. " +
      "JSON and form-encoded deliveries are both accepted.",
    events: ["candidate.create", "candidate.update"],
    signature:
      "idibu does not sign webhooks. The secret is the endpoint URL itself: keep it private; if it leaks, " +
      "use Rotate URL in Settings (the old URL keeps working for an overlap while you update idibu). Each delivery's X-Idibu-Delivery header is used to drop retries.",
  },
} satisfies ProviderCatalogEntry;
