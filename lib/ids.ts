import { randomBytes } from "node:crypto";

/**
 * Prefixed random ids (`dlv_…`, `evt_…`): readable in logs and URLs, and the prefix tells what
 * an id points at. Endpoint ids carry 144 random bits because the webhook URL is a credential.
 */
export function newId(prefix: "ep" | "dlv" | "evt" | "cand" | "rej", bytes = 12): string {
  return `${prefix}_${randomBytes(prefix === "ep" ? Math.max(bytes, 18) : bytes).toString("base64url")}`;
}
