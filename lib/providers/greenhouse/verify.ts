import { hmacSha256, matchesAnySecret } from "../shared/signature";
import type { IncomingDelivery, VerifyResult } from "../types";

const header = "Signature";
const signaturePattern = /^sha256 ([0-9a-f]{64})$/i;

export function signGreenhouseBody(body: Buffer, secret: string): string {
  return `sha256 ${hmacSha256(Buffer.from(secret, "utf8"), body).toString("hex")}`;
}

export function verifyGreenhouseDelivery(delivery: IncomingDelivery, secrets: string[]): VerifyResult {
  const value = delivery.headers["signature"];
  if (value === undefined || value.trim() === "") {
    return { ok: false, header, reason: "Signature header is missing; set a Secret key on the Greenhouse web hook so it signs deliveries" };
  }
  const match = signaturePattern.exec(value.trim());
  if (!match) {
    return { ok: false, header, reason: 'Signature header must look like "sha256 <hex>" (64 hex digits)' };
  }
  const usable = secrets.filter((secret) => secret !== "");
  if (usable.length === 0) {
    return { ok: false, header, reason: "this endpoint has no secret to check the signature against; add the Secret key used in Greenhouse" };
  }
  const received = Buffer.from(match[1], "hex");
  if (matchesAnySecret(received, usable, (secret) => hmacSha256(Buffer.from(secret, "utf8"), delivery.body))) return { ok: true };
  return {
    ok: false,
    header,
    reason:
      usable.length === 1
        ? "signature does not match the body signed with the endpoint secret; check that the Secret key in Greenhouse equals this endpoint's secret"
        : `signature does not match the body signed with any of the endpoint's ${usable.length} secrets; check that the Secret key in Greenhouse equals this endpoint's secret`,
  };
}

export function getGreenhouseEventId(delivery: IncomingDelivery): { key: string; source: string } | null {
  const id = delivery.headers["greenhouse-event-id"]?.trim();
  return id ? { key: id, source: "Greenhouse-Event-ID" } : null;
}
