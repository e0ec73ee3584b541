import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { candidatesPageQuery } from "@/lib/db/candidates";
import { eventsPageQuery } from "@/lib/db/event-queries";
import { seedScale } from "../../bench/lib/scale-seed";
import { routes } from "../helpers/api";
import { explain, rowsOf } from "../helpers/plan";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * Two filters that need a lookup before the page — the records merged into a candidate (its event
 * list, as its timeline, includes theirs) and the stage ids named like a stage filter in Settings —
 * are answered inside the page's one statement, so a page costs one round trip. On a seeded,
 * ANALYZEd database: a candidate's events are read by the events' candidate index (a few rows per
 * record, never a walk of the whole event log in time order), and stage_names is read once per
 * page, not once per candidate row. The answers themselves: a survivor's events include its merged
 * records'; a stage is found by the name Settings give its id.
 */

const kinds: DbKind[] = ["pglite", "postgres"];
const byCandidate = "events_candidate_id_occurred_at_received_at_id_idx";

describe.each(kinds)("one statement per page: merged records and named stages (%s)", (kind) => {
  let t: TestDb;
  let sample: string;
  let survivor: { id: string; merged: string[]; events: number };

  beforeAll(async () => {
    t = await createTestDb(kind);
    const seeded = await seedScale(t.db.sql, { candidates: 2_000, events: 20_000 });
    sample = seeded.samples.candidateId;
    // A survivor of a provider merge (the seed merges some records into others) and the records merged into it.
    const [row] = await t.db.sql.query<{ id: string; merged: string[]; events: string }>({
      text: `SELECT s.id, array_agg(m.id ORDER BY m.id) AS merged,
                    (SELECT count(*) FROM events e WHERE e.candidate_id = s.id OR e.candidate_id = ANY (array_agg(m.id))) AS events
             FROM candidates s JOIN candidates m ON m.provider = s.provider AND m.merged_into_external_id = s.external_id
             WHERE m.id <> s.id
             GROUP BY s.id HAVING (SELECT count(*) FROM events e WHERE e.candidate_id = ANY (array_agg(m.id))) > 0
             ORDER BY s.id LIMIT 1`,
    });
    expect(row, "the seed has a merge survivor whose merged record has events").toBeDefined();
    survivor = { id: row.id, merged: row.merged, events: Number(row.events) };
    setDb(t.db);
  }, 180_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("a candidate's events: read by the candidate index, no more rows than its records have", async () => {
    for (const id of [sample, survivor.id]) {
      const nodes = await explain(t.db.sql, eventsPageQuery({ limit: 50, candidateId: id }), { analyze: true });
      const eventScans = nodes.filter((n) => n["Relation Name"] === "events");
      expect(eventScans.length).toBeGreaterThan(0);
      for (const scan of eventScans) {
        expect(scan["Node Type"]).toMatch(/^Index( Only)? Scan$/);
        expect(scan["Index Name"]).toBe(byCandidate);
      }
      const [{ n }] = await t.db.sql.query<{ n: string }>({
        text: `SELECT count(*) AS n FROM events e WHERE e.candidate_id = $1
                 OR e.candidate_id IN (SELECT m.id FROM candidates s JOIN candidates m ON m.provider = s.provider AND m.merged_into_external_id = s.external_id WHERE s.id = $1)`,
        params: [id],
      });
      expect(eventScans.reduce((sum, scan) => sum + rowsOf(scan), 0)).toBeLessThanOrEqual(Number(n));
    }
  });

  it("a survivor's event list holds its merged records' events, newest first, and nothing else", async () => {
    const res = await routes.listEvents(`?candidateId=${survivor.id}&limit=500`);
    expect(res.status).toBe(200);
    const events = res.json.events as { candidateId: string; occurredAt: string }[];
    expect(events).toHaveLength(survivor.events);
    expect(new Set(events.map((e) => e.candidateId))).toEqual(new Set([survivor.id, ...survivor.merged]));
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("a stage filter reads stage_names once per page and finds a stage by its name in Settings", async () => {
    // Name one stage id something no stage id contains, on an endpoint of a provider that has it, as
    // Settings do for Lever's and Ashby's ids.
    const [stage] = await t.db.sql.query<{ stage: string; n: string; provider: string; endpoint_id: string }>({
      text: `SELECT s.stage, s.n, c.provider, (SELECT e.id FROM endpoints e WHERE e.provider = c.provider ORDER BY e.id LIMIT 1) AS endpoint_id
             FROM (SELECT cs.stage, count(DISTINCT cs.candidate_id) AS n, min(cs.candidate_id) AS first FROM candidate_stages cs
                   GROUP BY cs.stage HAVING count(DISTINCT cs.candidate_id) <= 200 ORDER BY 2 DESC, 1 LIMIT 1) s
             JOIN candidates c ON c.id = s.first`,
    });
    await t.db.sql.query({
      text: `INSERT INTO stage_names (endpoint_id, stage_id, name, updated_at) VALUES ($1, $2, 'Zanzibar round', now())`,
      params: [stage.endpoint_id, stage.stage],
    });
    const nodes = await explain(t.db.sql, candidatesPageQuery({ limit: 50, stage: "zanzibar" }), { analyze: true });
    const nameReads = nodes.filter((n) => n["Relation Name"] === "stage_names");
    expect(nameReads.length).toBeGreaterThan(0);
    for (const read of nameReads) expect(read["Actual Loops"]).toBe(1);

    // Every candidate in that stage id, and none other; shown by the name where the name applies.
    const res = await routes.listCandidates("?stage=zanzibar&limit=200");
    expect(res.status).toBe(200);
    const listed = res.json.candidates as { provider: string; stages: { stage: string }[] }[];
    expect(listed.length).toBe(Number(stage.n));
    for (const c of listed) {
      expect(c.stages.map((s) => s.stage)).toContain(c.provider === stage.provider ? "Zanzibar round" : stage.stage);
    }
  });
});
