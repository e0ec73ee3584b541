import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as timelineRoute } from "@/app/api/candidates/[id]/timeline/route";
import { setDb } from "@/lib/db/client";
import { call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type TestDb } from "../helpers/test-db";
import {
  candidateListSchema,
  candidateViewSchema,
  deliveryDetailSchema,
  deliveryListSchema,
  endpointListSchema,
  eventListSchema,
  timelineSchema,
} from "@/lib/contracts/responses";

type Json = Record<string, any>;

const fixtureJson = (provider: "greenhouse" | "talview" | "idibu" | "outhire", file: string): Json =>
  JSON.parse(readFixture(provider, `fixtures/${file}`).toString().replace(": 00000", ': "00000"'));

function timeline(id: string, query = "") {
  return call(timelineRoute as never, "GET", `/api/candidates/${id}/timeline${query}`, { params: { id } });
}

async function candidateId(provider: string, externalId: string): Promise<string> {
  const res = await routes.listCandidates(`?provider=${provider}&q=${encodeURIComponent(externalId)}`);
  const found = res.json.candidates.find((c: Json) => c.externalId === externalId);
  if (!found) throw new Error(`no ${provider} candidate ${externalId}`);
  return found.id;
}

describe("candidate history through the API (PGlite)", () => {
  let t: TestDb;
  const ep: Record<string, { id: string; secret: string | null }> = {};

  const send = (provider: "greenhouse" | "talview" | "idibu" | "outhire", body: Json | Buffer, query = "") =>
    sendWebhook(ep[provider].id, Buffer.isBuffer(body) ? body : JSON.stringify(body), {
      query,
      sign: { provider, secret: ep[provider].secret },
      headers: provider === "idibu" ? { "x-idibu-delivery": crypto.randomUUID() } : {},
    });

  beforeAll(async () => {
    t = await createTestDb("pglite");
    setDb(t.db);
    for (const provider of ["greenhouse", "talview", "idibu", "outhire"]) {
      const res = await routes.createEndpoint({ provider, name: provider });
      ep[provider] = { id: res.json.id, secret: res.json.secret };
    }
  }, 60_000);

  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  describe("Greenhouse stage changes", () => {
    function stageChange(stage: string, at: string): Json {
      const body = fixtureJson("greenhouse", "candidate-stage-change.json");
      body.payload.application.current_stage.name = stage;
      body.payload.application.last_activity_at = at;
      return body;
    }

    beforeAll(async () => {
      // Arrives out of order: the newest stage first.
      for (const [stage, at] of [
        ["Onsite", "2015-02-12T10:00:00Z"],
        ["Application Review", "2015-02-01T10:00:00Z"],
        ["Phone Screen", "2015-02-05T10:00:00Z"],
      ]) {
        expect((await send("greenhouse", stageChange(stage, at))).status).toBe(200);
      }
    });

    it("orders by the provider's time and fills each stage change's `from` from the job's previous stage", async () => {
      const id = await candidateId("greenhouse", "265772");
      const res = await timeline(id);
      expect(res.status).toBe(200);
      expect(res.json.events.map((e: Json) => e.stage)).toEqual([
        { from: "Phone Screen", to: "Onsite" },
        { from: "Application Review", to: "Phone Screen" },
        { from: null, to: "Application Review" },
      ]);
      expect(res.json.events[0].job).toEqual({ id: "3485", title: "Designer" });
    });

    it("keeps the current stage per job and the time spent in each stage", async () => {
      const id = await candidateId("greenhouse", "265772");
      const view = (await routes.getCandidate(id)).json;
      expect(view.currentStage).toBe("Onsite");
      expect(view.currentStages).toEqual([
        { jobKey: "3485", jobTitle: "Designer", stage: "Onsite", since: "2015-02-12T10:00:00.000Z", status: "active", statusSince: "2015-02-01T10:00:00.000Z" },
      ]);
      const spans = view.stagePaths[0].spans;
      expect(spans.map((s: Json) => [s.stage, s.durationMs])).toEqual([
        ["Application Review", 4 * 86_400_000],
        ["Phone Screen", 7 * 86_400_000],
        ["Onsite", expect.any(Number)],
      ]);
      expect(spans[2].leftAt).toBeNull();
    });

    it("lists candidates by current stage and job", async () => {
      const onsite = await routes.listCandidates("?stage=Onsite");
      expect(onsite.json.candidates.map((c: Json) => c.externalId)).toContain("265772");
      const byJob = await routes.listCandidates("?stage=Onsite&job=Designer");
      expect(byJob.json.candidates.map((c: Json) => c.externalId)).toContain("265772");
      const otherJob = await routes.listCandidates("?stage=Onsite&job=Accountant");
      expect(otherJob.json.candidates.map((c: Json) => c.externalId)).not.toContain("265772");
      const earlier = await routes.listCandidates("?stage=Phone%20Screen");
      expect(earlier.json.candidates.map((c: Json) => c.externalId)).not.toContain("265772");
    });
  });

  describe("idibu vacancies", () => {
    it("derives a stage change per vacancy and diffs the vacancy by id, hiding signed links as noise", async () => {
      const create = fixtureJson("idibu", "candidate-create.json");
      const update = fixtureJson("idibu", "candidate-update.json");
      update.payload.attachments[0].file_link = "https://v3.idibu.com/c/cloud/get-file/NEW-SIGNATURE/id/67890";
      await send("idibu", update);
      await send("idibu", create);
      const id = await candidateId("idibu", "12345");
      const res = await timeline(id);
      const [newest, oldest] = res.json.events;
      expect(oldest.diffBasis).toBe("initial");
      expect(newest.stage).toEqual({ from: "Applicants", to: "Shortlisted" });
      expect(newest.stageChanges).toEqual([{ jobId: "98765", jobTitle: "Recruitment Consultant", from: "Applicants", to: "Shortlisted" }]);
      expect(newest.changes).toContainEqual({ path: "vacancies[id=98765].status.label", kind: "changed", before: "Applicants", after: "Shortlisted", noise: false });
      expect(newest.changes.some((c: Json) => c.path.includes("file_link"))).toBe(false);
      expect(newest.hiddenNoiseCount).toBeGreaterThanOrEqual(1);
      const withNoise = await timeline(id, "?noise=true");
      expect(withNoise.json.events[0].changes).toContainEqual(
        expect.objectContaining({ path: "attachments[file_id=67890].file_link", kind: "changed", noise: true }),
      );
    });
  });

  describe("Talview snapshots", () => {
    it("shows what changed between consecutive full snapshots, and diffs a versioned {old,new} body old → new", async () => {
      await send("talview", readFixture("talview", "fixtures/candidate-created.json"), "?event=can.candidate.created");
      await send("talview", readFixture("talview", "fixtures/candidate-updated.json"), "?event=can.candidate.updated");
      const id = await candidateId("talview", "101");
      const res = await timeline(id);
      const updated = res.json.events.find((e: Json) => e.type === "updated");
      expect(updated.diffBasis).toBe("previous");
      expect(updated.changes.length).toBeGreaterThan(0);
      expect(updated.changes.every((c: Json) => !c.noise)).toBe(true);
      expect(updated.changes.some((c: Json) => c.path.startsWith("education[id="))).toBe(true);
      expect(updated.changes.some((c: Json) => c.path === "updated_at")).toBe(false);

      const versioned = fixtureJson("talview", "candidate-versioned-snapshot.json");
      versioned.old.id = versioned.new.id = 5150;
      versioned.new.phone_number = "+10000000000";
      await send("talview", versioned, "?event=can.candidate.updated");
      const v = await timeline(await candidateId("talview", "5150"));
      expect(v.json.events[0].diffBasis).toBe("versioned");
      expect(v.json.events[0].changes).toContainEqual(expect.objectContaining({ path: "phone_number", kind: "changed", after: "+10000000000" }));
    });

    it("a deleted candidate keeps its history and is shown as deleted", async () => {
      await send("talview", readFixture("talview", "fixtures/candidate-deleted.json"), "?event=can.candidate.deleted");
      const id = await candidateId("talview", "101");
      const view = (await routes.getCandidate(id)).json;
      expect(view.deletedAt).not.toBeNull();
      expect(view.eventCount).toBe(3);
      const res = await timeline(id);
      expect(res.json.events[0].type).toBe("deleted");
    });
  });

  describe("Outhire partial snapshots", () => {
    it("compares a stage change's slim candidate only on the fields it carries", async () => {
      const applied = fixtureJson("outhire", "candidate-applied.json");
      applied.candidate.id = 777;
      const moved = fixtureJson("outhire", "candidate-stage-changed.json");
      moved.candidate.id = 777;
      moved.candidate.name = "Jane Doe-Smith";
      moved.occurred_at = "2026-03-12T00:00:00.000Z";
      await send("outhire", applied);
      await send("outhire", moved);
      const res = await timeline(await candidateId("outhire", "777"), "?noise=true");
      const stage = res.json.events[0];
      expect(stage.stage).toEqual({ from: "applied", to: "interview" });
      expect(stage.actor).toBe("user");
      expect(stage.changes.filter((c: Json) => c.kind === "removed")).toEqual([]);
      expect(stage.changes).toContainEqual({ path: "name", kind: "changed", before: "Jane Doe", after: "Jane Doe-Smith", noise: false });
    });
  });

  describe("Greenhouse merges and deletes", () => {
    it("the survivor's timeline includes the merged candidate's history; the merged one points to the survivor", async () => {
      const survivor = fixtureJson("greenhouse", "update-candidate.json");
      survivor.payload.candidate.id = 457456;
      await send("greenhouse", survivor);
      const mergedAway = fixtureJson("greenhouse", "update-candidate.json");
      mergedAway.payload.candidate.id = 37031511;
      await send("greenhouse", mergedAway);
      await send("greenhouse", fixtureJson("greenhouse", "merge-candidate.json"));

      const survivorId = await candidateId("greenhouse", "457456");
      const mergedId = await candidateId("greenhouse", "37031511");
      const merged = (await routes.getCandidate(mergedId)).json;
      expect(merged.mergedInto).toEqual({ externalId: "457456", id: survivorId, name: "Ronald Ronnie" });
      expect(merged.deletedAt).not.toBeNull();

      const view = (await routes.getCandidate(survivorId)).json;
      expect(view.mergedFrom.map((m: Json) => m.id)).toEqual([mergedId]);
      const res = await timeline(survivorId);
      expect(res.json.events.map((e: Json) => [e.type, e.mergedFrom?.externalId ?? null])).toEqual(
        expect.arrayContaining([
          ["merged", "37031511"],
          ["updated", "37031511"],
          ["updated", null],
        ]),
      );
    });

    it("lists merged candidates with a link to the survivor, and filters deleted ones", async () => {
      const list = (await routes.listCandidates("?provider=greenhouse&limit=200")).json.candidates as Json[];
      const merged = list.find((c) => c.externalId === "37031511")!;
      expect(merged.mergedInto).toEqual({ externalId: "457456", id: await candidateId("greenhouse", "457456"), name: "Ronald Ronnie" });
      const only = (await routes.listCandidates("?provider=greenhouse&deleted=only&limit=200")).json.candidates as Json[];
      expect(only.map((c) => c.externalId)).toContain("37031511");
      expect(only.every((c) => c.deletedAt !== null)).toBe(true);
      const without = (await routes.listCandidates("?provider=greenhouse&deleted=exclude&limit=200")).json.candidates as Json[];
      expect(without.map((c) => c.externalId)).not.toContain("37031511");
      expect(without.map((c) => c.externalId)).toContain("457456");
    });

    it("a deletion records the deleted application ids", async () => {
      const target = fixtureJson("greenhouse", "update-candidate.json");
      target.payload.candidate.id = 37031599;
      await send("greenhouse", target);
      const del = fixtureJson("greenhouse", "delete-candidate.json");
      del.payload.person.id = 37031599;
      await send("greenhouse", del);
      const view = (await routes.getCandidate(await candidateId("greenhouse", "37031599"))).json;
      expect(view.deletedAt).not.toBeNull();
      expect(view.deletedApplicationIds).toEqual(["46196263", "46196258"]);
    });
  });

  describe("response contract", () => {
    it("every read response parses with the zod schemas the dashboard uses", async () => {
      const list = await routes.listCandidates("?limit=200");
      candidateListSchema.parse(list.json);
      for (const c of list.json.candidates) {
        candidateViewSchema.parse((await routes.getCandidate(c.id)).json);
        timelineSchema.parse((await timeline(c.id, "?noise=true")).json);
      }
      eventListSchema.parse((await routes.listEvents("?limit=500")).json);
      const deliveries = deliveryListSchema.parse((await routes.listDeliveries("?limit=200")).json);
      deliveryDetailSchema.parse((await routes.getDelivery(deliveries.deliveries[0].id)).json);
      endpointListSchema.parse((await routes.listEndpoints()).json);
      expect(list.json.candidates.length).toBeGreaterThan(5);
    });
  });

  describe("paging and errors", () => {
    it("pages a timeline newest first with a cursor, diffs intact across page boundaries", async () => {
      const id = await candidateId("greenhouse", "265772");
      const first = await timeline(id, "?limit=2");
      expect(first.json.events).toHaveLength(2);
      const second = await timeline(id, `?limit=2&cursor=${first.json.nextCursor}`);
      expect(second.json.events.map((e: Json) => e.stage?.to)).toEqual(["Application Review"]);
      expect(second.json.nextCursor).toBeNull();
      // The second page's first event on page 1 is diffed against its true predecessor on page 2.
      expect(first.json.events[1].diffBasis).toBe("previous");
    });

    it("answers 404 for an unknown candidate and 400 for bad parameters", async () => {
      expect((await timeline("cand_missing")).status).toBe(404);
      const id = await candidateId("greenhouse", "265772");
      const bad = await timeline(id, "?limit=0&noise=maybe");
      expect(bad.status).toBe(400);
      expect(bad.json.issues.map((i: Json) => i.path[0]).sort()).toEqual(["limit", "noise"]);
    });
  });
});
