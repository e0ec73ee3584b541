import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compactFlowRollup, timeInStageQuery, type AnalyticsFilters } from "@/lib/db/analytics";
import { seedScale } from "../../bench/lib/scale-seed";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

/**
 * All jobs' time in stage reads stay_duration_rollup (counts per duration bucket) and probes the
 * stays index for the ranks percentile_cont interpolates between. Its answers must be
 * percentile_cont's, to the millisecond, whatever the durations: spread over many buckets (ranks
 * inside a bucket of different durations), tied (whole buckets of one duration, read without
 * skipping), zero, fractional, below and above the exact range of the buckets. And the buckets
 * themselves must be what the probe relies on: monotone, each bound its own bucket.
 */
const kinds: DbKind[] = ["pglite", "postgres"];

describe.each(kinds)("time in stage for all jobs (%s)", (kind) => {
  let t: TestDb;

  /** Every stay's duration rewritten, the rollup told as ingest tells it (flow_rollup_add: before and after). */
  async function setDurations(expression: string) {
    await t.db.sql.query({
      text: `DO $$ DECLARE v_before application_stays[] := ARRAY(SELECT s FROM application_stays s); BEGIN
               UPDATE application_stays s SET duration_ms = ${expression} WHERE s.duration_ms IS NOT NULL;
               PERFORM flow_rollup_add(v_before, ARRAY(SELECT s FROM application_stays s), '{}', '{}');
             END $$`,
    });
  }

  /** percentile_cont over the selected stays: the plain SQL the answer must equal. */
  async function reference(filters: AnalyticsFilters) {
    return t.db.sql.query<{ name: string; medianMs: number | null; p90Ms: number | null; count: number; open: number }>({
      text: `SELECT s.stage AS name,
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.duration_ms) FILTER (WHERE s.duration_ms IS NOT NULL)) AS "medianMs",
               round(percentile_cont(0.9) WITHIN GROUP (ORDER BY s.duration_ms) FILTER (WHERE s.duration_ms IS NOT NULL)) AS "p90Ms",
               count(s.duration_ms)::int AS count, (count(*) - count(s.duration_ms))::int AS open
             FROM application_stays s
             WHERE NOT s.merged AND ($1::boolean OR NOT s.is_test) AND ($2::text IS NULL OR s.provider = $2::text)
             GROUP BY s.stage`,
      params: [filters.includeTest ?? false, filters.provider ?? null],
    });
  }

  async function expectExact(label: string) {
    for (const filters of [{}, { includeTest: true }, { provider: "greenhouse" }] as AnalyticsFilters[]) {
      const answer = await timeInStageQuery(t.db.sql, filters);
      const ref = new Map((await reference(filters)).map((r) => [r.name, r]));
      expect(answer.length, label).toBeGreaterThan(3);
      for (const row of answer) {
        const r = ref.get(row.name)!;
        expect({ name: row.name, medianMs: row.medianMs, p90Ms: row.p90Ms, count: row.count, open: row.open }, `${label} ${JSON.stringify(filters)}`).toEqual({
          name: r.name,
          medianMs: r.medianMs === null ? null : Number(r.medianMs),
          p90Ms: r.p90Ms === null ? null : Number(r.p90Ms),
          count: r.count,
          open: r.open,
        });
      }
    }
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    await seedScale(t.db.sql, { candidates: 3_000, events: 24_000 });
    // Some test data, some open stays (the seed's last stays of open applications are open already).
    await t.db.sql.query({ text: `UPDATE candidates SET is_test = true WHERE id IN (SELECT id FROM candidates ORDER BY id LIMIT 150)` });
  }, 240_000);
  afterAll(async () => {
    await t?.drop();
  });

  it("duration_bucket: monotone, each bound in its own bucket, within 1.6% above 128 ms", async () => {
    const [row] = await t.db.sql.query<{ bad_order: number; bad_bound: number; too_wide: number; checked: number }>({
      text: `WITH v AS (
               SELECT DISTINCT d FROM (
                 SELECT generate_series(-3, 300)::float8 AS d
                 UNION ALL SELECT (2::float8 ^ e) + o FROM generate_series(7, 40) e, generate_series(-2, 2) o
                 UNION ALL SELECT floor(random() * 1e11) + 0.37 FROM generate_series(1, 3000)
                 UNION ALL SELECT 86400000::float8 UNION ALL SELECT 0.999) x
             ), b AS (SELECT d, duration_bucket(d) AS lo, lag(duration_bucket(d)) OVER (ORDER BY d) AS prev FROM v)
             SELECT count(*) FILTER (WHERE prev > lo)::int AS bad_order,
                    count(*) FILTER (WHERE duration_bucket(lo::float8) <> lo OR lo > d OR floor(d) < lo)::int AS bad_bound,
                    count(*) FILTER (WHERE d >= 128 AND (d - lo) / lo > 1.0 / 64)::int AS too_wide,
                    count(*)::int AS checked
             FROM b`,
    });
    expect(row).toEqual({ bad_order: 0, bad_bound: 0, too_wide: 0, checked: expect.any(Number) });
    expect(row!.checked).toBeGreaterThan(3000);
  });

  it("equals percentile_cont on the seed's few durations (every bucket one duration)", async () => {
    await expectExact("seed");
  });

  it("equals percentile_cont on spread, tied, zero and fractional durations, folded or not", async () => {
    // From a hash of the stay: a tenth zero, a fifth exactly one day, a few fractional, the rest
    // spread over a millisecond to a year.
    await setDurations(`CASE abs(hashtext(s.candidate_id || ':' || s.pos)) % 10
        WHEN 0 THEN 0 WHEN 1 THEN 86400000 WHEN 2 THEN 86400000 WHEN 3 THEN (abs(hashtext(s.candidate_id)) % 1000) + 0.5
        ELSE (abs(hashtext(s.candidate_id || s.stage)) % 31536000000::bigint)::float8 / (1 + abs(hashtext(s.stage || s.pos)) % 7) END`);
    const [{ distinct }] = await t.db.sql.query<{ distinct: number }>({ text: `SELECT count(DISTINCT duration_ms)::int AS distinct FROM application_stays` });
    expect(distinct).toBeGreaterThan(1_000);
    await expectExact("spread, unfolded");
    await compactFlowRollup(t.db.sql);
    await expectExact("spread, folded");
  });
});
