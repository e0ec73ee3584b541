import { createHash, randomBytes } from "node:crypto";
import type { Sql } from "../db/sql";
import { deleteAllSessions, deleteExpiredSessions, deleteSession, findLiveSession, insertSession, type LiveSession } from "../db/sessions";

export const SESSION_COOKIE = "ch_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * Sessions are rows in the database (table `sessions`): the cookie holds `s2.<32 random bytes>`,
 * the row its SHA-256. Every instance reads the same table on every request, so logging out or
 * "sign out everywhere" ends a session everywhere at once; a session expires after 12 hours.
 */
const SESSION_VALUE = /^s2\.([A-Za-z0-9_-]{43})$/;

function sessionId(value: string): string | null {
  const match = SESSION_VALUE.exec(value);
  return match ? createHash("sha256").update(match[1]).digest("hex") : null;
}

/** A session of a team member (`userId`), or of the admin token's holder (null). */
export async function createSession(sql: Sql, now = new Date(), ttlSeconds = SESSION_TTL_SECONDS, userId: string | null = null): Promise<string> {
  const value = `s2.${randomBytes(32).toString("base64url")}`;
  // Expired rows go when someone logs in: the table stays the size of the live sessions.
  await deleteExpiredSessions(sql, now);
  await insertSession(sql, { id: sessionId(value)!, userId, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) });
  return value;
}

export async function verifySession(sql: Sql, value: string | null | undefined, now = new Date()): Promise<boolean> {
  return (await readSession(sql, value, now)) !== null;
}

/** The live session's row id and user (null user: the admin token's session), or null. */
export async function readSession(sql: Sql, value: string | null | undefined, now = new Date()): Promise<(LiveSession & { id: string }) | null> {
  const id = value ? sessionId(value) : null;
  const live = id === null ? null : await findLiveSession(sql, id, now);
  return live && id ? { ...live, id } : null;
}

export async function revokeSession(sql: Sql, value: string | null | undefined): Promise<void> {
  const id = value ? sessionId(value) : null;
  if (id) await deleteSession(sql, id);
}

export function revokeAllSessions(sql: Sql): Promise<number> {
  return deleteAllSessions(sql);
}

export function readCookie(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

export function sessionCookieHeader(value: string, secure: boolean, maxAge = SESSION_TTL_SECONDS): string {
  return [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`, ...(secure ? ["Secure"] : [])].join("; ");
}

export function clearSessionCookieHeader(secure: boolean): string {
  return sessionCookieHeader("", secure, 0);
}
