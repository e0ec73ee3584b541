import { leverCorpus } from "./corpus/cases";
import { leverCatalog } from "./catalog";
import { leverSimulator } from "./simulator";
import type { Provider, ProviderFixture } from "../types";
import { leverNeededPaths, mapLeverBody } from "./map";
import { generateLeverSecret, getLeverToken, signLeverBody, verifyLeverDelivery } from "./verify";
import { leverHistory } from "./history";

const json = "application/json";

export const leverFixtures: ProviderFixture[] = [
  { name: "Test request from the settings page (candidateHired, empty data)", file: "fixtures/test-request.json", contentType: json },
  { name: "Example delivery (candidateStageChange), its two JSON typos fixed", file: "fixtures/candidate-stage-change.json", contentType: json },
];

export const leverProvider: Provider = {
  ...leverCatalog,
  acceptsForm: false,
  methods: ["POST"],
  generateSecret: generateLeverSecret,
  validateSecret: (secret) => (secret.trim() === "" ? "the signing token must not be empty" : null),
  verify: verifyLeverDelivery,
  idempotencyKey: getLeverToken,
  map: mapLeverBody,
  signBody: signLeverBody,
  sign: () => ({ "User-Agent": "Lever-Webhooks" }),
  fixtures: leverFixtures,
  history: leverHistory,
  simulator: leverSimulator,
  corpus: leverCorpus,
  neededPaths: leverNeededPaths,
};
