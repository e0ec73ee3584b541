/**
 * The ingest path's counters, called by the ingest queue and the recovery sweep once per batch.
 * Per delivery: one histogram observation and, after processing, one counter increment.
 */
import { getMetrics } from "./metrics";

interface Received {
  delivery: { provider: string; receivedAt: Date };
}

type Result<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A batch stored: the store latency of each, and the duplicates (which are not processed). */
export function observeStored(batch: readonly Received[], results: readonly Result<{ duplicateOf: string | null }>[]): void {
  const m = getMetrics();
  const now = Date.now();
  for (let i = 0; i < batch.length; i++) {
    const result = results[i];
    if (!result?.ok) continue;
    m.storeSeconds.observe((now - batch[i].delivery.receivedAt.getTime()) / 1000);
    if (result.value.duplicateOf) m.deliveries.inc({ provider: batch[i].delivery.provider, outcome: "duplicate" });
  }
}

/** A batch processed: each delivery's outcome, and the processing latency of those saved. */
export function observeProcessed(batch: readonly Received[], results: readonly Result<{ status: string }>[]): void {
  const m = getMetrics();
  const now = Date.now();
  for (let i = 0; i < batch.length; i++) {
    const result = results[i];
    const { provider, receivedAt } = batch[i].delivery;
    if (!result?.ok) {
      m.deliveries.inc({ provider, outcome: "error" });
      continue;
    }
    m.processSeconds.observe((now - receivedAt.getTime()) / 1000);
    m.deliveries.inc({ provider, outcome: result.value.status });
  }
}
