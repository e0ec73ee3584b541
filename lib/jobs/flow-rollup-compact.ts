/**
 * Folds the analytics rollups' deltas (flow_rollup and the all-jobs rollups kept with it; issue 17,
 * README "Pipeline analytics" → Speed) every minute when there are enough of them: ingest appends a
 * few per batch, and an analytics read also folds them before reading, but without reads they would
 * pile up. One instance folds at a time (an advisory lock in
 * compact_flow_rollup); the others return at once. Not paused during ingest bursts: that is when
 * deltas pile up, and a fold costs about what the burst wrote since the last one.
 */
import { compactFlowRollupIfNeeded } from "../db/analytics";
import type { Sql } from "../db/sql";
import { errorMessage, logEvent } from "../log";

export function startFlowRollupCompaction(getSql: () => Sql, options: { everyMs?: number } = {}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await compactFlowRollupIfNeeded(getSql());
    } catch (error) {
      logEvent("warn", "flow rollup compaction failed", { error: errorMessage(error) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.everyMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
