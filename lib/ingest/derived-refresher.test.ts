import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Sql, SqlQuery } from "../db/sql";
import { DerivedRefresher } from "./derived-refresher";

/**
 * When the refresher works (its SQL is held by tests/integration/derived-queues.test.ts): only once
 * ingest has been quiet for idleMs, or once the oldest noted save is maxLagMs old; a round continues
 * while the queues are full unless ingest is busy again; drain works regardless.
 */
function fakeSql(queued: { analytics: number; people: number }) {
  const calls: string[] = [];
  const sql: Sql = {
    async query<Row>(q: SqlQuery) {
      const name = q.name ?? q.text;
      calls.push(name);
      const limit = Number(q.params?.[1] === undefined ? 0 : name === "refresh_analytics_queue_backlog" ? q.params[1] : JSON.parse(String(q.params[1])).length);
      const kind = name === "refresh_analytics_queue_backlog" ? "analytics" : "people";
      const n = Math.min(limit, queued[kind]);
      queued[kind] -= n;
      return [{ n }] as Row[];
    },
    transaction: (fn) => fn(sql),
  };
  return { sql, calls };
}

const options = { idleMs: 25, maxLagMs: 30_000, roundSize: 100 };

describe("DerivedRefresher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits while ingest is busy, and works once it has been quiet for idleMs", async () => {
    const queued = { analytics: 150, people: 250 };
    const { sql, calls } = fakeSql(queued);
    let busy = true;
    let quietSince = 0;
    const refresher = new DerivedRefresher(sql, () => (busy ? 0 : Date.now() - quietSince), options);
    refresher.noteSaved();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([]);

    busy = false;
    quietSince = Date.now();
    refresher.noteIdle();
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    // Rounds until both queues are under a round's size: 150 + 250 take three rounds.
    expect(calls.filter((c) => c === "refresh_analytics_queue_backlog")).toHaveLength(3);
    expect(calls.filter((c) => c === "link_people_queued")).toHaveLength(3);
    expect(queued).toEqual({ analytics: 0, people: 0 });
  });

  it("under load that never pauses, works once the oldest save is maxLagMs old", async () => {
    const { sql, calls } = fakeSql({ analytics: 10, people: 10 });
    const refresher = new DerivedRefresher(sql, () => 0, options);
    refresher.noteSaved();
    await vi.advanceTimersByTimeAsync(29_000);
    refresher.noteSaved();
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(calls).toEqual(["refresh_analytics_queue_backlog", "link_people_queued"]);
  });

  it("a round stops after a full round once ingest is busy again, and goes on later", async () => {
    const queued = { analytics: 1_000, people: 0 };
    const { sql, calls } = fakeSql(queued);
    let quiet = 1_000;
    const refresher = new DerivedRefresher(sql, () => quiet, options);
    refresher.noteSaved();
    quiet = 1_000;
    const first = vi.advanceTimersByTimeAsync(0);
    await first;
    // Ingest busy again after the first round: the rest waits.
    quiet = 0;
    await vi.advanceTimersByTimeAsync(1_000);
    const afterBusy = calls.length;
    expect(queued.analytics).toBeGreaterThan(0);
    quiet = 1_000;
    refresher.noteIdle();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.length).toBeGreaterThan(afterBusy);
    expect(queued.analytics).toBe(0);
  });

  it("drain works through everything queued, busy or not", async () => {
    vi.useRealTimers();
    const queued = { analytics: 350, people: 120 };
    const { sql } = fakeSql(queued);
    const refresher = new DerivedRefresher(sql, () => 0, options);
    refresher.noteSaved();
    await refresher.drain();
    expect(queued).toEqual({ analytics: 0, people: 0 });
  });
});
