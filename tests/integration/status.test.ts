import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { setDb } from "@/lib/db/client";
import { adminHeaders, BASE, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];

const greenhouseStage = (): Json => JSON.parse(readFixture("greenhouse", "fixtures/candidate-stage-change.json").toString().replace(": 00000", ': "00000"'));
const idibuCreate = (): Json => JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString());
const outhireStage = (): Json => JSON.parse(readFixture("outhire", "fixtures/candidate-stage-changed.json").toString());

async function exportRows(query: string): Promise<Record<string, string>[]> {
  const response = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv?${query}`, { headers: adminHeaders }));
  expect(response.status).toBe(200);
  return parse(await response.text(), { columns: true, record_delimiter: "\r\n" });
}

async function candidateOf(provider: string, externalId: string): Promise<Json> {
  const res = await routes.listCandidates(`?q=${encodeURIComponent(externalId)}`);
  const row = res.json.candidates.find((c: Json) => c.provider === provider && c.externalId === externalId);
  expect(row, `${provider}:${externalId}`).toBeDefined();
  return (await routes.getCandidate(row.id)).json;
}

const listed = async (query: string) => ((await routes.listCandidates(query)).json.candidates as Json[]).map((c) => `${c.provider}:${c.externalId}:${c.status}`).sort();

describe.each(kinds)("status and derived stage moves through the real webhook route on %s", (kind) => {
  let t: TestDb;
  const ep: Record<string, { id: string; secret: string | null }> = {};
  const deliveryOf = new Map<string, string>();

  async function greenhouse(label: string, action: string, at: string, change: (app: Json) => void) {
    const body = greenhouseStage();
    body.action = action;
    body.payload.application.candidate.id = 777001;
    body.payload.application.last_activity_at = at;
    change(body.payload.application);
    const res = await sendWebhook(ep.greenhouse.id, JSON.stringify(body), { sign: { provider: "greenhouse", secret: ep.greenhouse.secret } });
    expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
    deliveryOf.set(label, res.json.deliveryId);
  }

  async function idibu(label: string, event: string, at: string, id: string, label2: string) {
    const body = idibuCreate();
    body.payload.id = id;
    body.payload.vacancies[0].status.label = label2;
    body["payload-information"] = { timestamp: at, webhook_event: event };
    const res = await sendWebhook(ep.idibu.id, JSON.stringify(body), { headers: { "x-idibu-delivery": crypto.randomUUID() } });
    expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
    deliveryOf.set(label, res.json.deliveryId);
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    for (const provider of ["greenhouse", "idibu", "outhire"] as const) {
      const res = await routes.createEndpoint({ provider, name: provider });
      expect(res.status).toBe(201);
      ep[provider] = { id: res.json.id, secret: res.json.secret };
    }
  });
  afterAll(async () => {
    setDb(undefined);
    await t.drop();
  });

  it("Greenhouse: hired even when the hire arrives before the stage moves it ends, and the stage clock stops at the hire", async () => {
    // The hire first (as the docs' example: no current_stage), then the two older stage moves.
    await greenhouse("hire", "hire_candidate", "2026-03-20T10:00:00Z", (app) => {
      app.status = "hired";
      delete app.current_stage;
    });
    await greenhouse("offer", "candidate_stage_change", "2026-03-10T10:00:00Z", (app) => (app.current_stage.name = "Offer"));
    await greenhouse("screen", "candidate_stage_change", "2026-03-01T10:00:00Z", (app) => (app.current_stage.name = "Phone Screen"));

    const view = await candidateOf("greenhouse", "777001");
    expect(view.status).toBe("hired");
    expect(view.currentStages).toEqual([expect.objectContaining({ jobKey: "3485", stage: "Offer", status: "hired", statusSince: "2026-03-20T10:00:00.000Z" })]);
    const [path] = view.stagePaths;
    expect(path.status).toBe("hired");
    expect(path.closedAt).toBe("2026-03-20T10:00:00.000Z");
    expect(path.spans.map((s: Json) => [s.stage, s.durationMs])).toEqual([
      ["Phone Screen", 9 * 86_400_000],
      // Ten days in Offer, not "so far": the clock stopped at the hire.
      ["Offer", 10 * 86_400_000],
    ]);
    expect(await listed("?status=hired")).toEqual(["greenhouse:777001:hired"]);
    expect(await listed("?status=active")).not.toContain("greenhouse:777001:active");
  });

  it("Greenhouse: unhired reopens, rejected closes, and a reprocess changes nothing", async () => {
    await greenhouse("unhire", "unhire_candidate", "2026-03-22T10:00:00Z", (app) => (app.status = "active"));
    expect((await candidateOf("greenhouse", "777001")).status).toBe("active");
    await greenhouse("reject", "reject_candidate", "2026-03-25T10:00:00Z", (app) => {
      app.status = "rejected";
      app.current_stage.name = "Offer";
    });
    const view = await candidateOf("greenhouse", "777001");
    expect(view.status).toBe("rejected");
    expect(view.stagePaths[0].closedAt).toBe("2026-03-25T10:00:00.000Z");

    for (const label of ["screen", "hire", "reject"]) expect((await routes.reprocess(deliveryOf.get(label)!)).status).toBe(200);
    expect(await candidateOf("greenhouse", "777001")).toEqual(view);

    expect(await listed("?status=rejected")).toEqual(["greenhouse:777001:rejected"]);
    // The export selects the same candidates.
    const rows = await exportRows("status=rejected");
    expect(new Set(rows.map((r) => r.candidate_external_id))).toEqual(new Set(["777001"]));
    expect(rows).toHaveLength(5);
    expect(await exportRows("status=hired")).toEqual([]);
  });

  it("idibu: a vacancy status move is a derived stage_changed, recomputed when an older delivery arrives late", async () => {
    await idibu("create", "candidate.create", "2026-04-01T09:00:00+00:00", "idb1", "Applicants");
    await idibu("third", "candidate.update", "2026-04-03T09:00:00+00:00", "idb1", "Interview");
    const typesOf = async () => {
      const view = await candidateOf("idibu", "idb1");
      const res = await routes.listEvents(`?candidateId=${view.id}`);
      return { view, events: (res.json.events as Json[]).map((e) => [e.occurredAt.slice(0, 10), e.type, e.stageDerived]) };
    };
    expect((await typesOf()).events).toEqual([
      ["2026-04-03", "stage_changed", true],
      ["2026-04-01", "created", false],
    ]);
    // The late, older update already said Interview: the newer one moved nothing after all.
    await idibu("second", "candidate.update", "2026-04-02T09:00:00+00:00", "idb1", "Interview");
    const { view, events } = await typesOf();
    expect(events).toEqual([
      ["2026-04-03", "updated", false],
      ["2026-04-02", "stage_changed", true],
      ["2026-04-01", "created", false],
    ]);
    // The type filter and the export agree with the timeline.
    const moves = await routes.listEvents(`?candidateId=${view.id}&type=stage_changed`);
    expect(moves.json.events.map((e: Json) => e.occurredAt.slice(0, 10))).toEqual(["2026-04-02"]);
    const rows = await exportRows(`candidateId=${view.id}`);
    expect(rows.map((r) => [r.occurred_at.slice(0, 10), r.event_type, r.stage_from, r.stage_to])).toEqual([
      ["2026-04-03", "updated", "", ""],
      ["2026-04-02", "stage_changed", "Applicants", "Interview"],
      ["2026-04-01", "created", "", "Applicants"],
    ]);
    // Reprocessing the late delivery gives the same.
    expect((await routes.reprocess(deliveryOf.get("second")!)).status).toBe(200);
    expect((await typesOf()).events).toEqual(events);
    expect(view.status).toBe("active");
  });

  it("idibu and Outhire say hired, rejected or withdrawn with the stage's name", async () => {
    await idibu("placed", "candidate.update", "2026-04-05T09:00:00+00:00", "idb1", "Placed");
    expect((await candidateOf("idibu", "idb1")).status).toBe("hired");
    await idibu("w", "candidate.create", "2026-04-05T09:00:00+00:00", "idb2", "Withdrawn");
    expect((await candidateOf("idibu", "idb2")).status).toBe("withdrawn");

    const body = outhireStage();
    body.candidate.id = 880001;
    body.stage_change = { previous_stage: "interview", new_stage: "rejected", changed_by: "user", changed_by_user_id: null };
    const res = await sendWebhook(ep.outhire.id, JSON.stringify(body), { sign: { provider: "outhire", secret: ep.outhire.secret } });
    expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
    expect((await candidateOf("outhire", "880001")).status).toBe("rejected");

    expect(await listed("?status=withdrawn")).toEqual(["idibu:idb2:withdrawn"]);
    expect((await routes.listCandidates("?status=unknown")).status).toBe(400);
  });

  it("stage and job filters match by part of the name in any case, on the list, the event list and the export", async () => {
    const greenhouseOnly = ["greenhouse:777001:rejected"];
    for (const query of ["?stage=Offer", "?stage=offer", "?stage=FF", "?job=design", "?job=DESIGNER", "?job=3485", "?stage=off&job=sign"]) {
      expect(await listed(query), query).toEqual(greenhouseOnly);
    }
    expect(await listed("?job=consult")).toEqual(["idibu:idb1:hired", "idibu:idb2:withdrawn"]);
    // Nobody is in an interview stage any more (idibu moved on, Outhire rejected).
    expect(await listed("?stage=interview")).toEqual([]);
    expect(await listed("?stage=REJ")).toEqual(["outhire:880001:rejected"]);
    // `%` and `_` are literal characters, not wildcards.
    expect(await listed("?stage=%25")).toEqual([]);
    expect(await listed("?job=34_5")).toEqual([]);
    const greenhouseId = (await candidateOf("greenhouse", "777001")).id;
    const events = await routes.listEvents("?stage=oFf&limit=500");
    expect(new Set(events.json.events.map((e: Json) => e.candidateId))).toEqual(new Set([greenhouseId]));
    expect(new Set((await exportRows("job=desig")).map((r) => r.candidate_external_id))).toEqual(new Set(["777001"]));
  });
});
