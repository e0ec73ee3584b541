-- Pipeline analytics' summary of stays (issue 17; model ApplicationStay, lib/db/analytics.ts): the
-- answers read one pass over a job's rows here instead of re-deriving stays from event_stages.
-- save_processing_outcomes is unchanged: the ingest statement calls refresh_application_stays_by_key
-- right after it (lib/db/events.ts), in the same statement, so the summary commits with the events.

-- CreateTable
CREATE TABLE "application_stays" (
    "candidate_id" TEXT NOT NULL,
    "job_key" TEXT NOT NULL,
    "pos" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,
    "left_at" TIMESTAMPTZ(3),
    "prev_stage" TEXT,
    "first_entry" BOOLEAN NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "provider" TEXT NOT NULL,
    "is_test" BOOLEAN NOT NULL,
    "merged" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "status_since" TIMESTAMPTZ(3),

    CONSTRAINT "application_stays_pkey" PRIMARY KEY ("candidate_id","job_key","pos")
);

-- CreateIndex
CREATE INDEX "application_stays_job_key_started_at_idx" ON "application_stays"("job_key", "started_at");

-- AddForeignKey
ALTER TABLE "application_stays" ADD CONSTRAINT "application_stays_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every stay of the given candidates' applications, recomputed from their stage observations: the
-- same definitions the answers used to derive each time (README "Pipeline analytics"). A stay is a
-- run of one stage in history order (occurred, received, event id); pos counts the stays before it;
-- left_at is the next stay's entry; the application's status and the candidate's flags are copied.
-- Set-based: one delete and one insert for the whole batch, on the candidate-first indexes.
-- PL/pgSQL with generic plans, as save_processing_outcomes: its statements are planned once per
-- connection, not on every batch (a LANGUAGE sql function with several statements is re-planned per call).
CREATE OR REPLACE FUNCTION refresh_application_stays(p_candidate_ids text[])
RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  DELETE FROM application_stays WHERE candidate_id = ANY (p_candidate_ids);
  INSERT INTO application_stays (candidate_id, job_key, pos, stage, entered_at, left_at, prev_stage, first_entry,
    started_at, provider, is_test, merged, status, status_since)
  SELECT s.candidate_id, s.job_key, s.pos, s.stage, s.entered_at, s.left_at, s.prev_stage,
    row_number() OVER (PARTITION BY s.candidate_id, s.job_key, s.stage ORDER BY s.pos) = 1,
    s.started_at, c.provider, c.is_test, c.status = 'merged', cs.status, cs.status_since
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
END
$fn$;

-- The same for a processing batch's candidates as save_processing_outcomes takes them
-- ([{provider, external_id, …}]), resolved on the (provider, external_id) key.
CREATE OR REPLACE FUNCTION refresh_application_stays_by_key(p_candidates jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  PERFORM refresh_application_stays(coalesce((
    SELECT array_agg(c.id) FROM jsonb_to_recordset(p_candidates) AS r(provider text, external_id text)
    JOIN candidates c ON c.provider = r.provider AND c.external_id = r.external_id), '{}'));
END
$fn$;

-- A candidate flagged as test data or merged away (or back) outside a processing batch: its stays follow.
CREATE OR REPLACE FUNCTION application_stays_candidate_flags() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE application_stays SET is_test = NEW.is_test, merged = NEW.status = 'merged' WHERE candidate_id = NEW.id;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER application_stays_candidate_flags AFTER UPDATE OF is_test, status ON candidates
FOR EACH ROW WHEN (OLD.is_test IS DISTINCT FROM NEW.is_test OR (OLD.status = 'merged') IS DISTINCT FROM (NEW.status = 'merged'))
EXECUTE FUNCTION application_stays_candidate_flags();

-- Existing data.
SELECT refresh_application_stays(coalesce((SELECT array_agg(id) FROM candidates), '{}'));
