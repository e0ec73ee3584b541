import { talviewCorpus } from "./corpus/cases";
import { createHash } from "node:crypto";
import { talviewCatalog } from "./catalog";
import { talviewSimulator } from "./simulator";
import type { Provider } from "../types";
import { mapTalview, parseTalviewEvent, talviewEvents, talviewNeededPaths } from "./map";
import { talviewHistory } from "./history";

export const talviewProvider: Provider = {
  ...talviewCatalog,
  acceptsForm: false,
  // The subscriber picks the method per subscription.
  methods: ["POST", "PUT", "PATCH"],
  generateSecret: () => null,
  verify: () => ({ ok: true }),
  idempotencyKey(delivery) {
    // Talview sends no delivery id, so the ingest falls back to a body hash. That is not enough here:
    // a deleted payload is the candidate's last snapshot (is_deleted is filtered out), byte-identical
    // to the preceding updated payload, and a body hash alone would drop the deletion as a duplicate.
    // When the URL names the event, hash it together with the body. Without ?event= a deletion cannot
    // be told apart anyway (it is inferred as updated), so the plain body hash is right.
    const raw = delivery.query.get("event");
    const event = raw === null ? null : parseTalviewEvent(raw);
    if (event === null) return null;
    const digest = createHash("sha256").update(`${event}\n`).update(delivery.body).digest("hex");
    return { key: `sha256:${digest}`, source: "event+body sha256" };
  },
  map: mapTalview,
  // No documented headers beyond Content-Type; custom headers are whatever the subscriber configured.
  sign: () => ({}),
  history: talviewHistory,
  simulator: talviewSimulator,
  corpus: talviewCorpus,
  neededPaths: talviewNeededPaths,
  contactPhones: (snapshot) => [(snapshot as { phone_number?: unknown } | null)?.phone_number],
  fixtures: [
    {
      name: "Candidate created (Talview docs example)",
      file: "fixtures/candidate-created.json",
      contentType: "application/json",
      query: { event: "can.candidate.created" },
    },
    {
      name: "Candidate updated: education entry added",
      file: "fixtures/candidate-updated.json",
      contentType: "application/json",
      query: { event: "can.candidate.updated" },
    },
    {
      name: "Candidate deleted (same body as the last update)",
      file: "fixtures/candidate-deleted.json",
      contentType: "application/json",
      query: { event: "can.candidate.deleted" },
    },
    {
      name: "Candidate updated as a versioned snapshot {old, new}",
      file: "fixtures/candidate-versioned-snapshot.json",
      contentType: "application/json",
      query: { event: "can.candidate.updated" },
    },
  ],
};
