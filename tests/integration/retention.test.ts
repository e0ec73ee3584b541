import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getRetentionRoute, PUT as putRetentionRoute } from "@/app/api/settings/retention/route";
import { POST as runRetentionRoute } from "@/app/api/retention/run/route";
import { GET as auditRoute } from "@/app/api/audit/route";
import { setDb } from "@/lib/db/client";
import { retentionRunSchema, retentionSettingsSchema } from "@/lib/contracts/responses";
import { runRetention } from "@/lib/retention/retention";
import { call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];
const DAY = 24 * 60 * 60 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * DAY);

function stageBody(candidateId: number, at: string, stage: string): string {
  const body = JSON.parse(readFixture("greenhouse", "fixtures/candidate-stage-change.json").toString().replace(": 00000", ': "00000"'));
  body.payload.application.last_activity_at = at;
  body.payload.application.current_stage.name = stage;
  body.payload.application.candidate.id = candidateId;
  return JSON.stringify(body);
}

const putSettings = (body: unknown) =>
  call(putRetentionRoute as never, "PUT", "/api/settings/retention", { body: JSON.stringify(body), headers: { "content-type": "application/json" } });

describe.each(kinds)("retention on %s", (kind) => {
  let t: TestDb;
  let ep: { id: string; secret: string | null };
  const send = (body: string) => sendWebhook(ep.id, body, { sign: { provider: "greenhouse", secret: ep.secret } });
  const count = async (table: string, where = "true") =>
    Number((await t.db.sql.query<{ n: number }>({ text: `SELECT count(*)::int AS n FROM ${table} WHERE ${where}` }))[0].n);

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    const res = await routes.createEndpoint({ provider: "greenhouse", name: "greenhouse" });
    ep = { id: res.json.id, secret: res.json.secret };
    for (let i = 0; i < 5; i++) expect((await send(stageBody(1000 + i, `2026-01-0${i + 1}T10:00:00Z`, "Phone Screen"))).json.status).toBe("processed");
    // A refused request (wrong signature): one row in rejected_requests and one in endpoint_rejections.
    const refused = await sendWebhook(ep.id, stageBody(999, "2026-01-01T10:00:00Z", "x"), { headers: { signature: "sha256 nope" } });
    expect(refused.status).toBe(401);
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("defaults keep deliveries and events, and bound only the bookkeeping tables (30 days)", async () => {
    const settings = retentionSettingsSchema.parse((await call(getRetentionRoute as never, "GET", "/api/settings/retention")).json);
    expect(settings).toEqual({ rawBodyDays: null, eventDays: null, rejectedDays: 30 });

    const early = await runRetention(t.db.sql, { now: inDays(29) });
    expect(early).toMatchObject({ ran: true, rawBodies: 0, events: 0, rejectedRequests: 0, endpointRejections: 0, idempotencyKeys: 0 });

    const late = await runRetention(t.db.sql, { now: inDays(31), batchSize: 2 });
    expect(late).toMatchObject({ ran: true, rawBodies: 0, events: 0, candidates: 0, rejectedRequests: 1, endpointRejections: 1, idempotencyKeys: 5 });
    expect(await count("rejected_requests")).toBe(0);
    expect(await count("endpoint_rejections")).toBe(0);
    expect(await count("deliveries", "body_purged_at IS NULL")).toBe(5);
    expect(await count("events")).toBe(5);
  });

  it("drops raw bodies older than rawBodyDays (in batches), keeps newer ones and the events; reprocess explains", async () => {
    const put = await putSettings({ rawBodyDays: 10, eventDays: null, rejectedDays: 30 });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ rawBodyDays: 10, eventDays: null, rejectedDays: 30 });
    expect((await putSettings({ rawBodyDays: 0, eventDays: null, rejectedDays: 30 })).status).toBe(400);

    expect(await runRetention(t.db.sql, { now: inDays(9) })).toMatchObject({ ran: true, rawBodies: 0 });
    const run = await runRetention(t.db.sql, { now: inDays(11), batchSize: 2 });
    expect(run).toMatchObject({ ran: true, rawBodies: 5, events: 0 });
    expect(await count("deliveries", "body_purged_at IS NOT NULL AND body_purge_reason = 'retention' AND octet_length(body) = 0 AND body_size > 0")).toBe(5);
    expect(await count("events")).toBe(5);
    const [delivery] = (await routes.listDeliveries("?limit=1")).json.deliveries as Json[];
    expect(delivery.bodyPurgeReason).toBe("retention");
    const again = await routes.reprocess(delivery.id);
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/retention/);
  });

  it("deletes events older than eventDays with candidates left without any", async () => {
    await putSettings({ rawBodyDays: null, eventDays: 20, rejectedDays: 30 });
    expect((await send(stageBody(2000, "2026-01-09T10:00:00Z", "Onsite"))).json.status).toBe("processed");
    expect(await runRetention(t.db.sql, { now: inDays(19) })).toMatchObject({ ran: true, events: 0, candidates: 0 });
    const run = await runRetention(t.db.sql, { now: inDays(21), batchSize: 4 });
    expect(run).toMatchObject({ ran: true, events: 6, candidates: 6 });
    expect(await count("events")).toBe(0);
    expect(await count("candidates")).toBe(0);
    // The newest delivery's body went with its events (a full reprocess would bring them back otherwise).
    expect(await count("deliveries", "body_purged_at IS NULL")).toBe(0);
    expect(await count("deliveries")).toBe(6);
  });

  it("runs once per cluster: a run finding another instance's lease does nothing; POST answers 409 then", async () => {
    await t.db.sql.query({ text: "UPDATE retention_state SET lease_owner = 'other-instance', lease_until = now() + interval '1 minute' WHERE id = 1" });
    expect(await runRetention(t.db.sql)).toMatchObject({ ran: false });
    expect((await call(runRetentionRoute as never, "POST", "/api/retention/run")).status).toBe(409);
    // An expired lease is taken over.
    await t.db.sql.query({ text: "UPDATE retention_state SET lease_until = now() - interval '1 second' WHERE id = 1" });
    const res = await call(runRetentionRoute as never, "POST", "/api/retention/run");
    expect(res.status).toBe(200);
    expect(retentionRunSchema.parse(res.json).ran).toBe(true);
    const [state] = await t.db.sql.query<{ lease_owner: string | null; last_run_at: Date | null }>({ text: "SELECT lease_owner, last_run_at FROM retention_state" });
    expect(state.lease_owner).toBeNull();
    expect(state.last_run_at).not.toBeNull();
  });

  it("audits setting changes and runs", async () => {
    const entries = (await call(auditRoute as never, "GET", "/api/audit?limit=100")).json.entries as Json[];
    const actions = entries.map((e) => e.action);
    expect(actions).toContain("retention.settings");
    expect(actions).toContain("retention.run");
    const run = entries.find((e) => e.action === "retention.run")!;
    expect(run.details).toMatchObject({ via: "api", ran: true });
  });
});
