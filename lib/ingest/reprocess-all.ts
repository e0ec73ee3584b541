import { countDeliveriesForReprocess, deleteEmptyCandidates, listDeliveriesForReprocess } from "../db/deliveries";
import { errorMessage } from "../log";
import type { DbHandles } from "./process-delivery";
import { processDeliveries } from "./ingest-queue";

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
export async function reprocessAll(db: DbHandles, options: ReprocessAllOptions = {}): Promise<ReprocessAllResult> {
  const { prisma } = db;
  const batchSize = options.batchSize ?? 200;
  const total = await countDeliveriesForReprocess(prisma);
  const result: ReprocessAllResult = { done: 0, total, failed: 0, byStatus: {}, errors: [], removedCandidates: 0 };
  let after: { receivedAt: Date; id: string } | null = null;
  for (;;) {
    const batch = await listDeliveriesForReprocess(prisma, after, batchSize);
    if (batch.length === 0) break;
    // One page is saved as one batch (a delivery the database refuses is retried alone, and fails alone).
    const settled = await processDeliveries(db.sql, batch);
    settled.forEach((s, i) => {
      if (s.ok) {
        result.byStatus[s.value.status] = (result.byStatus[s.value.status] ?? 0) + 1;
      } else {
        result.failed++;
        if (result.errors.length < 100) result.errors.push({ deliveryId: batch[i].id, error: errorMessage(s.error) });
      }
      result.done++;
    });
    after = batch.at(-1)!;
    options.onProgress?.({ done: result.done, total: Math.max(total, result.done), failed: result.failed });
  }
  result.removedCandidates = await deleteEmptyCandidates(prisma);
  return result;
}
