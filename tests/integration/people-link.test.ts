/**
 * People's automatic linking of a batch (SQL `link_people`, README "People"), called as ingest calls
 * it: one statement per batch with each record's provider, external id and the id to give a new
 * person. New records whose email no linked record has are handled set-based, the others one by one
 * (migration 20261203073000_people_link_set_based); these cases hold both paths to the same rules.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sql } from "@/lib/db/sql";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

interface Rec {
  ext: string;
  email?: string | null;
  name?: string;
  status?: string;
  at?: string;
}

let seq = 0;

/** Stores (or updates) candidate records as save_processing_outcomes leaves them. */
async function store(sql: Sql, provider: string, records: Rec[]): Promise<void> {
  for (const r of records) {
    await sql.query({
      text: `INSERT INTO candidates (id, provider, external_id, name, email, status, first_seen_at, last_event_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz, now())
             ON CONFLICT (provider, external_id) DO UPDATE SET name = excluded.name, email = excluded.email, status = excluded.status,
               last_event_at = excluded.last_event_at, updated_at = now()`,
      params: [`cand_${provider}_${r.ext}`, provider, r.ext, r.name ?? `Name ${r.ext}`, r.email ?? null, r.status ?? "active", r.at ?? "2026-05-01T10:00:00Z"],
    });
  }
}

/** The link statement exactly as lib/db/people-link.ts sends it. */
async function link(sql: Sql, provider: string, exts: string[]): Promise<void> {
  seq += 1;
  const keys = exts.map((ext, i) => ({ provider, external_id: ext, person_id: `per_${provider}_${ext}_${seq}_${i}` }));
  await sql.query({ text: "SELECT link_people($1::jsonb)", params: [JSON.stringify(keys)] });
}

async function members(t: TestDb, provider: string, exts: string[]) {
  return t.db.sql.query<{ ext: string; person_id: string; reason: string; detail: string | null; email_key: string | null }>({
    text: `SELECT c.external_id AS ext, m.person_id, m.reason, m.detail, m.email_key
           FROM candidates c JOIN person_members m ON m.candidate_id = c.id
           WHERE c.provider = $1 AND c.external_id = ANY ($2::text[]) ORDER BY c.external_id`,
    params: [provider, `{${exts.join(",")}}`],
  });
}

async function person(t: TestDb, id: string) {
  const [row] = await t.db.sql.query<{ name: string | null; status: string; last_event_at: Date; n: number }>({
    text: `SELECT p.name, p.status, p.last_event_at, (SELECT count(*)::int FROM person_members m WHERE m.person_id = p.id) AS n FROM people p WHERE p.id = $1`,
    params: [id],
  });
  return row;
}

const peopleCount = async (t: TestDb) => (await t.db.sql.query<{ n: number }>({ text: "SELECT count(*)::int AS n FROM people" }))[0].n;

describe.each<DbKind>(["pglite", "postgres"])("linking a batch on %s", (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it("a batch of new records with distinct emails (and some without): a person each, started by it, with its derived columns", async () => {
    const before = await peopleCount(t);
    const records: Rec[] = Array.from({ length: 30 }, (_, i) => ({
      ext: `d${String(i).padStart(2, "0")}`,
      email: i % 5 === 4 ? null : ` Distinct.${i}@Example.com `,
      status: i % 3 === 0 ? "hired" : "active",
      at: `2026-05-01T10:${String(i).padStart(2, "0")}:00Z`,
    }));
    // "[anonymized]" is no email: it links no one, so two such records stay apart.
    records.push({ ext: "d30", email: "[anonymized]" }, { ext: "d31", email: "[anonymized]" });
    await store(t.db.sql, "idibu", records);
    await link(t.db.sql, "idibu", records.map((r) => r.ext));

    const rows = await members(t, "idibu", records.map((r) => r.ext));
    expect(rows).toHaveLength(32);
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(32);
    expect(rows.every((r) => r.reason === "new" && r.detail === null)).toBe(true);
    expect(rows.find((r) => r.ext === "d01")!.email_key).toBe("distinct.1@example.com");
    expect(rows.find((r) => r.ext === "d04")!.email_key).toBeNull();
    expect(rows.find((r) => r.ext === "d30")!.email_key).toBeNull();
    expect(await peopleCount(t)).toBe(before + 32);
    expect(await person(t, rows.find((r) => r.ext === "d03")!.person_id)).toEqual({
      name: "Name d03",
      status: "hired",
      last_event_at: new Date("2026-05-01T10:03:00Z"),
      n: 1,
    });
  });

  it("two new records of one batch sharing an email are one person: the first (by id) starts it, the other joins by email", async () => {
    await store(t.db.sql, "idibu", [
      { ext: "s1", email: "Shared@Example.com", at: "2026-05-02T10:00:00Z" },
      { ext: "s2", email: " shared@example.com", status: "hired", at: "2026-05-02T09:00:00Z" },
      { ext: "s3", email: "alone@example.com" },
    ]);
    await link(t.db.sql, "idibu", ["s2", "s3", "s1"]);
    const rows = await members(t, "idibu", ["s1", "s2", "s3"]);
    expect(rows.map((r) => [r.ext, r.reason, r.detail])).toEqual([
      ["s1", "new", null],
      ["s2", "email", "shared@example.com"],
      ["s3", "new", null],
    ]);
    expect(rows[0].person_id).toBe(rows[1].person_id);
    expect(rows[2].person_id).not.toBe(rows[0].person_id);
    // The person's derived columns come from both records: hired wins, the newest record names it.
    expect(await person(t, rows[0].person_id)).toMatchObject({ name: "Name s1", status: "hired", last_event_at: new Date("2026-05-02T10:00:00Z"), n: 2 });
  });

  it("a new record whose email an existing person has joins that person, in a batch whose other new records start their own", async () => {
    const [existing] = await members(t, "idibu", ["d01"]);
    await store(t.db.sql, "outhire", [
      { ext: "j1", email: "DISTINCT.1@example.com", status: "rejected", at: "2026-06-01T10:00:00Z" },
      { ext: "j2", email: "fresh.j2@example.com" },
      { ext: "j3", email: null },
    ]);
    await link(t.db.sql, "outhire", ["j1", "j2", "j3"]);
    const rows = await members(t, "outhire", ["j1", "j2", "j3"]);
    expect(rows.map((r) => [r.ext, r.reason, r.detail])).toEqual([
      ["j1", "email", "distinct.1@example.com"],
      ["j2", "new", null],
      ["j3", "new", null],
    ]);
    expect(rows[0].person_id).toBe(existing.person_id);
    // The joined person's last event moved with the new record.
    expect(await person(t, existing.person_id)).toMatchObject({ last_event_at: new Date("2026-06-01T10:00:00Z"), n: 2 });
  });

  it("a split sticks: the split record stays apart, and new records with its email join the person it left", async () => {
    const [joined] = await members(t, "outhire", ["j1"]);
    const original = joined.person_id;
    // Split by hand, as lib/db/people.ts does: a person of its own, recorded in person_splits.
    const own = "per_split_j1";
    await t.db.sql.transaction(async (tx) => {
      await tx.query({ text: "INSERT INTO people (id, last_event_at) VALUES ($1, now())", params: [own] });
      await tx.query({
        text: "UPDATE person_members SET person_id = $1, reason = 'manual', detail = NULL, linked_by = 'test', linked_at = now() WHERE candidate_id = 'cand_outhire_j1'",
        params: [own],
      });
      await tx.query({ text: "INSERT INTO person_splits (candidate_id, person_id, by, at) VALUES ('cand_outhire_j1', $1, 'test', now())", params: [original] });
      await tx.query({ text: "SELECT refresh_people($1::text[])", params: [`{${own},${original}}`] });
    });
    await store(t.db.sql, "outhire", [
      { ext: "j1", email: "distinct.1@example.com", at: "2026-06-02T10:00:00Z" },
      { ext: "j4", email: "distinct.1@example.com" },
      { ext: "j5", email: "distinct.1@example.com" },
    ]);
    await link(t.db.sql, "outhire", ["j1", "j4", "j5"]);
    const rows = await members(t, "outhire", ["j1", "j4", "j5"]);
    expect(rows.map((r) => [r.ext, r.person_id, r.reason])).toEqual([
      ["j1", own, "manual"],
      ["j4", original, "email"],
      ["j5", original, "email"],
    ]);
    expect(await person(t, own)).toMatchObject({ last_event_at: new Date("2026-06-02T10:00:00Z"), n: 1 });

  });

  it("a record alone in the person it started joins by email when its email arrives later; its empty person is removed", async () => {
    await store(t.db.sql, "greenhouse", [{ ext: "g1", email: null }]);
    await link(t.db.sql, "greenhouse", ["g1"]);
    const [alone] = await members(t, "greenhouse", ["g1"]);
    await store(t.db.sql, "greenhouse", [
      { ext: "g1", email: "Shared@example.com" },
      { ext: "g2", email: "another.new@example.com" },
    ]);
    await link(t.db.sql, "greenhouse", ["g1", "g2"]);
    const [s1] = await members(t, "idibu", ["s1"]);
    const rows = await members(t, "greenhouse", ["g1", "g2"]);
    expect(rows[0]).toMatchObject({ person_id: s1.person_id, reason: "email", detail: "shared@example.com" });
    expect(rows[1]).toMatchObject({ reason: "new" });
    expect(await person(t, alone.person_id)).toBeUndefined();
  });

  it("linking a batch again changes nothing", async () => {
    const snapshot = () =>
      t.db.sql.query({
        text: "SELECT m.candidate_id, m.person_id, m.reason, m.detail, p.name, p.status, p.last_event_at, p.updated_at FROM person_members m JOIN people p ON p.id = m.person_id ORDER BY 1",
      });
    const before = await snapshot();
    await link(t.db.sql, "idibu", ["d00", "d01", "s1", "s2", "d30"]);
    await link(t.db.sql, "outhire", ["j1", "j2", "j4"]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("linking batches on postgres: cost and concurrency", () => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb("postgres");
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it("records already linked whose email and derived columns did not change cost one membership probe each, and no refresh", async () => {
    const exts = Array.from({ length: 20 }, (_, i) => `u${String(i).padStart(2, "0")}`);
    await store(t.db.sql, "talview", exts.map((ext, i) => ({ ext, name: "Sam Steady", email: i % 2 ? `steady.${i}@example.com` : "steady@example.com" })));
    await link(t.db.sql, "talview", exts);
    const stats = await t.db.sql.transaction(async (tx) => {
      // PostgreSQL 15 reports a backend's counts since its last stats flush, which can span earlier
      // transactions of the connection: what this statement did is the difference.
      const read = () =>
        tx.query<{ relname: string; scans: number; fetched: number; written: number }>({
          text: `SELECT relname, (coalesce(idx_scan, 0) + seq_scan)::int AS scans, (coalesce(idx_tup_fetch, 0) + seq_tup_read)::int AS fetched,
                        (n_tup_ins + n_tup_upd + n_tup_del)::int AS written
                 FROM pg_stat_xact_user_tables WHERE relname IN ('person_members', 'people')`,
        });
      const before = await read();
      await link(tx, "talview", exts);
      return (await read()).map((s) => {
        const b = before.find((x) => x.relname === s.relname)!;
        return { relname: s.relname, scans: s.scans - b.scans, fetched: s.fetched - b.fetched, written: s.written - b.written };
      });
    });
    const by = Object.fromEntries(stats.map((s) => [s.relname, s]));
    expect(by.person_members).toMatchObject({ scans: 20, fetched: 20, written: 0 });
    // At most a primary-key probe per record's person (11 people: ten records share an email) to
    // compare its derived columns; nothing refreshed (a refresh reads each person twice more).
    expect(by.people.written).toBe(0);
    expect(by.people.fetched).toBeLessThanOrEqual(11);
  });

  it("two batches linking the same new record at once make one person, not two", async () => {
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const email = `race.${round}@example.com`;
      await store(t.db.sql, "ashby", [
        { ext: `ra${round}`, email },
        { ext: `rb${round}`, email: email.toUpperCase() },
      ]);
      // Batch A links and holds its transaction open; batch B starts meanwhile and must wait for it.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let linkedA!: () => void;
      const aLinked = new Promise<void>((resolve) => (linkedA = resolve));
      const a = t.db.sql.transaction(async (tx) => {
        await link(tx, "ashby", [`ra${round}`]);
        linkedA();
        await held;
      });
      await aLinked;
      let bDone = false;
      const b = t.db.sql.transaction((tx) => link(tx, "ashby", [`rb${round}`])).then(() => (bDone = true));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(bDone).toBe(false);
      release();
      await Promise.all([a, b]);
      const rows = await members(t, "ashby", [`ra${round}`, `rb${round}`]);
      expect(rows.map((r) => [r.ext, r.reason])).toEqual([
        [`ra${round}`, "new"],
        [`rb${round}`, "email"],
      ]);
      expect(rows[0].person_id).toBe(rows[1].person_id);
    }
    // And both at once without a hold, many times: never two people for one email.
    for (let round = 0; round < 10; round++) {
      const email = `burst.${round}@example.com`;
      await store(t.db.sql, "lever", [
        { ext: `ba${round}`, email },
        { ext: `bb${round}`, email },
        { ext: `bc${round}`, email },
      ]);
      await Promise.all([link(t.db.sql, "lever", [`ba${round}`]), link(t.db.sql, "lever", [`bb${round}`, `bc${round}`])]);
      const rows = await members(t, "lever", [`ba${round}`, `bb${round}`, `bc${round}`]);
      expect(rows).toHaveLength(3);
      expect(new Set(rows.map((r) => r.person_id)).size).toBe(1);
      expect(rows.filter((r) => r.reason === "new")).toHaveLength(1);
    }
    // A record without email takes no lock: two batches may both start a person for it. One
    // membership wins; the other batch's person, left without records, is removed.
    for (let round = 0; round < 3; round++) {
      await store(t.db.sql, "lever", [{ ext: `ne${round}` }]);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let linkedA!: () => void;
      const aLinked = new Promise<void>((resolve) => (linkedA = resolve));
      const a = t.db.sql.transaction(async (tx) => {
        await link(tx, "lever", [`ne${round}`]);
        linkedA();
        await held;
      });
      await aLinked;
      const b = t.db.sql.transaction((tx) => link(tx, "lever", [`ne${round}`]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await Promise.all([a, b]);
      const rows = await members(t, "lever", [`ne${round}`]);
      expect(rows).toHaveLength(1);
      expect(await person(t, rows[0].person_id)).toMatchObject({ name: `Name ne${round}`, n: 1 });
    }
    // No person was left empty by either batch.
    const [empty] = await t.db.sql.query<{ n: number }>({
      text: "SELECT count(*)::int AS n FROM people p WHERE NOT EXISTS (SELECT 1 FROM person_members m WHERE m.person_id = p.id)",
    });
    expect(empty.n).toBe(0);
  });
});
