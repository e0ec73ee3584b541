import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { safeEqual } from "../shared/signature";
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

/**
 * The signature is computed by the Standard Webhooks project's own library (`standardwebhooks`),
 * not a copy of its algorithm. Its `verify` is not used whole: it checks the timestamp against the
 * clock at verification rather than when the delivery was received, and parses the body as JSON;
 * the checks around it below give the reasons a person can act on.
 */
export function signOuthireBody(body: Buffer, secret: string, id: string, timestamp: number): string {
  return new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
}

/** The v1 signature (base64) of this delivery under `secret`; null for a secret that is not base64 key material. */
function expectedSignature(secret: string, id: string, timestamp: string, body: Buffer): Buffer | null {
  try {
    return Buffer.from(signOuthireBody(body, secret, id, Number(timestamp)).slice(3));
  } catch {
    return null;
  }
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
    .map((entry) => Buffer.from(entry.slice(3)));
  if (received.length === 0) {
    return { ok: false, header: "webhook-signature", reason: 'webhook-signature must contain at least one "v1,<base64>" entry' };
  }
  const usable = secrets.filter((secret) => secret !== "");
  if (usable.length === 0) {
    return { ok: false, header: "webhook-signature", reason: "this endpoint has no secret to check the signature against; add Outhire's signing secret (whsec_…)" };
  }

  // Compare every pair even after a match so timing does not reveal which secret is current.
  let matched = false;
  for (const secret of usable) {
    const expected = expectedSignature(secret, id, timestamp, delivery.body);
    for (const signature of received) {
      if (expected && safeEqual(signature, expected)) matched = true;
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
