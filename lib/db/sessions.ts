import type { Sql } from "./sql";

/** Session rows by the SHA-256 of the cookie's secret; see prisma/schema.prisma (Session). */
export async function insertSession(sql: Sql, session: { id: string; userId: string | null; expiresAt: Date }): Promise<void> {
  await sql.query({
    text: "INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, $3::timestamptz)",
    params: [session.id, session.userId, session.expiresAt.toISOString()],
  });
}

export async function deleteSession(sql: Sql, id: string): Promise<void> {
  await sql.query({ text: "DELETE FROM sessions WHERE id = $1", params: [id] });
}

/** Every session (today's only user is the admin token's holder); returns how many ended. */
export async function deleteAllSessions(sql: Sql): Promise<number> {
  const rows = await sql.query({ text: "DELETE FROM sessions RETURNING 1" });
  return rows.length;
}

export async function deleteExpiredSessions(sql: Sql, now: Date): Promise<void> {
  await sql.query({ text: "DELETE FROM sessions WHERE expires_at <= $1::timestamptz", params: [now.toISOString()] });
}

export interface LiveSession {
  userId: string | null;
  /** The user's row, joined; null for the admin token's sessions. */
  user: { id: string; email: string; role: string; canExport: boolean } | null;
}

/**
 * A live session and its user, in one prepared lookup (every authenticated request makes it). A
 * session whose user was removed is not live.
 */
export async function findLiveSession(sql: Sql, id: string, now: Date): Promise<LiveSession | null> {
  const [row] = await sql.query<{ user_id: string | null; email: string | null; role: string | null; can_export: boolean | null }>({
    name: "session_live_user",
    text: `SELECT s.user_id, u.email, u.role, u.can_export FROM sessions s LEFT JOIN users u ON u.id = s.user_id
           WHERE s.id = $1 AND s.expires_at > $2::timestamptz`,
    params: [id, now.toISOString()],
  });
  if (!row) return null;
  if (row.user_id === null) return { userId: null, user: null };
  if (row.email === null) return null;
  return { userId: row.user_id, user: { id: row.user_id, email: row.email, role: row.role!, canExport: row.can_export === true } };
}

export interface SessionRow {
  id: string;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Live sessions, of one user (null: the admin token's) or of everyone (undefined). */
export async function listLiveSessions(sql: Sql, now: Date, userId?: string | null): Promise<SessionRow[]> {
  const rows = await sql.query<{ id: string; user_id: string | null; created_at: Date | string; expires_at: Date | string }>({
    text: `SELECT id, user_id, created_at, expires_at FROM sessions WHERE expires_at > $1::timestamptz
           ${userId === undefined ? "" : userId === null ? "AND user_id IS NULL" : "AND user_id = $2"} ORDER BY created_at DESC`,
    params: userId ? [now.toISOString(), userId] : [now.toISOString()],
  });
  return rows.map((r) => ({ id: r.id, userId: r.user_id, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at) }));
}

export async function deleteUserSessions(sql: Sql, userId: string): Promise<number> {
  return (await sql.query({ text: "DELETE FROM sessions WHERE user_id = $1 RETURNING 1", params: [userId] })).length;
}
