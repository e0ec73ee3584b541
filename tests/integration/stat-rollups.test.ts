import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { compactStatRollups, getOverviewStats, overviewQuery, ROLLUP_ACTIVITY_SQL, ROLLUP_TOTALS_SQL } from "@/lib/db/stats";
import { reprocessAll } from "@/lib/ingest/reprocess-all";
import { buildHistories, type SimulatedDelivery } from "@/lib/simulator/build-histories";
import type { ProviderId } from "@/lib/providers/types";
import { routes, sendWebhook } from "../helpers/api";
import { explain, type PlanNode } from "../helpers/plan";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * The overview's counts come from stat_rollups, kept by triggers (migration stat_rollups). Whatever
 * writes candidates, events and deliveries — ingest, concurrent ingest, reprocess, test data, deletes
 * as erasure and retention do them, compaction — the rollups must sum to exactly what count(*) says.
 */

const kinds: DbKind[] = ["pglite", "postgres"];
const providers = ["greenhouse", "outhire"] as const;

type Group = Record<string, number>;

/** kind|day|provider|type|is_test → n, from the rollups (groups summing to zero left out). */
async function rollupGroups(t: TestDb): Promise<Group> {
  const rows = await t.db.sql.query<{ key: string; n: string }>({
    text: `SELECT kind || '|' || day::text || '|' || provider || '|' || type || '|' || is_test AS key, sum(n)::text AS n
           FROM stat_rollups GROUP BY kind, day, provider, type, is_test HAVING sum(n) <> 0`,
  });
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
}

/** The same groups counted from the tables themselves. */
async function countedGroups(t: TestDb): Promise<Group> {
  const rows = await t.db.sql.query<{ key: string; n: string }>({
    text: `SELECT 'events|' || (received_at AT TIME ZONE 'UTC')::date::text || '|' || provider || '|' || type || '|' || is_test AS key, count(*)::text AS n
           FROM events GROUP BY 1
           UNION ALL
           SELECT 'candidates|' || (created_at AT TIME ZONE 'UTC')::date::text || '||' || '|' || is_test, count(*)::text FROM candidates GROUP BY 1
           UNION ALL
           SELECT 'deliveries|' || (received_at AT TIME ZONE 'UTC')::date::text || '||' || '|' || is_test, count(*)::text FROM deliveries GROUP BY 1`,
  });
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
}

async function plainTotals(t: TestDb, includeTest: boolean) {
  const [row] = await t.db.sql.query<{ c: string; e: string; d: string }>({
    text: `SELECT (SELECT count(*) FROM candidates WHERE $1::boolean OR NOT is_test)::text AS c,
                  (SELECT count(*) FROM events WHERE $1::boolean OR NOT is_test)::text AS e,
                  (SELECT count(*) FROM deliveries WHERE $1::boolean OR NOT is_test)::text AS d`,
    params: [includeTest],
  });
  return { candidates: Number(row.c), events: Number(row.e), deliveries: Number(row.d) };
}

async function expectTrue(t: TestDb) {
  expect(await rollupGroups(t)).toEqual(await countedGroups(t));
  for (const includeTest of [false, true]) {
    const s = await getOverviewStats(t.db.sql, { includeTest });
    const { candidates, events, deliveries } = s.totals;
    expect({ candidates, events, deliveries }).toEqual(await plainTotals(t, includeTest));
    const plainToday = await t.db.sql.query<{ n: string }>({
      text: `SELECT count(*)::text AS n FROM events WHERE received_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AND ($1::boolean OR NOT is_test)`,
      params: [includeTest],
    });
    expect(s.activity.days.at(-1)!.total).toBe(Number(plainToday[0].n));
  }
}

describe.each(kinds)("overview rollups on %s", (kind) => {
  let t: TestDb;
  const ep = {} as Record<ProviderId, { id: string; secret: string | null }>;
  const send = (provider: ProviderId, d: SimulatedDelivery) =>
    sendWebhook(ep[provider].id, d.body, {
      method: d.method as "POST",
      query: d.query ? `?${new URLSearchParams(d.query)}` : "",
      sign: { provider, secret: ep[provider].secret, deliveryId: crypto.randomUUID() },
    });
  const histories = (provider: ProviderId, seed: string, candidates = 3) =>
    buildHistories({ provider, candidates, seed, startAt: new Date("2024-03-01T00:00:00Z") });

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    for (const provider of providers) {
      const res = await routes.createEndpoint({ provider, name: `${provider} rollups` });
      ep[provider] = { id: res.json.id, secret: res.json.secret };
    }
  }, 120_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("starts empty and counts what ingest stores, in sequence", async () => {
    expect(await rollupGroups(t)).toEqual({});
    for (const provider of providers) for (const h of histories(provider, `seq-${kind}`)) for (const d of h.deliveries) await send(provider, d);
    // One malformed body: a failed delivery, counted as a delivery without events.
    expect((await sendWebhook(ep.outhire.id, "{nope")).status).toBeLessThan(500);
    expect((await plainTotals(t, true)).events).toBeGreaterThan(10);
    await expectTrue(t);
  });

  it("stays true under concurrent ingest", async () => {
    const batch = providers.flatMap((provider) => histories(provider, `burst-${kind}`, 4).flatMap((h) => h.deliveries.map((d) => ({ provider, d }))));
    await Promise.all(batch.map(({ provider, d }) => send(provider, d)));
    await expectTrue(t);
  });

  it("stays true through reprocessing every delivery", async () => {
    const result = await reprocessAll(t.db);
    expect(result.done).toBeGreaterThan(0);
    await expectTrue(t);
  });

  it("counts test data apart and forgets it when it is deleted", async () => {
    const [victim] = await t.db.sql.query<{ id: string }>({ text: `SELECT id FROM candidates ORDER BY id LIMIT 1` });
    await t.db.sql.query({ text: `UPDATE candidates SET is_test = true WHERE id = $1`, params: [victim.id] });
    await t.db.sql.query({ text: `UPDATE events SET is_test = true WHERE candidate_id = $1`, params: [victim.id] });
    await t.db.sql.query({ text: `UPDATE deliveries SET is_test = true WHERE id IN (SELECT delivery_id FROM events WHERE candidate_id = $1)`, params: [victim.id] });
    const real = await getOverviewStats(t.db.sql);
    const all = await getOverviewStats(t.db.sql, { includeTest: true });
    expect(all.totals.candidates - real.totals.candidates).toBe(1);
    expect(all.totals.events).toBeGreaterThan(real.totals.events);
    await expectTrue(t);
    // Test events are removed the way "delete test data" does it.
    await t.db.sql.query({ text: `DELETE FROM events WHERE is_test` });
    await t.db.sql.query({ text: `DELETE FROM candidates WHERE is_test` });
    await expectTrue(t);
  });

  it("counts a type change (a derived stage move) as one event moving between types", async () => {
    const [e] = await t.db.sql.query<{ id: string; type: string }>({ text: `SELECT id, type FROM events ORDER BY id LIMIT 1` });
    await t.db.sql.query({ text: `UPDATE events SET type = $2 WHERE id = $1`, params: [e.id, e.type === "updated" ? "stage_changed" : "updated"] });
    await expectTrue(t);
    await t.db.sql.query({ text: `UPDATE events SET type = $2 WHERE id = $1`, params: [e.id, e.type] });
    await expectTrue(t);
  });

  it("stays true when erasure or retention deletes events and candidates (negative deltas)", async () => {
    const [c] = await t.db.sql.query<{ id: string }>({ text: `SELECT id FROM candidates ORDER BY id DESC LIMIT 1` });
    await t.db.sql.transaction(async (tx) => {
      await tx.query({ text: `DELETE FROM events WHERE candidate_id = $1`, params: [c.id] });
      await tx.query({ text: `DELETE FROM candidates WHERE id = $1`, params: [c.id] });
    });
    // Retention by age: every event received before a cut-off.
    await t.db.sql.query({ text: `DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY received_at LIMIT 5)` });
    // Deliveries without events (the failed one) go, as retention may drop them.
    await t.db.sql.query({
      text: `DELETE FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.delivery_id = d.id)
               AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.delivery_id = d.id)`,
    });
    await expectTrue(t);
  });

  it("folds deltas into one row per group without changing a total, and reads fold them past the threshold", async () => {
    const before = await rollupGroups(t);
    const deltas = async () => Number((await t.db.sql.query<{ n: string }>({ text: `SELECT count(*)::text AS n FROM stat_rollups WHERE NOT folded` }))[0].n);
    expect(await deltas()).toBeGreaterThan(0);
    expect(await compactStatRollups(t.db.sql)).toBeGreaterThan(0);
    expect(await deltas()).toBe(0);
    expect(await rollupGroups(t)).toEqual(before);
    const [{ rows, groups }] = await t.db.sql.query<{ rows: string; groups: string }>({
      text: `SELECT count(*)::text AS rows, count(DISTINCT (kind, day, provider, type, is_test))::text AS groups FROM stat_rollups`,
    });
    expect(rows).toBe(groups);
    await expectTrue(t);

    // New deltas; a read with a low threshold folds them.
    for (const h of histories("greenhouse", `fold-${kind}`, 1)) for (const d of h.deliveries) await send("greenhouse", d);
    expect(await deltas()).toBeGreaterThan(0);
    await getOverviewStats(t.db.sql, { compactAfter: 1 });
    expect(await deltas()).toBe(0);
    await expectTrue(t);
  });

  it("asks the tables nothing that grows with history: events, candidates and deliveries only through index lookups", async () => {
    const now = new Date();
    const query = overviewQuery({
      since24h: new Date(now.getTime() - 86_400_000),
      windowStart: new Date(now.getTime() - 13 * 86_400_000),
      rejectSince: new Date(now.getTime() - 7 * 86_400_000),
      includeTest: false,
      recentLimit: 10,
    });
    // Planned as if the tables were large (the test database is small enough to make a scan look cheap).
    const nodes = await explain(t.db.sql, query, { setup: "SET LOCAL enable_seqscan = off" });
    const onGrowing = nodes.filter((n) => ["events", "candidates", "deliveries"].includes(n["Relation Name"] ?? ""));
    const bound = (n: PlanNode) => n["Index Cond"] ?? n["Recheck Cond"]; // a bitmap heap scan's bound is its index's condition
    const shape = JSON.stringify(onGrowing.map((n) => [n["Node Type"], n["Relation Name"], bound(n)]));
    expect(new Set(onGrowing.map((n) => n["Relation Name"])), shape).toEqual(new Set(["events", "candidates", "deliveries"]));
    // Every read of them is bounded by an index condition: the last day of deliveries (received_at),
    // the newest processed ones (status), their events by delivery id, their candidates by id. A full
    // scan, sequential or of a whole index, has no condition and fails here.
    for (const n of onGrowing) expect(bound(n), shape).toBeTruthy();
  });

  it("reads only stat_rollups for its totals and activity (no scan of events, candidates or deliveries)", async () => {
    for (const [text, params] of [
      [ROLLUP_TOTALS_SQL, [false]],
      [ROLLUP_ACTIVITY_SQL, ["2024-01-01", false]],
    ] as const) {
      const relations = (await explain(t.db.sql, { text, params: [...params] })).flatMap((n) => n["Relation Name"] ?? []);
      expect(relations.length).toBeGreaterThan(0);
      expect(new Set(relations)).toEqual(new Set(["stat_rollups"]));
    }
  });
});

describe("overview rollups under parallel writers (PostgreSQL)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("postgres");
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it("concurrent transactions inserting and deleting events never wait on each other's counters, and sum right", async () => {
    const [ep] = await t.db.sql.query<{ id: string }>({
      text: `INSERT INTO endpoints (id, provider, name, created_at, updated_at) VALUES ('ep_rollup', 'greenhouse', 'x', now(), now()) RETURNING id`,
    });
    // Two transactions hold uncommitted inserts of the same group at once: with a shared counter row
    // the second would block on the first's row lock; with appended deltas both proceed.
    const a = new pg.Client({ connectionString: t.databaseUrl! });
    const b = new pg.Client({ connectionString: t.databaseUrl! });
    await a.connect();
    await b.connect();
    try {
      const insert = (client: typeof a, n: number, tag: string) =>
        client.query(
          `WITH c AS (
             INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
             VALUES ('cand_' || $2, 'greenhouse', $2, now(), now(), now(), now()) RETURNING id
           ), d AS (
             INSERT INTO deliveries (id, endpoint_id, provider, received_at, status, method, headers, body, body_sha256, idempotency_key, idempotency_source)
             VALUES ('dlv_' || $2, $3, 'greenhouse', now(), 'processed', 'POST', '{}'::jsonb, ''::bytea, $2, $2, 'test') RETURNING id
           )
           INSERT INTO events (id, delivery_id, seq, endpoint_id, candidate_id, provider, provider_event, type, occurred_at, received_at, snapshot)
           SELECT 'evt_' || $2 || '_' || g, d.id, g, $3, c.id, 'greenhouse', 'x', 'updated', now(), now(), '{}'::jsonb FROM c, d, generate_series(1, $1::int) g`,
          [n, tag, ep.id],
        );
      await a.query("BEGIN");
      await b.query("BEGIN");
      await a.query("SET LOCAL lock_timeout = '2s'");
      await b.query("SET LOCAL lock_timeout = '2s'");
      await insert(a, 30, "a");
      await insert(b, 20, "b");
      await b.query("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id LIKE 'evt_b_%' LIMIT 5)");
      await a.query("COMMIT");
      await b.query("COMMIT");
    } finally {
      await a.end();
      await b.end();
    }
    const [row] = await t.db.sql.query<{ rolled: string; counted: string }>({
      text: `SELECT (SELECT sum(n) FROM stat_rollups WHERE kind = 'events')::text AS rolled, (SELECT count(*) FROM events)::text AS counted`,
    });
    expect(row).toEqual({ rolled: "45", counted: "45" });
    expect(await rollupGroups(t)).toEqual(await countedGroups(t));
  });
});
