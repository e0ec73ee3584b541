/**
 * The delivery log CSV: columns, row mapper and the streamed export (keyset pages, newest first).
 * Never secrets: credential-like headers (lib/auth/credential-headers.ts) are left out. The body is exported only when asked (`?body=1`), decoded as UTF-8 (invalid bytes
 * become U+FFFD, as the delivery panel shows them).
 */
import { isCredentialHeader } from "../auth/credential-headers";
import { formatHeader, formatRow, isoCell, rawCell, type Cell } from "./writer";

export const DELIVERY_COLUMNS = [
  "delivery_id",
  "received_at",
  "provider",
  "endpoint",
  "method",
  "query",
  "content_type",
  "status",
  "error",
  "event_type",
  "event_count",
  "duplicate_of",
  "idempotency_key",
  "idempotency_source",
  "processed_at",
  "process_count",
  "body_sha256",
  "body_bytes",
  "schema_drift",
  "headers",
] as const;

export interface ExportDelivery {
  id: string;
  endpointId: string;
  endpointName: string | null;
  provider: string;
  receivedAt: Date;
  method: string;
  query: string;
  contentType: string | null;
  status: string;
  error: string | null;
  eventType: string | null;
  eventCount: number;
  duplicateOfId: string | null;
  idempotencyKey: string;
  idempotencySource: string;
  processedAt: Date | null;
  processCount: number;
  bodySha256: string;
  bodyBytes: number;
  schemaDrift: unknown;
  headers: unknown;
  /** Present only when the body was asked for. */
  body?: Uint8Array | null;
}

export function exportableHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) return out;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (isCredentialHeader(name)) continue; // not even redacted: the column lists what is safe to share
    out[name] = String(value);
  }
  return out;
}

export function deliveryColumns(withBody: boolean): readonly string[] {
  return withBody ? [...DELIVERY_COLUMNS, "body"] : DELIVERY_COLUMNS;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export function deliveryCsvRow(d: ExportDelivery, withBody: boolean): string {
  const cells: Cell[] = [
    d.id,
    isoCell(d.receivedAt),
    d.provider,
    d.endpointName ?? d.endpointId,
    d.method,
    d.query,
    d.contentType,
    d.status,
    d.error,
    d.eventType,
    rawCell(d.eventCount),
    d.duplicateOfId,
    d.idempotencyKey,
    d.idempotencySource,
    isoCell(d.processedAt),
    rawCell(d.processCount),
    d.bodySha256,
    rawCell(d.bodyBytes),
    d.schemaDrift === null || d.schemaDrift === undefined ? null : JSON.stringify(d.schemaDrift),
    JSON.stringify(exportableHeaders(d.headers)),
  ];
  if (withBody) cells.push(d.body ? utf8.decode(d.body) : null);
  return formatRow(cells);
}

export interface DeliveryKey {
  receivedAt: Date;
  id: string;
}

export interface DeliveryExportSource {
  page(cursor: DeliveryKey | null, take: number): Promise<ExportDelivery[]>;
}

export async function* deliveryCsvChunks(
  source: DeliveryExportSource,
  options: { withBody: boolean; pageSize?: number; signal?: AbortSignal; onPage?: (info: { page: number; rows: number }) => void },
): AsyncGenerator<string, void, undefined> {
  // Bodies are up to 1 MiB each: smaller pages keep memory bounded.
  const pageSize = options.pageSize ?? (options.withBody ? 100 : 1_000);
  let prefix = formatHeader(deliveryColumns(options.withBody));
  let cursor: DeliveryKey | null = null;
  for (let page = 1; ; page++) {
    if (options.signal?.aborted) return;
    const rows = await source.page(cursor, pageSize);
    options.onPage?.({ page, rows: rows.length });
    if (rows.length === 0) break;
    let text = prefix;
    prefix = "";
    for (const d of rows) text += deliveryCsvRow(d, options.withBody);
    yield text;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    cursor = { receivedAt: last.receivedAt, id: last.id };
  }
  if (prefix) yield prefix;
}
