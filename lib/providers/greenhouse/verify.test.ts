import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery } from "../types";
import { greenhouseProvider } from "./provider";

// A fixture that is not valid JSON: signatures cover raw bytes, never a re-encoding.
const body = readFileSync(path.join(__dirname, "fixtures", "hire-candidate.json"));
const secret = "gh-endpoint-secret-1";
const otherSecret = "gh-endpoint-secret-2";

function expectedSignature(key: string, bytes: Buffer): string {
  return `sha256 ${createHmac("sha256", Buffer.from(key, "utf8")).update(bytes).digest("hex")}`;
}

function delivery(headers: Record<string, string>, bytes: Buffer = body): IncomingDelivery {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    query: new URLSearchParams(),
    body: bytes,
    contentType: "application/json",
    receivedAt: new Date("2026-03-11T00:00:00Z"),
  };
}

describe("Greenhouse signature verification", () => {
  it("accepts the HMAC-SHA256 of the raw body with the endpoint secret", () => {
    expect(greenhouseProvider.verify(delivery({ signature: expectedSignature(secret, body) }), [secret])).toEqual({ ok: true });
  });

  it("accepts upper-case hex digits", () => {
    const upper = `sha256 ${expectedSignature(secret, body).slice(7).toUpperCase()}`;
    expect(greenhouseProvider.verify(delivery({ signature: upper }), [secret])).toEqual({ ok: true });
  });

  it("rejects a body signed with another secret", () => {
    const result = greenhouseProvider.verify(delivery({ signature: expectedSignature("someone-else", body) }), [secret]);
    expect(result).toMatchObject({ ok: false, header: "Signature" });
    if (!result.ok) expect(result.reason).toMatch(/^signature does not match the body signed with the endpoint secret/);
  });

  it("rejects a body changed after signing", () => {
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf("Johnny")] = "D".charCodeAt(0);
    const result = greenhouseProvider.verify(delivery({ signature: expectedSignature(secret, body) }, tampered), [secret]);
    expect(result.ok).toBe(false);
  });

  it("says the header is missing when Greenhouse sent none", () => {
    const result = greenhouseProvider.verify(delivery({}), [secret]);
    expect(result).toMatchObject({ ok: false, header: "Signature" });
    if (!result.ok) expect(result.reason).toMatch(/^Signature header is missing/);
  });

  it.each([
    ["GitHub style", `sha256=${expectedSignature(secret, body).slice(7)}`],
    ["no algorithm", expectedSignature(secret, body).slice(7)],
    ["another algorithm", `sha1 ${"a".repeat(40)}`],
    ["a truncated digest", expectedSignature(secret, body).slice(0, 40)],
    ["non-hex digits", `sha256 ${"z".repeat(64)}`],
  ])("explains the expected format for %s", (_label, value) => {
    const result = greenhouseProvider.verify(delivery({ signature: value }), [secret]);
    expect(result).toMatchObject({ ok: false, header: "Signature" });
    if (!result.ok) expect(result.reason).toMatch(/^Signature header must look like "sha256 <hex>"/);
  });

  it("accepts either secret while a rotation overlaps, and rejects a third", () => {
    const secrets = [secret, otherSecret];
    expect(greenhouseProvider.verify(delivery({ signature: expectedSignature(secret, body) }), secrets)).toEqual({ ok: true });
    expect(greenhouseProvider.verify(delivery({ signature: expectedSignature(otherSecret, body) }), secrets)).toEqual({ ok: true });
    const result = greenhouseProvider.verify(delivery({ signature: expectedSignature("retired", body) }), secrets);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("any of the endpoint's 2 secrets");
  });

  it("refuses to verify when the endpoint has no secret", () => {
    const result = greenhouseProvider.verify(delivery({ signature: expectedSignature(secret, body) }), []);
    expect(result).toMatchObject({ ok: false, header: "Signature" });
  });
});

describe("Greenhouse delivery id, signing and secrets", () => {
  it("uses the Greenhouse-Event-ID header as the idempotency key", () => {
    expect(greenhouseProvider.idempotencyKey(delivery({ "greenhouse-event-id": "evt-42" }))).toEqual({
      key: "evt-42",
      source: "Greenhouse-Event-ID",
    });
    expect(greenhouseProvider.idempotencyKey(delivery({}))).toBeNull();
  });

  it("signs like Greenhouse does, so a signed delivery verifies", () => {
    const headers = greenhouseProvider.sign(body, secret, { deliveryId: "evt-7", now: new Date() });
    expect(headers).toEqual({ Signature: expectedSignature(secret, body), "Greenhouse-Event-ID": "evt-7" });
    const lowerCased = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    expect(greenhouseProvider.verify(delivery(lowerCased), [secret])).toEqual({ ok: true });
  });

  it("generates distinct random hex secrets", () => {
    const first = greenhouseProvider.generateSecret();
    const second = greenhouseProvider.generateSecret();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).not.toBe(first);
  });

  it("accepts any non-empty pasted secret, as Greenhouse does", () => {
    expect(greenhouseProvider.validateSecret?.("any text Greenhouse was given")).toBeNull();
    expect(greenhouseProvider.validateSecret?.("  ")).toContain("empty");
  });
});
