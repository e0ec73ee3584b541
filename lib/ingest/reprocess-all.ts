import type { PrismaClient } from "../db/generated/client";
import { countDeliveriesForReprocess, deleteEmptyCandidates, listDeliveriesForReprocess } from "../db/deliveries";
import { errorMessage } from "../log";
import { processDelivery } from "./process-delivery";

export interface ReprocessProgress {
  done: number;
  total: number;
  failed: number;
}

export interface ReprocessAllOptions {
  batchSize?: number;
  onProgress?: (progress: ReprocessProgress) => void;
}

export interface ReprocessAllResult extends ReprocessProgress {
  byStatus: Record<string, number>;
  errors: { deliveryId: string; error: string }[];
  removedCandidates: number;
}

/**
 * Rebuilds every normalized event and candidate history from the stored raw deliveries, after a
 * mapping change. Each delivery's events are replaced in place (deterministic event ids), so running
 * it twice changes nothing, and the result equals fresh ingestion of the same deliveries.
 */
export async function reprocessAll(prisma: PrismaClient, options: ReprocessAllOptions = {}): Promise<ReprocessAllResult> {
  const batchSize = options.batchSize ?? 200;
  const total = await countDeliveriesForReprocess(prisma);
  const result: ReprocessAllResult = { done: 0, total, failed: 0, byStatus: {}, errors: [], removedCandidates: 0 };
  let after: { receivedAt: Date; id: string } | null = null;
  for (;;) {
    const batch = await listDeliveriesForReprocess(prisma, after, batchSize);
    if (batch.length === 0) break;
    for (const delivery of batch) {
      try {
        const outcome = await processDelivery(prisma, delivery);
        result.byStatus[outcome.status] = (result.byStatus[outcome.status] ?? 0) + 1;
      } catch (error) {
        result.failed++;
        if (result.errors.length < 100) result.errors.push({ deliveryId: delivery.id, error: errorMessage(error) });
      }
      result.done++;
    }
    after = batch.at(-1)!;
    options.onProgress?.({ done: result.done, total: Math.max(total, result.done), failed: result.failed });
  }
  result.removedCandidates = await deleteEmptyCandidates(prisma);
  return result;
}
