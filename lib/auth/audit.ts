import { insertAuditEntry, type AuditInput } from "../db/audit-log";
import type { Sql } from "../db/sql";
import { errorMessage, logEvent } from "../log";

const SECRET_KEY = /password|secret|token/i;

/** Values under secret-looking keys never reach the audit log. */
export function redactDetails(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactDetails);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redactDetails(v)]));
  }
  return value;
}

/**
 * Records who did what. An action that already happened is not undone because its entry could
 * not be written (the database went away in between): that is logged loudly instead.
 */
export async function recordAudit(sql: Sql, entry: AuditInput): Promise<void> {
  try {
    await insertAuditEntry(sql, { ...entry, details: redactDetails(entry.details ?? {}) as Record<string, unknown> });
  } catch (error) {
    logEvent("error", "audit entry not written", { action: entry.action, actor: entry.actor, error: errorMessage(error) });
  }
}
