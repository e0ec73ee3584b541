import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db/client";
import { candidatesPageQuery, type ListCandidatesOptions } from "@/lib/db/candidates";
import { seedScale } from "../../bench/lib/scale-seed";
import { routes } from "../helpers/api";
import { explain, type PlanNode } from "../helpers/plan";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * Candidate search (`q=`) matches any part of a name or email in any case and without its accents
 * ("zoe nunez" finds "Zoë Núñez"), or a provider's candidate id exactly; and it is answered from the
 * trigram index (candidates_search_trgm_idx), not by reading every candidate: on a seeded, ANALYZEd
 * database the plan has no sequential scan of candidates. A change that brings the scan back fails here.
 */

const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("candidate search (%s)", (kind) => {
  let t: TestDb;
  let sampleEmail: string;

  async function planOf(options: ListCandidatesOptions): Promise<PlanNode[]> {
    // A generic plan (the pattern unknown when planning, as for a prepared statement) must use the index too.
    return explain(t.db.sql, candidatesPageQuery(options), { setup: "SET LOCAL plan_cache_mode = force_generic_plan" });
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

/**
 * The job filter (`job=`: a job id, or part of a job title in any case) finds its job ids in the
 * jobs table the candidate_stages triggers keep, then the candidates through candidate_stages'
 * job_key index: on a seeded, ANALYZEd database the plan reads no candidate_stages row by a
 * sequential scan (at 100,000 candidates that scan was 65 ms of a 0.9 ms question).
 */
describe.each(kinds)("job filter (%s)", (kind) => {
  let t: TestDb;
  let job: string;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const seeded = await seedScale(t.db.sql, { candidates: 3_000, events: 6_000 });
    job = seeded.samples.job;
    setDb(t.db);
  }, 180_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("the jobs table holds every job id and title pair the current stages hold", async () => {
    const pairs = (text: string) => t.db.sql.query<{ k: string; t: string }>({ text });
    const held = await pairs(`SELECT DISTINCT job_key AS k, coalesce(job_title, '') AS t FROM candidate_stages ORDER BY 1, 2`);
    expect(held.length).toBeGreaterThan(10);
    expect(await pairs(`SELECT job_key AS k, job_title AS t FROM jobs ORDER BY 1, 2`)).toEqual(held);
    // A stage row added later (a new job, as processing writes them) brings its pair along.
    const [{ id }] = await t.db.sql.query<{ id: string }>({ text: `SELECT id FROM candidates ORDER BY id LIMIT 1` });
    await t.db.sql.query({ text: `INSERT INTO candidate_stages (candidate_id, job_key, job_title, stage, since) VALUES ($1, 'job-new', 'Night Nurse', 'Applied', now())`, params: [id] });
    expect(await pairs(`SELECT job_key AS k, job_title AS t FROM jobs WHERE job_key = 'job-new'`)).toEqual([{ k: "job-new", t: "Night Nurse" }]);
    await t.db.sql.query({ text: `DELETE FROM candidate_stages WHERE job_key = 'job-new'` });
  });

  it("finds exactly the candidates with a current stage in a job with that id or a title containing the text", async () => {
    const expected = async (text: string) =>
      (
        await t.db.sql.query<{ id: string }>({
          text: `SELECT c.id FROM candidates c WHERE NOT c.is_test AND EXISTS (SELECT 1 FROM candidate_stages cs WHERE cs.candidate_id = c.id AND (cs.job_key = $1 OR cs.job_title ILIKE $2))
                 ORDER BY c.last_event_at DESC, c.id DESC LIMIT 200`,
          params: [text, `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`],
        })
      ).map((r) => r.id);
    const [{ key }] = await t.db.sql.query<{ key: string }>({ text: `SELECT job_key AS key FROM candidate_stages WHERE job_title = $1 LIMIT 1`, params: [job] });
    for (const text of [job, job.toUpperCase().slice(2), key, "Engineer", "no such job"]) {
      const listed = ((await routes.listCandidates(`?job=${encodeURIComponent(text)}&limit=200`)).json.candidates as { id: string }[]).map((c) => c.id);
      expect(listed, text).toEqual(await expected(text));
    }
    expect((await expected(job)).length).toBeGreaterThan(0);
  });

  it("is answered through the jobs table and the job_key index, not a scan of candidate_stages", async () => {
    const plan = await explain(t.db.sql, candidatesPageQuery({ job, limit: 50 }));
    const shape = JSON.stringify(plan.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"]]));
    expect(plan.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "candidate_stages"), shape).toEqual([]);
    expect(plan.some((n) => n["Relation Name"] === "jobs"), shape).toBe(true);
  });
});
