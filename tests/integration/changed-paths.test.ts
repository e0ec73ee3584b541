import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { setExportHooks } from "@/lib/api/export";
import { setDb } from "@/lib/db/client";
import { CURRENT_CHANGED_PATHS_VERSION } from "@/lib/history/provider-config";
import { fillChangedPaths, fillChangedPathsBatch } from "@/lib/jobs/changed-paths-fill";
import { ensureChangedPathsVersion } from "@/lib/db/changed-paths-version";
import { countMissingPaths } from "@/lib/db/changed-paths-queries";
import { reprocessAll } from "@/lib/ingest/reprocess-all";
import { getProvider } from "@/lib/providers/registry";
import { providerIds, type ProviderId } from "@/lib/providers/types";
import { buildHistories } from "@/lib/simulator/build-histories";
import { Rng } from "@/lib/simulator/random";
import { adminHeaders, BASE, routes } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { createEndpoints, isTimeless, sendAndCheck, shuffle, type Endpoints, type PlannedDelivery } from "../helpers/timeline";

/**
 * events.changed_paths: the export's changed_fields stored per event, kept current by a trigger
 * (later events of the candidate go back to NULL when an event is inserted, deleted or rewritten
 * before them) and filled by the sweep. Whatever the mix of stored and missing values, the export
 * must be byte-identical to the one computed entirely from the snapshots.
 */

const kinds: DbKind[] = ["pglite", "postgres"];

// The seeds of the history-order suite (each provider's coverage seed): merges and deletions (partial
// snapshots), versioned snapshots, partial stage-change snapshots.
const plan = Object.fromEntries(providerIds.map((p) => [p, { seed: getProvider(p)!.simulator.coverageSeed, candidates: 3 }])) as Record<
  ProviderId,
  { seed: number; candidates: number }
>;

const inOrder: PlannedDelivery[] = providerIds
  .flatMap((provider) =>
    buildHistories({ provider, ...plan[provider] }).flatMap((h, hi) =>
      h.deliveries.map((delivery, di) => ({ provider, delivery, deliveryId: `${provider}-${plan[provider].seed}-${hi}-${di}`, redelivery: false })),
    ),
  )
  .sort((a, b) => a.delivery.occurredAt.getTime() - b.delivery.occurredAt.getTime());

/** A random arrival order (Greenhouse's timeless deliveries keep their relative order: arrival is their clock). */
function arrivalOrder(seed: number): PlannedDelivery[] {
  const rng = new Rng("changed-paths", seed);
  const shuffled = shuffle(rng, inOrder);
  const timeless = inOrder.filter(isTimeless);
  let next = 0;
  return shuffled.map((p) => (isTimeless(p) ? timeless[next++] : p));
}

async function exportText(query = ""): Promise<string> {
  const response = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv${query}`, { headers: adminHeaders }));
  expect(response.status).toBe(200);
  return response.text();
}

function changedFields(csv: string): Map<string, string> {
  const records: Record<string, string>[] = parse(csv, { columns: true, record_delimiter: "\r\n" });
  return new Map(records.map((r) => [r.event_id, r.changed_fields]));
}

describe.each(kinds)("stored changed paths on %s", (kind) => {
  let t: TestDb;
  let endpoints: Endpoints;
  const sqlRows = async <T = Record<string, unknown>>(text: string, params: (string | number | null)[] = []) => t.db.sql.query<T>({ text, params });
  const stored = async () =>
    new Map((await sqlRows<{ id: string; changed_paths: string }>(`SELECT id, changed_paths FROM events WHERE changed_paths IS NOT NULL`)).map((r) => [r.id, r.changed_paths]));
  const nullAll = () => sqlRows(`UPDATE events SET changed_paths = NULL`);

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpoints = await createEndpoints();
  }, 60_000);
  afterAll(async () => {
    setExportHooks({});
    setDb(undefined);
    await t?.drop();
  });

  it("a random arrival order with fills in between: stored values are never stale, and the export is the same stored, missing or mixed", async () => {
    const rng = new Rng("changed-paths-fill", kind.length);
    let invalidations = 0;
    let fills = 0;
    for (const p of arrivalOrder(7)) {
      const before = await stored();
      await sendAndCheck(endpoints, p);
      const after = await stored();
      if ([...before.keys()].some((id) => !after.has(id))) invalidations++;
      if (rng.chance(0.3)) {
        fills++;
        // Small batches: a candidate's window of history is cut across batches.
        await fillChangedPaths(t.db.sql, { events: rng.int(1, 6) });
      }
    }
    expect(fills).toBeGreaterThan(3);
    // Late deliveries did make stored values stale, and the trigger cleared them.
    expect(invalidations).toBeGreaterThan(0);
    const survivors = await stored();
    expect(survivors.size).toBeGreaterThan(0);
    // A mix of stored and missing values (a fill may have come last).
    await sqlRows(`UPDATE events SET changed_paths = NULL WHERE id IN (SELECT id FROM events ORDER BY md5(id) LIMIT 5)`);
    expect(await countMissingPaths(t.db.sql)).toBeGreaterThan(0);

    setExportHooks({ pageSize: 7 }); // many pages: runs of one candidate cut across pages
    const mixed = await exportText();
    const mixedByEndpoint = await exportText(`?endpointId=${endpoints.greenhouse.id}`);
    await fillChangedPaths(t.db.sql, { events: 4 });
    expect(await countMissingPaths(t.db.sql)).toBe(0);
    const all = await stored();
    const full = await exportText();
    const fullByEndpoint = await exportText(`?endpointId=${endpoints.greenhouse.id}`);
    await nullAll();
    const computed = await exportText();
    const computedByEndpoint = await exportText(`?endpointId=${endpoints.greenhouse.id}`);

    expect(full).toBe(computed);
    expect(mixed).toBe(computed);
    expect(fullByEndpoint).toBe(computedByEndpoint);
    expect(mixedByEndpoint).toBe(computedByEndpoint);
    const expected = changedFields(computed);
    expect(expected.size).toBe(inOrder.length);
    expect([...expected.values()].filter((v) => v !== "").length).toBeGreaterThan(10);
    for (const [id, paths] of all) expect(paths, id).toBe(expected.get(id));
    for (const [id, paths] of survivors) expect(paths, `${id} survived the deliveries after it`).toBe(expected.get(id));

    // Partial snapshots (Greenhouse merge/delete person, Outhire stage_changed) are among the stored events.
    const partial = await sqlRows<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE provider_event IN ('merge_candidate', 'delete_candidate', 'candidate.stage_changed') AND snapshot IS NOT NULL`,
    );
    expect(Number(partial[0].n)).toBeGreaterThan(0);
  }, 180_000);

  it("reprocessing a delivery, deleting an event and rebuilding everything invalidate later events only; the export stays the same", async () => {
    setExportHooks({ pageSize: 5 });
    await fillChangedPaths(t.db.sql);
    const reference = await exportText();
    expect(await countMissingPaths(t.db.sql)).toBe(0);

    // A mid-history event of a candidate with several snapshots.
    const [target] = await sqlRows<{ id: string; delivery_id: string; candidate_id: string; occurred_at: Date; received_at: Date }>(
      `SELECT e.id, e.delivery_id, e.candidate_id, e.occurred_at, e.received_at FROM events e
       WHERE e.snapshot IS NOT NULL
         AND EXISTS (SELECT 1 FROM events l WHERE l.candidate_id = e.candidate_id AND (l.occurred_at, l.received_at, l.id) > (e.occurred_at, e.received_at, e.id) AND l.snapshot IS NOT NULL)
         AND EXISTS (SELECT 1 FROM events b WHERE b.candidate_id = e.candidate_id AND (b.occurred_at, b.received_at, b.id) < (e.occurred_at, e.received_at, e.id))
       ORDER BY e.id LIMIT 1`,
    );
    expect(target).toBeDefined();
    const sides = async () =>
      (
        await sqlRows<{ id: string; later: boolean; same: boolean; missing: boolean }>(
          `SELECT e.id, (e.occurred_at, e.received_at, e.id) > ($2::timestamptz, $3::timestamptz, $4) AS later, e.candidate_id = $1 AS same,
                  e.changed_paths IS NULL AS missing
           FROM events e`,
          [target.candidate_id, new Date(target.occurred_at).toISOString(), new Date(target.received_at).toISOString(), target.id],
        )
      ).filter((r) => r.id !== target.id);

    const res = await routes.reprocess(target.delivery_id);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    for (const r of await sides()) expect(r.missing, `${r.id} (later ${r.later}, same candidate ${r.same})`).toBe(r.same && r.later);
    expect(await exportText()).toBe(reference);
    await fillChangedPaths(t.db.sql);
    expect(await exportText()).toBe(reference);

    // Deleting the event (as a mapping change that drops it would) changes the later events' paths.
    await sqlRows(`DELETE FROM event_stages WHERE event_id = $1`, [target.id]);
    await sqlRows(`DELETE FROM events WHERE id = $1`, [target.id]);
    for (const r of await sides()) expect(r.missing, `${r.id} after the delete`).toBe(r.same && r.later);
    const afterDelete = await exportText();
    await fillChangedPaths(t.db.sql);
    expect(await exportText()).toBe(afterDelete);
    await nullAll();
    expect(await exportText()).toBe(afterDelete);

    // Rebuilding every event from the raw deliveries brings the event back; the sweep refills.
    await fillChangedPaths(t.db.sql);
    await reprocessAll(t.db);
    await fillChangedPaths(t.db.sql);
    expect(await countMissingPaths(t.db.sql)).toBe(0);
    expect(await exportText()).toBe(reference);
  }, 120_000);

  it("a fill pass gives way when asked (a burst of ingest): it stops between batches and the next pass finishes", async () => {
    await nullAll();
    const missing = await countMissingPaths(t.db.sql);
    expect(missing).toBeGreaterThan(4);
    let asked = 0;
    const paused = await fillChangedPaths(t.db.sql, { events: 2, pause: () => ++asked > 1 });
    expect(paused.batches).toBe(1);
    expect(await countMissingPaths(t.db.sql)).toBeGreaterThan(0);
    expect((await fillChangedPaths(t.db.sql, { events: 2, pause: () => true })).batches).toBe(0);
    await fillChangedPaths(t.db.sql);
    expect(await countMissingPaths(t.db.sql)).toBe(0);
  }, 60_000);

  it("the triggers: an in-order event touches no other row; a late one clears exactly the later events of its candidate; an update in place clears itself; a stage row change clears from its event on", async () => {
    await fillChangedPaths(t.db.sql);
    const [newest] = await sqlRows<{ id: string; candidate_id: string }>(
      `SELECT id, candidate_id FROM events WHERE snapshot IS NOT NULL ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT 1`,
    );
    const versions = async () => new Map((await sqlRows<{ id: string; v: string }>(`SELECT id, xmin::text AS v FROM events`)).map((r) => [r.id, r.v]));
    const copy = (id: string, occurred: string) =>
      sqlRows(
        `INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, provider_event, occurred_at, received_at, candidate_id, snapshot, details)
         SELECT $2, delivery_id, (SELECT max(m.seq) + 1 FROM events m WHERE m.delivery_id = events.delivery_id), endpoint_id, provider, type, provider_event, ${occurred}, received_at, candidate_id, snapshot, details
         FROM events WHERE id = $1`,
        [newest.id, `${newest.id}-copy-${Math.random().toString(36).slice(2, 8)}`],
      );
    const v0 = await versions();
    await copy(newest.id, `occurred_at + interval '1 day'`);
    const v1 = await versions();
    for (const [id, v] of v0) expect(v1.get(id), id).toBe(v);

    // A late copy: before every event of the candidate.
    await copy(newest.id, `occurred_at - interval '10 years'`);
    const rows = await sqlRows<{ id: string; candidate_id: string; missing: boolean }>(`SELECT id, candidate_id, changed_paths IS NULL AS missing FROM events`);
    for (const r of rows) expect(r.missing, r.id).toBe(r.candidate_id === newest.candidate_id);
    await fillChangedPaths(t.db.sql);

    // A snapshot rewritten in place: itself and the later events of its candidate.
    await sqlRows(`UPDATE events SET snapshot = jsonb_set(snapshot, '{__test}', '"x"') WHERE id = $1`, [newest.id]);
    const [own] = await sqlRows<{ missing: boolean }>(`SELECT changed_paths IS NULL AS missing FROM events WHERE id = $1`, [newest.id]);
    expect(own.missing).toBe(true);
    await fillChangedPaths(t.db.sql);

    // A stage observation removed: its event (its own stage move) and the candidate's later events (their previous stage).
    const [staged] = await sqlRows<{ event_id: string; candidate_id: string; occurred_at: Date; received_at: Date }>(
      `SELECT es.event_id, es.candidate_id, es.occurred_at, es.received_at FROM event_stages es
       WHERE EXISTS (SELECT 1 FROM event_stages l WHERE l.candidate_id = es.candidate_id AND l.job_key = es.job_key
                       AND (l.occurred_at, l.received_at, l.event_id) > (es.occurred_at, es.received_at, es.event_id))
       ORDER BY es.event_id LIMIT 1`,
    );
    expect(staged).toBeDefined();
    await sqlRows(`DELETE FROM event_stages WHERE event_id = $1`, [staged.event_id]);
    const afterStageDelete = await sqlRows<{ id: string; candidate_id: string; at_or_after: boolean; missing: boolean }>(
      `SELECT id, candidate_id, (occurred_at, received_at, id) >= ($1::timestamptz, $2::timestamptz, $3) AS at_or_after, changed_paths IS NULL AS missing FROM events`,
      [new Date(staged.occurred_at).toISOString(), new Date(staged.received_at).toISOString(), staged.event_id],
    );
    for (const r of afterStageDelete) expect(r.missing, r.id).toBe(r.candidate_id === staged.candidate_id && r.at_or_after);

    await fillChangedPaths(t.db.sql);
    const filled = await stored();
    const storedExport = await exportText();
    await nullAll();
    const computedExport = await exportText();
    expect(storedExport).toBe(computedExport);
    const computed = changedFields(computedExport);
    for (const [id, paths] of filled) expect(paths, id).toBe(computed.get(id));
  }, 60_000);

  it("values of another version are ignored by the export and cleared by the sweep", async () => {
    setExportHooks({ pageSize: 50 });
    await fillChangedPaths(t.db.sql);
    const reference = await exportText();
    await sqlRows(`UPDATE events SET changed_paths = 'stale.path', changed_paths_version = $1 WHERE id IN (SELECT id FROM events ORDER BY id LIMIT 5)`, [
      CURRENT_CHANGED_PATHS_VERSION + 1,
    ]);
    expect(await exportText()).toBe(reference);
    expect(await ensureChangedPathsVersion(t.db.sql, CURRENT_CHANGED_PATHS_VERSION, { chunk: 3 })).toEqual({ state: "done", cleared: 5 });
    expect(await countMissingPaths(t.db.sql)).toBe(5);
    await fillChangedPaths(t.db.sql);
    expect(await exportText()).toBe(reference);
    expect(getProvider("greenhouse")?.history).toBeDefined();
  });

  // Row locks between two connections: PostgreSQL only (PGlite is a single connection).
  if (kind === "postgres") it("a fill never writes over a concurrent change: it skips a candidate with uncommitted changes, and a change made while it holds one clears what it wrote", async () => {
    await fillChangedPaths(t.db.sql);
    const client = new pg.Client({ connectionString: t.databaseUrl! });
    await client.connect();
    try {
      const [newest] = await sqlRows<{ id: string; candidate_id: string }>(
        `SELECT id, candidate_id FROM events WHERE snapshot IS NOT NULL ORDER BY occurred_at DESC, received_at DESC, id DESC LIMIT 1`,
      );
      const lateCopy = (c: pg.Client, id: string) =>
        c.query(
          `INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, provider_event, occurred_at, received_at, candidate_id, snapshot, details)
           SELECT $2, delivery_id, (SELECT max(m.seq) + 1 FROM events m WHERE m.delivery_id = events.delivery_id), endpoint_id, provider, type, provider_event, occurred_at - interval '20 years', received_at, candidate_id,
                  jsonb_set(snapshot, '{__late}', '"yes"'), details
           FROM events WHERE id = $1`,
          [newest.id, id],
        );
      const missing = async (id: string) => (await sqlRows<{ m: boolean }>(`SELECT changed_paths IS NULL AS m FROM events WHERE id = $1`, [id]))[0].m;

      // 1. An uncommitted late insert: the fill skips that candidate.
      await sqlRows(`UPDATE events SET changed_paths = NULL WHERE id = $1`, [newest.id]);
      await client.query("BEGIN");
      await lateCopy(client, `${newest.id}-late1`);
      const batch = await fillChangedPathsBatch(t.db.sql, null, { events: 10 });
      expect(batch.events).toBe(1);
      expect(batch.skipped).toBe(1);
      expect(batch.written).toBe(0);
      expect(await missing(newest.id)).toBe(true);
      await client.query("COMMIT");
      await fillChangedPaths(t.db.sql);
      expect(await missing(newest.id)).toBe(false);

      // 2. A fill holding the candidate (emulated: its lock and its write, not yet committed) and a
      //    late insert meanwhile: the insert waits, then clears the value.
      const fill = await t.db.sql.transaction(async (tx) => {
        await tx.query({ text: `SELECT id FROM candidates WHERE id = $1 FOR UPDATE`, params: [newest.candidate_id] });
        await tx.query({ text: `UPDATE events SET changed_paths = 'written.by.fill' WHERE id = $1`, params: [newest.id] });
        const insert = lateCopy(client, `${newest.id}-late2`);
        let settled = false;
        void insert.then(() => (settled = true));
        await new Promise((r) => setTimeout(r, 300));
        expect(settled, "the insert waits for the fill's lock").toBe(false);
        return { insert };
      });
      await fill.insert;
      expect(await missing(newest.id)).toBe(true);

      // 3. The same with a delete.
      await fillChangedPaths(t.db.sql);
      const del = await t.db.sql.transaction(async (tx) => {
        await tx.query({ text: `SELECT id FROM candidates WHERE id = $1 FOR UPDATE`, params: [newest.candidate_id] });
        await tx.query({ text: `UPDATE events SET changed_paths = 'written.by.fill' WHERE id = $1`, params: [newest.id] });
        const remove = client.query(`DELETE FROM events WHERE id = $1`, [`${newest.id}-late2`]);
        await new Promise((r) => setTimeout(r, 300));
        return { remove };
      });
      await del.remove;
      expect(await missing(newest.id)).toBe(true);

      await fillChangedPaths(t.db.sql);
      const filled = await stored();
      await nullAll();
      const computed = changedFields(await exportText());
      for (const [id, paths] of filled) expect(paths, id).toBe(computed.get(id));
    } finally {
      await client.end();
    }
  }, 60_000);
});
