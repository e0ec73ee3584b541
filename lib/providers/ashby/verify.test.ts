import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery } from "../types";
import { ashbyProvider } from "./provider";

/** Ashby's published Node sample (docs §2), computed here with node:crypto independently of the code under test. */
const ashbySample = (secret: string, raw: Buffer) => "sha256=" + createHmac("sha256", secret).update(raw).digest("hex");

// The docs' example secret; their example digest signs a placeholder payload, so the vectors are our own.
const secret = "8b943c474f5d1e1712f13e1a870b485c9b6b2b57";
const body = Buffer.from('{"webhookActionId":"a1","action":"candidateHire","data":{"application":{"candidate":{"id":"c1"}}}}');

function delivery(headers: Record<string, string>, raw = body): IncomingDelivery {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, query: new URLSearchParams(), body: raw, contentType: "application/json", receivedAt: new Date() };
}

describe("Ashby-Signature (sha256=<hex HMAC-SHA256 of the raw body>)", () => {
  it("accepts the signature Ashby's own sample computes over the raw bytes", () => {
    expect(ashbyProvider.verify(delivery({ "ashby-signature": ashbySample(secret, body) }), [secret])).toEqual({ ok: true });
    expect(ashbySample("8b943c474f5d1e1712f13e1a870b485c9b6b2b57", Buffer.from("{...}"))).toBe("sha256=18362d0b9c07339afa1f4a2c8da74e8f03f6ad60ee9c0eb962deb1638bdf7b2f");
  });

  it("refuses another key, other bytes (a re-serialized body), or a malformed header", () => {
    expect(ashbyProvider.verify(delivery({ "ashby-signature": ashbySample("other", body) }), [secret]).ok).toBe(false);
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(ashbyProvider.verify(delivery({ "ashby-signature": ashbySample(secret, body) }, reformatted), [secret]).ok).toBe(false);
    const malformed = ashbyProvider.verify(delivery({ "ashby-signature": "sha1=abc" }), [secret]);
    expect(malformed).toMatchObject({ ok: false, header: "Ashby-Signature" });
  });

  it("refuses a missing header, saying how to fix it, and an endpoint without a secret", () => {
    const missing = ashbyProvider.verify(delivery({}), [secret]);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toMatch(/Secret Token/);
    expect(ashbyProvider.verify(delivery({ "ashby-signature": ashbySample(secret, body) }), []).ok).toBe(false);
  });

  it("during a rotation both secrets verify, and after it only the new one", () => {
    const next = "0f0e0d0c0b0a09080706050403020100aabbccdd";
    expect(ashbyProvider.verify(delivery({ "ashby-signature": ashbySample(secret, body) }), [next, secret])).toEqual({ ok: true });
    expect(ashbyProvider.verify(delivery({ "ashby-signature": ashbySample(next, body) }), [next, secret])).toEqual({ ok: true });
    expect(ashbyProvider.verify(delivery({ "ashby-signature": ashbySample(secret, body) }), [next]).ok).toBe(false);
  });

  it("sign() produces what verify() accepts", () => {
    expect(ashbyProvider.verify(delivery(Object.fromEntries(Object.entries(ashbyProvider.sign(body, secret, { deliveryId: "d", now: new Date() })).map(([k, v]) => [k.toLowerCase(), v]))), [secret])).toEqual({ ok: true });
  });

  it("dedupes on (webhookActionId, action): a hire's related webhooks are three deliveries, a retry of one is a duplicate", () => {
    const of = (action: string) => ashbyProvider.idempotencyKey(delivery({}, Buffer.from(JSON.stringify({ webhookActionId: "act-1", action, data: {} }))))?.key;
    expect(new Set([of("candidateHire"), of("candidateStageChange"), of("applicationUpdate")]).size).toBe(3);
    expect(of("candidateHire")).toBe(of("candidateHire"));
    expect(ashbyProvider.idempotencyKey(delivery({}, Buffer.from("{}")))).toBeNull();
  });
});
