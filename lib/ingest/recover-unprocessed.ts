import type { PrismaClient } from "../db/generated/client";
import { getDeliveryForProcessing, listUnprocessedDeliveryIds } from "../db/deliveries";
import { isConnectionError } from "../db/connection-errors";
import { errorMessage, logEvent } from "../log";
import { markProcessingFailed, processDelivery } from "./process-delivery";

/**
 * Deliveries are committed before they are processed. If the process dies (or the database drops)
 * between the two steps, the delivery stays `received`; this picks such deliveries up again.
 * Grace period: a delivery younger than `graceMs` may still be in flight on another instance.
 */
export async function recoverUnprocessed(prisma: PrismaClient, graceMs = 30_000, batch = 200): Promise<number> {
  const ids = await listUnprocessedDeliveryIds(prisma, new Date(Date.now() - graceMs), batch);
  let recovered = 0;
  for (const id of ids) {
    const delivery = await getDeliveryForProcessing(prisma, id);
    if (!delivery || delivery.status !== "received") continue;
    try {
      await processDelivery(prisma, delivery);
      recovered++;
    } catch (error) {
      // A data error would fail every time: record it, so it cannot block the sweep's batch forever.
      if (!isConnectionError(error)) await markProcessingFailed(prisma, id, error);
      logEvent("warn", "recovery: delivery not processed", { deliveryId: id, error: errorMessage(error) });
    }
  }
  return recovered;
}

export function startRecoveryLoop(getPrisma: () => PrismaClient, everyMs = 30_000): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const n = await recoverUnprocessed(getPrisma());
      if (n > 0) logEvent("info", "recovered unprocessed deliveries", { count: n });
    } catch (error) {
      logEvent("warn", "recovery sweep failed", { error: errorMessage(error) });
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
