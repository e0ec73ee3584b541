-- DropIndex
DROP INDEX "application_stays_job_key_started_at_idx";

-- AlterTable
ALTER TABLE "application_stays" ADD COLUMN     "duration_ms" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "application_summary" (
    "candidate_id" TEXT NOT NULL,
    "job_key" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "provider" TEXT NOT NULL,
    "is_test" BOOLEAN NOT NULL,
    "merged" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "status_since" TIMESTAMPTZ(3),
    "reached" TEXT NOT NULL,
    "last_stage" TEXT NOT NULL,
    "left_from" TEXT NOT NULL,

    CONSTRAINT "application_summary_pkey" PRIMARY KEY ("candidate_id","job_key")
);

-- CreateIndex
CREATE INDEX "application_summary_job_key_started_at_idx" ON "application_summary"("job_key", "started_at");

-- AddForeignKey
ALTER TABLE "application_summary" ADD CONSTRAINT "application_summary_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Pipeline analytics at scale (issue 17, README "Pipeline analytics" → Speed). Two summaries kept by
-- the same refresh, in the same statement as the ingest batch (refresh_application_stays_by_key):
--   * application_stays.duration_ms: each stay's duration as time in stage times it (the same
--     float8 expression the answer computed per stay), so its percentiles read it from an index;
--   * application_summary: one row per application (first observation, flags, status, the stages
--     it reached with the position of each first entry, its last stage and the stage it left from),
--     so the funnel aggregates applications, grouped by path, instead of stays.
-- The answers read a job's stays (or every job's) in (stage, duration_ms) order from these indexes,
-- index-only (the columns after duration_ms serve the filters and the flow), so the percentiles'
-- sorts get their input in order and no heap page is read. They replace
-- application_stays_job_key_started_at_idx, which only the answers used.
CREATE INDEX "application_stays_job_stage_duration_idx" ON "application_stays"("job_key", "stage", "duration_ms", "entered_at", "started_at", "provider", "is_test", "merged");
CREATE INDEX "application_stays_stage_duration_idx" ON "application_stays"("stage", "duration_ms", "entered_at", "started_at", "provider", "is_test", "merged");

-- As before (…_application_stays_index_paths), plus duration_ms and the application rows, read back
-- from the stays just written on their primary key.
CREATE OR REPLACE FUNCTION refresh_application_stays(p_candidate_ids text[])
RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
BEGIN
  DELETE FROM application_stays WHERE candidate_id = ANY (p_candidate_ids);
  DELETE FROM application_summary WHERE candidate_id = ANY (p_candidate_ids);
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
END
$fn$;

-- A candidate flagged as test data or merged away (or back) outside a processing batch: its rows follow.
CREATE OR REPLACE FUNCTION application_stays_candidate_flags() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE application_stays SET is_test = NEW.is_test, merged = NEW.status = 'merged' WHERE candidate_id = NEW.id;
  UPDATE application_summary SET is_test = NEW.is_test, merged = NEW.status = 'merged' WHERE candidate_id = NEW.id;
  RETURN NULL;
END
$fn$;

-- Existing data.
SELECT refresh_application_stays(coalesce((SELECT array_agg(id) FROM candidates), '{}'));
