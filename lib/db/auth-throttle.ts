import type { Sql } from "./sql";

/** When a key's next credential may be looked at (null: no recent failures). */
export async function getBlockedUntil(sql: Sql, key: string): Promise<Date | null> {
  const [row] = await sql.query<{ blocked_until: Date | string }>({
    name: "auth_throttle_read",
    text: "SELECT blocked_until FROM auth_throttle WHERE key = $1",
    params: [key],
  });
  return row ? new Date(row.blocked_until) : null;
}

export interface RecordFailureOptions {
  key: string;
  now: Date;
  /** Failures older than this are forgotten: the count starts again at 1. */
  forgetBefore: Date;
  /** The block after the n-th failure, in milliseconds. */
  delayMs: (failures: number) => number;
}

/**
 * Counts a failure, atomically and only when the key is not blocked: concurrent failures of one
 * key queue on its row, so each sees the block the one before it set. Returns the failure count,
 * or null when the key was blocked (the attempt must be refused without counting).
 */
export async function recordFailure(sql: Sql, options: RecordFailureOptions): Promise<{ failures: number; blockedUntil: Date } | null> {
  const { key, now } = options;
  return sql.transaction(async (tx) => {
    await tx.query({
      text: "INSERT INTO auth_throttle (key, failures, last_failure_at, blocked_until) VALUES ($1, 0, $2::timestamptz, $2::timestamptz) ON CONFLICT (key) DO NOTHING",
      params: [key, now.toISOString()],
    });
    const [row] = await tx.query<{ failures: number; last_failure_at: Date | string; blocked_until: Date | string }>({
      text: "SELECT failures, last_failure_at, blocked_until FROM auth_throttle WHERE key = $1 FOR UPDATE",
      params: [key],
    });
    if (new Date(row.blocked_until) > now) return null;
    const failures = new Date(row.last_failure_at) < options.forgetBefore ? 1 : row.failures + 1;
    const blockedUntil = new Date(now.getTime() + options.delayMs(failures));
    await tx.query({
      text: "UPDATE auth_throttle SET failures = $2, last_failure_at = $3::timestamptz, blocked_until = $4::timestamptz WHERE key = $1",
      params: [key, failures, now.toISOString(), blockedUntil.toISOString()],
    });
    return { failures, blockedUntil };
  });
}

export async function clearFailures(sql: Sql, key: string): Promise<void> {
  await sql.query({ text: "DELETE FROM auth_throttle WHERE key = $1", params: [key] });
}

export async function deleteStaleThrottles(sql: Sql, before: Date): Promise<void> {
  await sql.query({ text: "DELETE FROM auth_throttle WHERE last_failure_at < $1::timestamptz AND blocked_until < $1::timestamptz", params: [before.toISOString()] });
}
