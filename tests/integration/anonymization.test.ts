import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];

const PERSON = { id: "31415926", first: "Philippa", last: "Anonymova", email: "philippa.anonymova@anon.example", phone: "555-0177-314", title: "Chief Pastry Officer" };

function stageBody(at: string, stage: string, jobTitle = "Baker"): string {
  const body = JSON.parse(readFixture("greenhouse", "fixtures/candidate-stage-change.json").toString().replace(": 00000", ': "00000"'));
  const app = body.payload.application;
  app.last_activity_at = at;
  app.current_stage.name = stage;
  app.jobs[0].name = jobTitle;
  Object.assign(app.candidate, {
    id: Number(PERSON.id),
    first_name: PERSON.first,
    last_name: PERSON.last,
    title: PERSON.title,
    email_addresses: [{ value: PERSON.email, type: "personal" }],
    phone_numbers: [{ value: PERSON.phone, type: "home" }],
  });
  return JSON.stringify(body);
}

/** The documented shape (lib/providers/greenhouse/corpus/candidate-anonymized.json) for this candidate. */
function anonymizedBody(fields: string[]): string {
  const body = JSON.parse(readFixture("greenhouse", "corpus/candidate-anonymized.json").toString());
  body.payload.candidate_id = Number(PERSON.id);
  body.payload.anonymized_fields = fields;
  return JSON.stringify(body);
}

async function occurrences(t: TestDb, needle: string): Promise<number> {
  const [row] = await t.db.sql.query<{ n: number }>({
    text: `SELECT (SELECT count(*) FROM events WHERE position($1 IN coalesce(snapshot::text, '') || coalesce(candidate_name, '') || coalesce(candidate_email, '') || coalesce(details::text, '')) > 0)
                + (SELECT count(*) FROM deliveries WHERE position(convert_to($1, 'UTF8') IN body) > 0)
                + (SELECT count(*) FROM candidates WHERE position($1 IN coalesce(name, '') || coalesce(email, '')) > 0) AS n`,
    params: [needle],
  });
  return Number(row.n);
}

describe.each(kinds)("Greenhouse candidate_anonymized on %s", (kind) => {
  let t: TestDb;
  let ep: { id: string; secret: string | null };
  const send = (body: string) => sendWebhook(ep.id, body, { sign: { provider: "greenhouse", secret: ep.secret } });
  const deliveries: string[] = [];

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    const res = await routes.createEndpoint({ provider: "greenhouse", name: "greenhouse" });
    ep = { id: res.json.id, secret: res.json.secret };
    for (const [at, stage] of [
      ["2026-01-05T10:00:00Z", "Application Review"],
      ["2026-01-08T10:00:00Z", "Phone Screen"],
      ["2026-01-12T10:00:00Z", "Onsite"],
    ]) {
      const answer = await send(stageBody(at, stage));
      expect(answer.json.status).toBe("processed");
      deliveries.push(answer.json.deliveryId);
    }
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("removes the listed fields from every snapshot and raw body, keeps the hash and the timeline", async () => {
    const before = (await routes.getDelivery(deliveries[0])).json;
    for (const needle of [PERSON.first, PERSON.last, PERSON.email, PERSON.phone, PERSON.title]) expect(await occurrences(t, needle)).toBeGreaterThan(0);

    const answer = await send(anonymizedBody(["full_name", "email_addresses", "phone_numbers", "current_title"]));
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe("ignored");
    expect(answer.json.reason).toMatch(/anonymized/);

    for (const needle of [PERSON.first, PERSON.last, PERSON.email, PERSON.phone, PERSON.title]) expect(await occurrences(t, needle), needle).toBe(0);

    const after = (await routes.getDelivery(deliveries[0])).json;
    expect(after.bodySha256).toBe(before.bodySha256);
    expect(after.bodyRedactedAt).toBeTruthy();
    expect(after.redactedFields).toEqual(["full_name", "email_addresses", "phone_numbers", "current_title"]);
    const candidate = JSON.parse(after.body.text).payload.application.candidate;
    expect(candidate).toMatchObject({ id: Number(PERSON.id), first_name: "[anonymized]", last_name: "[anonymized]", email_addresses: [], phone_numbers: [], title: "[anonymized]" });
    // What Greenhouse did not anonymize stays.
    expect(candidate.educations.length).toBeGreaterThan(0);

    const list = (await routes.listCandidates(`?q=${PERSON.id}`)).json.candidates as Json[];
    expect(list).toHaveLength(1);
    expect(list[0].name).toBe("[anonymized]");
    expect(list[0].email).toBe("[anonymized]");
    const view = (await routes.getCandidate(list[0].id)).json;
    expect(view.eventCount).toBe(3);
    expect(view.currentStages.map((s: Json) => s.stage)).toEqual(["Onsite"]);
    expect(view.stagePaths[0].spans.map((s: Json) => s.stage)).toEqual(["Application Review", "Phone Screen", "Onsite"]);
  });

  it("stays anonymized when a rewritten delivery is reprocessed", async () => {
    const again = await routes.reprocess(deliveries[1]);
    expect(again.status).toBe(200);
    expect(again.json.status).toBe("processed");
    for (const needle of [PERSON.first, PERSON.email]) expect(await occurrences(t, needle)).toBe(0);
    const list = (await routes.listCandidates(`?q=${PERSON.id}`)).json.candidates as Json[];
    expect(list[0].name).toBe("[anonymized]");
  });

  it("redacts a late retry of an earlier delivery as the stored ones were, and no people table keeps the name or email", async () => {
    const late = await send(stageBody("2026-01-10T10:00:00Z", "Phone Screen"));
    expect(late.json.status).toBe("processed");
    for (const needle of [PERSON.first, PERSON.last, PERSON.email, PERSON.title]) expect(await occurrences(t, needle), needle).toBe(0);
    const list = (await routes.listCandidates(`?q=${PERSON.id}`)).json.candidates as Json[];
    expect(list[0].name).toBe("[anonymized]");
    // People are linked after the answer: wait until the record's person is settled, then look.
    const inPeople = async () => {
      const [row] = await t.db.sql.query<{ n: number }>({
        text: `SELECT (SELECT count(*) FROM people WHERE position($1 IN coalesce(name, '')) > 0)
                    + (SELECT count(*) FROM person_members WHERE position($2 IN coalesce(email_key, '') || coalesce(detail, '')) > 0) AS n`,
        params: [PERSON.first, PERSON.email],
      });
      return Number(row.n);
    };
    await expect.poll(async () => (await t.db.sql.query({ text: "SELECT 1 FROM person_members m JOIN candidates c ON c.id = m.candidate_id WHERE c.external_id = $1", params: [PERSON.id] })).length).toBe(1);
    expect(await inPeople()).toBe(0);
  });

  it("leaves other candidates and unlisted fields alone", async () => {
    const other = JSON.parse(stageBody("2026-01-09T10:00:00Z", "Phone Screen"));
    other.payload.application.candidate.id = 27182818;
    other.payload.application.candidate.first_name = "Unrelated";
    expect((await send(JSON.stringify(other))).json.status).toBe("processed");
    expect((await send(anonymizedBody(["tags"]))).json.status).toBe("ignored");
    expect(await occurrences(t, "Unrelated")).toBeGreaterThan(0);
    const list = (await routes.listCandidates(`?q=27182818`)).json.candidates as Json[];
    expect(list[0].name).toContain("Unrelated");
  });
});
