import type { Sql } from "./sql";

export interface TokenOwnerRow {
  id: string;
  scopes: string[];
  userId: string | null;
  user: { id: string; email: string; role: string; canExport: boolean } | null;
}

/**
 * A live token by the SHA-256 of its secret, with its owner; a token of a removed user, or past
 * its expiry, is not found. Its last-used time is written at most once a minute.
 */
export async function findLiveToken(sql: Sql, tokenHash: string, now: Date): Promise<TokenOwnerRow | null> {
  const [row] = await sql.query<{ id: string; scopes: string[]; user_id: string | null; email: string | null; role: string | null; can_export: boolean | null; last_used_at: Date | string | null }>({
    name: "api_token_live",
    text: `SELECT t.id, t.scopes, t.user_id, t.last_used_at, u.email, u.role, u.can_export FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id
           WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2::timestamptz)`,
    params: [tokenHash, now.toISOString()],
  });
  if (!row || (row.user_id !== null && row.email === null)) return null;
  if (row.last_used_at === null || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await sql.query({ text: "UPDATE api_tokens SET last_used_at = $2::timestamptz WHERE id = $1", params: [row.id, now.toISOString()] });
  }
  return {
    id: row.id,
    scopes: row.scopes,
    userId: row.user_id,
    user: row.user_id ? { id: row.user_id, email: row.email!, role: row.role!, canExport: row.can_export === true } : null,
  };
}
