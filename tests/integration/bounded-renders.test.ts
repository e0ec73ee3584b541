import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as timelineRoute } from "@/app/api/candidates/[id]/timeline/route";
import { GET as eventChangesRoute } from "@/app/api/candidates/[id]/timeline/events/[eventId]/changes/route";
import { GET as deliveryBodyRoute } from "@/app/api/deliveries/[id]/body/route";
import { CANDIDATE_JOBS_SHOWN, TIMELINE_CHANGES_PER_EVENT, TIMELINE_STAGE_CHANGES_PER_EVENT } from "@/lib/api/timeline";
import { candidateViewSchema, eventChangesSchema, timelineSchema, type ChangeView } from "@/lib/contracts/responses";
import { setDb } from "@/lib/db/client";
import { adminHeaders, BASE, call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];
const KEYS = 3_000;

const talview = (file: string): Json => JSON.parse(readFixture("talview", `fixtures/${file}`).toString());

describe.each(kinds)("bounded timeline and delivery reads on %s", (kind) => {
  let t: TestDb;
  let endpointId: string;

  const send = (body: Json | string, event: string) =>
    sendWebhook(endpointId, typeof body === "string" ? body : JSON.stringify(body), { query: `?event=${event}` });
  const timeline = (id: string, query = "") => call(timelineRoute as never, "GET", `/api/candidates/${id}/timeline${query}`, { params: { id } });
  const changes = (id: string, eventId: string, query = "") =>
    call(eventChangesRoute as never, "GET", `/api/candidates/${id}/timeline/events/${eventId}/changes${query}`, { params: { id, eventId } });

  /** Every change of an event, read page by page through the changes route. */
  async function readAllChanges(id: string, eventId: string, query: string): Promise<ChangeView[]> {
    const all: ChangeView[] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page = eventChangesSchema.parse((await changes(id, eventId, `?offset=${offset}&limit=1000${query}`)).json);
      expect(page.offset).toBe(offset);
      all.push(...page.changes);
      offset = page.nextOffset;
    }
    return all;
  }

  async function candidateId(externalId: string): Promise<string> {
    const list = await routes.listCandidates(`?provider=talview&q=${externalId}`);
    return list.json.candidates.find((c: Json) => c.externalId === externalId).id;
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpointId = (await routes.createEndpoint({ provider: "talview", name: "Talview" })).json.id;
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("an update changing thousands of keys lists its first changes and the count; the rest page from the event's changes route", async () => {
    const created = { ...talview("candidate-created.json"), id: 7001 };
    const updated = { ...talview("candidate-updated.json"), id: 7001, cf: Object.fromEntries(Array.from({ length: KEYS }, (_, i) => [`field_${i}`, `value ${i}`])) };
    expect((await send(created, "can.candidate.created")).status).toBe(200);
    expect((await send(updated, "can.candidate.updated")).status).toBe(200);
    const id = await candidateId("7001");

    const res = await timeline(id);
    const event = timelineSchema.parse(res.json).events[0];
    expect(event.changeCount).toBeGreaterThan(KEYS);
    expect(event.changes).toHaveLength(TIMELINE_CHANGES_PER_EVENT);
    expect(JSON.stringify(res.json).length).toBeLessThan(64 * 1024);

    const all = await readAllChanges(id, event.id, "");
    expect(all).toHaveLength(event.changeCount);
    expect(all.slice(0, event.changes.length)).toEqual(event.changes);
    expect(all.filter((c) => c.path.startsWith("cf.field_"))).toHaveLength(KEYS);
    expect(all.every((c) => !c.noise)).toBe(true);
    const paths = all.map((c) => c.path);
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    // Bookkeeping changes follow the timeline's noise switch.
    const noisy = timelineSchema.parse((await timeline(id, "?noise=true")).json).events[0];
    expect(noisy.changeCount).toBe(event.changeCount + event.hiddenNoiseCount);
    expect(await readAllChanges(id, event.id, "&noise=true")).toHaveLength(noisy.changeCount);
  });

  it("an event whose first change is too large to inline lists none inline and serves it from the changes route", async () => {
    const created = { ...talview("candidate-created.json"), id: 7002 };
    const updated = { ...talview("candidate-updated.json"), id: 7002, cf: { a_huge: "x".repeat(100_000) } };
    await send(created, "can.candidate.created");
    await send(updated, "can.candidate.updated");
    const id = await candidateId("7002");
    const event = timelineSchema.parse((await timeline(id)).json).events[0];
    expect(event.changes).toEqual([]);
    expect(event.changeCount).toBeGreaterThan(1);
    const page = eventChangesSchema.parse((await changes(id, event.id)).json);
    expect(page.changes[0]).toMatchObject({ path: "cf.a_huge", kind: "added", after: "x".repeat(100_000) });
  });

  it("leaves large details (a versioned body's previous snapshot) out of the timeline and says so", async () => {
    const versioned = talview("candidate-versioned-snapshot.json");
    versioned.old.id = versioned.new.id = 7003;
    versioned.new.phone_number = "+10000000000";
    await send(versioned, "can.candidate.updated");
    const small = timelineSchema.parse((await timeline(await candidateId("7003"))).json).events[0];
    expect(small).toMatchObject({ detailsOmitted: false, details: { previous: versioned.old } });

    versioned.old.id = versioned.new.id = 7004;
    versioned.old.cf = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i]));
    await send(versioned, "can.candidate.updated");
    const large = timelineSchema.parse((await timeline(await candidateId("7004"))).json).events[0];
    expect(large).toMatchObject({ detailsOmitted: true, details: null, diffBasis: "versioned" });
    expect(large.changeCount).toBeGreaterThan(2_000);
  });

  it("lists an event's first stage changes, and the candidate's latest jobs, with how many there are (an idibu body can carry thousands of vacancies)", async () => {
    const idibu = (await routes.createEndpoint({ provider: "idibu", name: "idibu" })).json.id as string;
    const body = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString());
    body.payload.id = "bounded-7010";
    body.payload.vacancies = Array.from({ length: 300 }, (_, i) => ({ id: String(10_000 + i), title: `Job ${i}`, status: { id: "11", type: "default", label: "Applicants" } }));
    expect((await sendWebhook(idibu, JSON.stringify(body))).status).toBe(200);
    const list = await routes.listCandidates("?provider=idibu&q=bounded-7010");
    const event = timelineSchema.parse((await timeline(list.json.candidates[0].id)).json).events[0];
    expect(event.stageChangeCount).toBe(300);
    expect(event.stageChanges.map((c) => c.jobId)).toEqual(Array.from({ length: TIMELINE_STAGE_CHANGES_PER_EVENT }, (_, i) => String(10_000 + i)));

    // A later update moves the last 10 jobs: those are among the jobs the candidate lists.
    body["payload-information"] = { timestamp: "2025-03-01T10:00:00+00:00", webhook_event: "candidate.update" };
    for (const vacancy of body.payload.vacancies.slice(-10)) vacancy.status.label = "Shortlisted";
    expect((await sendWebhook(idibu, JSON.stringify(body))).status).toBe(200);
    const view = candidateViewSchema.parse((await routes.getCandidate(list.json.candidates[0].id)).json);
    expect(view).toMatchObject({ currentStageCount: 300, stagePathCount: 300 });
    expect(view.currentStages).toHaveLength(CANDIDATE_JOBS_SHOWN);
    expect(view.stagePaths).toHaveLength(CANDIDATE_JOBS_SHOWN);
    const moved = body.payload.vacancies.slice(-10).map((v: Json) => v.id);
    expect(view.currentStages.filter((s) => s.stage === "Shortlisted").map((s) => s.jobKey).sort()).toEqual(moved);
    expect(moved.every((id: string) => view.stagePaths.some((p) => p.jobKey === id))).toBe(true);
  });

  it("answers 404 for an event of another candidate or an unknown one, and 400 for bad paging", async () => {
    const a = await candidateId("7001");
    const b = await candidateId("7002");
    const eventOfB = timelineSchema.parse((await timeline(b)).json).events[0].id;
    expect((await changes(a, eventOfB)).status).toBe(404);
    expect((await changes(a, "evt_missing")).status).toBe(404);
    expect((await changes("cand_missing", eventOfB)).status).toBe(404);
    const bad = await changes(b, eventOfB, "?offset=-1&limit=5000");
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i: Json) => i.path[0]).sort()).toEqual(["limit", "offset"]);
    expect((await call(eventChangesRoute as never, "GET", `/api/candidates/${b}/timeline/events/${eventOfB}/changes`, { params: { id: b, eventId: eventOfB }, auth: false })).status).toBe(401);
  });

  it("serves a delivery's exact bytes as a download that is never rendered", async () => {
    const bytes = Buffer.from(`{"id": 7005, "first_name": "<script>alert(1)</script>", "x": "\u00e9"}   \n`);
    const sent = await sendWebhook(endpointId, bytes, { query: "?event=can.candidate.created", contentType: "application/json; charset=utf-8" });
    const deliveryId = sent.json.deliveryId as string;
    const get = (auth: boolean) =>
      deliveryBodyRoute(new Request(`${BASE}/api/deliveries/${deliveryId}/body`, { headers: auth ? adminHeaders : {} }), {
        params: Promise.resolve({ id: deliveryId }),
      });

    const res = await get(true);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="delivery-.+\.json"/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect((await get(false)).status).toBe(401);
    const missing = await deliveryBodyRoute(new Request(`${BASE}/api/deliveries/dlv_missing/body`, { headers: adminHeaders }), {
      params: Promise.resolve({ id: "dlv_missing" }),
    });
    expect(missing.status).toBe(404);
  });
});
