import { createHmac } from "node:crypto";
import { derivedKey } from "../auth/secret-box";

let key: Buffer | null = null;

/**
 * The erasure record's name for a candidate: HMAC-SHA256 of (provider, provider's candidate id) with
 * a key derived from SECRET_KEY. Without the key it names no one (a plain hash of a numeric id could
 * be reversed by trying every id); with it, a retried delivery of an erased candidate is recognised.
 */
export function erasureKeyHash(provider: string, externalId: string): string {
  key ??= derivedKey("erased-candidate:v1");
  return createHmac("sha256", key).update(`${provider}\n${externalId}`).digest("hex");
}
