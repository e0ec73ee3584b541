import { idibuCorpus } from "./corpus/cases";
import { idibuCatalog } from "./catalog";
import { idibuSimulator } from "./simulator";
import type { Provider } from "../types";
import { decodeIdibuForm, IdibuFormError } from "./form";
import { mapIdibu, idibuNeededPaths } from "./map";
import { idibuHistory } from "./history";

export const idibuProvider: Provider = {
  ...idibuCatalog,
  acceptsForm: true,
  methods: ["POST"],
  generateSecret: () => null,
  verify: () => ({ ok: true }),
  idempotencyKey(delivery) {
    for (const [header, source] of [
      ["x-idibu-delivery", "X-Idibu-Delivery"],
      ["x-idibuv3-delivery", "X-IdibuV3-Delivery"],
    ] as const) {
      const id = delivery.headers[header]?.trim();
      if (id) return { key: id, source };
    }
    return null;
  },
  decodeForm(body) {
    const decoded = decodeIdibuForm(body);
    if (decoded instanceof IdibuFormError) throw decoded;
    return decoded;
  },
  map: mapIdibu,
  sign(body, _secret, options) {
    const headers: Record<string, string> = {
      "User-Agent": "Idibu-Hookshot",
      "X-Idibu-Delivery": options.deliveryId,
    };
    const event = webhookEventOf(body);
    if (event !== null) headers["X-Idibu-Event"] = event;
    return headers;
  },
  history: idibuHistory,
  simulator: idibuSimulator,
  corpus: idibuCorpus,
  neededPaths: idibuNeededPaths,
  fixtures: [
    {
      name: "New candidate added to the vacancy (idibu docs example)",
      file: "fixtures/candidate-create.json",
      contentType: "application/json",
      headers: {
        "user-agent": "Idibu-Hookshot",
        "x-idibu-delivery": "f38a0abc-dc1d-4e3c-bb63-dfc1acd9ce88",
        "x-idibu-event": "candidate-extend.update",
      },
    },
    {
      name: "Candidate status on the vacancy changed to Shortlisted",
      file: "fixtures/candidate-update.json",
      contentType: "application/json",
      headers: {
        "user-agent": "Idibu-Hookshot",
        "x-idibu-delivery": "5b0d7e3a-8c41-4f7e-9a2d-1e6f3c9b7a40",
        "x-idibu-event": "candidate.update",
      },
    },
    {
      name: "New candidate, form-encoded with bracket fields (PHP http_build_query)",
      file: "fixtures/candidate-create.form-brackets.txt",
      contentType: "application/x-www-form-urlencoded",
      headers: {
        "user-agent": "Idibu-Hookshot",
        "x-idibu-delivery": "0c6f2b8e-3d5a-4b71-8e9f-7a2c4d6e8f10",
        "x-idibu-event": "candidate.create",
      },
    },
    {
      name: "New candidate, form-encoded with JSON field values",
      file: "fixtures/candidate-create.form-json.txt",
      contentType: "application/x-www-form-urlencoded",
      headers: {
        "user-agent": "Idibu-Hookshot",
        "x-idibu-delivery": "9e4a1c7b-2f6d-4a83-b5c0-3d8e1f2a6b97",
        "x-idibu-event": "candidate.create",
      },
    },
  ],
};

/** The event name a real sender puts in X-Idibu-Event, read from whichever encoding the body uses. */
function webhookEventOf(body: Buffer): string | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(body.toString("utf8"));
  } catch {
    decoded = decodeIdibuForm(body);
  }
  if (decoded === null || typeof decoded !== "object") return null;
  const info = (decoded as Record<string, unknown>)["payload-information"];
  if (info === null || typeof info !== "object") return null;
  const event = (info as Record<string, unknown>).webhook_event;
  return typeof event === "string" && event !== "" ? event : null;
}
