import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];
const body = (file: string): Json => JSON.parse(readFixture("ashby", file).toString());
const jobId = "4071538b-3cac-4fbf-ac76-f78ed250ffdd";

/**
 * An Ashby application archived (a move into an Archived stage: rejected) and then taken back, by
 * a stage change out of Archived or by an update whose status is Active again: the job is open
 * again, as a Lever unarchive (candidateArchiveChange with toArchived null) makes it.
 */
describe.each(kinds)("Ashby un-archive reopens the application on %s", (kind) => {
  let t: TestDb;
  let endpoint: { id: string; secret: string };
  const send = async (value: Json) => {
    const res = await sendWebhook(endpoint.id, JSON.stringify(value), { sign: { provider: "ashby", secret: endpoint.secret } });
    expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
  };
  const candidate = async (externalId: string) => {
    const found = ((await routes.listCandidates(`?q=${externalId}`)).json.candidates as Json[]).find((c) => c.externalId === externalId)!;
    return (await routes.getCandidate(found.id)).json;
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpoint = (await routes.createEndpoint({ provider: "ashby", name: "Ashby" })).json;
  }, 60_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("a stage change out of the Archived stage: rejected, then active in Application Review", async () => {
    await send(body("fixtures/application-submit.json"));
    await send(body("corpus/candidate-stage-change-archived.json"));
    const archived = await candidate("5b7f7e13-4c4b-4a5e-9a8f-3f0e5d3c2b1a");
    expect([archived.status, archived.currentStages.map((s: Json) => [s.jobKey, s.stage, s.status])]).toEqual(["rejected", [[jobId, "Archived", "rejected"]]]);

    await send(body("corpus/candidate-stage-change-unarchived.json"));
    const reopened = await candidate("5b7f7e13-4c4b-4a5e-9a8f-3f0e5d3c2b1a");
    expect([reopened.status, reopened.currentStages.map((s: Json) => [s.jobKey, s.stage, s.status])]).toEqual(["active", [[jobId, "Application Review", "active"]]]);
    expect((await routes.listCandidates("?status=active&provider=ashby")).json.candidates.map((c: Json) => c.externalId)).toEqual(["5b7f7e13-4c4b-4a5e-9a8f-3f0e5d3c2b1a"]);
  });

  it("un-archived by an update (status Active again, no stage move), and archived by one (status Archived)", async () => {
    const other = "6c8f8f24-5d5b-4b6c-8b9f-4f1f6e4d3c2b";
    const submit = body("fixtures/application-submit.json");
    submit.webhookActionId = "b1b2b3b4-0000-4000-8000-000000000001";
    submit.data.application.candidate.id = other;
    await send(submit);
    const update = (actionId: string, status: string, updatedAt: string) => {
      const value = body("corpus/application-update.json");
      value.webhookActionId = actionId;
      Object.assign(value.data.application, { status, updatedAt, candidate: { ...value.data.application.candidate, id: other } });
      return value;
    };
    await send(update("b1b2b3b4-0000-4000-8000-000000000002", "Archived", "2022-08-14T09:00:00.000Z"));
    expect((await candidate(other)).status).toBe("rejected");

    await send(update("b1b2b3b4-0000-4000-8000-000000000003", "Active", "2022-08-15T09:00:00.000Z"));
    const view = await candidate(other);
    expect([view.status, view.currentStages.map((s: Json) => s.status)]).toEqual(["active", ["active"]]);
  });
});
