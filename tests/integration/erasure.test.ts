import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as eraseRoute } from "@/app/api/candidates/[id]/erase/route";
import { GET as erasuresRoute } from "@/app/api/erasures/route";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { GET as auditRoute } from "@/app/api/audit/route";
import { openDb, setDb } from "@/lib/db/client";
import { migrateDb } from "@/lib/db/migrate-configured";
import { eraseCandidates } from "@/lib/erasure/erase";
import { erasureSchema, erasureListSchema } from "@/lib/contracts/responses";
import { adminHeaders, BASE, call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];

/** The erased person: values distinctive enough that any occurrence in the database is theirs. */
const ERASED = { id: "90817263", first: "Zebulon", last: "Quartermaine", email: "zebulon.quartermaine@erase.example", phone: "555-0199-731" };
/** Someone else, whose history must stay whole. */
const KEPT = { id: "41526374", first: "Ottoline", last: "Brackenbury", email: "ottoline.brackenbury@keep.example", phone: "555-0142-001" };
/** A record Greenhouse merged into the erased candidate: erased with it. */
const MERGED = { id: "73625140", first: "Zeb", last: "Quarter-Maine", email: "zq.old@erase.example" };

function stageBody(person: { id: string; first: string; last: string; email: string; phone?: string }, at: string, stage: string): string {
  const body = JSON.parse(readFixture("greenhouse", "fixtures/candidate-stage-change.json").toString().replace(": 00000", ': "00000"'));
  const app = body.payload.application;
  app.last_activity_at = at;
  app.current_stage.name = stage;
  Object.assign(app.candidate, {
    id: Number(person.id),
    first_name: person.first,
    last_name: person.last,
    url: `https://app.greenhouse.io/people/${person.id}`,
    email_addresses: [{ value: person.email, type: "personal" }],
    phone_numbers: [{ value: person.phone ?? "555-0100-000", type: "home" }],
  });
  return JSON.stringify(body);
}

function mergeBody(from: { id: string; first: string; last: string }, into: string): string {
  const body = JSON.parse(readFixture("greenhouse", "fixtures/merge-candidate.json").toString());
  Object.assign(body.payload.person, { id: Number(from.id), first_name: from.first, last_name: from.last, new_candidate_id: Number(into) });
  return JSON.stringify(body);
}

/** Every text, jsonb and bytea column of every table, searched for each needle: where it still occurs. */
async function traces(t: TestDb, needles: string[]): Promise<string[]> {
  const columns = await t.db.sql.query<{ table_name: string; column_name: string; data_type: string }>({
    text: `SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'bytea', 'character varying', 'ARRAY')
           ORDER BY table_name, column_name`,
  });
  expect(columns.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const c of columns) {
    const col = `"${c.column_name}"`;
    const asText = c.data_type === "bytea" ? `convert_from(${col}, 'SQL_ASCII')` : `${col}::text`;
    for (const needle of needles) {
      const [row] = await t.db.sql.query<{ n: number }>({
        text: `SELECT count(*)::int AS n FROM "${c.table_name}" WHERE position(lower($1) IN lower(${asText})) > 0`,
        params: [needle],
      });
      if (row.n > 0) found.push(`${c.table_name}.${c.column_name} holds "${needle}" (${row.n} rows)`);
    }
  }
  return found;
}

const erasedNeedles = [ERASED.id, ERASED.first, ERASED.last, ERASED.email, ERASED.phone, MERGED.id, MERGED.email, MERGED.last];
const keptNeedles = [KEPT.id, KEPT.first, KEPT.email];

const erase = (id: string, confirm: string, headers: Record<string, string> = {}) =>
  call(eraseRoute as never, "POST", `/api/candidates/${id}/erase`, {
    params: { id },
    body: JSON.stringify({ confirm }),
    headers: { "content-type": "application/json", ...headers },
  });

async function candidateId(externalId: string): Promise<string | null> {
  const res = await routes.listCandidates(`?q=${externalId}`);
  return (res.json.candidates as Json[]).find((c) => c.externalId === externalId)?.id ?? null;
}

async function exportRows(query: string): Promise<Record<string, string>[]> {
  const response = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv?${query}`, { headers: adminHeaders }));
  expect(response.status).toBe(200);
  return parse(await response.text(), { columns: true, record_delimiter: "\r\n" });
}

describe.each(kinds)("erasure on %s", (kind) => {
  let t: TestDb;
  let ep: { id: string; secret: string | null };
  const send = (body: string, deliveryId?: string) =>
    sendWebhook(ep.id, body, { sign: { provider: "greenhouse", secret: ep.secret, ...(deliveryId ? { deliveryId } : {}) } });
  let erasedId: string;
  const erasedDeliveries: string[] = [];
  const firstRetry = { body: "", deliveryId: "gh-event-erased-1" };

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    const res = await routes.createEndpoint({ provider: "greenhouse", name: "greenhouse" });
    ep = { id: res.json.id, secret: res.json.secret };

    firstRetry.body = stageBody(ERASED, "2026-01-05T10:00:00Z", "Application Review");
    for (const [body, deliveryId] of [
      [firstRetry.body, firstRetry.deliveryId],
      [stageBody(ERASED, "2026-01-10T10:00:00Z", "Phone Screen"), undefined],
      [stageBody(MERGED, "2025-12-01T10:00:00Z", "Application Review"), undefined],
      [mergeBody(MERGED, ERASED.id), undefined],
      [stageBody(KEPT, "2026-01-06T10:00:00Z", "Phone Screen"), undefined],
    ] as const) {
      const answer = await send(body, deliveryId);
      expect(answer.json.status, JSON.stringify(answer.json)).toBe("processed");
      if (!body.includes(KEPT.id)) erasedDeliveries.push(answer.json.deliveryId);
    }
    // About them but never an event: a delivery that failed to map, and a refused request.
    const broken = JSON.parse(stageBody(ERASED, "2026-01-05T10:00:00Z", "x"));
    broken.payload.application.last_activity_at = "not a time";
    const failed = await send(JSON.stringify(broken));
    expect(failed.json.status).toBe("failed");
    erasedDeliveries.push(failed.json.deliveryId);
    const unsigned = await sendWebhook(ep.id, stageBody(ERASED, "2026-01-05T10:00:00Z", "x"), { headers: { signature: "sha256 nope" } });
    expect(unsigned.status).toBe(401);
    // Someone else's failed delivery stays as it is.
    const otherBroken = JSON.parse(stageBody(KEPT, "2026-01-05T10:00:00Z", "x"));
    otherBroken.payload.application.last_activity_at = "not a time";
    expect((await send(JSON.stringify(otherBroken))).json.status).toBe("failed");
    // A redelivery of the first one: stored as its duplicate, with the same body.
    const dup = await send(firstRetry.body, firstRetry.deliveryId);
    expect(dup.json.status).toBe("duplicate");
    erasedId = (await candidateId(ERASED.id))!;
    expect(erasedId).toBeTruthy();
    expect(await candidateId(MERGED.id)).toBeTruthy();
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("refuses without the provider id as confirmation, and for a missing candidate", async () => {
    expect((await erase(erasedId, "not-the-id")).status).toBe(400);
    expect((await erase(erasedId, "")).status).toBe(400);
    expect((await erase("cand_missing", ERASED.id)).status).toBe(404);
    expect(await candidateId(ERASED.id)).toBe(erasedId);
  });

  it("erases the candidate and the records merged into it, and leaves no trace in any table", async () => {
    const before = await traces(t, erasedNeedles);
    expect(before.length, "the data is there before").toBeGreaterThan(5);

    const res = await erase(erasedId, ERASED.id);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const record = erasureSchema.parse(res.json);
    expect(record.counts).toEqual({ candidates: 2, events: 4, deliveries: 6, idempotencyKeys: 5, refusedRequests: 1 });

    expect(await traces(t, erasedNeedles)).toEqual([]);
    // The other candidate is whole.
    expect((await traces(t, keptNeedles)).length).toBeGreaterThan(3);
    const kept = await candidateId(KEPT.id);
    expect((await routes.getCandidate(kept!)).json.name).toBe(`${KEPT.first} ${KEPT.last}`);
    expect(await candidateId(ERASED.id)).toBeNull();
    expect(await candidateId(MERGED.id)).toBeNull();
    expect((await routes.getCandidate(erasedId)).status).toBe(404);
  });

  it("keeps the deliveries as bodiless rows: status, time and size; reprocess says why it cannot run", async () => {
    const log = (await routes.listDeliveries("?limit=100")).json.deliveries as Json[];
    expect(log.length).toBe(8);
    for (const id of erasedDeliveries) {
      const detail = (await routes.getDelivery(id)).json;
      expect(["processed", "failed"]).toContain(detail.status);
      expect(detail.bodyPurgeReason).toBe("erased");
      expect(detail.bodyPurgedAt).toBeTruthy();
      expect(detail.body.purged).toBe(true);
      expect(detail.body.text).toBe("");
      expect(detail.body.bytes).toBeGreaterThan(300);
      expect(detail.headers).toEqual({});
      expect(detail.eventCount).toBe(0);
      const again = await routes.reprocess(id);
      expect(again.status).toBe(409);
      expect(again.json.error).toBe("delivery_bodiless");
      expect(again.json.message).toMatch(/erased/);
    }
    const stats = log.filter((d) => d.status === "duplicate");
    expect(stats.length).toBe(1);
    expect(stats[0].bodyPurgeReason).toBe("erased");
  });

  it("records the erasure without personal data, audited, listed by GET /api/erasures", async () => {
    const list = erasureListSchema.parse((await call(erasuresRoute as never, "GET", "/api/erasures")).json);
    expect(list.erasures).toHaveLength(1);
    expect(list.erasures[0].actor).toBe("admin-token");
    expect(list.erasures[0].counts.candidates).toBe(2);
    const audit = (await call(auditRoute as never, "GET", "/api/audit?action=candidate.erase")).json;
    expect(audit.entries.map((e: Json) => e.action)).toContain("candidate.erase");
    const keys = await t.db.sql.query<{ key_hash: string }>({ text: "SELECT key_hash FROM erased_keys" });
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("exports nothing of the erased candidate", async () => {
    expect(await exportRows(`candidateId=${erasedId}`)).toEqual([]);
    const all = await exportRows("");
    expect(all.length).toBe(1);
    expect(JSON.stringify(all)).not.toContain(ERASED.last);
  });

  it("answers a provider's retry of a delivery from before the erasure 200 ignored (erased), stored without body", async () => {
    const retry = await send(firstRetry.body, firstRetry.deliveryId);
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ status: "ignored", reason: "erased" });
    // Retried again: answered the same, not stored (body and all) as a duplicate nothing processes.
    const twice = await send(firstRetry.body, firstRetry.deliveryId);
    expect(twice.json).toMatchObject({ status: "ignored", reason: "erased" });
    const other = await send(stageBody(ERASED, "2026-01-07T10:00:00Z", "Onsite"));
    expect(other.json).toMatchObject({ status: "ignored", reason: "erased" });
    const detail = (await routes.getDelivery(retry.json.deliveryId)).json;
    expect(detail.body.purged).toBe(true);
    expect(detail.bodyPurgeReason).toBe("erased");
    expect(await candidateId(ERASED.id)).toBeNull();
    expect(await traces(t, erasedNeedles)).toEqual([]);
  });

  it("takes an event that occurred after the erasure as a new history", async () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    const res = await send(stageBody(ERASED, later, "Application Review"));
    expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
    const again = await candidateId(ERASED.id);
    expect(again).toBeTruthy();
    expect(again).not.toBe(erasedId);
    expect((await routes.getCandidate(again!)).json.eventCount).toBe(1);
    // Erased again (by the library, as the shell and the people page do): gone again.
    const result = await eraseCandidates(t.db, [again!], { actor: "test", via: "test" });
    expect(result?.counts).toMatchObject({ candidates: 1, events: 1, deliveries: 1 });
    expect(await traces(t, erasedNeedles)).toEqual([]);
  });

  // PostgreSQL only (defined there, not skipped elsewhere): PGlite's files are checked by the describe below.
  if (kind === "postgres") it("leaves nothing a pg_dump would show", () => {
    const dump = execFileSync("pg_dump", ["--data-only", t.databaseUrl!], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain(KEPT.email);
    for (const needle of erasedNeedles) expect(dump.toLowerCase()).not.toContain(needle.toLowerCase());
  });

  it("erases consistently while the same candidate's deliveries keep arriving", async () => {
    const person = { id: "66120077", first: "Concurrent", last: "Ingestington", email: "concurrent@erase.example", phone: "555-0111-222" };
    await send(stageBody(person, "2026-02-01T10:00:00Z", "Application Review"));
    const id = (await candidateId(person.id))!;
    const bodies = Array.from({ length: 24 }, (_, i) => stageBody(person, `2026-02-0${1 + (i % 8)}T1${i % 10}:00:00Z`, `Stage ${i}`));
    const arriving = Promise.all(bodies.map((b, i) => new Promise((r) => setTimeout(r, i * 3)).then(() => send(b))));
    await new Promise((r) => setTimeout(r, 20));
    const erased = await eraseCandidates(t.db, [id], { actor: "test", via: "test" });
    expect(erased?.counts.candidates).toBe(1);
    const answers = await arriving;
    for (const a of answers) expect(["processed", "ignored", "received"]).toContain(a.json.status);
    // Those processed before the erasure were erased by it; those after were refused: all occurred before it.
    const ids = await t.db.sql.query<{ n: number }>({ text: "SELECT count(*)::int AS n FROM candidates WHERE external_id = $1", params: [person.id] });
    expect(ids[0].n).toBe(0);
    expect(await traces(t, [person.last, person.email, person.id])).toEqual([]);
    expect(answers.filter((a) => a.json.status === "ignored").every((a) => a.json.reason === "erased")).toBe(true);
  }, 60_000);

  // PostgreSQL only: PGlite has one connection, so an ingest cannot wait on a lock the erasure holds.
  if (kind === "postgres") it("refuses an ingest that waited on the candidate's lock while the erasure committed", async () => {
    const person = { id: "55120099", first: "Waiting", last: "Lockwood", email: "lockwood@erase.example", phone: "555-0123-456" };
    await send(stageBody(person, "2026-03-01T10:00:00Z", "Application Review"));
    const id = (await candidateId(person.id))!;
    // Another session holds the candidate's row: the erasure queues on it first, then the ingest.
    const holder = new pg.Client({ connectionString: t.databaseUrl! });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM candidates WHERE id = $1 FOR UPDATE", [id]);
      const erasing = eraseCandidates(t.db, [id], { actor: "test", via: "test" });
      await waitForLockWaiters(holder, 1);
      const arriving = send(stageBody(person, "2026-03-02T10:00:00Z", "Phone Screen"));
      await waitForLockWaiters(holder, 2);
      await holder.query("COMMIT");
      expect((await erasing)?.counts.candidates).toBe(1);
      // The ingest got the lock after the erasure committed: its candidate would be new, its event older than the erasure.
      expect((await arriving).json).toMatchObject({ status: "ignored", reason: "erased" });
    } finally {
      await holder.end();
    }
    expect(await candidateId(person.id)).toBeNull();
    expect(await traces(t, [person.last, person.email, person.id])).toEqual([]);
  }, 60_000);
});

/** Until `n` sessions of this database wait on a lock (the row lock the holder took). */
async function waitForLockWaiters(client: pg.Client, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    // Inside a transaction, pg_stat_activity is read once and kept: clear that snapshot each time.
    await client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    if (rows[0].n >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${n} sessions wait on a lock`);
}

describe("erasure on PGlite in a data directory", () => {
  it("leaves no file of the database holding the erased person (tables rewritten, old WAL segments deleted)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "erasure-files-"));
    const db = openDb({ pgliteDir: path.join(dir, "pglite") });
    try {
      await migrateDb(db);
      setDb(db);
      const res = await routes.createEndpoint({ provider: "greenhouse", name: "greenhouse" });
      const person = { id: "80808080", first: "Filebound", last: "Residuewright", email: "residuewright@erase.example" };
      const answer = await sendWebhook(res.json.id, stageBody(person, "2026-01-05T10:00:00Z", "Application Review"), {
        sign: { provider: "greenhouse", secret: res.json.secret },
      });
      expect(answer.json.status).toBe("processed");
      await db.sql.query({ text: "CHECKPOINT" });
      const holding = () => filesHolding(dir, person.last);
      expect(holding().length).toBeGreaterThan(0);
      const id = (await candidateId(person.id))!;
      expect((await eraseCandidates(db, [id], { actor: "test", via: "test" }))?.counts.candidates).toBe(1);
      expect(holding()).toEqual([]);
    } finally {
      setDb(undefined);
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The files under `dir` whose bytes contain `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && readFileSync(p).includes(bytes)) found.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return found;
}
