-- The stays' refresh runs inside every processing batch: its plans must be index lookups whatever
-- the statistics say. On a table never analyzed (a new database, a bulk load) the generic plans
-- joined the batch's keys to a sequential scan of every candidate (5,220 rows read for a batch of
-- 10 among 5,000 candidates; tests/integration/ingest-batches.test.ts). Index paths only, with a
-- LATERAL lookup per key, as save_processing_outcomes and link_people do.
CREATE OR REPLACE FUNCTION refresh_application_stays(p_candidate_ids text[])
RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
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

CREATE OR REPLACE FUNCTION refresh_application_stays_by_key(p_candidates jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
BEGIN
  PERFORM refresh_application_stays(coalesce((
    SELECT array_agg(c.id) FROM jsonb_to_recordset(p_candidates) AS r(provider text, external_id text)
    -- LIMIT 1 (the key is unique) keeps the planner from flattening the lookups back into a join.
    CROSS JOIN LATERAL (SELECT x.id FROM candidates x WHERE x.provider = r.provider AND x.external_id = r.external_id LIMIT 1) c), '{}'));
END
$fn$;
