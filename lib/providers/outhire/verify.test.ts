import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery } from "../types";
import { outhireProvider } from "./provider";

const body = readFileSync(path.join(__dirname, "fixtures", "candidate-stage-changed.json"));
const secret = "whsec_" + Buffer.from("outhire-test-key-number-1").toString("base64");
const otherSecret = "whsec_" + Buffer.from("outhire-test-key-number-2").toString("base64");
const now = new Date("2026-03-11T00:00:00Z");
const nowSeconds = Math.floor(now.getTime() / 1000);

/** Standard Webhooks signature computed here with node:crypto, independently of the code under test. */
function standardSignature(key: string, id: string, timestamp: number | string, bytes: Buffer): string {
  const hmac = createHmac("sha256", Buffer.from(key.replace(/^whsec_/, ""), "base64"));
  hmac.update(`${id}.${timestamp}.`).update(bytes);
  return `v1,${hmac.digest("base64")}`;
}

function delivery(headers: Record<string, string>, bytes: Buffer = body, receivedAt: Date = now): IncomingDelivery {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    query: new URLSearchParams(),
    body: bytes,
    contentType: "application/json",
    receivedAt,
  };
}

function signedHeaders(key: string, options: { id?: string; timestamp?: number | string; bytes?: Buffer } = {}) {
  const id = options.id ?? "msg_1";
  const timestamp = options.timestamp ?? nowSeconds;
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": standardSignature(key, id, timestamp, options.bytes ?? body),
  };
}

function reason(result: ReturnType<typeof outhireProvider.verify>, header: string): string {
  expect(result).toMatchObject({ ok: false, header });
  return result.ok ? "" : result.reason;
}

describe("Standard Webhooks test vector", () => {
  // Published with the Standard Webhooks / Svix reference libraries.
  const vector = {
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    body: Buffer.from('{"test": 2432232314}'),
    signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  };

  it("verifies the published signature", () => {
    const headers = { "webhook-id": vector.id, "webhook-timestamp": String(vector.timestamp), "webhook-signature": vector.signature };
    expect(outhireProvider.verify(delivery(headers, vector.body, new Date(vector.timestamp * 1000)), [vector.secret])).toEqual({ ok: true });
  });

  it("reproduces the published signature when signing", () => {
    const headers = outhireProvider.sign(vector.body, vector.secret, { deliveryId: vector.id, now: new Date(vector.timestamp * 1000 + 999) });
    expect(headers).toEqual({ "webhook-id": vector.id, "webhook-timestamp": String(vector.timestamp), "webhook-signature": vector.signature });
  });
});

describe("Outhire signature verification", () => {
  it("accepts a delivery signed with the endpoint secret", () => {
    expect(outhireProvider.verify(delivery(signedHeaders(secret)), [secret])).toEqual({ ok: true });
  });

  it("accepts a secret stored without the whsec_ prefix, as the reference libraries do", () => {
    expect(outhireProvider.verify(delivery(signedHeaders(secret)), [secret.slice("whsec_".length)])).toEqual({ ok: true });
  });

  it("accepts when any v1 entry matches and ignores other versions", () => {
    const headers = signedHeaders(secret);
    headers["webhook-signature"] = `v1a,abc v1,${Buffer.alloc(32).toString("base64")} ${headers["webhook-signature"]}`;
    expect(outhireProvider.verify(delivery(headers), [secret])).toEqual({ ok: true });
  });

  it("rejects a delivery signed with another secret", () => {
    const result = outhireProvider.verify(delivery(signedHeaders(otherSecret)), [secret]);
    expect(reason(result, "webhook-signature")).toMatch(/^no v1 signature matches .* the endpoint secret/);
  });

  it("rejects a body changed after signing", () => {
    const tampered = Buffer.from(body.toString("utf8").replace('"interview"', '"offer"'));
    expect(tampered.equals(body)).toBe(false);
    expect(outhireProvider.verify(delivery(signedHeaders(secret), tampered), [secret]).ok).toBe(false);
  });

  it("rejects a signature replayed under another webhook-id", () => {
    const headers = { ...signedHeaders(secret), "webhook-id": "msg_2" };
    expect(outhireProvider.verify(delivery(headers), [secret]).ok).toBe(false);
  });

  it("accepts either secret while a rotation overlaps, and rejects a retired one", () => {
    const secrets = [secret, otherSecret];
    expect(outhireProvider.verify(delivery(signedHeaders(secret)), secrets)).toEqual({ ok: true });
    expect(outhireProvider.verify(delivery(signedHeaders(otherSecret)), secrets)).toEqual({ ok: true });
    const retired = "whsec_" + Buffer.from("retired").toString("base64");
    expect(reason(outhireProvider.verify(delivery(signedHeaders(retired)), secrets), "webhook-signature")).toContain("any of the endpoint's 2 secrets");
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])("names the missing %s header", (name) => {
    const headers: Record<string, string> = signedHeaders(secret);
    delete headers[name];
    expect(reason(outhireProvider.verify(delivery(headers), [secret]), name)).toMatch(new RegExp(`^${name} header is missing`));
  });

  it("rejects a signature header without a v1 entry", () => {
    const headers = { ...signedHeaders(secret) };
    headers["webhook-signature"] = headers["webhook-signature"].replace("v1,", "v2,");
    expect(reason(outhireProvider.verify(delivery(headers), [secret]), "webhook-signature")).toContain('"v1,<base64>"');
  });

  it.each(["2026-03-11T00:00:00Z", "1773187200.5", "soon"])("rejects the non-numeric timestamp %j", (timestamp) => {
    const headers = signedHeaders(secret, { timestamp });
    expect(reason(outhireProvider.verify(delivery(headers), [secret]), "webhook-timestamp")).toContain("must be Unix seconds");
  });

  it("accepts a timestamp exactly 5 minutes old or early", () => {
    expect(outhireProvider.verify(delivery(signedHeaders(secret, { timestamp: nowSeconds - 300 })), [secret])).toEqual({ ok: true });
    expect(outhireProvider.verify(delivery(signedHeaders(secret, { timestamp: nowSeconds + 300 })), [secret])).toEqual({ ok: true });
  });

  it("rejects a stale timestamp, saying how old it is", () => {
    const result = outhireProvider.verify(delivery(signedHeaders(secret, { timestamp: nowSeconds - 301 })), [secret]);
    expect(reason(result, "webhook-timestamp")).toContain("301 seconds (about 5 minutes) in the past");
  });

  it("rejects a timestamp from the future, saying how far ahead it is", () => {
    const result = outhireProvider.verify(delivery(signedHeaders(secret, { timestamp: nowSeconds + 7200 })), [secret]);
    expect(reason(result, "webhook-timestamp")).toContain("7200 seconds (about 2 hours) in the future");
  });

  it("refuses to verify when the endpoint has no secret", () => {
    expect(outhireProvider.verify(delivery(signedHeaders(secret)), []).ok).toBe(false);
  });
});

describe("Outhire delivery id, signing and secrets", () => {
  it("uses webhook-id as the idempotency key", () => {
    expect(outhireProvider.idempotencyKey(delivery({ "webhook-id": "msg_9" }))).toEqual({ key: "msg_9", source: "webhook-id" });
    expect(outhireProvider.idempotencyKey(delivery({}))).toBeNull();
  });

  it("signs a delivery that verifies at the time it was sent", () => {
    const headers = outhireProvider.sign(body, secret, { deliveryId: "msg_sim", now });
    expect(headers).toEqual(signedHeaders(secret, { id: "msg_sim" }));
    expect(outhireProvider.verify(delivery(headers), [secret])).toEqual({ ok: true });
  });

  it("generates whsec_ secrets holding 24 random bytes", () => {
    const first = outhireProvider.generateSecret();
    const second = outhireProvider.generateSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(first!.slice(6), "base64")).toHaveLength(24);
    expect(second).not.toBe(first);
  });

  it("validates pasted secrets: whsec_ plus base64 of 24 to 64 bytes", () => {
    expect(outhireProvider.validateSecret?.(outhireProvider.generateSecret()!)).toBeNull();
    expect(outhireProvider.validateSecret?.("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBeNull();
    expect(outhireProvider.validateSecret?.("whsec_not base64!")).toContain("base64");
    expect(outhireProvider.validateSecret?.("whsec_" + Buffer.alloc(8).toString("base64"))).toContain("holds 8");
  });
});
