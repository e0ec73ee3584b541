-- CreateTable
CREATE TABLE "funnel_rollup" (
    "id" BIGSERIAL NOT NULL,
    "provider" TEXT NOT NULL,
    "is_test" BOOLEAN NOT NULL,
    "start_week" DATE NOT NULL,
    "reached" TEXT NOT NULL,
    "last_stage" TEXT NOT NULL,
    "left_from" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "n" BIGINT NOT NULL,
    "folded" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "funnel_rollup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stay_duration_rollup" (
    "id" BIGSERIAL NOT NULL,
    "provider" TEXT NOT NULL,
    "is_test" BOOLEAN NOT NULL,
    "stage" TEXT NOT NULL,
    "open" BOOLEAN NOT NULL,
    "bucket" BIGINT NOT NULL,
    "n" BIGINT NOT NULL,
    "sum_ms" DECIMAL NOT NULL,
    "sum_sq" DECIMAL NOT NULL,
    "folded" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "stay_duration_rollup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_applications_rollup" (
    "id" BIGSERIAL NOT NULL,
    "job_key" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "is_test" BOOLEAN NOT NULL,
    "n" BIGINT NOT NULL,
    "folded" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "job_applications_rollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "funnel_rollup_read_idx" ON "funnel_rollup"("start_week", "provider", "is_test");

-- CreateIndex
CREATE INDEX "funnel_rollup_folded_idx" ON "funnel_rollup"("folded");

-- CreateIndex
CREATE INDEX "stay_duration_rollup_read_idx" ON "stay_duration_rollup"("provider", "is_test", "stage", "open", "bucket");

-- CreateIndex
CREATE INDEX "stay_duration_rollup_folded_idx" ON "stay_duration_rollup"("folded");

-- CreateIndex
CREATE INDEX "job_applications_rollup_read_idx" ON "job_applications_rollup"("job_key", "provider", "is_test", "n");

-- CreateIndex
CREATE INDEX "job_applications_rollup_folded_idx" ON "job_applications_rollup"("folded");

-- All-jobs analytics at scale (issues 17 and 20, README "Pipeline analytics" → Speed). Across every
-- job the funnel grouped every application by its path (350 ms at 1,000,000), time in stage read
-- every completed stay in (stage, duration) order (2.0 s), and the job picker grouped every current
-- stage joined to its candidate (480 ms). Three more rollups, kept exactly as flow_rollup is: signed
-- deltas appended by flow_rollup_add (which refresh_application_stays, the flag trigger and the
-- delete triggers already call with the rows before and after), netted per group, folded by
-- compact_flow_rollup. A job's own answers keep reading application_summary / application_stays.

-- The lower bound, in whole ms, of a duration's bucket: exact below 128 ms, then 64 buckets per
-- doubling (each within 1.6% of its bound). Monotone and f(b) = b for every bound b, so the stays of
-- the buckets below b are exactly those with duration_ms < b: time in stage counts ranks in the
-- rollup, then reads a value with one index probe from a bucket's bound (no upper bound needed).
CREATE FUNCTION duration_bucket(p_ms float8) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$
  -- One expression (no FROM), so the planner inlines it; the shift is the bit length of the whole ms
  -- minus 7, taken exactly from its bit string (no floating-point log).
  SELECT CASE WHEN p_ms < 128 THEN floor(p_ms)::bigint
              ELSE (floor(p_ms)::bigint >> (length(ltrim(floor(p_ms)::bigint::bit(64)::text, '0')) - 7))
                     << (length(ltrim(floor(p_ms)::bigint::bit(64)::text, '0')) - 7) END
$fn$;

-- As before (…_flow_rollup), plus the funnel's paths per start week, the stays' durations per stage
-- and bucket (open stays apart), and applications per job: every rollup from one call, so no path
-- that changes the stays or applications can keep one and miss another. plpgsql rather than a SQL
-- function: PostgreSQL plans a SQL function's statements again on every call (2.4 ms per ingest
-- batch, by track_functions), a plpgsql function's once per session (0.85 ms).
CREATE OR REPLACE FUNCTION flow_rollup_add(p_old_stays application_stays[], p_new_stays application_stays[],
                                           p_old_apps application_summary[], p_new_apps application_summary[])
RETURNS void LANGUAGE plpgsql VOLATILE
AS $fn$
BEGIN
  INSERT INTO flow_rollup (per_job, job_key, provider, is_test, start_week, kind, name, week, n, first_n, first_pos)
  SELECT p.per_job, CASE WHEN p.per_job THEN d.job_key ELSE '' END, d.provider, d.is_test, d.start_week, d.kind, d.name, d.week,
    sum(d.n), sum(d.first_n), sum(d.first_pos)
  FROM (
    SELECT s.job_key, s.provider, s.is_test, flow_week(s.started_at) AS start_week, 'entry' AS kind, s.stage AS name,
      flow_week(s.entered_at) AS week, s.sign AS n,
      CASE WHEN s.first_entry THEN s.sign ELSE 0 END AS first_n, CASE WHEN s.first_entry THEN s.sign * s.pos ELSE 0 END AS first_pos
    FROM (SELECT o.*, -1 AS sign FROM unnest(p_old_stays) o UNION ALL SELECT w.*, 1 AS sign FROM unnest(p_new_stays) w) s
    WHERE NOT s.merged
    UNION ALL
    SELECT a.job_key, a.provider, a.is_test, flow_week(a.started_at), 'closure', a.status, flow_week(a.status_since), a.sign, 0, 0
    FROM (SELECT o.*, -1 AS sign FROM unnest(p_old_apps) o UNION ALL SELECT w.*, 1 AS sign FROM unnest(p_new_apps) w) a
    WHERE NOT a.merged AND a.status IN ('hired', 'rejected', 'withdrawn') AND a.status_since IS NOT NULL
  ) d CROSS JOIN (VALUES (true), (false)) AS p(per_job)
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(d.n) <> 0 OR sum(d.first_n) <> 0 OR sum(d.first_pos) <> 0;

  INSERT INTO funnel_rollup (provider, is_test, start_week, reached, last_stage, left_from, status, n)
  SELECT a.provider, a.is_test, flow_week(a.started_at), a.reached, a.last_stage, a.left_from, a.status, sum(a.sign)
  FROM (SELECT o.*, -1 AS sign FROM unnest(p_old_apps) o UNION ALL SELECT w.*, 1 AS sign FROM unnest(p_new_apps) w) a
  WHERE NOT a.merged
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(a.sign) <> 0;

  INSERT INTO stay_duration_rollup (provider, is_test, stage, open, bucket, n, sum_ms, sum_sq)
  SELECT s.provider, s.is_test, s.stage, s.duration_ms IS NULL, coalesce(duration_bucket(s.duration_ms), 0), sum(s.sign),
    coalesce(sum(s.sign * s.duration_ms::numeric), 0), coalesce(sum(s.sign * s.duration_ms::numeric * s.duration_ms::numeric), 0)
  FROM (SELECT o.*, -1 AS sign FROM unnest(p_old_stays) o UNION ALL SELECT w.*, 1 AS sign FROM unnest(p_new_stays) w) s
  WHERE NOT s.merged
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(s.sign) <> 0 OR coalesce(sum(s.sign * s.duration_ms::numeric), 0) <> 0;

  INSERT INTO job_applications_rollup (job_key, provider, is_test, n)
  SELECT a.job_key, a.provider, a.is_test, sum(a.sign)
  FROM (SELECT o.*, -1 AS sign FROM unnest(p_old_apps) o UNION ALL SELECT w.*, 1 AS sign FROM unnest(p_new_apps) w) a
  WHERE NOT a.merged
  GROUP BY 1, 2, 3
  HAVING sum(a.sign) <> 0;
END
$fn$;

-- As before, plus the three new rollups, under the same lock and in the same way: each group's deltas
-- folded into its one row (groups that sum to nothing dropped). Returns the deltas folded in all four.
CREATE OR REPLACE FUNCTION compact_flow_rollup() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_flow bigint;
  v_funnel bigint;
  v_durations bigint;
  v_jobs bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('compact_flow_rollup')) THEN
    RETURN 0;
  END IF;
  WITH touched AS (
    SELECT DISTINCT per_job, job_key, provider, is_test, start_week, kind, name, week FROM flow_rollup WHERE NOT folded
  ), gone AS (
    DELETE FROM flow_rollup r USING touched t
    WHERE r.per_job = t.per_job AND r.job_key = t.job_key AND r.start_week = t.start_week AND r.provider = t.provider
      AND r.is_test = t.is_test AND r.kind = t.kind AND r.name = t.name AND r.week = t.week
    RETURNING r.per_job, r.job_key, r.provider, r.is_test, r.start_week, r.kind, r.name, r.week, r.n, r.first_n, r.first_pos, r.folded
  ), refold AS (
    INSERT INTO flow_rollup (per_job, job_key, provider, is_test, start_week, kind, name, week, n, first_n, first_pos, folded)
    SELECT per_job, job_key, provider, is_test, start_week, kind, name, week, sum(n), sum(first_n), sum(first_pos), true FROM gone
    GROUP BY per_job, job_key, provider, is_test, start_week, kind, name, week
    HAVING sum(n) <> 0 OR sum(first_n) <> 0 OR sum(first_pos) <> 0
  )
  SELECT count(*) FILTER (WHERE NOT folded) INTO v_flow FROM gone;

  WITH touched AS (
    SELECT DISTINCT provider, is_test, start_week, reached, last_stage, left_from, status FROM funnel_rollup WHERE NOT folded
  ), gone AS (
    DELETE FROM funnel_rollup r USING touched t
    WHERE r.start_week = t.start_week AND r.provider = t.provider AND r.is_test = t.is_test AND r.reached = t.reached
      AND r.last_stage = t.last_stage AND r.left_from = t.left_from AND r.status = t.status
    RETURNING r.provider, r.is_test, r.start_week, r.reached, r.last_stage, r.left_from, r.status, r.n, r.folded
  ), refold AS (
    INSERT INTO funnel_rollup (provider, is_test, start_week, reached, last_stage, left_from, status, n, folded)
    SELECT provider, is_test, start_week, reached, last_stage, left_from, status, sum(n), true FROM gone
    GROUP BY provider, is_test, start_week, reached, last_stage, left_from, status HAVING sum(n) <> 0
  )
  SELECT count(*) FILTER (WHERE NOT folded) INTO v_funnel FROM gone;

  WITH touched AS (
    SELECT DISTINCT provider, is_test, stage, open, bucket FROM stay_duration_rollup WHERE NOT folded
  ), gone AS (
    DELETE FROM stay_duration_rollup r USING touched t
    WHERE r.provider = t.provider AND r.is_test = t.is_test AND r.stage = t.stage AND r.open = t.open AND r.bucket = t.bucket
    RETURNING r.provider, r.is_test, r.stage, r.open, r.bucket, r.n, r.sum_ms, r.sum_sq, r.folded
  ), refold AS (
    INSERT INTO stay_duration_rollup (provider, is_test, stage, open, bucket, n, sum_ms, sum_sq, folded)
    SELECT provider, is_test, stage, open, bucket, sum(n), sum(sum_ms), sum(sum_sq), true FROM gone
    GROUP BY provider, is_test, stage, open, bucket HAVING sum(n) <> 0 OR sum(sum_ms) <> 0
  )
  SELECT count(*) FILTER (WHERE NOT folded) INTO v_durations FROM gone;

  WITH touched AS (
    SELECT DISTINCT job_key, provider, is_test FROM job_applications_rollup WHERE NOT folded
  ), gone AS (
    DELETE FROM job_applications_rollup r USING touched t
    WHERE r.job_key = t.job_key AND r.provider = t.provider AND r.is_test = t.is_test
    RETURNING r.job_key, r.provider, r.is_test, r.n, r.folded
  ), refold AS (
    INSERT INTO job_applications_rollup (job_key, provider, is_test, n, folded)
    SELECT job_key, provider, is_test, sum(n), true FROM gone GROUP BY job_key, provider, is_test HAVING sum(n) <> 0
  )
  SELECT count(*) FILTER (WHERE NOT folded) INTO v_jobs FROM gone;

  RETURN v_flow + v_funnel + v_durations + v_jobs;
END $fn$;

-- Read whole or index-only, and rewritten by every fold: vacuumed early, as flow_rollup is.
ALTER TABLE funnel_rollup SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
ALTER TABLE stay_duration_rollup SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
ALTER TABLE job_applications_rollup SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);

-- Existing data, set-based (a rollup is a GROUP BY of the summaries), then folded rows from the start.
INSERT INTO funnel_rollup (provider, is_test, start_week, reached, last_stage, left_from, status, n, folded)
SELECT a.provider, a.is_test, flow_week(a.started_at), a.reached, a.last_stage, a.left_from, a.status, count(*), true
FROM application_summary a WHERE NOT a.merged
GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO stay_duration_rollup (provider, is_test, stage, open, bucket, n, sum_ms, sum_sq, folded)
SELECT s.provider, s.is_test, s.stage, s.duration_ms IS NULL, coalesce(duration_bucket(s.duration_ms), 0), count(*),
  coalesce(sum(s.duration_ms::numeric), 0), coalesce(sum(s.duration_ms::numeric * s.duration_ms::numeric), 0), true
FROM application_stays s WHERE NOT s.merged
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO job_applications_rollup (job_key, provider, is_test, n, folded)
SELECT a.job_key, a.provider, a.is_test, count(*), true
FROM application_summary a WHERE NOT a.merged
GROUP BY 1, 2, 3;
