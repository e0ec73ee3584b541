import { expect, test } from "@playwright/test";
import { buildHistories } from "../lib/simulator/build-histories";
import { sendHistories } from "../lib/simulator/send-deliveries";
import { providerIds } from "../lib/providers/types";
import { e2eAdminToken } from "../playwright.config";

const auth = { authorization: `Bearer ${e2eAdminToken}` };

test("simulated histories of every provider go through the real HTTP endpoints into candidates and events", async ({ request, baseURL }) => {
  for (const provider of providerIds) {
    const created = await request.post("/api/endpoints", { headers: auth, data: { provider, name: `${provider} e2e` } });
    expect(created.status()).toBe(201);
    const endpoint = await created.json();
    expect(endpoint.url).toBe(`${baseURL}/api/webhooks/${endpoint.id}`);

    const histories = buildHistories({ provider, candidates: 3, seed: 7 });
    const summary = await sendHistories({
      baseUrl: baseURL!,
      endpointId: endpoint.id,
      provider,
      secret: endpoint.secret,
      histories,
      redeliverEvery: 4,
    });
    expect(summary.failures).toEqual([]);
    expect(summary.processingFailures).toEqual([]);
    expect(summary.duplicateMisses).toEqual([]);
    expect(summary.byStatus.duplicate).toBe(summary.redelivered);

    const candidates = await (await request.get(`/api/candidates?provider=${provider}&limit=100`, { headers: auth })).json();
    const ids = histories.map((h) => h.candidateId).sort();
    expect(candidates.candidates.map((c: { externalId: string }) => c.externalId).filter((id: string) => ids.includes(id)).sort()).toEqual(ids);

    const sentEvents = histories.reduce((n, h) => n + h.deliveries.length, 0);
    const events = await (await request.get(`/api/events?provider=${provider}&endpointId=${endpoint.id}&limit=500`, { headers: auth })).json();
    expect(events.events).toHaveLength(sentEvents);
  }
});

test("webhook errors are clear JSON over real HTTP", async ({ request }) => {
  const missing = await request.post("/api/webhooks/ep_unknown_endpoint_00000000", { data: {} });
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: "endpoint_not_found" });

  const endpoint = await (await request.post("/api/endpoints", { headers: auth, data: { provider: "greenhouse", name: "unsigned" } })).json();
  const unsigned = await request.post(`/api/webhooks/${endpoint.id}`, { data: { action: "ping" } });
  expect(unsigned.status()).toBe(401);
  expect(await unsigned.json()).toMatchObject({ error: "signature_invalid", header: "Signature" });

  const unauthorized = await request.get("/api/deliveries");
  expect(unauthorized.status()).toBe(401);
});
