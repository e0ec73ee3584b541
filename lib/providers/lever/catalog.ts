import type { ProviderCatalogEntry } from "../types";

/** What the UI and the API schemas know of Lever: client-safe, no server code. */
export const leverCatalog = {
  id: "lever" as const,
  displayName: "Lever",
  /** Chart and legend fill (passes 3:1 against white). */
  color: "bg-rose-600",
  signs: true,
  setup: {
    whereToPaste:
      "In Lever (Super Admin) go to Settings → Integrations and API → Webhooks, switch on the events below and paste " +
      "this URL for each. Generate the signing token there and add it to this endpoint as its secret (Rotate secret → " +
      "paste Lever's token). Webhooks created through Lever's API each have their own token: give each its own endpoint.",
    events: ["Application created", "Candidate stage change", "Candidate archive state change", "Candidate hired", "Candidate deleted"],
    signature:
      'Lever signs inside the body: "signature" is the hex HMAC-SHA256 of the body\'s "token" followed by its "triggeredAt", ' +
      "keyed with the signing token. A token seen before is a redelivery. Events carry ids only: name the stages in " +
      "Settings and the candidate is shown by its Lever opportunity id.",
  },
} satisfies ProviderCatalogEntry;
