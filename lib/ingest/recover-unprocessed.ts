import { getDeliveryForProcessing, listUnprocessedDeliveryIds } from "../db/deliveries";
import { isConnectionError } from "../db/connection-errors";
import { errorMessage, logEvent } from "../log";
import { markProcessingFailed, type DbHandles, type StoredDelivery } from "./process-delivery";
import { processDeliveries } from "./ingest-queue";
import { observeProcessed } from "../metrics/ingest-metrics";

/**
 * Deliveries are committed before they are processed. If the process dies (or the database drops)
 * between the two steps, or ingest was too busy to queue them, the delivery stays `received`; this
 * picks such deliveries up again, a batch at a time. Grace period: a delivery younger than
 * `graceMs` may still be in flight on another instance.
 */
export async function recoverUnprocessed(db: DbHandles, graceMs = 30_000, batch = 200): Promise<number> {
  const ids = await listUnprocessedDeliveryIds(db.prisma, new Date(Date.now() - graceMs), batch);
  const deliveries: StoredDelivery[] = [];
  for (const id of ids) {
    const delivery = await getDeliveryForProcessing(db.prisma, id);
    if (delivery && delivery.status === "received") deliveries.push(delivery);
  }
  const settled = await processDeliveries(db.sql, deliveries);
  observeProcessed(deliveries.map((delivery) => ({ delivery })), settled);
  let recovered = 0;
  for (const [i, s] of settled.entries()) {
    if (s.ok) {
      recovered++;
      continue;
    }
    const id = deliveries[i].id;
    // A data error would fail every time: record it, so it cannot block the sweep's batch forever.
    if (!isConnectionError(s.error)) await markProcessingFailed(db.prisma, id, s.error);
    logEvent("warn", "recovery: delivery not processed", { deliveryId: id, error: errorMessage(s.error) });
  }
  return recovered;
}

/** Every `everyMs`, and straight on while full batches keep coming (a backlog after an overload). */
export function startRecoveryLoop(getDb: () => DbHandles, everyMs = 30_000, batch = 200): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (let rounds = 0; rounds < 50; rounds++) {
        const n = await recoverUnprocessed(getDb(), 30_000, batch);
        if (n > 0) logEvent("info", "recovered unprocessed deliveries", { count: n });
        if (n < batch) break;
      }
    } catch (error) {
      logEvent("warn", "recovery sweep failed", { error: errorMessage(error) });
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
