import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as erasePersonRoute } from "@/app/api/people/[id]/erase/route";
import { GET as getPersonRoute } from "@/app/api/people/[id]/route";
import { GET as listPeopleRoute } from "@/app/api/people/route";
import { GET as listErasuresRoute } from "@/app/api/erasures/route";
import { setDb } from "@/lib/db/client";
import { call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * POST /api/people/{id}/erase: a person present in two providers is erased as one — every record,
 * in one erasure record — after the person's id is typed as confirmation.
 */
type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];
const EMAIL = "Ines.Quintero@Example.org";

describe.each(kinds)("erasing a person on %s", (kind) => {
  let t: TestDb;
  const ep: Record<string, { id: string; secret: string | null }> = {};

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    for (const provider of ["greenhouse", "outhire"] as const) {
      const res = await routes.createEndpoint({ provider, name: provider });
      ep[provider] = { id: res.json.id, secret: res.json.secret };
    }
    const gh: Json = JSON.parse(readFixture("greenhouse", "fixtures/candidate-stage-change.json").toString().replace(": 00000", ': "00000"'));
    const app = gh.payload.application;
    Object.assign(app.candidate, { id: 7101, first_name: "Inés", last_name: "Quintero", email_addresses: [{ value: EMAIL, type: "personal" }], phone_numbers: [] });
    app.last_activity_at = "2026-11-02T10:00:00Z";
    expect((await sendWebhook(ep.greenhouse.id, JSON.stringify(gh), { sign: { provider: "greenhouse", secret: ep.greenhouse.secret } })).json.status).toBe("processed");
    const oh: Json = JSON.parse(readFixture("outhire", "fixtures/candidate-applied.json").toString());
    oh.occurred_at = "2026-11-03T10:00:00Z";
    oh.candidate = { ...oh.candidate, id: 7102, name: "Ines Quintero", email: EMAIL.toLowerCase(), phone: null, applied_at: oh.occurred_at };
    expect((await sendWebhook(ep.outhire.id, JSON.stringify(oh), { sign: { provider: "outhire", secret: ep.outhire.secret } })).json.status).toBe("processed");
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const personByEmail = async () =>
    ((await call(listPeopleRoute as never, "GET", `/api/people?q=${encodeURIComponent(EMAIL)}`)).json.people as Json[]).find((p) => p.candidates.length === 2);

  it("erases every record of the person in one erasure, after the person's id is typed", async () => {
    // Linking runs right after processing: wait until both records are one person.
    await expect.poll(async () => Boolean(await personByEmail()), { timeout: 15_000 }).toBe(true);
    const person = (await personByEmail())!;
    const erase = (confirm: string) => call(erasePersonRoute as never, "POST", `/api/people/${person.id}/erase`, { params: { id: person.id }, body: JSON.stringify({ confirm }), headers: { "content-type": "application/json" } });

    const wrong = await erase("Ines Quintero");
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe("confirmation_mismatch");
    expect((await routes.listCandidates(`?q=quintero`)).json.candidates).toHaveLength(2);

    const done = await erase(person.id);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json.counts).toMatchObject({ candidates: 2, events: 2, deliveries: 2 });
    expect((await call(getPersonRoute as never, "GET", `/api/people/${person.id}`, { params: { id: person.id } })).status).toBe(404);
    expect((await routes.listCandidates(`?q=quintero`)).json.candidates).toEqual([]);
    const [record] = (await call(listErasuresRoute as never, "GET", "/api/erasures")).json.erasures;
    expect(record).toMatchObject({ id: done.json.id, counts: { candidates: 2 } });
    // No row of any candidate, event or person table still names them.
    const left = await t.db.sql.query<{ n: number }>({
      text: `SELECT (SELECT count(*) FROM candidates WHERE email ILIKE $1)::int + (SELECT count(*) FROM events WHERE candidate_email ILIKE $1)::int
                  + (SELECT count(*) FROM people WHERE name ILIKE '%quintero%')::int AS n`,
      params: [EMAIL],
    });
    expect(left[0].n).toBe(0);
    expect((await erase(person.id)).status).toBe(404);
  });
});
