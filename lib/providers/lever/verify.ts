import { hmacSha256, matchesAnySecret, randomSecret } from "../shared/signature";
import type { IncomingDelivery, SignOptions, VerifyResult } from "../types";

const field = "signature";

/** The body fields Lever signs with, when the body is a JSON object that has them. */
function signedFields(body: Buffer): { token: unknown; triggeredAt: unknown; signature: unknown } | null {
  try {
    const value = JSON.parse(body.toString("utf8")) as Record<string, unknown> | null;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    return { token: value.token, triggeredAt: value.triggeredAt, signature: value.signature };
  } catch {
    return null;
  }
}

/** Hex HMAC-SHA256 of `token + triggeredAt` (JavaScript string concatenation, as Lever's sample does). */
export function signLeverFields(secret: string, token: string, triggeredAt: number | string): string {
  return hmacSha256(Buffer.from(secret, "utf8"), `${token}${triggeredAt}`).toString("hex");
}

export function verifyLeverDelivery(delivery: IncomingDelivery, secrets: string[]): VerifyResult {
  const fields = signedFields(delivery.body);
  if (fields === null) return { ok: false, header: field, reason: "body is not a JSON object; Lever signs inside the body (token, triggeredAt, signature)" };
  if (typeof fields.signature !== "string" || fields.signature.trim() === "") {
    return { ok: false, header: field, reason: 'the body has no "signature"; generate a signing token in Lever\'s webhook settings so it signs deliveries' };
  }
  if (typeof fields.token !== "string" || fields.token === "" || (typeof fields.triggeredAt !== "number" && typeof fields.triggeredAt !== "string")) {
    return { ok: false, header: field, reason: 'the body needs "token" (string) and "triggeredAt" (milliseconds) to check its signature' };
  }
  if (!/^[0-9a-f]{64}$/i.test(fields.signature.trim())) return { ok: false, header: field, reason: '"signature" must be 64 hex digits (HMAC-SHA256)' };
  const usable = secrets.filter((secret) => secret !== "");
  if (usable.length === 0) return { ok: false, header: field, reason: "this endpoint has no secret to check the signature against; add Lever's signing token" };
  const received = Buffer.from(fields.signature.trim(), "hex");
  const { token, triggeredAt } = fields;
  if (matchesAnySecret(received, usable, (secret) => Buffer.from(signLeverFields(secret, token, triggeredAt), "hex"))) return { ok: true };
  return { ok: false, header: field, reason: "signature does not match token + triggeredAt signed with the endpoint's secret; check that it is Lever's signing token for this webhook" };
}

/** Lever's `token` is random per request: a reused one is a redelivery. */
export function getLeverToken(delivery: IncomingDelivery): { key: string; source: string } | null {
  const token = signedFields(delivery.body)?.token;
  return typeof token === "string" && token.trim() !== "" ? { key: token.trim().slice(0, 200), source: "body token" } : null;
}

/** The body a real sender posts: a fresh token (the delivery id), triggeredAt kept (now when absent), the signature. */
export function signLeverBody(body: Buffer, secret: string | null, options: SignOptions): Buffer {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  } catch {
    return body;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return body;
  const token = options.deliveryId;
  const triggeredAt = typeof value.triggeredAt === "number" || typeof value.triggeredAt === "string" ? value.triggeredAt : options.now.getTime();
  const signed: Record<string, unknown> = { ...value, triggeredAt, token };
  if (secret !== null) signed.signature = signLeverFields(secret, token, triggeredAt);
  else delete signed.signature;
  return Buffer.from(JSON.stringify(signed, null, 2), "utf8");
}

/** Lever issues the signing token; this one stands until the user adds Lever's (48 characters, like Lever's). */
export function generateLeverSecret(): string {
  return randomSecret(24);
}
