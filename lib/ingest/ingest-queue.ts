import { isConnectionError } from "../db/connection-errors";
import { storeDeliveries, storeDelivery, type NewDelivery } from "../db/deliveries";
import { afterSave, saveProcessingBatch } from "../db/events";
import { DerivedRefresher, type DerivedRefresherOptions } from "./derived-refresher";
import type { ProcessingOutcome } from "./outcome";
import type { Sql } from "../db/sql";
import { newId } from "../ids";
import { observeProcessed, observeStored } from "../metrics/ingest-metrics";
import { countIngested } from "./ingest-load";
import { applyAnonymizations } from "../erasure/anonymize";
import { normalizeDelivery, type StoredDelivery } from "./process-delivery";

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `all` for the whole batch; if that fails for a reason other than the connection, runs `one`
 * per item, so an item the database refuses fails alone and never takes its batch-mates with it.
 */
async function withFallback<I, T>(items: I[], all: (items: I[]) => Promise<T[]>, one: (item: I) => Promise<T>): Promise<Settled<T>[]> {
  try {
    return (await all(items)).map((value) => ({ ok: true, value }));
  } catch (error) {
    if (items.length === 1 || isConnectionError(error)) return items.map(() => ({ ok: false, error }));
  }
  const results: Settled<T>[] = [];
  for (const item of items) {
    try {
      results.push({ ok: true, value: await one(item) });
    } catch (error) {
      results.push({ ok: false, error });
    }
  }
  return results;
}

/**
 * Normalizes (pure CPU) and saves a batch of stored deliveries in one transaction of fixed
 * statements, then refreshes its candidates' analytics summaries and links their People
 * (afterSave in lib/db/events.ts): what reprocessing and the recovery sweep use. The ingest queue
 * saves only (saveDeliveries) and leaves the rest to its DerivedRefresher.
 */
export async function processDeliveries(
  sql: Sql,
  deliveries: StoredDelivery[],
): Promise<Settled<ProcessingOutcome>[]> {
  const { settled, afterSave } = await saveDeliveries(sql, deliveries);
  await afterSave();
  return settled;
}

/**
 * The first part of processDeliveries: the batch's events saved (and its anonymizations applied);
 * its candidates are queued for the analytics refresh and People linking, and the step that does
 * them right away (afterSave) is handed back to run if the caller wants it.
 */
export async function saveDeliveries(
  sql: Sql,
  deliveries: StoredDelivery[],
): Promise<{ settled: Settled<ProcessingOutcome>[]; afterSave: () => Promise<void> }> {
  const items = deliveries.map((delivery) => ({ delivery, outcome: normalizeDelivery(delivery) }));
  const save = async (batch: typeof items) => {
    // The saved outcomes: a delivery about an erased candidate comes back `ignored` (reason `erased`).
    const { outcomes, anonymized } = await saveProcessingBatch(sql, batch, () => newId("cand"), { afterSave: false });
    await applyAnonymizations(sql, batch.map((item, i) => ({ provider: item.delivery.provider, outcome: outcomes[i] })), anonymized);
    return outcomes;
  };
  const settled = await withFallback(items, save, async (item) => (await save([item]))[0]);
  return { settled, afterSave: () => afterSave(sql, items.filter((_, i) => settled[i].ok)) };
}

export type IncomingStored = NewDelivery & StoredDelivery;

/** How a queued delivery was stored; `processing` settles once its events are committed. */
export type StoreAnswer = { duplicateOf: string } | { duplicateOf: null; processing: Promise<ProcessingOutcome> };

export interface IngestQueueOptions {
  /** Store batches in the database at once (beside them, one processing batch at a time). */
  concurrency: number;
  maxBatch: number;
  maxBatchBytes: number;
  /** Bodies held while waiting; beyond it `submit` declines (the caller stores the delivery alone). */
  maxQueuedBytes: number;
  /**
   * How long a batch waits to start once there is room for it: 0 waits for the event loop to take
   * in what is already on the sockets (setImmediate); more gathers bigger batches at a latency cost.
   */
  lingerMs: number;
  /** When saved batches' analytics summaries and People are done (DerivedRefresher). */
  derived?: DerivedRefresherOptions;
}

interface Waiting {
  delivery: IncomingStored;
  resolve: (answer: StoreAnswer) => void;
  reject: (error: unknown) => void;
}

interface Unprocessed {
  delivery: IncomingStored;
  settle: (result: Settled<ProcessingOutcome>) => void;
}

/** The first items of `list`, up to `maxBatch` and `maxBatchBytes` of bodies (at least one). */
function firstBatch<T>(list: T[], body: (item: T) => Uint8Array, options: IngestQueueOptions): { n: number; bytes: number } {
  let bytes = 0;
  let n = 0;
  while (n < list.length && n < options.maxBatch && (n === 0 || bytes + body(list[n]).byteLength <= options.maxBatchBytes)) {
    bytes += body(list[n]).byteLength;
    n++;
  }
  return { n, bytes };
}

/**
 * Group commit for ingest, in two stages. Deliveries arriving together are stored with one
 * statement (committed: the raw deliveries are safe before anything is parsed); stored deliveries
 * are then normalized and saved with one call, one processing batch at a time. The stages overlap:
 * while a batch is being processed, the next one is stored, and whatever was stored meanwhile is
 * processed together. Per delivery that is a fraction of a statement under load, and at low load a
 * batch is one delivery and nothing waits.
 */
export class IngestQueue {
  private waiting: Waiting[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private scheduled = false;
  private unprocessed: Unprocessed[] = [];
  private processing = false;
  private readonly refresher: DerivedRefresher;

  constructor(
    private readonly sql: Sql,
    private readonly options: IngestQueueOptions,
  ) {
    this.refresher = new DerivedRefresher(sql, () => (this.busy() ? 0 : Date.now() - this.lastBusyAt), options.derived ?? { idleMs: 25, maxLagMs: 30_000, roundSize: 100 });
  }

  /** When ingest was last busy: a delivery submitted, a batch stored or processed. */
  private lastBusyAt = 0;

  /** Anything waiting, being stored or processed. */
  private busy(): boolean {
    const busy = this.waiting.length > 0 || this.inFlight > 0 || this.unprocessed.length > 0 || this.processing;
    if (busy) this.lastBusyAt = Date.now();
    return busy;
  }

  depth = () => ({ waiting: this.waiting.length, unprocessed: this.unprocessed.length });

  /**
   * Resolves once everything submitted so far is stored, processed and through the step after its
   * save (analytics summaries, People): what a reader of those right after a webhook's answer waits
   * for (tests; the answer itself waits for the events only).
   */
  async settled(): Promise<void> {
    for (;;) {
      if (!this.busy()) {
        await this.refresher.drain();
        if (!this.busy()) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Null when the queue is full: nothing was taken, the caller stores the delivery on its own. */
  submit(delivery: IncomingStored): Promise<StoreAnswer> | null {
    countIngested();
    this.lastBusyAt = Date.now();
    const bytes = delivery.body.byteLength;
    if (this.waiting.length > 0 && this.queuedBytes + bytes > this.options.maxQueuedBytes) return null;
    return new Promise<StoreAnswer>((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      this.queuedBytes += bytes;
      this.pump();
    });
  }

  /**
   * Starting a batch the moment one delivery is queued would send the deliveries one by one: the
   * requests already read from the sockets but not yet parsed only reach `submit` on later turns
   * of the event loop (and on PGlite, a batch in progress blocks the loop entirely). So the start
   * waits for those turns. Storing also waits while a full processing batch is already stored and
   * waiting: the database is behind, and the deliveries then wait (bounded) before they are stored.
   */
  private pump(): void {
    if (this.scheduled || this.inFlight >= this.options.concurrency || this.waiting.length === 0) return;
    if (this.unprocessed.length >= this.options.maxBatch) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      this.startBatches();
    };
    if (this.options.lingerMs > 0) setTimeout(start, this.options.lingerMs);
    else setImmediate(start);
  }

  private startBatches(): void {
    while (this.inFlight < this.options.concurrency && this.waiting.length > 0 && this.unprocessed.length < this.options.maxBatch) {
      const { n, bytes } = firstBatch(this.waiting, (w) => w.delivery.body, this.options);
      const batch = this.waiting.splice(0, n);
      this.queuedBytes -= bytes;
      this.inFlight++;
      void this.store(batch).finally(() => {
        this.inFlight--;
        this.lastBusyAt = Date.now();
        this.pump();
      });
    }
  }

  private async store(batch: Waiting[]): Promise<void> {
    const stored = await withFallback(
      batch.map((w) => w.delivery),
      (deliveries) => storeDeliveries(this.sql, deliveries),
      async (delivery) => ({ id: delivery.id, ...(await storeDelivery(this.sql, delivery)) }),
    );
    observeStored(batch, stored);
    batch.forEach((waiting, i) => {
      const result = stored[i];
      if (!result.ok) return waiting.reject(result.error);
      if (result.value.duplicateOf) return waiting.resolve({ duplicateOf: result.value.duplicateOf });
      let settle!: (result: Settled<ProcessingOutcome>) => void;
      const processing = new Promise<ProcessingOutcome>((resolve, reject) => {
        settle = (r) => (r.ok ? resolve(r.value) : reject(r.error));
      });
      // The caller may stop waiting (its answer deadline); the outcome is still saved.
      processing.catch(() => {});
      this.unprocessed.push({ delivery: waiting.delivery, settle });
      waiting.resolve({ duplicateOf: null, processing });
    });
    this.pumpProcessing();
  }

  private pumpProcessing(): void {
    if (this.processing || this.unprocessed.length === 0) return;
    this.processing = true;
    const batch = this.unprocessed.splice(0, firstBatch(this.unprocessed, (u) => u.delivery.body, this.options).n);
    void this.process(batch).finally(() => {
      this.processing = false;
      this.lastBusyAt = Date.now();
      this.pumpProcessing();
      this.pump();
      this.refresher.noteIdle();
    });
  }

  private async process(batch: Unprocessed[]): Promise<void> {
    const settle = (outcomes: Settled<ProcessingOutcome>[]) => {
      observeProcessed(batch, outcomes);
      batch.forEach((u, i) => u.settle(outcomes[i]));
    };
    let saved: Awaited<ReturnType<typeof saveDeliveries>>;
    try {
      saved = await saveDeliveries(this.sql, batch.map((u) => u.delivery));
    } catch (error) {
      return settle(batch.map(() => ({ ok: false, error })));
    }
    settle(saved.settled);
    // The save queued the batch's candidates for the analytics refresh and People linking, which
    // wait for ingest to leave room (DerivedRefresher): the save is the one part of ingest that runs
    // a batch at a time, and the answers wait for it alone.
    this.refresher.noteSaved();
  }
}

const queues = new WeakMap<Sql, IngestQueue>();

/** IngestQueue.settled for the database handle's queue, if it has one. */
export async function ingestSettled(sql: Sql): Promise<void> {
  await queues.get(sql)?.settled();
}

/** One queue per database handle (tests open several databases in one process). */
export function ingestQueueFor(sql: Sql, kind: "postgres" | "pglite"): IngestQueue {
  let queue = queues.get(sql);
  if (!queue) {
    queue = new IngestQueue(sql, {
      // PGlite runs one statement at a time anyway; on PostgreSQL two store batches overlap their round
      // trips. One, or two processing batches at once, made no difference (measured with bench/ingest).
      concurrency: kind === "postgres" ? 2 : 1,
      maxBatch: 200,
      maxBatchBytes: 8 * 1024 * 1024,
      maxQueuedBytes: 64 * 1024 * 1024,
      // PGlite's batch blocks the event loop while it runs: 2 ms lets the requests behind it arrive.
      lingerMs: kind === "postgres" ? 0 : 2,
      // PGlite has one connection: a round holds it, so its rounds are smaller.
      derived: { idleMs: 25, maxLagMs: 30_000, roundSize: kind === "postgres" ? 100 : 25 },
    });
    queues.set(sql, queue);
  }
  return queue;
}
