/**
 * The Prometheus metrics of one app instance (prom-client), served at `GET /metrics`
 * (lib/http/metrics-handler.ts). Counters and histograms are updated where things happen, in
 * memory: an increment or an observation, no I/O, nothing allocated per delivery beyond what the
 * library does. Gauges that describe state (queue depth, pool, recovery backlog) are read when
 * Prometheus scrapes, so they cost nothing in between.
 *
 * One set per process, kept on `globalThis`: the custom server (scripts/serve.ts, which takes the
 * webhooks and serves /metrics) and Next.js's bundle (which runs the recovery sweep from
 * instrumentation.ts) each load their own copy of this module, and both must count into the same
 * metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Seconds: from a few milliseconds (a delivery stored in one batch) to the recovery sweep's minutes. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Reads what the state gauges report; set by the server once the database is open. */
export interface MetricsSources {
  /** Deliveries in this instance's ingest queue, waiting to be stored and stored but not yet processed. */
  queueDepth?: () => { waiting: number; unprocessed: number };
  /** The PostgreSQL pool of this instance (absent on PGlite). */
  pool?: () => { total: number; idle: number; waiting: number } | null;
  /** Deliveries stored but not processed after the recovery sweep's grace period (the whole cluster's). */
  recoveryBacklog?: () => Promise<number>;
  /** Candidates saved but not yet refreshed (analytics) or linked (people), and the oldest's age (the whole cluster's). */
  derivedBacklog?: () => Promise<{ kind: "analytics" | "people"; candidates: number; oldestSeconds: number }[]>;
}

function createMetrics() {
  const registry = new Registry();
  const sources: MetricsSources = {};
  // Both backlog gauges read one query per scrape: the registry collects its metrics at once, so the
  // second collect finds the first one's read in flight and awaits it.
  let backlogRead: ReturnType<NonNullable<MetricsSources["derivedBacklog"]>> | null = null;
  const readBacklog = () =>
    (backlogRead ??= (sources.derivedBacklog?.() ?? Promise.resolve([])).finally(() => {
      backlogRead = null;
    }));
  const derivedBacklog = new Gauge({
    name: "derived_backlog_candidates",
    help: "Candidates whose analytics summaries (kind analytics) or People linking (kind people) wait for the refresher after their save (whole cluster; capped at 100,000)",
    labelNames: ["kind"] as const,
    registers: [registry],
    async collect() {
      const rows = await readBacklog().catch(() => null);
      for (const r of rows ?? []) this.set({ kind: r.kind }, r.candidates);
    },
  });
  const derivedLag = new Gauge({
    name: "derived_backlog_oldest_seconds",
    help: "Age of the oldest candidate waiting in derived_backlog_candidates (0 when none): how far the Analytics page and People are behind ingest",
    labelNames: ["kind"] as const,
    registers: [registry],
    async collect() {
      const rows = await readBacklog().catch(() => null);
      for (const r of rows ?? []) this.set({ kind: r.kind }, r.oldestSeconds);
    },
  });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    sources,
    deliveries: new Counter({
      name: "webhook_deliveries_total",
      help: "Webhook deliveries stored, by provider and outcome (processed, ignored, failed, duplicate; error: not processed, left to the recovery sweep)",
      labelNames: ["provider", "outcome"] as const,
      registers: [registry],
    }),
    refused: new Counter({
      name: "webhook_refused_total",
      help: "Webhook requests refused without storing anything, by reason (the answer's error)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    storeSeconds: new Histogram({
      name: "webhook_store_seconds",
      help: "Ingest latency: from a delivery's receipt to its raw row committed",
      buckets: latencyBuckets,
      registers: [registry],
    }),
    processSeconds: new Histogram({
      name: "webhook_processing_seconds",
      help: "Processing latency: from a delivery's receipt to its events committed (recovered deliveries included)",
      buckets: latencyBuckets,
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP requests by route (path pattern), method and status class, from arrival to the last byte of the answer",
      labelNames: ["route", "method", "status"] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    queue: new Gauge({
      name: "ingest_queue_deliveries",
      help: "Deliveries in this instance's ingest queue: waiting to be stored, or stored and waiting to be processed",
      labelNames: ["stage"] as const,
      registers: [registry],
      collect() {
        const depth = sources.queueDepth?.();
        if (!depth) return;
        this.set({ stage: "waiting" }, depth.waiting);
        this.set({ stage: "unprocessed" }, depth.unprocessed);
      },
    }),
    pool: new Gauge({
      name: "db_pool_connections",
      help: "This instance's PostgreSQL pool: connections in use, idle, and requests waiting for one",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        const pool = sources.pool?.();
        if (!pool) return;
        this.set({ state: "in_use" }, pool.total - pool.idle);
        this.set({ state: "idle" }, pool.idle);
        this.set({ state: "waiting" }, pool.waiting);
      },
    }),
    recoveryBacklog: new Gauge({
      name: "recovery_backlog_deliveries",
      help: "Deliveries stored but still unprocessed after the recovery sweep's 30 s grace period (whole cluster; capped at 100,000)",
      registers: [registry],
      async collect() {
        // The database not answering must not fail the scrape: the gauge keeps its last value,
        // and the health check and the pool gauges tell the story.
        const n = await sources.recoveryBacklog?.().catch(() => null);
        if (typeof n === "number") this.set(n);
      },
    }),
    derivedBacklog,
    derivedLag,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as unknown as { candidateHistoryMetrics?: Metrics };

export function getMetrics(): Metrics {
  globalForMetrics.candidateHistoryMetrics ??= createMetrics();
  return globalForMetrics.candidateHistoryMetrics;
}
