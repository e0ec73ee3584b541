import { outhireCorpus } from "./corpus/cases";
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
  id: "outhire",
  displayName: "Outhire",
  signs: true,
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
  setup: {
    whereToPaste:
      "In Outhire's webhook settings add an endpoint with this URL and subscribe it to the events below. Use this endpoint's secret (whsec_…) as the signing secret; if Outhire issues its own secret instead, add that one to this endpoint.",
    events: ["candidate.applied", "candidate.stage_changed"],
    signature:
      'Standard Webhooks: "webhook-signature: v1,<base64>" is the HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" keyed with the base64-decoded secret after whsec_; deliveries more than 5 minutes old or early are refused.',
  },
  fixtures: outhireFixtures,
  history: outhireHistory,
  corpus: outhireCorpus,
  neededPaths: outhireNeededPaths,
};
