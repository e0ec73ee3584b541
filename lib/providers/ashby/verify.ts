import { hmacSha256, matchesAnySecret } from "../shared/signature";
import type { IncomingDelivery, VerifyResult } from "../types";

const header = "Ashby-Signature";
const signaturePattern = /^sha256=([0-9a-f]{64})$/i;

export function signAshbyBody(body: Buffer, secret: string): string {
  return `sha256=${hmacSha256(Buffer.from(secret, "utf8"), body).toString("hex")}`;
}

export function verifyAshbyDelivery(delivery: IncomingDelivery, secrets: string[]): VerifyResult {
  const value = delivery.headers["ashby-signature"];
  if (value === undefined || value.trim() === "") {
    return { ok: false, header, reason: "Ashby-Signature header is missing; set a Secret Token on the Ashby webhook so it signs deliveries" };
  }
  const match = signaturePattern.exec(value.trim());
  if (!match) return { ok: false, header, reason: 'Ashby-Signature header must look like "sha256=<hex>" (64 hex digits)' };
  const usable = secrets.filter((secret) => secret !== "");
  if (usable.length === 0) return { ok: false, header, reason: "this endpoint has no secret to check the signature against; add the Secret Token used in Ashby" };
  const received = Buffer.from(match[1], "hex");
  if (matchesAnySecret(received, usable, (secret) => hmacSha256(Buffer.from(secret, "utf8"), delivery.body))) return { ok: true };
  return { ok: false, header, reason: "signature does not match the body signed with the endpoint's secret; check that the Secret Token in Ashby equals this endpoint's secret" };
}

/**
 * One action sends related webhooks sharing a webhookActionId (a hire sends three, each its own action),
 * and retries repeat both: the pair is the delivery's identity.
 */
export function getAshbyActionKey(delivery: IncomingDelivery): { key: string; source: string } | null {
  try {
    const body = JSON.parse(delivery.body.toString("utf8")) as { webhookActionId?: unknown; action?: unknown } | null;
    if (body === null || typeof body !== "object" || typeof body.webhookActionId !== "string" || body.webhookActionId.trim() === "") return null;
    const action = typeof body.action === "string" ? body.action : "";
    return { key: `${body.webhookActionId.trim().slice(0, 200)}:${action.slice(0, 100)}`, source: "webhookActionId + action" };
  } catch {
    return null;
  }
}
