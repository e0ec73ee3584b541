import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { candidatesPageQuery, type ListCandidatesOptions } from "@/lib/db/candidates";
import { seedScale } from "../../bench/lib/scale-seed";
import { routes } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * Candidate search (`q=`) matches any part of a name or email in any case and without its accents
 * ("zoe nunez" finds "Zoë Núñez"), or a provider's candidate id exactly; and it is answered from the
 * trigram index (candidates_search_trgm_idx), not by reading every candidate: on a seeded, ANALYZEd
 * database the plan has no sequential scan of candidates. A change that brings the scan back fails here.
 */

const kinds: DbKind[] = ["pglite", "postgres"];

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}
const nodesOf = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];

describe.each(kinds)("candidate search (%s)", (kind) => {
  let t: TestDb;
  let sampleEmail: string;

  async function planOf(options: ListCandidatesOptions): Promise<PlanNode[]> {
    const query = candidatesPageQuery(options);
    // A generic plan (the pattern unknown when planning, as for a prepared statement) must use the index too.
    const rows = await t.db.sql.transaction(async (tx) => {
      await tx.query({ text: "SET LOCAL plan_cache_mode = force_generic_plan" });
      return tx.query<{ "QUERY PLAN": unknown }>({ text: `EXPLAIN (FORMAT JSON) ${query.text}`, params: query.params });
    });
    const raw = rows[0]["QUERY PLAN"];
    return nodesOf(((typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0].Plan);
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    const seeded = await seedScale(t.db.sql, { candidates: 3_000, events: 6_000 });
    sampleEmail = seeded.samples.email;
    setDb(t.db);
  }, 180_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  const names = async (query: string) => ((await routes.listCandidates(query)).json.candidates as { name: string; email: string; externalId: string }[]);

  it("finds accented names typed without accents, in any case, and by any part", async () => {
    const accentFree = await names("?q=zoe%20nunez&limit=200");
    expect(accentFree.length).toBeGreaterThan(0);
    expect(accentFree.every((c) => c.name.startsWith("Zoë Núñez"))).toBe(true);
    const total = await t.db.sql.query<{ n: number }>({ text: `SELECT count(*)::int AS n FROM candidates WHERE name LIKE 'Zoë Núñez%' AND NOT is_test` });
    expect(accentFree.length).toBe(Math.min(200, total[0].n));
    // The accented spelling finds the same people; so does a part of the surname in capitals.
    expect((await names("?q=Zo%C3%AB%20N%C3%BA%C3%B1ez&limit=200")).map((c) => c.externalId).sort()).toEqual(accentFree.map((c) => c.externalId).sort());
    expect((await names("?q=UNEZ&limit=5")).every((c) => /ñez|nez/i.test(c.name))).toBe(true);
  });

  it("finds an email by part of it in any case, and a provider's id exactly", async () => {
    const byEmail = await names(`?q=${encodeURIComponent(sampleEmail.toUpperCase())}`);
    expect(byEmail.map((c) => c.email)).toEqual([sampleEmail]);
    const [one] = byEmail;
    expect((await names(`?q=${one.externalId}`)).map((c) => c.externalId)).toContain(one.externalId);
    // LIKE's wildcards are matched as themselves: "%" finds nobody, not everybody.
    expect(await names("?q=%25%25%25")).toEqual([]);
  });

  it("is answered from the trigram index, not a scan of candidates", async () => {
    for (const q of ["zoe nunez", sampleEmail, "100042"]) {
      const plan = await planOf({ q, limit: 50 });
      expect(plan.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "candidates"), `${q}: ${JSON.stringify(plan.map((n) => [n["Node Type"], n["Index Name"]]))}`).toEqual([]);
      expect(plan.some((n) => n["Index Name"] === "candidates_search_trgm_idx")).toBe(true);
    }
  });
});
