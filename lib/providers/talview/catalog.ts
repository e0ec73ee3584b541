import { talviewEvents } from "./events";
import type { ProviderCatalogEntry } from "../types";

/** What the UI and the API schemas know of Talview: client-safe, no server code. */
export const talviewCatalog = {
  id: "talview" as const,
  displayName: "Talview",
  /** Chart and legend fill (passes 3:1 against white). */
  color: "bg-sky-600",
  // Talview documents no signature; the unguessable endpoint URL is the credential.
  signs: false,
  setup: {
    whereToPaste:
      "In Talview's webhook settings create one subscription per event below. Paste this endpoint's URL " +
      "with the event appended as a query parameter (…?event=can.candidate.created) — Talview binds one " +
      "event to one URL, so the parameter is how this dashboard knows which event arrived. Any method " +
      "(POST, PUT or PATCH) works; no custom headers are needed.",
    eventUrls: (baseUrl) => Object.keys(talviewEvents).map((event) => ({ event, url: `${baseUrl}?event=${event}` })),
    events: Object.keys(talviewEvents).map(
      (event) =>
        `${event}: append ?event=${event} to the endpoint URL` +
        (event === "can.candidate.deleted"
          ? " (required: a deletion carries the same body as the last update, so without it deletions are recorded as updates)"
          : ""),
    ),
    signature:
      "Talview does not sign webhooks. The secret is the endpoint URL itself: keep it private; if it leaks, " +
      "use Rotate URL in Settings (the old URL keeps working for an overlap while you update Talview).",
  },
} satisfies ProviderCatalogEntry;
