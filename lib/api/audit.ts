import { z } from "zod";
import { recordAudit } from "../auth/audit";
import { listAuditEntries, type AuditFilter } from "../db/audit-log";
import { contentDisposition, csvFileName } from "../csv/stream";
import { formatHeader, formatRow, isoCell, rawCell } from "../csv/writer";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { HttpError } from "../http/errors";
import { auditQuerySchema, type AuditQuery } from "../contracts/requests";

/** Most entries one CSV holds: a bigger audit export is asked for by date range. */
export const AUDIT_CSV_MAX_ROWS = 100_000;

function filterOf(query: AuditQuery, limit: number): AuditFilter {
  return {
    actor: query.actor || undefined,
    action: query.action || undefined,
    from: query.from,
    to: query.to,
    before: query.cursor ? BigInt(query.cursor) : undefined,
    limit,
  };
}

/** GET /api/audit (owner): newest first, keyset-paged by id. */
export async function handleListAudit({ sql, url }: AdminContext<object>) {
  const query = readQuery(url, auditQuerySchema);
  const rows = await listAuditEntries(sql, filterOf(query, query.limit + 1));
  const entries = rows.slice(0, query.limit);
  return { entries, nextCursor: rows.length > query.limit ? entries[entries.length - 1]!.id : null };
}

const COLUMNS = ["id", "at", "actor", "action", "target", "details"] as const;

/** GET /api/audit/export.csv (owner): the filtered entries as CSV; the export is itself audited. */
export async function handleExportAudit({ sql, url, principal }: AdminContext<object>) {
  const query = readQuery(url, auditQuerySchema);
  let csv = formatHeader(COLUMNS);
  let rows = 0;
  let before = query.cursor ? BigInt(query.cursor) : undefined;
  for (;;) {
    const page = await listAuditEntries(sql, { ...filterOf(query, 1000), before });
    for (const e of page) csv += formatRow([rawCell(e.id), isoCell(e.at), e.actor, e.action, e.target, JSON.stringify(e.details)]);
    rows += page.length;
    if (rows > AUDIT_CSV_MAX_ROWS) throw new HttpError(413, "too_many_entries", `more than ${AUDIT_CSV_MAX_ROWS} entries match; narrow the from/to range`);
    if (page.length < 1000) break;
    before = BigInt(page[page.length - 1]!.id);
  }
  const filters = Object.fromEntries([...url.searchParams].filter(([k]) => k !== "limit"));
  await recordAudit(sql, { actor: principal.actor, action: "export.audit", details: { filters, rows } });
  return new Response(csv, {
    status: 200,
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": contentDisposition(csvFileName("audit", [query.actor, query.action])), "x-row-count": String(rows) },
  });
}
