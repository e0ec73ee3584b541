import { listDeliveries } from "../db/deliveries";
import type { AdminContext } from "../http/admin-route";
import { readQuery } from "../http/admin-route";
import { HttpError } from "../http/errors";
import { reprocessDelivery } from "../ingest/process-delivery";
import { bulkReprocessQuerySchema, listDeliveriesQuerySchema } from "../contracts/requests";

/** One request reprocesses at most this many (the newest matching); a bigger rebuild is POST /api/reprocess. */
export const BULK_REPROCESS_MAX = 1_000;

/**
 * POST /api/deliveries/reprocess?<the log's filters>: reprocesses the filtered deliveries one by
 * one, streaming NDJSON progress (`{"type":"progress","done","total","failed"}`), then the result.
 * Duplicates are skipped, as the single reprocess refuses them.
 */
export async function handleBulkReprocess({ prisma, sql, url, request }: AdminContext<unknown>) {
  const filters = readQuery(url, bulkReprocessQuerySchema);
  if (filters.status === "duplicate") throw new HttpError(400, "invalid_request", "duplicates are not reprocessed; reprocess their originals instead");
  const ids: string[] = [];
  let cursor: { receivedAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listDeliveries({ sql, prisma }, { ...filters, cursor, limit: 200 });
    for (const row of page.rows) if (row.status !== "duplicate" && ids.length < BULK_REPROCESS_MAX) ids.push(row.id);
    const last = page.rows.at(-1);
    if (!page.hasMore || !last || ids.length >= BULK_REPROCESS_MAX) break;
    cursor = { receivedAt: last.receivedAt, id: last.id };
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (value: object) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      const counts = { done: 0, total: ids.length, failed: 0, processed: 0, ignored: 0 };
      try {
        send({ type: "progress", ...counts });
        for (const id of ids) {
          // A closed tab stops the run: what is done stays done.
          if (request.signal.aborted) break;
          const result = await reprocessDelivery({ prisma, sql }, id);
          counts.done++;
          const status = result.found && result.outcome ? result.outcome.status : null;
          if (status === "failed") counts.failed++;
          else if (status === "processed") counts.processed++;
          else if (status === "ignored") counts.ignored++;
          send({ type: "progress", ...counts });
        }
        send({ type: "result", ...counts, capped: ids.length >= BULK_REPROCESS_MAX });
      } catch (error) {
        send({ type: "error", message: error instanceof Error ? error.message : String(error), ...counts });
      }
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}
