import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery } from "../types";
import { leverProvider } from "./provider";

/** Lever's published algorithm (docs §2.1), computed here with node:crypto independently of the code under test. */
const leverSample = (key: string, token: string, triggeredAt: number) => createHmac("sha256", key).update(token + triggeredAt).digest("hex");

const secret = "4f1c2b8e9d0a7f6e5d4c3b2a19087f6e5d4c3b2a19087f6e";
const token = "be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154";
const triggeredAt = 1431454330072;

function delivery(body: Record<string, unknown> | string): IncomingDelivery {
  return {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Lever-Webhooks" },
    query: new URLSearchParams(),
    body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    contentType: "application/json",
    receivedAt: new Date(),
  };
}

const body = (signature: unknown, extra: Record<string, unknown> = {}) => ({
  triggeredAt,
  event: "candidateStageChange",
  data: { opportunityId: "3410c8b9-5c31-4bab-b7e9-9f710206d647", toStageId: "s2", fromStageId: "s1" },
  signature,
  token,
  ...extra,
});

describe("Lever signature (in the body: HMAC-SHA256 of token + triggeredAt)", () => {
  it("accepts the signature Lever's own sample computes, with the endpoint's token", () => {
    expect(leverProvider.verify(delivery(body(leverSample(secret, token, triggeredAt))), [secret])).toEqual({ ok: true });
  });

  it("accepts an upper-case hex signature and a triggeredAt sent as a string", () => {
    expect(leverProvider.verify(delivery(body(leverSample(secret, token, triggeredAt).toUpperCase())), [secret])).toEqual({ ok: true });
    const asString = body(leverSample(secret, token, triggeredAt), { triggeredAt: String(triggeredAt) });
    expect(leverProvider.verify(delivery(asString), [secret])).toEqual({ ok: true });
  });

  it("refuses a signature made with another key, or over another token or time", () => {
    for (const wrong of [leverSample("another-token", token, triggeredAt), leverSample(secret, `${token}x`, triggeredAt), leverSample(secret, token, triggeredAt + 1)]) {
      const result = leverProvider.verify(delivery(body(wrong)), [secret]);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/does not match/);
    }
  });

  it("refuses a body without signature, token or triggeredAt, or that is not a JSON object, saying which", () => {
    const missing = leverProvider.verify(delivery({ ...body(undefined) }), [secret]);
    expect(missing).toMatchObject({ ok: false, header: "signature" });
    if (!missing.ok) expect(missing.reason).toMatch(/no "signature"/);
    const noToken = leverProvider.verify(delivery(body(leverSample(secret, token, triggeredAt), { token: undefined })), [secret]);
    if (!noToken.ok) expect(noToken.reason).toMatch(/token/);
    expect(noToken.ok).toBe(false);
    expect(leverProvider.verify(delivery(body(leverSample(secret, token, triggeredAt), { triggeredAt: null })), [secret]).ok).toBe(false);
    expect(leverProvider.verify(delivery("not json"), [secret]).ok).toBe(false);
    expect(leverProvider.verify(delivery("[1,2]"), [secret]).ok).toBe(false);
    expect(leverProvider.verify(delivery(body("zz")), [secret]).ok).toBe(false);
    expect(leverProvider.verify(delivery(body(leverSample(secret, token, triggeredAt))), []).ok).toBe(false);
  });

  it("during a rotation both tokens verify, and after it only the new one", () => {
    const next = "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f3021";
    expect(leverProvider.verify(delivery(body(leverSample(secret, token, triggeredAt))), [next, secret])).toEqual({ ok: true });
    expect(leverProvider.verify(delivery(body(leverSample(next, token, triggeredAt))), [next, secret])).toEqual({ ok: true });
    expect(leverProvider.verify(delivery(body(leverSample(secret, token, triggeredAt))), [next]).ok).toBe(false);
  });

  it("signRequest's body verifies with the same secret, carries the delivery id as its token, and a reused token is a redelivery", () => {
    const built = Buffer.from(JSON.stringify(body("0".repeat(64))));
    const signed = leverProvider.signBody!(built, secret, { deliveryId: "delivery-1", now: new Date() });
    const incoming = { ...delivery("{}"), body: signed };
    expect(leverProvider.verify(incoming, [secret])).toEqual({ ok: true });
    expect(JSON.parse(signed.toString()).triggeredAt).toBe(triggeredAt);
    expect(leverProvider.idempotencyKey(incoming)).toEqual({ key: "delivery-1", source: "body token" });
    const again = leverProvider.signBody!(built, secret, { deliveryId: "delivery-1", now: new Date() });
    expect(leverProvider.idempotencyKey({ ...incoming, body: again })?.key).toBe("delivery-1");
    expect(leverProvider.verify({ ...incoming, body: signed }, ["another"]).ok).toBe(false);
  });
});
