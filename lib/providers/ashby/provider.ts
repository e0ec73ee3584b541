import { listValues } from "../shared/contact";
import { ashbyCorpus } from "./corpus/cases";
import { ashbyCatalog } from "./catalog";
import { ashbySimulator } from "./simulator";
import { randomSecret } from "../shared/signature";
import type { Provider, ProviderFixture } from "../types";
import { ashbyNeededPaths, mapAshbyBody } from "./map";
import { getAshbyActionKey, signAshbyBody, verifyAshbyDelivery } from "./verify";
import { ashbyHistory } from "./history";

const json = "application/json";

export const ashbyFixtures: ProviderFixture[] = [
  { name: "ping (sent when a webhook is saved)", file: "fixtures/ping.json", contentType: json },
  { name: "applicationSubmit, from the schema's example values", file: "fixtures/application-submit.json", contentType: json },
  { name: "candidateStageChange (an open-source receiver's fixture)", file: "fixtures/candidate-stage-change.json", contentType: json },
];

export const ashbyProvider: Provider = {
  ...ashbyCatalog,
  acceptsForm: false,
  methods: ["POST"],
  generateSecret: () => randomSecret(20),
  // Ashby takes any Secret Token text and signs with its UTF-8 bytes.
  validateSecret: (secret) => (secret.trim() === "" ? "the secret must not be empty" : null),
  verify: verifyAshbyDelivery,
  idempotencyKey: getAshbyActionKey,
  map: mapAshbyBody,
  sign: (body, secret): Record<string, string> => (secret === null ? {} : { "Ashby-Signature": signAshbyBody(body, secret) }),
  fixtures: ashbyFixtures,
  history: ashbyHistory,
  simulator: ashbySimulator,
  corpus: ashbyCorpus,
  neededPaths: ashbyNeededPaths,
  // The application: its candidate's primaryPhoneNumber {value} (and phoneNumbers, when sent).
  contactPhones(snapshot) {
    const candidate = (snapshot as { candidate?: { primaryPhoneNumber?: { value?: unknown }; phoneNumbers?: unknown } } | null)?.candidate;
    return [candidate?.primaryPhoneNumber?.value, ...listValues(candidate?.phoneNumbers)];
  },
};
