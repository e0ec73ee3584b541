import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];

/**
 * A provider's delivery id read from the body (Ashby's webhookActionId, Lever's token) is whatever
 * the sender wrote: one PostgreSQL text cannot hold (U+0000, a lone surrogate) is stored by its hash,
 * so the delivery is kept and its redelivery is still a duplicate, instead of a 503.
 */
describe.each(kinds)("idempotency keys PostgreSQL text cannot hold on %s", (kind) => {
  let t: TestDb;
  let endpoint: { id: string; secret: string };
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpoint = (await routes.createEndpoint({ provider: "ashby", name: "Ashby" })).json;
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  for (const [label, id] of [["U+0000", "act\u0000ion"], ["a lone surrogate", "act\ud800ion"]] as const) {
    it(`a webhookActionId with ${label}: stored, and its redelivery is a duplicate`, async () => {
      const body = JSON.parse(readFixture("ashby", "fixtures/application-submit.json").toString());
      body.webhookActionId = id;
      const send = () => sendWebhook(endpoint.id, JSON.stringify(body), { sign: { provider: "ashby", secret: endpoint.secret } });
      const first = await send();
      expect(first.status, JSON.stringify(first.json)).toBeLessThan(300);
      const again = await send();
      expect([again.status, again.json.status]).toEqual([200, "duplicate"]);
      const stored = (await routes.getDelivery(first.json.deliveryId)).json;
      expect(stored.idempotencyKey).toMatch(/^sha256-of-id:[0-9a-f]{64}$/);
    });
  }
});
