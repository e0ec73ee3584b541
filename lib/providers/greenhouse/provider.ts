import { listValues } from "../shared/contact";
import { greenhouseCorpus } from "./corpus/cases";
import { randomSecret } from "../shared/signature";
import { greenhouseCatalog } from "./catalog";
import { greenhouseSimulator } from "./simulator";
import type { Provider, ProviderFixture } from "../types";
import { mapGreenhouseBody, greenhouseNeededPaths } from "./map";
import { getGreenhouseEventId, signGreenhouseBody, verifyGreenhouseDelivery } from "./verify";
import { greenhouseHistory } from "./history";
import { greenhouseAnonymization } from "./anonymize";

const json = "application/json";

export const greenhouseFixtures: ProviderFixture[] = [
  { name: "Prospect created (new_prospect_application)", file: "fixtures/new-prospect-application.json", contentType: json },
  { name: "Candidate stage change (candidate_stage_change)", file: "fixtures/candidate-stage-change.json", contentType: json },
  { name: "Candidate/Prospect updated (update_candidate)", file: "fixtures/update-candidate.json", contentType: json },
  { name: "Candidate hired (hire_candidate)", file: "fixtures/hire-candidate.json", contentType: json },
  { name: "Candidate unhired (unhire_candidate)", file: "fixtures/unhire-candidate.json", contentType: json },
  { name: "Candidate/Prospect rejected (reject_candidate)", file: "fixtures/reject-candidate.json", contentType: json },
  { name: "Candidate/Prospect unrejected (unreject_candidate)", file: "fixtures/unreject-candidate.json", contentType: json },
  { name: "Candidate deleted (delete_candidate)", file: "fixtures/delete-candidate.json", contentType: json },
  { name: "Candidate merged (merge_candidate)", file: "fixtures/merge-candidate.json", contentType: json },
];

export const greenhouseProvider: Provider = {
  ...greenhouseCatalog,
  acceptsForm: false,
  methods: ["POST"],
  generateSecret: () => randomSecret(),
  // Greenhouse accepts any Secret key text and signs with its UTF-8 bytes.
  validateSecret: (secret) => (secret.trim() === "" ? "the secret must not be empty" : null),
  verify: verifyGreenhouseDelivery,
  idempotencyKey: getGreenhouseEventId,
  map: mapGreenhouseBody,
  sign(body, secret, options) {
    const headers: Record<string, string> = { "Greenhouse-Event-ID": options.deliveryId };
    if (secret !== null) headers["Signature"] = signGreenhouseBody(body, secret);
    return headers;
  },
  fixtures: greenhouseFixtures,
  history: greenhouseHistory,
  simulator: greenhouseSimulator,
  corpus: greenhouseCorpus,
  neededPaths: greenhouseNeededPaths,
  // The candidate object: phone_numbers [{value, type}].
  contactPhones: (snapshot) => listValues((snapshot as { phone_numbers?: unknown } | null)?.phone_numbers),
  anonymization: greenhouseAnonymization,
};
