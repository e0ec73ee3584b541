import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as timelineRoute } from "@/app/api/candidates/[id]/timeline/route";
import { GET as getStageNamesRoute, PUT as putStageNamesRoute } from "@/app/api/endpoints/[id]/stage-names/route";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { GET as statsRoute } from "@/app/api/stats/route";
import { candidateListSchema, candidateViewSchema, eventListSchema, stageNamesSchema, timelineSchema } from "@/lib/contracts/responses";
import { setDb } from "@/lib/db/client";
import { adminHeaders, BASE, call, routes, sendWebhook } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];

// Lever sends stage ids only (a thin candidateStageChange: opportunity, from and to stage ids).
const opportunityId = "3410c8b9-5c31-4bab-b7e9-9f710206d647";
const stages = { lead: "992f01a9-ee19-41d2-ae79-1040701b195c", phone: "7c2690d8-6308-4ed9-ae2a-cbfe7db26593", onsite: "1f7b3c4e-5a6d-4e8f-9a0b-1c2d3e4f5a6b" };

const stageNames = (id: string) => call(getStageNamesRoute as never, "GET", `/api/endpoints/${id}/stage-names`, { params: { id } });
const putStageNames = (id: string, body: unknown) =>
  call(putStageNamesRoute as never, "PUT", `/api/endpoints/${id}/stage-names`, { params: { id }, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const timeline = (id: string) => call(timelineRoute as never, "GET", `/api/candidates/${id}/timeline`, { params: { id } });

async function exportRows(query: string): Promise<Record<string, string>[]> {
  const response = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv?${query}`, { headers: adminHeaders }));
  expect(response.status).toBe(200);
  return parse(await response.text(), { columns: true, record_delimiter: "\r\n" });
}

describe.each(kinds)("stage names per endpoint on %s", (kind) => {
  let t: TestDb;
  let endpoint: { id: string; secret: string };
  let candidateId: string;

  const send = async (event: string, data: Json, at: string) => {
    const body = { event, triggeredAt: Date.parse(at), data: { opportunityId, ...data } };
    const res = await sendWebhook(endpoint.id, JSON.stringify(body), { sign: { provider: "lever", secret: endpoint.secret } });
    expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpoint = (await routes.createEndpoint({ provider: "lever", name: "Lever" })).json;
    await send("applicationCreated", { applicationId: "app-1" }, "2026-05-01T10:00:00Z");
    await send("candidateStageChange", { fromStageId: stages.lead, toStageId: stages.phone }, "2026-05-02T10:00:00Z");
    await send("candidateStageChange", { fromStageId: stages.phone, toStageId: stages.onsite }, "2026-05-03T10:00:00Z");
    candidateId = (await routes.listCandidates(`?q=${opportunityId}`)).json.candidates[0].id;
  }, 120_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("lists every stage id the endpoint's events carry, unnamed; the timeline shows the ids", async () => {
    const res = await stageNames(endpoint.id);
    expect(res.status).toBe(200);
    const view = stageNamesSchema.parse(res.json);
    expect(view.names).toEqual({});
    expect(view.stages.map((s) => s.stageId)).toEqual([stages.onsite, stages.phone, stages.lead]);
    expect(view.stages.every((s) => s.name === null)).toBe(true);
    const events = timelineSchema.parse((await timeline(candidateId)).json).events;
    expect(events[0].stage).toEqual({ from: stages.phone, to: stages.onsite });
  });

  it("naming stages renames them in every past event: timeline, candidate, candidate list, events list and filters, CSV export, overview", async () => {
    const res = await putStageNames(endpoint.id, { names: { [stages.phone]: "Phone screen", [stages.onsite]: " Onsite " } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(stageNamesSchema.parse(res.json).names).toEqual({ [stages.onsite]: "Onsite", [stages.phone]: "Phone screen" });
    expect((await stageNames(endpoint.id)).json.stages.map((s: Json) => s.name)).toEqual(["Onsite", "Phone screen", null]);

    const page = timelineSchema.parse((await timeline(candidateId)).json);
    expect(page.events.map((e) => e.stage)).toEqual([{ from: "Phone screen", to: "Onsite" }, { from: stages.lead, to: "Phone screen" }, null]);
    expect(page.candidate.currentStage).toBe("Onsite");
    expect(page.candidate.currentStages.map((s) => s.stage)).toEqual(["Onsite"]);

    const view = candidateViewSchema.parse((await routes.getCandidate(candidateId)).json);
    expect(view.stagePaths[0].spans.map((s) => s.stage)).toEqual(["Phone screen", "Onsite"]);

    const list = candidateListSchema.parse((await routes.listCandidates("?stage=onsite")).json);
    expect(list.candidates.map((c) => [c.id, c.currentStage, c.stages[0].stage])).toEqual([[candidateId, "Onsite", "Onsite"]]);
    // The stored id still finds it too; a name no stage has finds nothing.
    expect((await routes.listCandidates(`?stage=${stages.onsite.slice(0, 8)}`)).json.candidates).toHaveLength(1);
    expect((await routes.listCandidates("?stage=phone")).json.candidates).toHaveLength(0);

    const events = eventListSchema.parse((await routes.listEvents("?stage=Onsite")).json).events;
    expect(events.map((e) => [e.stageFrom, e.stageTo])).toEqual([["Phone screen", "Onsite"], [stages.lead, "Phone screen"], [null, null]]);

    const rows = await exportRows("stage=onsite");
    expect(rows.map((r) => [r.stage_from, r.stage_to])).toEqual([["Phone screen", "Onsite"], [stages.lead, "Phone screen"], ["", ""]]);

    const stats = (await call(statsRoute as never, "GET", "/api/stats")).json;
    expect(stats.recentEvents.map((e: Json) => e.stageTo)).toEqual(["Onsite", "Phone screen", null]);
    expect(stats.recentEvents[0]).not.toHaveProperty("endpointId");
  });

  it("an empty name removes it (the id shows again); the change is audited; bad input and unknown endpoints are refused", async () => {
    expect((await putStageNames(endpoint.id, { names: { [stages.onsite]: "" } })).status).toBe(200);
    expect((await routes.getCandidate(candidateId)).json.currentStage).toBe(stages.onsite);
    expect((await stageNames(endpoint.id)).json.names).toEqual({ [stages.phone]: "Phone screen" });

    const audit = await t.db.sql.query<{ action: string; target: string; details: Json }>({
      text: "SELECT action, target, details FROM audit_log WHERE action = 'endpoint.stage-names' ORDER BY id",
    });
    expect(audit.map((a) => [a.target, a.details.body])).toEqual([
      [endpoint.id, { names: { [stages.phone]: "Phone screen", [stages.onsite]: " Onsite " } }],
      [endpoint.id, { names: { [stages.onsite]: "" } }],
    ]);

    expect((await putStageNames(endpoint.id, { names: { [stages.phone]: "x".repeat(201) } })).status).toBe(400);
    expect((await putStageNames(endpoint.id, { names: { "": "Empty id" } })).status).toBe(400);
    expect((await putStageNames(endpoint.id, { stages: {} })).status).toBe(400);
    expect((await putStageNames("ep_missing", { names: {} })).status).toBe(404);
    expect((await stageNames("ep_missing")).status).toBe(404);
  });

  it("a name given on another endpoint of the same provider applies (one Lever account, one endpoint per webhook); the event's own endpoint's name wins", async () => {
    const other = (await routes.createEndpoint({ provider: "lever", name: "Lever hires" })).json;
    expect((await putStageNames(other.id, { names: { [stages.lead]: "New lead", [stages.phone]: "Screen (other)" } })).status).toBe(200);
    const page = timelineSchema.parse((await timeline(candidateId)).json);
    expect(page.events[1].stage).toEqual({ from: "New lead", to: "Phone screen" });
    // Not seen through the other endpoint: listed there as named (by id), without a time.
    expect((await stageNames(other.id)).json.stages).toEqual([
      { stageId: stages.phone, name: "Screen (other)", lastSeenAt: null },
      { stageId: stages.lead, name: "New lead", lastSeenAt: null },
    ]);
  });
});
