-- CreateTable
CREATE TABLE "flow_rollup" (
    "id" BIGSERIAL NOT NULL,
    "per_job" BOOLEAN NOT NULL,
    "job_key" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "is_test" BOOLEAN NOT NULL,
    "start_week" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "week" DATE NOT NULL,
    "n" BIGINT NOT NULL,
    "first_n" BIGINT NOT NULL,
    "first_pos" BIGINT NOT NULL,
    "folded" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "flow_rollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "flow_rollup_read_idx" ON "flow_rollup"("per_job", "job_key", "start_week", "provider", "is_test", "kind", "name", "week", "n", "first_n", "first_pos");

-- CreateIndex
CREATE INDEX "flow_rollup_folded_idx" ON "flow_rollup"("folded");

-- CreateIndex
CREATE INDEX "application_summary_started_at_idx" ON "application_summary"("started_at");

-- Flow over time at scale (issue 17, README "Pipeline analytics" → Speed). The flow counted every
-- selected stay per stage and week on each read (the same work as the plain SQL). flow_rollup keeps
-- those counts per job (and for all jobs), provider, test flag and the week the application started,
-- so a read sums a few rows per start week; from/to that cut a week are exact because the answer reads
-- the applications of the cut weeks from application_summary / application_stays directly.
--
-- Kept by refresh_application_stays, in the statement that saves a batch: it reads the batch's rows
-- before replacing them and appends the difference, netted per group (a batch that changes nothing
-- the flow counts appends nothing). Rows leave the stays outside the refresh only by cascade (an
-- erased or deleted candidate): statement-level delete triggers subtract them. Test and merge flags
-- set outside a batch: application_stays_candidate_flags, below. Appending (never updating a shared
-- counter) keeps concurrent ingest transactions from queueing on one row, as stat_rollups does.

-- The ISO week (Monday, UTC) of a time, as the flow reports it.
CREATE FUNCTION flow_week(p_at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fn$ SELECT date_trunc('week', p_at AT TIME ZONE 'UTC')::date $fn$;

-- Appends what the rows p_new_* count minus what p_old_* counted, one row per group that changed,
-- for the job and for all jobs. Entries: every stay (first entries also counted with their position,
-- for the stage order); closures: an application's current hired/rejected/withdrawn status, in the
-- week it began. Merged-away applications count nowhere (the answers leave them out).
CREATE FUNCTION flow_rollup_add(p_old_stays application_stays[], p_new_stays application_stays[],
                                p_old_apps application_summary[], p_new_apps application_summary[])
RETURNS void LANGUAGE sql VOLATILE
AS $fn$
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
  HAVING sum(d.n) <> 0 OR sum(d.first_n) <> 0 OR sum(d.first_pos) <> 0
$fn$;

-- Rows removed by a cascade (erasure, deleted candidates). The refresh's own deletes are netted by
-- the refresh itself (flow_rollup.in_refresh is set around them), so they are skipped here.
CREATE FUNCTION flow_rollup_stays_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF current_setting('flow_rollup.in_refresh', true) = 'on' THEN RETURN NULL; END IF;
  PERFORM flow_rollup_add(ARRAY(SELECT o::application_stays FROM flow_old o), '{}', '{}', '{}');
  RETURN NULL;
END $fn$;
CREATE FUNCTION flow_rollup_apps_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF current_setting('flow_rollup.in_refresh', true) = 'on' THEN RETURN NULL; END IF;
  PERFORM flow_rollup_add('{}', '{}', ARRAY(SELECT o::application_summary FROM flow_old o), '{}');
  RETURN NULL;
END $fn$;
CREATE TRIGGER flow_rollup_deleted AFTER DELETE ON application_stays
  REFERENCING OLD TABLE AS flow_old FOR EACH STATEMENT EXECUTE FUNCTION flow_rollup_stays_deleted();
CREATE TRIGGER flow_rollup_deleted AFTER DELETE ON application_summary
  REFERENCING OLD TABLE AS flow_old FOR EACH STATEMENT EXECUTE FUNCTION flow_rollup_apps_deleted();

-- As before (…_application_summary), plus the flow rollup: the batch's rows are read before they are
-- replaced and after, and the difference appended once.
CREATE OR REPLACE FUNCTION refresh_application_stays(p_candidate_ids text[])
RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
DECLARE
  v_old_stays application_stays[] := ARRAY(SELECT s FROM application_stays s WHERE s.candidate_id = ANY (p_candidate_ids));
  v_old_apps application_summary[] := ARRAY(SELECT a FROM application_summary a WHERE a.candidate_id = ANY (p_candidate_ids));
BEGIN
  PERFORM set_config('flow_rollup.in_refresh', 'on', true);
  DELETE FROM application_stays WHERE candidate_id = ANY (p_candidate_ids);
  DELETE FROM application_summary WHERE candidate_id = ANY (p_candidate_ids);
  PERFORM set_config('flow_rollup.in_refresh', 'off', true);
  INSERT INTO application_stays (candidate_id, job_key, pos, stage, entered_at, left_at, prev_stage, first_entry,
    started_at, provider, is_test, merged, status, status_since, duration_ms)
  SELECT s.candidate_id, s.job_key, s.pos, s.stage, s.entered_at, s.left_at, s.prev_stage,
    row_number() OVER (PARTITION BY s.candidate_id, s.job_key, s.stage ORDER BY s.pos) = 1,
    s.started_at, c.provider, c.is_test, c.status = 'merged', cs.status, cs.status_since,
    -- Ended by the next stay, or (the last stay) by the application closing: the clock stops at the
    -- hire or rejection; null while open (counted, not timed).
    CASE WHEN s.left_at IS NOT NULL THEN extract(epoch FROM s.left_at - s.entered_at)::float8 * 1000
         WHEN cs.status IN ('hired', 'rejected', 'withdrawn') AND cs.status_since IS NOT NULL
           THEN greatest(0, extract(epoch FROM cs.status_since - s.entered_at)::float8 * 1000)
    END
  FROM (
    SELECT o.candidate_id, o.job_key, o.stage, o.started_at, o.occurred_at AS entered_at,
      (row_number() OVER s - 1)::int AS pos,
      lead(o.occurred_at) OVER s AS left_at,
      lag(o.stage) OVER s AS prev_stage
    FROM (
      SELECT es.candidate_id, es.job_key, es.stage, es.occurred_at, es.received_at, es.event_id,
        lag(es.stage) OVER w AS prev_obs,
        first_value(es.occurred_at) OVER w AS started_at
      FROM event_stages es WHERE es.candidate_id = ANY (p_candidate_ids)
      WINDOW w AS (PARTITION BY es.candidate_id, es.job_key ORDER BY es.occurred_at, es.received_at, es.event_id)
    ) o
    WHERE o.prev_obs IS DISTINCT FROM o.stage
    WINDOW s AS (PARTITION BY o.candidate_id, o.job_key ORDER BY o.occurred_at, o.received_at, o.event_id)
  ) s
  JOIN candidate_stages cs ON cs.candidate_id = s.candidate_id AND cs.job_key = s.job_key
  JOIN candidates c ON c.id = s.candidate_id;
  INSERT INTO application_summary (candidate_id, job_key, started_at, provider, is_test, merged, status, status_since,
    reached, last_stage, left_from)
  SELECT s.candidate_id, s.job_key, min(s.started_at), min(s.provider), bool_or(s.is_test), bool_or(s.merged), min(s.status), min(s.status_since),
    (json_agg(json_build_array(s.stage, s.pos) ORDER BY s.pos) FILTER (WHERE s.first_entry))::text,
    (array_agg(s.stage ORDER BY s.pos DESC))[1],
    -- "Interview" → "Rejected" left from Interview.
    (array_agg(CASE WHEN stage_name_status(s.stage) <> 'active' AND s.prev_stage IS NOT NULL AND stage_name_status(s.prev_stage) = 'active'
                    THEN s.prev_stage ELSE s.stage END ORDER BY s.pos DESC))[1]
  FROM application_stays s WHERE s.candidate_id = ANY (p_candidate_ids)
  GROUP BY s.candidate_id, s.job_key;
  PERFORM flow_rollup_add(v_old_stays, ARRAY(SELECT s FROM application_stays s WHERE s.candidate_id = ANY (p_candidate_ids)),
    v_old_apps, ARRAY(SELECT a FROM application_summary a WHERE a.candidate_id = ANY (p_candidate_ids)));
END
$fn$;

-- A candidate flagged as test data or merged away (or back) outside a processing batch: its rows
-- follow, and the flow rollup with them.
CREATE OR REPLACE FUNCTION application_stays_candidate_flags() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  v_old_stays application_stays[] := ARRAY(SELECT s FROM application_stays s WHERE s.candidate_id = NEW.id);
  v_old_apps application_summary[] := ARRAY(SELECT a FROM application_summary a WHERE a.candidate_id = NEW.id);
BEGIN
  UPDATE application_stays SET is_test = NEW.is_test, merged = NEW.status = 'merged' WHERE candidate_id = NEW.id;
  UPDATE application_summary SET is_test = NEW.is_test, merged = NEW.status = 'merged' WHERE candidate_id = NEW.id;
  PERFORM flow_rollup_add(v_old_stays, ARRAY(SELECT s FROM application_stays s WHERE s.candidate_id = NEW.id),
    v_old_apps, ARRAY(SELECT a FROM application_summary a WHERE a.candidate_id = NEW.id));
  RETURN NULL;
END
$fn$;

-- Folds the deltas of every group that has any into that group's one folded row (dropping groups
-- that sum to nothing), in one statement, as compact_stat_rollups does: a delta is folded once or
-- left for next time; deltas committed after the statement's snapshot stay; one instance at a time.
CREATE FUNCTION compact_flow_rollup() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  folded_deltas bigint;
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
  SELECT count(*) FILTER (WHERE NOT folded) INTO folded_deltas FROM gone;
  RETURN folded_deltas;
END $fn$;

-- The flow reads the rollup index-only, which needs its pages marked all-visible by a vacuum; every
-- fold deletes and rewrites rows. Vacuum it after 2% of its rows changed or were added (the default,
-- 20%, left a freshly folded rollup read through the heap: 3–4× slower on the scale bench's data).
ALTER TABLE flow_rollup SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);

-- Existing data, a few thousand candidates at a time (each call holds its rows in memory), then folded.
DO $do$
DECLARE
  v_ids text[];
BEGIN
  FOR v_ids IN SELECT array_agg(candidate_id) FROM (
      SELECT candidate_id, (row_number() OVER (ORDER BY candidate_id) - 1) / 5000 AS chunk FROM application_summary GROUP BY candidate_id) c
    GROUP BY chunk
  LOOP
    PERFORM flow_rollup_add('{}', ARRAY(SELECT s FROM application_stays s WHERE s.candidate_id = ANY (v_ids)),
      '{}', ARRAY(SELECT a FROM application_summary a WHERE a.candidate_id = ANY (v_ids)));
  END LOOP;
END
$do$;
SELECT compact_flow_rollup();
