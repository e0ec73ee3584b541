import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportCountRoute } from "@/app/api/events/export-count/route";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { setDb } from "@/lib/db/client";
import { adminHeaders, BASE, call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];

const fixture = (file: string): Json => JSON.parse(readFixture("greenhouse", `fixtures/${file}`).toString().replace(": 00000", ': "00000"'));

async function exportRows(query: string): Promise<Record<string, string>[]> {
  const response = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv?${query}`, { headers: adminHeaders }));
  expect(response.status).toBe(200);
  return parse(await response.text(), { columns: true, record_delimiter: "\r\n" });
}

describe.each(kinds)("exports match the screen on %s", (kind) => {
  let t: TestDb;
  let endpoint: { id: string; secret: string };
  const send = async (body: Json) => {
    const res = await sendWebhook(endpoint.id, JSON.stringify(body), { sign: { provider: "greenhouse", secret: endpoint.secret } });
    expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
  };
  const idOf = async (externalId: string) =>
    ((await routes.listCandidates(`?q=${externalId}`)).json.candidates as Json[]).find((c) => c.externalId === externalId)!.id as string;

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    endpoint = (await routes.createEndpoint({ provider: "greenhouse", name: "merge export" })).json;
    // The survivor (457456) and the record merged into it (37031511), two stage moves each, then the merge.
    for (const [candidate, stage, at] of [
      [457456, "Application Review", "2026-05-01T10:00:00Z"],
      [457456, "Phone Screen", "2026-05-03T10:00:00Z"],
      [37031511, "Application Review", "2026-05-02T10:00:00Z"],
      [37031511, "Onsite", "2026-05-04T10:00:00Z"],
    ] as const) {
      const body = fixture("candidate-stage-change.json");
      body.payload.application.candidate.id = candidate;
      body.payload.application.current_stage.name = stage;
      body.payload.application.last_activity_at = at;
      await send(body);
    }
    await send(fixture("merge-candidate.json"));
  });
  afterAll(async () => {
    setDb(undefined);
    await t.drop();
  });

  it("a merge survivor's export and event list include the events of the records merged into it, as its timeline does", async () => {
    const survivor = await idOf("457456");
    const merged = await idOf("37031511");
    const timeline = (await routes.getCandidate(survivor)).json;
    expect(timeline.mergedFrom.map((m: Json) => m.id)).toEqual([merged]);

    const rows = await exportRows(`candidateId=${survivor}`);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.candidate_external_id))).toEqual(new Set(["457456", "37031511"]));
    const listed = (await routes.listEvents(`?candidateId=${survivor}`)).json.events as Json[];
    expect(listed.map((e) => e.id)).toEqual(rows.map((r) => r.event_id));
    // The merged record's own export is its own events only.
    expect((await exportRows(`candidateId=${merged}`)).map((r) => r.candidate_external_id)).toEqual(["37031511", "37031511", "37031511"]);
  });

  it("export-count says what the export will write, with the same filters", async () => {
    const survivor = await idOf("457456");
    for (const query of [`candidateId=${survivor}`, "", "stage=phone", "status=merged", "type=stage_changed"]) {
      const count = await call(exportCountRoute as never, "GET", `/api/events/export-count?${query}`);
      expect(count.status).toBe(200);
      const rows = await exportRows(query);
      expect(count.json, query).toEqual({ events: rows.length, candidates: new Set(rows.map((r) => r.candidate_id)).size });
    }
    expect((await call(exportCountRoute as never, "GET", "/api/events/export-count?type=nope")).status).toBe(400);
  });
});
