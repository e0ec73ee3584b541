import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as flowRoute } from "@/app/api/analytics/flow/route";
import { GET as funnelRoute } from "@/app/api/analytics/funnel/route";
import { GET as jobsRoute } from "@/app/api/analytics/jobs/route";
import { GET as timeRoute } from "@/app/api/analytics/time-in-stage/route";
import { weekOf } from "@/lib/analytics/math";
import { flowSchema, funnelSchema, timeInStageSchema } from "@/lib/contracts/analytics";
import { compactFlowRollupIfNeeded } from "@/lib/db/analytics";
import { setDb } from "@/lib/db/client";
import { getProvider } from "@/lib/providers/registry";
import { providerIds } from "@/lib/providers/types";
import { buildHistories } from "@/lib/simulator/build-histories";
import { Rng } from "@/lib/simulator/random";
import { referenceAnalytics, type AppRow, type CandRow, type ObsRow } from "../helpers/analytics-reference";
import { call } from "../helpers/api";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";
import { createEndpoints, isTimeless, sendAndCheck, shuffle, type PlannedDelivery } from "../helpers/timeline";

/**
 * The analytics API equals an independent computation over the stored stage transitions
 * (tests/helpers/analytics-reference.ts), on simulated histories of every provider (their coverage
 * seeds make hires, unhires, rejections, unrejections and merges) delivered in a shuffled order.
 */
const kinds: DbKind[] = ["pglite", "postgres"];

const histories = providerIds.flatMap((provider) =>
  // 12 Greenhouse candidates: enough for its simulator to merge two of them away.
  buildHistories({ provider, seed: getProvider(provider)!.simulator.coverageSeed, candidates: provider === "greenhouse" ? 12 : 6, startAt: new Date("2025-01-06T09:00:00Z") }).flatMap((h, hi) =>
    h.deliveries.map((delivery, di): PlannedDelivery => ({ provider, delivery, deliveryId: `${provider}-${hi}-${di}`, redelivery: false })),
  ),
);

/** Shuffled arrival; Greenhouse's undated deliveries keep their order (their time is their arrival). */
function arrivalOrder(): PlannedDelivery[] {
  const inOrder = [...histories].sort((a, b) => a.delivery.occurredAt.getTime() - b.delivery.occurredAt.getTime());
  const shuffled = shuffle(new Rng("analytics", 17), inOrder);
  const timeless = inOrder.filter(isTimeless);
  let next = 0;
  return shuffled.map((p) => (isTimeless(p) ? timeless[next++]! : p));
}

async function get(route: typeof funnelRoute, path: string) {
  const res = await call(route as never, "GET", path);
  expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBe(200);
  return res.json;
}

describe.each(kinds)("pipeline analytics on %s", (kind) => {
  let t: TestDb;
  let obs: ObsRow[];
  let apps: AppRow[];
  let cands: CandRow[];

  async function loadRows() {
    obs = await t.db.sql.query<ObsRow>({ text: `SELECT candidate_id, job_key, stage, occurred_at, received_at, event_id FROM event_stages` });
    apps = await t.db.sql.query<AppRow>({ text: `SELECT candidate_id, job_key, status, status_since FROM candidate_stages` });
    cands = await t.db.sql.query<CandRow>({ text: `SELECT id, provider, status, is_test FROM candidates` });
    for (const o of obs) {
      o.occurred_at = new Date(o.occurred_at);
      o.received_at = new Date(o.received_at);
    }
    for (const a of apps) a.status_since = a.status_since ? new Date(a.status_since) : null;
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    const endpoints = await createEndpoints();
    for (const p of arrivalOrder()) await sendAndCheck(endpoints, p);
    // One test candidate: left out unless includeTest=1.
    await t.db.sql.query({ text: `UPDATE candidates SET is_test = true WHERE id = (SELECT candidate_id FROM candidate_stages ORDER BY candidate_id LIMIT 1)` });
    await loadRows();
  }, 240_000);
  afterAll(async () => {
    setDb(undefined);
    await t?.drop();
  });

  it("the generated histories hold what the rules are about: late deliveries, unhires or unrejections, merges, several jobs", async () => {
    const [row] = await t.db.sql.query<{ reopened: number; merged: number; late: number; jobs: number }>({
      text: `SELECT (SELECT count(*)::int FROM events WHERE type IN ('unhired', 'unrejected')) AS reopened,
                    (SELECT count(*)::int FROM candidates WHERE status = 'merged') AS merged,
                    (SELECT count(*)::int FROM event_stages a WHERE EXISTS (SELECT 1 FROM event_stages b WHERE b.candidate_id = a.candidate_id
                       AND b.job_key = a.job_key AND b.occurred_at > a.occurred_at AND b.received_at < a.received_at)) AS late,
                    (SELECT count(DISTINCT job_key)::int FROM candidate_stages) AS jobs`,
    });
    expect(row!.reopened).toBeGreaterThan(0);
    expect(row!.merged).toBeGreaterThan(0);
    expect(row!.late).toBeGreaterThan(0);
    expect(row!.jobs).toBeGreaterThan(3);
  });

  const cases = (): { label: string; query: string; filters: Parameters<typeof referenceAnalytics>[3] }[] => {
    const jobCounts = new Map<string, number>();
    for (const a of apps) jobCounts.set(a.job_key, (jobCounts.get(a.job_key) ?? 0) + 1);
    const bigJob = [...jobCounts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const firsts = obs.map((o) => o.occurred_at.getTime()).sort((a, b) => a - b);
    const mid = new Date(firsts[Math.floor(firsts.length / 2)]!);
    const midDay = mid.toISOString().slice(0, 10);
    const q1 = new Date(firsts[Math.floor(firsts.length / 4)]!);
    const q3 = new Date(firsts[Math.floor((firsts.length * 3) / 4)]!);
    // Within mid's week when mid is early in it, else across its end: either way no whole week.
    const midPlus = new Date(mid.getTime() + 2 * 86_400_000);
    // The Sunday ending the week before q3's.
    const sunday = new Date(Date.parse(`${weekOf(q3)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const bigProvider = cands.find((c) => c.id === apps.find((a) => a.job_key === bigJob)!.candidate_id)!.provider;
    // The biggest job's own observations, to cut a window inside its history.
    const jobTimes = obs.filter((o) => o.job_key === bigJob).map((o) => o.occurred_at.getTime()).sort((a, b) => a - b);
    const j1 = new Date(jobTimes[0]! + 1);
    const j3 = new Date(jobTimes[Math.floor((jobTimes.length * 3) / 4)]!);
    return [
      { label: "all jobs", query: "", filters: {} },
      { label: "all jobs with test data", query: "includeTest=1", filters: { includeTest: true } },
      { label: "one provider", query: "provider=greenhouse", filters: { provider: "greenhouse" } },
      { label: "the biggest job", query: `jobId=${encodeURIComponent(bigJob)}`, filters: { jobId: bigJob } },
      { label: "from a time", query: `from=${encodeURIComponent(mid.toISOString())}`, filters: { from: mid } },
      // A bare `to` day is included whole.
      { label: "to a day", query: `to=${midDay}`, filters: { to: new Date(Date.parse(`${midDay}T00:00:00Z`) + 86_400_000) } },
      // The flow sums whole weeks of starts from its rollup and reads the cut weeks directly: windows
      // cut at both ends at a time of day, inside one week, and on week boundaries.
      { label: "a window cut at both ends", query: `from=${encodeURIComponent(q1.toISOString())}&to=${encodeURIComponent(q3.toISOString())}`, filters: { from: q1, to: q3 } },
      { label: "a window inside one week", query: `from=${encodeURIComponent(mid.toISOString())}&to=${encodeURIComponent(midPlus.toISOString())}`, filters: { from: mid, to: midPlus } },
      { label: "whole weeks (Monday to Sunday)", query: `from=${weekOf(q1)}&to=${sunday}`, filters: { from: new Date(`${weekOf(q1)}T00:00:00Z`), to: new Date(Date.parse(`${sunday}T00:00:00Z`) + 86_400_000) } },
      {
        label: "one provider, the biggest job, a window",
        query: `provider=${bigProvider}&jobId=${encodeURIComponent(bigJob)}&from=${encodeURIComponent(j1.toISOString())}&to=${encodeURIComponent(j3.toISOString())}&includeTest=1`,
        filters: { provider: bigProvider, jobId: bigJob, from: j1, to: j3, includeTest: true },
      },
    ];
  };

  it("funnel, time in stage and flow equal the independent computation, for every filter", async () => {
    for (const c of cases()) {
      const ref = referenceAnalytics(obs, apps, cands, c.filters);
      expect(ref.entries.size, `${c.label}: selects stays`).toBeGreaterThan(0);
      const q = c.query ? `?${c.query}` : "";
      const funnel = funnelSchema.parse(await get(funnelRoute, `/api/analytics/funnel${q}`));
      expect(funnel, c.label).toEqual(ref.funnel);
      const time = timeInStageSchema.parse(await get(timeRoute, `/api/analytics/time-in-stage${q}`));
      expect(time, c.label).toEqual(ref.timeInStage);
      const flow = flowSchema.parse(await get(flowRoute, `/api/analytics/flow${q}`));
      const entries = new Map<string, number>();
      const closures = new Map<string, number>();
      for (const w of flow.weeks) {
        for (const [stage, n] of Object.entries(w.entries)) entries.set(`${w.week} ${stage}`, n);
        for (const s of ["hired", "rejected", "withdrawn"] as const) if (w[s] > 0) closures.set(`${w.week} ${s}`, w[s]);
      }
      expect(entries, c.label).toEqual(ref.entries);
      expect(closures, c.label).toEqual(ref.closures);
      expect(flow.stages, c.label).toEqual(ref.order.filter((s) => [...ref.entries.keys()].some((k) => k.endsWith(` ${s}`))));
    }
  });

  it("folding the rollups' deltas changes no answer", async () => {
    // Ingest left deltas (one per group a batch changed): a read folds them past a threshold.
    const jobsBefore = await get(jobsRoute as never, `/api/analytics/jobs`);
    expect(await compactFlowRollupIfNeeded(t.db.sql, 1)).toBeGreaterThan(0);
    const [row] = await t.db.sql.query<{ unfolded: number }>({
      text: `SELECT ((SELECT count(*) FROM flow_rollup WHERE NOT folded) + (SELECT count(*) FROM funnel_rollup WHERE NOT folded)
                    + (SELECT count(*) FROM stay_duration_rollup WHERE NOT folded) + (SELECT count(*) FROM job_applications_rollup WHERE NOT folded))::int AS unfolded`,
    });
    expect(row!.unfolded).toBe(0);
    expect(await get(jobsRoute as never, `/api/analytics/jobs`)).toEqual(jobsBefore);
    for (const c of cases()) {
      const ref = referenceAnalytics(obs, apps, cands, c.filters);
      const q = c.query ? `?${c.query}` : "";
      expect(funnelSchema.parse(await get(funnelRoute, `/api/analytics/funnel${q}`)), c.label).toEqual(ref.funnel);
      expect(timeInStageSchema.parse(await get(timeRoute, `/api/analytics/time-in-stage${q}`)), c.label).toEqual(ref.timeInStage);
      const flow = flowSchema.parse(await get(flowRoute, `/api/analytics/flow${c.query ? `?${c.query}` : ""}`));
      const entries = new Map<string, number>();
      for (const w of flow.weeks) for (const [stage, n] of Object.entries(w.entries)) entries.set(`${w.week} ${stage}`, n);
      expect(entries, c.label).toEqual(ref.entries);
    }
  });

  it("has numbers worth checking: several stages reached, conversions, closures and timed stays", async () => {
    const funnel = funnelSchema.parse(await get(funnelRoute, `/api/analytics/funnel`));
    expect(funnel.stages.length).toBeGreaterThan(3);
    expect(funnel.stages.some((s) => s.conversion !== null && s.conversion > 0)).toBe(true);
    expect(funnel.totals.hired + funnel.totals.rejected).toBeGreaterThan(0);
    const time = timeInStageSchema.parse(await get(timeRoute, `/api/analytics/time-in-stage`));
    expect(time.stages.some((s) => s.count > 0 && s.medianMs !== null)).toBe(true);
  });

  it("lists jobs and providers, leaves merged-away and test candidates out, and answers CSV", async () => {
    const jobs = await get(jobsRoute as never, `/api/analytics/jobs`);
    const expected = apps.filter((a) => {
      const c = cands.find((x) => x.id === a.candidate_id)!;
      return c.status !== "merged" && !c.is_test;
    }).length;
    expect(jobs.jobs.reduce((n: number, j: { applications: number }) => n + j.applications, 0)).toBe(expected);
    expect(jobs.providers.length).toBeGreaterThan(1);

    const res = await funnelRoute(new Request(`http://dashboard.test/api/analytics/funnel?format=csv`, { headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } }));
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="funnel.csv"/);
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("stage,order,outcome,reached,advanced,conversion,current,left_hired,left_rejected,left_withdrawn");
    const funnel = funnelSchema.parse(await get(funnelRoute, `/api/analytics/funnel`));
    expect(text.split("\r\n").length - 2).toBe(funnel.stages.length);
  });

  it("shows a stage by the name given in Settings (Lever sends ids) on every chart and in its CSV, for its provider and for all", async () => {
    // A pipeline stage with timed stays, named on its provider's endpoint as an id would be.
    const [row] = await t.db.sql.query<{ stage: string; provider: string }>({
      text: `SELECT stage, provider FROM application_stays WHERE NOT merged AND NOT is_test AND duration_ms IS NOT NULL AND stage_name_status(stage) = 'active'
             ORDER BY stage, provider LIMIT 1`,
    });
    const [endpoint] = await t.db.sql.query<{ id: string }>({ text: `SELECT id FROM endpoints WHERE provider = $1`, params: [row.provider] });
    await t.db.sql.query({ text: `INSERT INTO stage_names (endpoint_id, stage_id, name, updated_at) VALUES ($1, $2, 'Named in Settings', now())`, params: [endpoint.id, row.stage] });
    try {
      for (const q of [`?provider=${row.provider}`, ``]) {
        const funnel = funnelSchema.parse(await get(funnelRoute, `/api/analytics/funnel${q}`));
        expect(funnel.stages.map((s) => s.name), q).toContain("Named in Settings");
        const time = timeInStageSchema.parse(await get(timeRoute, `/api/analytics/time-in-stage${q}`));
        expect(time.stages.map((s) => s.name), q).toContain("Named in Settings");
        const flow = flowSchema.parse(await get(flowRoute, `/api/analytics/flow${q}`));
        expect(flow.stages, q).toContain("Named in Settings");
        expect(flow.weeks.some((w) => (w.entries["Named in Settings"] ?? 0) > 0), q).toBe(true);
        for (const shown of [funnel.stages.map((s) => s.name), time.stages.map((s) => s.name), flow.stages]) expect(shown, q).not.toContain(row.stage);
      }
      const res = await funnelRoute(new Request(`http://dashboard.test/api/analytics/funnel?format=csv&provider=${row.provider}`, { headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } }));
      expect((await res.text()).split("\r\n").some((line) => line.startsWith("Named in Settings,"))).toBe(true);
      // The numbers are the stage's under either name.
      const named = funnelSchema.parse(await get(funnelRoute, `/api/analytics/funnel?provider=${row.provider}`)).stages.find((s) => s.name === "Named in Settings")!;
      await t.db.sql.query({ text: `DELETE FROM stage_names` });
      const stored = funnelSchema.parse(await get(funnelRoute, `/api/analytics/funnel?provider=${row.provider}`)).stages.find((s) => s.name === row.stage)!;
      expect({ ...named, name: row.stage }).toEqual(stored);
    } finally {
      await t.db.sql.query({ text: `DELETE FROM stage_names` });
    }
  });

  it("refuses an invalid filter with 400", async () => {
    const res = await call(funnelRoute as never, "GET", `/api/analytics/funnel?from=yesterday`);
    expect(res.status).toBe(400);
  });
});
