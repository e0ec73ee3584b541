import type { Sql } from "./sql";

export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** Appends one entry; the table refuses UPDATE, DELETE and TRUNCATE (migration audit_log_append_only). */
export async function insertAuditEntry(sql: Sql, entry: AuditInput, now = new Date()): Promise<void> {
  await sql.query({
    name: "audit_insert",
    text: "INSERT INTO audit_log (at, actor, action, target, details) VALUES ($1::timestamptz, $2, $3, $4, $5::jsonb)",
    params: [now.toISOString(), entry.actor, entry.action, entry.target ?? null, JSON.stringify(entry.details ?? {})],
  });
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Entries with a smaller id than this (newest first). */
  before?: bigint;
  limit: number;
}

/** Newest first. `actor` matches a substring (an email finds the user and their tokens); `action` a prefix. */
export async function listAuditEntries(sql: Sql, filter: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: (n: number) => string, value: string | number) => {
    params.push(value);
    where.push(clause(params.length));
  };
  if (filter.actor) add((n) => `strpos(lower(actor), lower($${n})) > 0`, filter.actor);
  if (filter.action) add((n) => `starts_with(action, $${n})`, filter.action);
  if (filter.from) add((n) => `at >= $${n}::timestamptz`, filter.from.toISOString());
  if (filter.to) add((n) => `at < $${n}::timestamptz`, filter.to.toISOString());
  if (filter.before !== undefined) add((n) => `id < $${n}::bigint`, filter.before.toString());
  params.push(filter.limit);
  const rows = await sql.query<{ id: string | number | bigint; at: Date | string; actor: string; action: string; target: string | null; details: unknown }>({
    text: `SELECT id, at, actor, action, target, details FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
           ORDER BY id DESC LIMIT $${params.length}`,
    params,
  });
  return rows.map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: (typeof r.details === "string" ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
  }));
}
