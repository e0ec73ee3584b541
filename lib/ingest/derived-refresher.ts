import { refreshAnalyticsBacklog } from "../db/analytics-refresh";
import { linkQueuedPeople } from "../db/people-link";
import type { Sql } from "../db/sql";
import { errorMessage, logEvent } from "../log";

export interface DerivedRefresherOptions {
  /** Ingest quiet this long (nothing waiting, storing or processing) before a refresh starts. */
  idleMs: number;
  /** Past this, the oldest unrefreshed save is refreshed even while ingest is busy. */
  maxLagMs: number;
  /** Candidates per transaction (analytics) and records per link call (People): how long a round holds their rows and the connection. */
  roundSize: number;
}

/**
 * What the ingest queue's saves leave for later: the analytics summaries (analytics_refresh_queue)
 * and People linking (people_link_queue), both queued by each batch's save in its transaction, done
 * when ingest leaves room for them: once it has been quiet for `idleMs`, or, under load that never
 * pauses, once the oldest save waiting is `maxLagMs` old. A burst of webhooks is answered and stored
 * at the speed of the save alone; the Analytics page and People follow it when the burst ends
 * (README "Pipeline analytics" and "People": what they then show equals a full recompute, and how
 * far behind they can be). Many candidates at once also cost less per candidate than each batch's
 * few (one call, one set of rollup statements, one people refresh).
 *
 * Each round is one transaction of refresh_analytics_queue_backlog, then one of link_people_queued;
 * both take any queued candidates, this instance's or another's (the analytics round locks its
 * candidates, People takes its queue rows with SKIP LOCKED and email-key locks), so instances never
 * write one candidate's summaries out of order. What a crash leaves queued is taken by the next
 * round of any instance, or by the recovery loop.
 */
export class DerivedRefresher {
  /** When the oldest save not yet refreshed was noted; null: nothing known to be waiting. */
  private pendingSince: number | null = null;
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the timer fires (a lag timer set while busy is brought forward once ingest is quiet). */
  private timerDue = 0;

  constructor(
    private readonly sql: Sql,
    /** How long ingest has had nothing waiting, storing or processing (0: busy now). */
    private readonly ingestQuietMs: () => number,
    private readonly options: DerivedRefresherOptions,
  ) {}

  /** A batch was saved: its candidates are queued. */
  noteSaved(): void {
    this.pendingSince ??= Date.now();
    this.schedule();
  }

  /** Ingest went quiet: a refresh may start after `idleMs` of it. */
  noteIdle(): void {
    this.schedule();
  }

  /** Refreshes everything queued now, busy or not (IngestQueue.settled, tests). */
  async drain(): Promise<void> {
    for (;;) {
      if (this.running) {
        await this.running;
        continue;
      }
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.running = this.rounds(true).finally(() => {
        this.running = null;
      });
      await this.running;
      if (this.pendingSince === null) return;
    }
  }

  private lagMs(): number {
    return this.pendingSince === null ? 0 : Date.now() - this.pendingSince;
  }

  private schedule(): void {
    if (this.running || this.pendingSince === null) return;
    const quiet = this.ingestQuietMs();
    const wait = quiet >= this.options.idleMs ? 0 : Math.min(this.options.idleMs - quiet, Math.max(0, this.options.maxLagMs - this.lagMs()));
    if (this.timer) {
      if (this.timerDue <= Date.now() + wait) return;
      clearTimeout(this.timer);
    }
    this.timerDue = Date.now() + wait;
    this.timer = setTimeout(() => {
      this.timer = null;
      // Not quiet long enough and not yet lagging: wait on.
      if (this.ingestQuietMs() < this.options.idleMs && this.lagMs() < this.options.maxLagMs) return this.schedule();
      this.running = this.rounds(false).finally(() => {
        this.running = null;
        this.schedule();
      });
    }, wait);
    this.timer.unref?.();
  }

  /**
   * Rounds until the queue is empty, or (not draining) until ingest is busy again while the lag is
   * under the limit. Saves noted meanwhile start a new lag clock only once this one caught up.
   */
  private async rounds(draining: boolean): Promise<void> {
    const since = this.pendingSince;
    this.pendingSince = null;
    try {
      for (;;) {
        const analytics = await refreshAnalyticsBacklog(this.sql, null, this.options.roundSize);
        const people = await linkQueuedPeople(this.sql, null, this.options.roundSize);
        if (analytics < this.options.roundSize && people < this.options.roundSize) return;
        // Let requests that arrived during the round reach the ingest queue before asking whether it
        // is quiet: on PGlite a round blocks the event loop, so without this it always looked quiet.
        await new Promise((resolve) => setImmediate(resolve));
        if (!draining && this.ingestQuietMs() < this.options.idleMs && (since === null || Date.now() - since < this.options.maxLagMs)) {
          this.pendingSince = Math.min(this.pendingSince ?? Infinity, since ?? Date.now());
          return;
        }
      }
    } catch (error) {
      // Left queued: the next round (or the recovery loop) takes it.
      this.pendingSince = Math.min(this.pendingSince ?? Infinity, since ?? Date.now());
      logEvent("warn", "analytics refresh or People linking failed; retried on the next round", { error: errorMessage(error) });
      if (draining) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000).unref?.());
    }
  }
}
