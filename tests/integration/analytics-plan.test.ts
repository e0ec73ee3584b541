import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANALYTICS_SETTINGS_SQL, flowStatement, funnelStatement, timeInStageAllJobsStatement, type AnalyticsFilters } from "@/lib/db/analytics";
import { seedScale } from "../../bench/lib/scale-seed";
import { explain, rowsOf, type PlanNode } from "../helpers/plan";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * The flow reads its rollup, not the stays: on a seeded, ANALYZEd database (4,000 applications,
 * 2,000 of them in one job, over three years) the flow for a job or for all jobs reads
 * flow_rollup alone, through flow_rollup_read_idx for a job, and never reads a stay; a window cut
 * at a time of day at both ends reads only the stays of the applications that started in the two
 * cut weeks, by their primary key. A change that brings back a read of every stay fails here.
 * The same for the all-jobs funnel (funnel_rollup) and time in stage (stay_duration_rollup, then
 * one index probe per percentile rank).
 */

const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("flow plans (%s)", (kind) => {
  let t: TestDb;
  let stays: number;
  let span: { lo: Date; hi: Date };

  async function planOf(filters: AnalyticsFilters, statement = flowStatement(filters)): Promise<PlanNode[]> {
    return explain(t.db.sql, statement, { analyze: true, setup: ANALYTICS_SETTINGS_SQL });
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    await seedScale(t.db.sql, { candidates: 4_000, events: 40_000, bigJob: 2_000 });
    await t.db.sql.query({ text: `SELECT compact_flow_rollup()` });
    for (const table of ["flow_rollup", "funnel_rollup", "stay_duration_rollup", "application_stays"]) await t.db.sql.query({ text: `VACUUM ANALYZE ${table}` });
    const [row] = await t.db.sql.query<{ stays: number; lo: Date; hi: Date }>({
      text: `SELECT (SELECT count(*)::int FROM application_stays) AS stays, min(started_at) AS lo, max(started_at) AS hi FROM application_summary`,
    });
    stays = row!.stays;
    span = { lo: new Date(row!.lo), hi: new Date(row!.hi) };
  }, 240_000);
  afterAll(async () => {
    await t?.drop();
  });

  const stayRows = (nodes: PlanNode[]) => nodes.filter((n) => n["Relation Name"] === "application_stays");

  it.each([
    ["one job", { jobId: "job-big" }],
    ["all jobs", {}],
    ["whole weeks of one job (Monday to Monday)", { jobId: "job-big", from: new Date("2024-01-01T00:00:00Z"), to: new Date("2025-06-02T00:00:00Z") }],
  ] as [string, AnalyticsFilters][])("%s: flow_rollup alone, no stay read", async (_label, filters) => {
    const nodes = await planOf(filters);
    const rollup = nodes.filter((n) => n["Relation Name"] === "flow_rollup");
    expect(rollup.length).toBeGreaterThan(0);
    expect(rollup.reduce((a, n) => a + rowsOf(n), 0)).toBeGreaterThan(0);
    if (filters.jobId) expect(rollup.every((n) => n["Index Name"] === "flow_rollup_read_idx")).toBe(true);
    expect(stayRows(nodes).reduce((a, n) => a + rowsOf(n), 0)).toBe(0);
    expect(nodes.some((n) => n["Relation Name"] === "application_summary" && rowsOf(n) > 0)).toBe(false);
  });

  it("a window cut at both ends: the cut weeks' stays only, by primary key", async () => {
    const quarter = (span.hi.getTime() - span.lo.getTime()) / 4;
    const from = new Date(span.lo.getTime() + quarter + 13 * 3_600_000 + 17_000);
    const to = new Date(span.lo.getTime() + 3 * quarter + 5 * 3_600_000 + 3_000);
    const nodes = await planOf({ from, to });
    const read = stayRows(nodes);
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((n) => n["Node Type"] !== "Seq Scan" && n["Index Name"] === "application_stays_pkey")).toBe(true);
    const n = read.reduce((a, r) => a + rowsOf(r), 0);
    // Two cut weeks of about 156 hold a few per cent of the stays; every stay would be `stays`.
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(stays * 0.05);
    expect(nodes.some((x) => x["Relation Name"] === "application_summary" && x["Node Type"] === "Seq Scan")).toBe(false);
  });

  it("all jobs' funnel: funnel_rollup alone, no application read", async () => {
    const nodes = await planOf({}, funnelStatement({}));
    expect(nodes.filter((n) => n["Relation Name"] === "funnel_rollup").reduce((a, n) => a + rowsOf(n), 0)).toBeGreaterThan(0);
    expect(nodes.some((n) => n["Relation Name"] === "application_summary" && rowsOf(n) > 0)).toBe(false);
    expect(stayRows(nodes).length).toBe(0);
  });

  it("all jobs' time in stage: the rollups, then a few stays per stage by index, never a scan of them", async () => {
    const nodes = await planOf({}, timeInStageAllJobsStatement({}));
    expect(nodes.filter((n) => n["Relation Name"] === "stay_duration_rollup").reduce((a, n) => a + rowsOf(n), 0)).toBeGreaterThan(0);
    const read = stayRows(nodes);
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((n) => n["Node Type"].startsWith("Index") && n["Index Name"] === "application_stays_stage_duration_idx")).toBe(true);
    // Up to four ranks per stage (two per percentile), one row each: the seed's stays last one of a
    // few durations, so every bucket is one duration and a probe skips nothing.
    const [{ stages }] = await t.db.sql.query<{ stages: number }>({ text: `SELECT count(DISTINCT stage)::int AS stages FROM application_stays` });
    expect(read.reduce((a, n) => a + rowsOf(n), 0)).toBeLessThanOrEqual(4 * stages);
    expect(nodes.some((n) => n["Relation Name"] === "application_summary" && rowsOf(n) > 0)).toBe(false);
  });
});
