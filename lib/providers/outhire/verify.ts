import { randomBytes } from "node:crypto";
import { hmacSha256, safeEqual } from "../shared/signature";
import type { IncomingDelivery, VerifyResult } from "../types";

/** Standard Webhooks' recommended replay window. */
export const outhireToleranceSeconds = 5 * 60;

const secretPrefix = "whsec_";

export function generateOuthireSecret(): string {
  return secretPrefix + randomBytes(24).toString("base64");
}

/** Standard Webhooks secrets carry 24 to 64 random bytes; anything else cannot be what Outhire signs with. */
export function validateOuthireSecret(secret: string): string | null {
  const encoded = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return "an Outhire secret is whsec_ followed by base64 (letters, digits, + and /), as Outhire shows it";
  }
  const bytes = Buffer.from(encoded, "base64").length;
  if (bytes < 24 || bytes > 64) return `an Outhire secret holds 24 to 64 bytes after whsec_; this one holds ${bytes}`;
  return null;
}

/** Standard Webhooks keys are the base64 part after `whsec_`; a bare base64 key is accepted too, as the reference libraries do. */
function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret, "base64");
}

function signedContent(id: string, timestamp: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`, "utf8"), body]);
}

export function signOuthireBody(body: Buffer, secret: string, id: string, timestamp: number): string {
  return `v1,${hmacSha256(secretKey(secret), signedContent(id, String(timestamp), body)).toString("base64")}`;
}

export function verifyOuthireDelivery(delivery: IncomingDelivery, secrets: string[]): VerifyResult {
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    if (!delivery.headers[name]?.trim()) {
      return { ok: false, header: name, reason: `${name} header is missing; Outhire signs every delivery with webhook-id, webhook-timestamp and webhook-signature` };
    }
  }
  const id = delivery.headers["webhook-id"].trim();
  const timestamp = delivery.headers["webhook-timestamp"].trim();
  const signatureHeader = delivery.headers["webhook-signature"];

  if (!/^\d+$/.test(timestamp)) {
    return { ok: false, header: "webhook-timestamp", reason: `webhook-timestamp must be Unix seconds (digits only), got "${timestamp.slice(0, 40)}"` };
  }
  const skew = Number(timestamp) - Math.floor(delivery.receivedAt.getTime() / 1000);
  if (Math.abs(skew) > outhireToleranceSeconds) {
    return {
      ok: false,
      header: "webhook-timestamp",
      reason: `webhook-timestamp is ${describeSkew(Math.abs(skew))} ${skew < 0 ? "in the past" : "in the future"} (more than 5 minutes from when we received it); a replayed delivery or a wrong clock on one side`,
    };
  }

  const received = signatureHeader
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => Buffer.from(entry.slice(3), "base64"));
  if (received.length === 0) {
    return { ok: false, header: "webhook-signature", reason: 'webhook-signature must contain at least one "v1,<base64>" entry' };
  }
  const usable = secrets.filter((secret) => secret !== "");
  if (usable.length === 0) {
    return { ok: false, header: "webhook-signature", reason: "this endpoint has no secret to check the signature against; add Outhire's signing secret (whsec_…)" };
  }

  const content = signedContent(id, timestamp, delivery.body);
  // Compare every pair even after a match so timing does not reveal which secret is current.
  let matched = false;
  for (const secret of usable) {
    const expected = hmacSha256(secretKey(secret), content);
    for (const signature of received) {
      if (safeEqual(signature, expected)) matched = true;
    }
  }
  if (matched) return { ok: true };
  return {
    ok: false,
    header: "webhook-signature",
    reason: `no v1 signature matches the id, timestamp and body signed with ${usable.length === 1 ? "the endpoint secret" : `any of the endpoint's ${usable.length} secrets`}; check that the signing secret in Outhire equals this endpoint's secret`,
  };
}

function describeSkew(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${seconds} seconds (about ${minutes} minutes)`;
  return `${seconds} seconds (about ${Math.round(minutes / 60)} hours)`;
}

export function getOuthireWebhookId(delivery: IncomingDelivery): { key: string; source: string } | null {
  const id = delivery.headers["webhook-id"]?.trim();
  return id ? { key: id, source: "webhook-id" } : null;
}
