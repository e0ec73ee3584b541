import type { Sql } from "../db/sql";
import { clearFailures, deleteStaleThrottles, getBlockedUntil, recordFailure } from "../db/auth-throttle";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address";

/**
 * Slows down guessing the admin token, at the login form and as a Bearer header on any route
 * alike. The key is the client's address (lib/http/client-address.ts: the socket's, or behind
 * TRUSTED_PROXIES the first untrusted X-Forwarded-For hop), so a client cannot pick a fresh key
 * per guess, and one client's failures never slow another. State is in the database (table
 * `auth_throttle`), shared by every instance.
 *
 * Per key, failures are counted one at a time (row lock) and each sets a block: the first
 * FREE_FAILURES cost nothing (typos), then 1 s, 2 s, 4 s … up to 15 minutes. While a key is
 * blocked no credential from it is looked at, right or wrong: 429 with Retry-After. A failure
 * attempted during a block is not counted, so waiting is never punished; a success clears the key.
 */
export const FREE_FAILURES = 3;
const MAX_BLOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;

export function blockAfterFailure(failures: number): number {
  return failures <= FREE_FAILURES ? 0 : Math.min(1000 * 2 ** (failures - FREE_FAILURES - 1), MAX_BLOCK_MS);
}

export function throttleKey(headers: Headers): string {
  return `ip:${headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown"}`;
}

export type CredentialCheck = { ok: true } | { ok: false; retryAfterSeconds: number | null };

/**
 * Checks a presented credential under the throttle: `{ok: false, retryAfterSeconds: null}` is a
 * wrong credential (401), a number means the key is blocked (429). A right credential from a key
 * with no failures costs one primary-key read and no write.
 */
export async function checkCredential(sql: Sql, key: string, correct: boolean, now = new Date()): Promise<CredentialCheck> {
  const blockedUntil = await getBlockedUntil(sql, key);
  if (blockedUntil && blockedUntil > now) return { ok: false, retryAfterSeconds: secondsUntil(blockedUntil, now) };
  if (correct) {
    if (blockedUntil) await clearFailures(sql, key);
    return { ok: true };
  }
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
  const failure = await recordFailure(sql, { key, now, forgetBefore, delayMs: blockAfterFailure });
  // A new key's first failure also drops the keys forgotten by now: the table stays the size of
  // the last hour's failing clients.
  if (failure?.failures === 1) await deleteStaleThrottles(sql, forgetBefore);
  if (failure === null) {
    // Another attempt from this key failed a moment ago and set a block: this one waits for it too.
    const until = await getBlockedUntil(sql, key);
    return { ok: false, retryAfterSeconds: until ? secondsUntil(until, now) : 1 };
  }
  return { ok: false, retryAfterSeconds: null };
}

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
