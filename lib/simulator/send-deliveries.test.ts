import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { providers } from "../providers/registry";
import { providerIds, type IncomingDelivery, type ProviderId } from "../providers/types";
import { buildHistories } from "./build-histories";
import { sendHistories, type DeliveryResult } from "./send-deliveries";

interface Seen {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A stand-in for the webhook route built from the provider module alone: verify → dedupe on the
 * provider's idempotency key (or a body hash) → map. Enough to check what the sender puts on the wire.
 */
function fakeServer(provider: ProviderId, secret: string | null, options: { delayMs?: (n: number) => number } = {}) {
  const module = providers[provider];
  const seen: Seen[] = [];
  const keys = new Set<string>();
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const body = Buffer.from(init?.body as Uint8Array);
    const n = seen.push({ url, method: init?.method ?? "GET", headers, body });
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs!(n)));
    const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
    if (url.pathname !== "/api/webhooks/ep_test") return json(404, { error: "endpoint_not_found" });
    const delivery: IncomingDelivery = {
      method: init?.method ?? "GET",
      headers,
      query: url.searchParams,
      body,
      contentType: headers["content-type"] ?? null,
      receivedAt: new Date(),
    };
    if (!module.methods.includes(delivery.method)) return json(405, { error: "method_not_allowed" });
    const verified = module.verify(delivery, secret ? [secret] : []);
    if (!verified.ok) return json(401, { error: "signature_invalid", message: verified.reason });
    const key = module.idempotencyKey(delivery)?.key ?? createHash("sha256").update(body).digest("hex");
    if (keys.has(key)) return json(200, { status: "duplicate", duplicate: true });
    keys.add(key);
    const result = module.map(JSON.parse(body.toString("utf8")), delivery);
    return json(result.status === "failed" ? 202 : 200, { status: result.status, eventType: result.status === "processed" ? result.events[0].type : null });
  }) as typeof fetch;
  return { fetchImpl, seen };
}

describe.each(providerIds)("sendHistories to %s", (id) => {
  const module = providers[id];
  // A provider that signs inside the body (Lever) posts other bytes than it built: compare them unsigned.
  const unsigned = (body: Buffer) => (module.signBody ? module.signBody(body, null, { deliveryId: "-", now: new Date(0) }) : body).toString("base64");

  it("sends every delivery signed, with its method, content type and query, and reports statuses", async () => {
    const secret = module.generateSecret();
    const histories = buildHistories({ provider: id, candidates: 6, seed: 11 });
    const server = fakeServer(id, secret);
    const summary = await sendHistories({ baseUrl: "http://dash.test/", endpointId: "ep_test", provider: id, secret, histories, fetchImpl: server.fetchImpl });
    const total = histories.reduce((n, h) => n + h.deliveries.length, 0);
    expect(summary.sent).toBe(total);
    expect(summary.failures).toEqual([]);
    expect(summary.processingFailures).toEqual([]);
    expect(summary.byHttpStatus).toEqual({ "200": total });
    expect(summary.byStatus).toEqual({ processed: total });
    const bodies = new Set(histories.flatMap((h) => h.deliveries.map((d) => unsigned(d.body))));
    for (const request of server.seen) {
      expect(bodies.has(unsigned(request.body))).toBe(true);
      expect(request.headers["content-type"]).toBe("application/json");
    }
    if (id === "talview") expect(server.seen.every((r) => r.url.searchParams.get("event")?.startsWith("can.candidate."))).toBe(true);
  });

  it("keeps each candidate's deliveries in order while candidates interleave", async () => {
    const secret = module.generateSecret();
    const histories = buildHistories({ provider: id, candidates: 5, seed: 12 });
    // Uneven latency makes the workers overtake each other.
    const server = fakeServer(id, secret, { delayMs: (n) => (n * 7) % 5 });
    await sendHistories({ baseUrl: "http://dash.test", endpointId: "ep_test", provider: module, secret, histories, concurrency: 3, fetchImpl: server.fetchImpl });
    const order = server.seen.map((r) => unsigned(r.body));
    for (const h of histories) {
      const positions = h.deliveries.map((d) => order.indexOf(unsigned(d.body)));
      // Talview's deletion repeats the previous body, so look it up after the earlier position.
      for (let i = 1; i < positions.length; i++) {
        if (h.deliveries[i].body.equals(h.deliveries[i - 1].body)) positions[i] = order.indexOf(unsigned(h.deliveries[i].body), positions[i - 1] + 1);
        expect(positions[i]).toBeGreaterThan(positions[i - 1]);
      }
    }
  });

  it("re-sends every Nth delivery with the same id and body, and the receiver sees a duplicate", async () => {
    const secret = module.generateSecret();
    const histories = buildHistories({ provider: id, candidates: 3, seed: 13 });
    const server = fakeServer(id, secret);
    const results: DeliveryResult[] = [];
    const summary = await sendHistories({
      baseUrl: "http://dash.test",
      endpointId: "ep_test",
      provider: id,
      secret,
      histories,
      redeliverEvery: 2,
      concurrency: 1,
      fetchImpl: server.fetchImpl,
      onResult: (r) => results.push(r),
    });
    const total = histories.reduce((n, h) => n + h.deliveries.length, 0);
    expect(summary.redelivered).toBe(Math.floor(total / 2));
    expect(summary.sent).toBe(total + summary.redelivered);
    expect(summary.byStatus.duplicate).toBe(summary.redelivered);
    expect(summary.duplicateMisses).toEqual([]);
    results.forEach((r, i) => {
      if (!r.redelivery) return;
      expect(results[i - 1].deliveryId).toBe(r.deliveryId);
      expect(server.seen[i].body.equals(server.seen[i - 1].body)).toBe(true);
    });
    expect(new Set(results.filter((r) => !r.redelivery).map((r) => r.deliveryId)).size).toBe(total);
  });
});

describe("sendHistories failures", () => {
  it("reports non-2xx responses with their bodies, and network errors", async () => {
    const histories = buildHistories({ provider: "greenhouse", candidates: 1, seed: 1 });
    const wrong = fakeServer("greenhouse", "the-real-secret");
    const summary = await sendHistories({ baseUrl: "http://dash.test", endpointId: "ep_test", provider: "greenhouse", secret: "not-the-secret", histories, fetchImpl: wrong.fetchImpl });
    expect(summary.byHttpStatus).toEqual({ "401": histories[0].deliveries.length });
    expect(summary.failures[0].response).toMatchObject({ error: "signature_invalid" });
    expect(summary.byStatus).toEqual({ "(none)": histories[0].deliveries.length });

    const refused = (async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) });
    }) as typeof fetch;
    const down = await sendHistories({ baseUrl: "http://127.0.0.1:9", endpointId: "ep_x", provider: "idibu", histories: buildHistories({ provider: "idibu", candidates: 1, seed: 1 }), fetchImpl: refused });
    expect(down.byHttpStatus["network-error"]).toBe(down.sent);
    expect(String(down.failures[0].response)).toContain("ECONNREFUSED");
  });

  it("refuses to send unsigned deliveries for a provider that signs", async () => {
    await expect(
      sendHistories({ baseUrl: "http://x", endpointId: "e", provider: "outhire", secret: null, histories: [], fetchImpl: fetch }),
    ).rejects.toThrow(/secret/);
  });
});
