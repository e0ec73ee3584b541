import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureChangedPathsVersion, readChangedPathsState } from "@/lib/db/changed-paths-version";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * The start-up version check: the stored changed-paths values are cleared only when the version
 * they were computed with differs from the running one, by one lease holder, resumably; a start
 * of the same version reads one row and walks nothing.
 */

const kinds: DbKind[] = ["pglite", "postgres"];
const EVENTS = 50;

describe.each(kinds)("changed-paths version check (%s)", (kind) => {
  let t: TestDb;
  const q = <Row = Record<string, unknown>>(text: string, params: (string | number | null)[] = []) => t.db.sql.query<Row>({ text, params });
  /** Events whose stored value is of `version`: the first `count` by id. */
  const storeValues = (version: number, count = EVENTS) =>
    q(`UPDATE events SET changed_paths = 'a.b', changed_paths_version = $1 WHERE id IN (SELECT id FROM events ORDER BY id LIMIT $2)`, [version, count]);
  const countOf = async (version: number) =>
    Number((await q<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE changed_paths IS NOT NULL AND changed_paths_version = $1`, [version]))[0].n);

  beforeAll(async () => {
    t = await createTestDb(kind);
    await q(`INSERT INTO endpoints (id, provider, name, updated_at) VALUES ('ep', 'greenhouse', 'ep', now())`);
    await q(`INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, headers, body, body_sha256, idempotency_key, idempotency_source, status)
             VALUES ('d', 'ep', 'greenhouse', now(), 'POST', '{}', '\\x7b7d', 'x', 'k', 'body', 'processed')`);
    await q(`INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, updated_at) VALUES ('c', 'greenhouse', '1', now(), now(), now())`);
    await q(`INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, occurred_at, received_at, candidate_id)
             SELECT 'e' || lpad(i::text, 4, '0'), 'd', i, 'ep', 'greenhouse', 'candidate_updated', now() - (i || ' minutes')::interval, now(), 'c'
             FROM generate_series(1, ${EVENTS}) AS i`);
  }, 60_000);
  afterAll(() => t?.drop());
  beforeEach(() => q(`DELETE FROM changed_paths_state`));

  it("the first start of a version clears other versions' values and records the version; later starts walk nothing", async () => {
    await storeValues(1);
    await storeValues(2, 10);
    const first = await ensureChangedPathsVersion(t.db.sql, 2, { chunk: 7 });
    expect(first).toEqual({ state: "done", cleared: EVENTS - 10 });
    expect(await countOf(1)).toBe(0);
    expect(await countOf(2)).toBe(10);
    expect(await readChangedPathsState(t.db.sql)).toEqual({ version: 2, target: null, cleared_after: null });

    // A stale value appearing now (an instance of the old version still running) is not looked
    // for: the check is one row, not a walk.
    await storeValues(1, 3);
    expect(await ensureChangedPathsVersion(t.db.sql, 2, { chunk: 7 })).toEqual({ state: "current", cleared: 0 });
    expect(await countOf(1)).toBe(3);

    // A new version (or a rollback) clears again.
    expect(await ensureChangedPathsVersion(t.db.sql, 3, { chunk: 7 })).toEqual({ state: "done", cleared: 10 });
    expect(await countOf(2)).toBe(0);
    expect((await readChangedPathsState(t.db.sql))?.version).toBe(3);
  });

  it("one instance clears: another live lease holder is left alone; an expired lease is taken over and resumed where it stopped", async () => {
    await storeValues(1);
    let batches = 0;
    // Instance A is paused (a burst of deliveries) after two batches: it releases the lease and
    // the progress stays.
    const paused = await ensureChangedPathsVersion(t.db.sql, 2, { owner: "a", chunk: 10, pause: () => batches++ >= 2 });
    expect(paused).toEqual({ state: "unfinished", cleared: 20 });
    expect(await readChangedPathsState(t.db.sql)).toEqual({ version: null, target: 2, cleared_after: "e0020" });

    // B takes the lease and dies holding it.
    await q(`UPDATE changed_paths_state SET lease_owner = 'b', lease_until = now() + interval '1 hour'`);
    expect(await ensureChangedPathsVersion(t.db.sql, 2, { owner: "a", chunk: 10 })).toEqual({ state: "unfinished", cleared: 0 });
    expect(await countOf(1)).toBe(EVENTS - 20);

    // Its lease expires: A resumes after e0020, it does not start over.
    await q(`UPDATE changed_paths_state SET lease_until = now() - interval '1 second'`);
    await storeValues(1, 5); // behind the cursor: not walked again
    expect(await ensureChangedPathsVersion(t.db.sql, 2, { owner: "a", chunk: 10 })).toEqual({ state: "done", cleared: EVENTS - 20 });
    expect(await countOf(1)).toBe(5);
    expect((await readChangedPathsState(t.db.sql))?.version).toBe(2);
  });

  it("a clear towards another version starts over from the first event", async () => {
    await storeValues(1);
    let batches = 0;
    await ensureChangedPathsVersion(t.db.sql, 2, { owner: "a", chunk: 10, pause: () => batches++ >= 1 });
    expect((await readChangedPathsState(t.db.sql))?.cleared_after).toBe("e0010");
    await storeValues(2, 10);
    expect(await ensureChangedPathsVersion(t.db.sql, 3, { owner: "b", chunk: 10 })).toEqual({ state: "done", cleared: EVENTS });
    expect(await countOf(1)).toBe(0);
  });

  if (kind === "postgres")
    it("two instances starting at once clear once", async () => {
      await storeValues(1);
      const results = await Promise.all(["a", "b", "c"].map((owner) => ensureChangedPathsVersion(t.db.sql, 2, { owner, chunk: 5 })));
      expect(results.reduce((n, r) => n + r.cleared, 0)).toBe(EVENTS);
      expect(results.filter((r) => r.state === "done")).toHaveLength(1);
      expect((await readChangedPathsState(t.db.sql))?.version).toBe(2);
    });
});
