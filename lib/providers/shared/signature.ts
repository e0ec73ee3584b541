import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Constant-time comparison of two byte strings; different lengths compare unequal without early exit on content. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    // Still spend a comparison so a length mismatch costs about as much as a content mismatch.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * Whether `received` equals what any of the endpoint's secrets signs (rotation overlap). Every secret is
 * checked even after a match, so timing does not reveal which one is current.
 */
export function matchesAnySecret(received: Buffer, secrets: string[], expected: (secret: string) => Buffer): boolean {
  let matched = false;
  for (const secret of secrets) {
    if (safeEqual(received, expected(secret))) matched = true;
  }
  return matched;
}

export function hmacSha256(key: Buffer | string, data: Buffer | string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("hex");
}
