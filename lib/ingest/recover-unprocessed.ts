import { getDeliveryForProcessing, listUnprocessedDeliveries } from "../db/deliveries";
import { isConnectionError } from "../db/connection-errors";
import type { ProcessingOutcome } from "./outcome";
import { errorMessage, logEvent } from "../log";
import { markProcessingFailed, type DbHandles } from "./process-delivery";
import { processDeliveries } from "./ingest-queue";
import { observeProcessed } from "../metrics/ingest-metrics";
import { refreshAnalyticsBacklog } from "../db/analytics-refresh";
import { linkQueuedPeople } from "../db/people-link";

/**
 * When this process started. A delivery received before it was never in this process's ingest
 * queue: an earlier run (killed, say) stored it, or another instance did. Those need no grace.
 */
export const processStartedAt = new Date(Math.floor(performance.timeOrigin));

/** How long a delivery this process did not receive may still be in another live instance's queue. */
const GRACE_MS = 30_000;
/** Candidates per round of the queued analytics and People sweep (one transaction each). */
const DERIVED_BATCH = 500;

/**
 * Deliveries received before this are fair game for recovery: everything from before this process
 * started (at once, so a restart after a crash recovers in seconds), and anything older than the
 * grace period (another instance that stored it has had time to process it). Processing twice is
 * harmless: save_processing_outcomes locks the delivery row first and derives event ids from the
 * delivery, so a second run replaces the events with the same ones.
 */
export function recoveryCutoff(graceMs = GRACE_MS, now = Date.now()): Date {
  return new Date(Math.max(processStartedAt.getTime(), now - graceMs));
}

/**
 * Deliveries are committed before they are processed. If the process dies (or the database drops)
 * between the two steps, or ingest was too busy to queue them, the delivery stays `received`; this
 * picks such deliveries up again, a batch at a time.
 */
export async function recoverUnprocessed(db: DbHandles, graceMs = GRACE_MS, batch = 200): Promise<number> {
  const deliveries = await listUnprocessedDeliveries(db.prisma, recoveryCutoff(graceMs), batch);
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

/**
 * A provider redelivered `id`, which is stored but still `received`. If this process cannot have it
 * in its own queue (received before it started, or past the grace period), it is processed now and
 * its outcome returned, so the provider's retry after a crash gets a real answer. Null: leave it to
 * whoever holds it (or to the sweep), and answer `duplicate` as usual.
 */
export async function processStaleOriginal(db: DbHandles, id: string): Promise<ProcessingOutcome | null> {
  const original = await getDeliveryForProcessing(db.prisma, id);
  if (!original || original.status !== "received" || original.receivedAt >= recoveryCutoff()) return null;
  const [settled] = await processDeliveries(db.sql, [original]);
  if (settled.ok) return settled.value;
  if (!isConnectionError(settled.error)) await markProcessingFailed(db.prisma, id, settled.error);
  logEvent("warn", "redelivery: stored original not processed", { deliveryId: id, error: errorMessage(settled.error) });
  return null;
}

/**
 * Set on globalThis once a process runs the loop (scripts/serve.ts, before Next.js prepares), so that
 * instrumentation.ts, whose modules are Next's own copies, does not start a second one.
 */
export const RECOVERY_LOOP_STARTED = Symbol.for("candidate-history.recovery-loop-started");

/**
 * At once (what an earlier run left behind), then every `everyMs`, and straight on while full
 * batches keep coming (a backlog after an overload). A failed start-up sweep (the database not up
 * yet) is retried after a second rather than after `everyMs`.
 */
export function startRecoveryLoop(getDb: () => DbHandles, everyMs = GRACE_MS, batch = 200): () => void {
  let running = false;
  let stopped = false;
  let caughtUp = false;
  const sweep = async () => {
    if (running || stopped) return;
    running = true;
    try {
      for (let rounds = 0; rounds < 50; rounds++) {
        const n = await recoverUnprocessed(getDb(), GRACE_MS, batch);
        if (n > 0) logEvent("info", "recovered unprocessed deliveries", { count: n });
        if (n < batch) break;
      }
      // Analytics summaries and People linking a batch's save queued and that were never done (a
      // crash before the ingest queue's refresher got to them, an instance that went away): the same
      // cutoff, so another live instance's own refresher is not raced.
      for (let rounds = 0; rounds < 50; rounds++) {
        const analytics = await refreshAnalyticsBacklog(getDb().sql, recoveryCutoff(GRACE_MS), DERIVED_BATCH);
        const people = await linkQueuedPeople(getDb().sql, recoveryCutoff(GRACE_MS), DERIVED_BATCH);
        if (analytics + people > 0) logEvent("info", "recovered queued analytics and People linking", { candidates: analytics, records: people });
        if (analytics < DERIVED_BATCH && people < DERIVED_BATCH) break;
      }
      caughtUp = true;
    } catch (error) {
      logEvent("warn", "recovery sweep failed", { error: errorMessage(error) });
      if (!caughtUp) setTimeout(() => void sweep(), 1_000).unref();
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
