import type { ProviderCatalogEntry } from "../types";

/** What the UI and the API schemas know of Ashby: client-safe, no server code. */
export const ashbyCatalog = {
  id: "ashby" as const,
  displayName: "Ashby",
  /** Chart and legend fill (passes 3:1 against white). */
  color: "bg-teal-700",
  signs: true,
  setup: {
    whereToPaste:
      "In Ashby go to Admin → Integrations → Webhooks and create one webhook per event below (Ashby binds one " +
      "event type to a webhook): Request URL = this URL, Secret Token = this endpoint's secret. Ashby pings the URL " +
      "when a webhook is saved; the ping is acknowledged, and a webhook whose ping fails stays disabled.",
    events: ["applicationSubmit", "applicationUpdate", "candidateStageChange", "candidateHire", "candidateDelete", "candidateMerge"],
    signature:
      'Ashby sends "Ashby-Signature: sha256=<hex>", the HMAC-SHA256 of the raw body keyed with the Secret Token. ' +
      "Related webhooks of one action share a webhookActionId: retries are dropped by webhookActionId and action.",
  },
} satisfies ProviderCatalogEntry;
