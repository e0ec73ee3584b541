import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportAuditRoute } from "@/app/api/audit/export.csv/route";
import { GET as listAuditRoute } from "@/app/api/audit/route";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { POST as rotateRoute } from "@/app/api/endpoints/[id]/rotate-secret/route";
import { GET as exportDeliveriesRoute } from "@/app/api/deliveries/export.csv/route";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { POST as createUserRoute } from "@/app/api/users/route";
import { setDb } from "@/lib/db/client";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { call, routes, sendWebhook } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

const kinds: DbKind[] = ["pglite", "postgres"];
const json = { "content-type": "application/json" };

describe.each(kinds)("audit log on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const audit = (query = "") => call(listAuditRoute as never, "GET", `/api/audit${query}`);

  it("records sign-ins and failures, invitations, endpoint changes, rotations and exports, with who and what", async () => {
    const address = { ...json, [CLIENT_ADDRESS_HEADER]: "192.0.2.9" };
    await call(loginRoute as never, "POST", "/api/auth/login", { body: JSON.stringify({ token: "wrong-token-000000" }), headers: address, auth: false });
    await call(loginRoute as never, "POST", "/api/auth/login", { body: JSON.stringify({ token: process.env.ADMIN_TOKEN }), headers: address, auth: false });
    await call(createUserRoute as never, "POST", "/api/users", { body: JSON.stringify({ email: "a@example.test", name: "A", role: "viewer" }), headers: json });
    const endpoint = await routes.createEndpoint({ provider: "greenhouse", name: "audited" });
    await call(rotateRoute as never, "POST", `/api/endpoints/${endpoint.json.id}/rotate-secret`, { params: { id: endpoint.json.id }, body: JSON.stringify({ overlapHours: 0 }) });
    await call(exportEventsRoute as never, "GET", "/api/events/export.csv?provider=greenhouse");

    const { entries } = (await audit()).json as { entries: { actor: string; action: string; target: string | null; details: Record<string, unknown> }[] };
    // An export has two entries: who asked with which filters (before any byte), then how many rows went out.
    expect(entries.map((e) => e.action)).toEqual(["export.events.finished", "export.events", "endpoint.rotate-secret", "endpoint.create", "user.invite", "auth.sign-in", "auth.sign-in-failed"]);
    expect(entries[0]).toMatchObject({ actor: "admin-token", details: { rows: 0, complete: true, query: { provider: "greenhouse" } } });
    expect(entries[1]).toMatchObject({ actor: "admin-token", details: { query: { provider: "greenhouse" } } });
    expect(entries[2]).toMatchObject({ target: endpoint.json.id, details: { body: { overlapHours: 0 } } });
    expect(entries[4]!.details).toMatchObject({ body: { email: "a@example.test", role: "viewer" } });
    expect(entries[6]).toMatchObject({ actor: "anonymous", details: { method: "admin-token", address: "ip:192.0.2.9" } });
    // Secrets never reach the log: the rotation's new secret is in the response, not the entry.
    expect(JSON.stringify(entries)).not.toContain(endpoint.json.secret);
  });

  it("filters by actor, action and time, and pages with the cursor", async () => {
    expect((await audit("?action=endpoint.")).json.entries.map((e: { action: string }) => e.action)).toEqual(["endpoint.rotate-secret", "endpoint.create"]);
    expect((await audit("?actor=anonymous")).json.entries).toHaveLength(1);
    expect((await audit(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).json.entries).toHaveLength(0);
    const first = await audit("?limit=4");
    expect(first.json.entries).toHaveLength(4);
    const second = await audit(`?limit=4&cursor=${first.json.nextCursor}`);
    expect(second.json.entries).toHaveLength(3);
    expect(second.json.nextCursor).toBeNull();
    expect((await audit("?cursor=abc")).status).toBe(400);
  });

  it("the CSV export holds the filtered entries and is itself audited with its filters and row count", async () => {
    const csv = await call(exportAuditRoute as never, "GET", "/api/audit/export.csv?action=endpoint.");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.headers.get("x-row-count")).toBe("2");
    const newest = (await audit("?limit=1")).json.entries[0];
    expect(newest).toMatchObject({ action: "export.audit", details: { filters: { action: "endpoint." }, rows: 2 } });
  });

  it("an export's row count is on record: every row of a finished file, and what went out of one the client abandoned", async () => {
    const endpoint = await routes.createEndpoint({ provider: "talview", name: "export audit" });
    for (let i = 0; i < 3; i++) {
      expect((await sendWebhook(endpoint.json.id, `{"id": ${i}, "broken`, { query: "?event=can.candidate.updated" })).status).toBe(202);
    }
    const whole = await call(exportDeliveriesRoute as never, "GET", `/api/deliveries/export.csv?endpointId=${endpoint.json.id}`);
    expect(whole.status).toBe(200);
    let [finished] = (await audit("?action=export.deliveries.finished")).json.entries;
    expect(finished).toMatchObject({ details: { rows: 3, complete: true, query: { endpointId: endpoint.json.id } } });

    // A download cancelled after its first page: on record as incomplete, with the rows read for it.
    const response = await (exportDeliveriesRoute as never as (r: Request, c: unknown) => Promise<Response>)(
      new Request(`http://localhost/api/deliveries/export.csv?endpointId=${endpoint.json.id}`, { headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } }),
      { params: Promise.resolve({}) },
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await expect.poll(async () => (await audit("?action=export.deliveries.finished")).json.entries.length).toBe(2);
    [finished] = (await audit("?action=export.deliveries.finished")).json.entries;
    expect(finished).toMatchObject({ details: { rows: 3, complete: false } });
  });

  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE of its rows", async () => {
    await expect(t.db.sql.query({ text: "UPDATE audit_log SET actor = 'someone else'" })).rejects.toThrow(/append-only/);
    await expect(t.db.sql.query({ text: "DELETE FROM audit_log" })).rejects.toThrow(/append-only/);
    await expect(t.db.sql.query({ text: "TRUNCATE audit_log" })).rejects.toThrow(/append-only/);
    expect((await audit("?limit=500")).json.entries.length).toBeGreaterThan(5);
  });
});
