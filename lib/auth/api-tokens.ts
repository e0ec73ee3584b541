import { createHash, randomBytes } from "node:crypto";
import { findLiveToken, type TokenOwnerRow } from "../db/api-tokens";
import type { Sql } from "../db/sql";

/**
 * Personal API tokens: `cht_` and 32 random bytes, shown once when made. The database keeps only
 * the SHA-256 (the secret is random, so a slow hash would add nothing but CPU per request).
 */
const TOKEN = /^cht_[A-Za-z0-9_-]{43}$/;

export function isApiToken(value: string): boolean {
  return value.startsWith("cht_");
}

export function newApiTokenSecret(): { token: string; tokenHash: string } {
  const token = `cht_${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function findApiToken(sql: Sql, token: string, now = new Date()): Promise<TokenOwnerRow | null> {
  return TOKEN.test(token) ? findLiveToken(sql, hashApiToken(token), now) : null;
}
