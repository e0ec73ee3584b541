import type { Sql } from "./sql";

/** Session rows by the SHA-256 of the cookie's secret; see prisma/schema.prisma (Session). */
export async function insertSession(sql: Sql, session: { id: string; userId: string | null; expiresAt: Date }): Promise<void> {
  await sql.query({
    text: "INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, $3::timestamptz)",
    params: [session.id, session.userId, session.expiresAt.toISOString()],
  });
}

/** Read on every authenticated page and API request, hence one prepared primary-key lookup. */
export async function isSessionLive(sql: Sql, id: string, now: Date): Promise<boolean> {
  const rows = await sql.query({
    name: "session_live",
    text: "SELECT 1 FROM sessions WHERE id = $1 AND expires_at > $2::timestamptz",
    params: [id, now.toISOString()],
  });
  return rows.length > 0;
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
