import { outhireCorpus } from "./corpus/cases";
import { outhireCatalog } from "./catalog";
import { outhireSimulator } from "./simulator";
import type { Provider, ProviderFixture } from "../types";
import { mapOuthireBody, outhireNeededPaths } from "./map";
import { generateOuthireSecret, getOuthireWebhookId, signOuthireBody, validateOuthireSecret, verifyOuthireDelivery } from "./verify";
import { outhireHistory } from "./history";

const json = "application/json";

export const outhireFixtures: ProviderFixture[] = [
  { name: "Candidate applied (candidate.applied)", file: "fixtures/candidate-applied.json", contentType: json },
  { name: "Candidate stage changed (candidate.stage_changed)", file: "fixtures/candidate-stage-changed.json", contentType: json },
];

export const outhireProvider: Provider = {
  ...outhireCatalog,
  acceptsForm: false,
  methods: ["POST"],
  generateSecret: generateOuthireSecret,
  validateSecret: validateOuthireSecret,
  verify: verifyOuthireDelivery,
  idempotencyKey: getOuthireWebhookId,
  map: mapOuthireBody,
  sign(body, secret, options) {
    const timestamp = Math.floor(options.now.getTime() / 1000);
    const headers: Record<string, string> = { "webhook-id": options.deliveryId, "webhook-timestamp": String(timestamp) };
    if (secret !== null) headers["webhook-signature"] = signOuthireBody(body, secret, options.deliveryId, timestamp);
    return headers;
  },
  fixtures: outhireFixtures,
  history: outhireHistory,
  simulator: outhireSimulator,
  corpus: outhireCorpus,
  neededPaths: outhireNeededPaths,
  contactPhones: (snapshot) => [(snapshot as { phone?: unknown } | null)?.phone],
};
