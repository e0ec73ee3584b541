-- Ingest cost of the analytics summaries (issues 17 and 20: ingest within 10% of its figures before
-- them). refresh_application_stays, which the ingest statement runs for every batch's candidates,
-- deleted and re-inserted every stay and application row of those candidates, with their indexes
-- (two wide ones on the stays, two on the applications), whether or not anything had changed: a
-- delivery that moves no stage (a profile update, a note) rewrote the whole history of its
-- candidate, and one that does rewrote all of it to add one stay and close another.
--
-- Now it computes the candidates' stays and applications into arrays (as it already read the old
-- ones, for the rollups), and writes only the difference: the rows of the old set that are not in
-- the new (deleted by primary key), then the rows of the new set that are not in the old (inserted).
-- Row sets are compared with EXCEPT, so NULLs compare equal. The rollups get only those rows (a row
-- in both sets adds and subtracts the same in every rollup, so the sums are the same), and a
-- refresh that finds nothing changed returns before any write. What the tables hold afterwards is
-- the same as before, row for row.
CREATE OR REPLACE FUNCTION refresh_application_stays(p_candidate_ids text[])
RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
DECLARE
  v_old_stays application_stays[] := ARRAY(SELECT s FROM application_stays s WHERE s.candidate_id = ANY (p_candidate_ids));
  v_old_apps application_summary[] := ARRAY(SELECT a FROM application_summary a WHERE a.candidate_id = ANY (p_candidate_ids));
  v_new_stays application_stays[];
  v_new_apps application_summary[];
  v_gone_stays application_stays[];
  v_added_stays application_stays[];
  v_gone_apps application_summary[];
  v_added_apps application_summary[];
BEGIN
  v_new_stays := ARRAY(
    SELECT ROW(s.candidate_id, s.job_key, s.pos, s.stage, s.entered_at, s.left_at, s.prev_stage,
      row_number() OVER (PARTITION BY s.candidate_id, s.job_key, s.stage ORDER BY s.pos) = 1,
      s.started_at, c.provider, c.is_test, c.status = 'merged', cs.status, cs.status_since,
      -- Ended by the next stay, or (the last stay) by the application closing: the clock stops at the
      -- hire or rejection; null while open (counted, not timed).
      CASE WHEN s.left_at IS NOT NULL THEN extract(epoch FROM s.left_at - s.entered_at)::float8 * 1000
           WHEN cs.status IN ('hired', 'rejected', 'withdrawn') AND cs.status_since IS NOT NULL
             THEN greatest(0, extract(epoch FROM cs.status_since - s.entered_at)::float8 * 1000)
      END)::application_stays
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
    JOIN candidates c ON c.id = s.candidate_id);
  v_new_apps := ARRAY(
    SELECT ROW(s.candidate_id, s.job_key, min(s.started_at), min(s.provider), bool_or(s.is_test), bool_or(s.merged), min(s.status), min(s.status_since),
      (json_agg(json_build_array(s.stage, s.pos) ORDER BY s.pos) FILTER (WHERE s.first_entry))::text,
      (array_agg(s.stage ORDER BY s.pos DESC))[1],
      -- "Interview" → "Rejected" left from Interview.
      (array_agg(CASE WHEN stage_name_status(s.stage) <> 'active' AND s.prev_stage IS NOT NULL AND stage_name_status(s.prev_stage) = 'active'
                      THEN s.prev_stage ELSE s.stage END ORDER BY s.pos DESC))[1])::application_summary
    FROM unnest(v_new_stays) s
    GROUP BY s.candidate_id, s.job_key);

  -- What changed, both ways: rows stored but no longer derived, rows derived but not stored.
  v_gone_stays := ARRAY(SELECT ROW(o.*)::application_stays FROM (SELECT * FROM unnest(v_old_stays) EXCEPT SELECT * FROM unnest(v_new_stays)) o);
  v_added_stays := ARRAY(SELECT ROW(n.*)::application_stays FROM (SELECT * FROM unnest(v_new_stays) EXCEPT SELECT * FROM unnest(v_old_stays)) n);
  v_gone_apps := ARRAY(SELECT ROW(o.*)::application_summary FROM (SELECT * FROM unnest(v_old_apps) EXCEPT SELECT * FROM unnest(v_new_apps)) o);
  v_added_apps := ARRAY(SELECT ROW(n.*)::application_summary FROM (SELECT * FROM unnest(v_new_apps) EXCEPT SELECT * FROM unnest(v_old_apps)) n);
  IF cardinality(v_gone_stays) + cardinality(v_added_stays) + cardinality(v_gone_apps) + cardinality(v_added_apps) = 0 THEN
    RETURN;
  END IF;

  -- The refresh's own deletes are netted below (flow_rollup_add with both sets), not by the delete triggers.
  PERFORM set_config('flow_rollup.in_refresh', 'on', true);
  DELETE FROM application_stays s USING unnest(v_gone_stays) g
  WHERE s.candidate_id = g.candidate_id AND s.job_key = g.job_key AND s.pos = g.pos;
  DELETE FROM application_summary a USING unnest(v_gone_apps) g
  WHERE a.candidate_id = g.candidate_id AND a.job_key = g.job_key;
  PERFORM set_config('flow_rollup.in_refresh', 'off', true);
  INSERT INTO application_stays SELECT * FROM unnest(v_added_stays);
  INSERT INTO application_summary SELECT * FROM unnest(v_added_apps);

  -- Only the rows that changed: a row in both sets adds and subtracts the same in every rollup.
  PERFORM flow_rollup_add(v_gone_stays, v_added_stays, v_gone_apps, v_added_apps);
END
$fn$;
