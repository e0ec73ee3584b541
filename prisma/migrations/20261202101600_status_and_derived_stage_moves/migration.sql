-- Application status per job and per candidate, and one stage vocabulary (issue 15).
--
-- Status: each event may state the status of its job's application; each stage observation states
-- one too. The latest statement per job, in history order (occurred, received, id), is the job's
-- status; the candidate's status follows from its jobs and its last event. Like the current stages,
-- both are recomputed inside save_processing_outcomes after the candidate's row lock is taken, so a
-- late or reprocessed delivery gives the same result as deliveries in order.
--
-- Stage vocabulary: an `updated` event whose stages moved (a snapshot provider: idibu's vacancy
-- statuses, Greenhouse's current_stage) is stored as `stage_changed` with stage_derived = true, so
-- type filters stay a plain equality on the indexed column. Whether an event moved depends on the
-- events before it: the flag is recomputed for the candidate's events from the earliest one a batch
-- inserted or removed, under the same lock.
--
-- Test data: events of a test candidate (one "Send test delivery" registered before sending) are
-- marked is_test as they are inserted, so every event filter stays a column test, no join.
--
-- Redefines save_processing_outcomes (current definition before this: 20261123230000_save_outcomes_candidate_map).

-- What an event says about its job's application: explicit actions first, then a status field of
-- the application the event carries (Greenhouse `application.status`: active, rejected, hired).
CREATE FUNCTION event_job_status(p_type text, p_details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_type = 'hired' THEN 'hired'
    WHEN p_type = 'rejected' THEN 'rejected'
    WHEN p_type IN ('unhired', 'unrejected') THEN 'active'
    WHEN jsonb_typeof(p_details -> 'application') = 'object'
     AND lower(p_details -> 'application' ->> 'status') IN ('active', 'hired', 'rejected')
      THEN lower(p_details -> 'application' ->> 'status')
  END
$$;

-- Providers without a status of their own (idibu vacancy statuses, Outhire stages) say it with the
-- stage's name; any other name is an open application, so moving back out of "Rejected" reopens it.
CREATE FUNCTION stage_name_status(p_stage text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN lower(btrim(p_stage)) IN ('hired', 'placed', 'placement', 'started') THEN 'hired'
    WHEN lower(btrim(p_stage)) IN ('rejected', 'unsuccessful', 'declined', 'archived', 'not suitable') THEN 'rejected'
    WHEN lower(btrim(p_stage)) IN ('withdrawn', 'withdrew', 'candidate withdrew', 'withdrawn by candidate') THEN 'withdrawn'
    ELSE 'active'
  END
$$;

-- Events that state a status but have no stage observation for their job (a Greenhouse hire without
-- current_stage) are read through this index; the rest come from event_stages.
CREATE INDEX events_job_status_idx ON events (candidate_id) WHERE job_status IS NOT NULL;

-- The status of each job of the candidates (candidate_stages.status, status_since) and of the
-- candidates. Call after candidate_stages and candidates were refreshed. Caller holds the locks.
CREATE FUNCTION refresh_candidate_status(p_affected text[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  WITH statements AS (
    SELECT es.candidate_id, es.job_key, es.job_status AS status, es.occurred_at, es.received_at, es.event_id
    FROM event_stages es WHERE es.candidate_id = ANY (p_affected) AND es.job_status IS NOT NULL
    UNION ALL
    SELECT e.candidate_id, coalesce(e.job_id, ''), e.job_status, e.occurred_at, e.received_at, e.id
    FROM events e WHERE e.candidate_id = ANY (p_affected) AND e.job_status IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM event_stages es WHERE es.event_id = e.id AND es.job_key = coalesce(e.job_id, ''))
  ), runs AS (
    SELECT s.*, lag(s.status) OVER (PARTITION BY s.candidate_id, s.job_key ORDER BY s.occurred_at, s.received_at, s.event_id) AS prev
    FROM statements s
  ), per_job AS (
    SELECT r.candidate_id, r.job_key,
      (array_agg(r.status ORDER BY r.occurred_at DESC, r.received_at DESC, r.event_id DESC))[1] AS status,
      -- The start of the latest run of one status: when the candidate was hired, rejected, …
      max(r.occurred_at) FILTER (WHERE r.prev IS DISTINCT FROM r.status) AS since
    FROM runs r GROUP BY r.candidate_id, r.job_key
  ), stage_rows AS (
    -- A data-modifying WITH runs to completion whether or not the query reads it.
    UPDATE candidate_stages cs SET status = pj.status, status_since = pj.since
    FROM per_job pj WHERE cs.candidate_id = pj.candidate_id AND cs.job_key = pj.job_key
  ), derived AS (
    SELECT ids.id,
      CASE
        WHEN last_event.type = 'merged' THEN 'merged'
        WHEN last_event.type = 'deleted' THEN 'deleted'
        WHEN jobs.hired THEN 'hired'
        WHEN jobs.n = 0 OR jobs.active THEN 'active'
        -- Every application closed: the latest closure says how (rejected or withdrawn).
        ELSE jobs.latest
      END AS status
    FROM unnest(p_affected) AS ids(id)
    LEFT JOIN LATERAL (SELECT x.type FROM events x WHERE x.candidate_id = ids.id
                       ORDER BY x.occurred_at DESC, x.received_at DESC, x.id DESC LIMIT 1) last_event ON true
    CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(bool_or(pj.status = 'hired'), false) AS hired,
                               coalesce(bool_or(pj.status = 'active'), false) AS active,
                               (array_agg(pj.status ORDER BY pj.since DESC, pj.job_key DESC))[1] AS latest
                        FROM per_job pj WHERE pj.candidate_id = ids.id) jobs
  )
  UPDATE candidates c SET status = d.status
  FROM derived d WHERE c.id = d.id AND c.status IS DISTINCT FROM d.status;
END
$fn$;

-- `updated` events from their candidate's floor on (p_floors: candidate id → earliest occurred_at a
-- batch inserted or removed) become `stage_changed` (stage_derived) when one of their stages differs
-- from the job's stage just before them (or is the job's first), and back to `updated` when a late
-- event makes that no longer so. Changing the type clears the event's stored export values (trigger
-- events_changed_paths_reset), which the sweep then fills again.
CREATE FUNCTION refresh_derived_stage_moves(p_floors jsonb) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE events e SET type = CASE WHEN m.moved THEN 'stage_changed' ELSE 'updated' END, stage_derived = m.moved
  FROM (
    SELECT x.id, x.stage_derived,
      EXISTS (
        SELECT 1 FROM event_stages es
        WHERE es.event_id = x.id
          AND es.stage IS DISTINCT FROM (
            SELECT p.stage FROM event_stages p
            WHERE p.candidate_id = es.candidate_id AND p.job_key = es.job_key
              AND (p.occurred_at, p.received_at, p.event_id) < (es.occurred_at, es.received_at, es.event_id)
            ORDER BY p.occurred_at DESC, p.received_at DESC, p.event_id DESC LIMIT 1)
      ) AS moved
    FROM jsonb_each_text(p_floors) AS f(candidate_id, since)
    CROSS JOIN LATERAL (
      SELECT y.id, y.stage_derived FROM events y
      WHERE y.candidate_id = f.candidate_id AND y.occurred_at >= f.since::timestamptz
        AND (y.type = 'updated' OR y.stage_derived)
    ) x
  ) m
  WHERE e.id = m.id AND m.stage_derived <> m.moved;
END
$fn$;

CREATE OR REPLACE FUNCTION save_processing_outcomes(p_deliveries jsonb, p_candidates jsonb, p_events jsonb, p_stages jsonb)
RETURNS void LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
  SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
  delivery_ids text[];
  previously_processed boolean;
  affected text[] := '{}';
  removed_at jsonb := '[]';
  floors jsonb;
  candidate_ids jsonb;
  test_candidates jsonb;
BEGIN
  SELECT array_agg(d.id ORDER BY d.id) INTO delivery_ids FROM jsonb_to_recordset(p_deliveries) AS d(id text);

  SELECT coalesce(bool_or(l.status <> 'received'), false) INTO previously_processed
  FROM (SELECT status FROM deliveries WHERE id = ANY (delivery_ids) ORDER BY id FOR UPDATE) l;

  -- First processing commits without waiting for the WAL flush (see 20261123230000_save_outcomes_candidate_map).
  IF NOT previously_processed THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- A delivery still `received` has never had events: nothing to replace.
  IF previously_processed THEN
    WITH removed AS (DELETE FROM events WHERE delivery_id = ANY (delivery_ids) RETURNING candidate_id, occurred_at)
    SELECT coalesce(array_agg(DISTINCT candidate_id), '{}'), coalesce(jsonb_agg(jsonb_build_object('c', candidate_id, 't', occurred_at)), '[]')
    INTO affected, removed_at FROM removed;
  END IF;

  WITH upserted AS (
    INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
    SELECT r.id, r.provider, r.external_id, r.at, r.at, now(), now()
    FROM jsonb_to_recordset(p_candidates) AS r(id text, provider text, external_id text, at timestamptz)
    ORDER BY r.provider, r.external_id
    ON CONFLICT (provider, external_id) DO UPDATE SET updated_at = now()
    RETURNING id, provider, external_id, is_test
  )
  -- Provider ids hold no ':', so provider:external_id names one candidate.
  SELECT affected || coalesce(array_agg(id), '{}'), coalesce(jsonb_object_agg(provider || ':' || external_id, id), '{}'),
    coalesce(jsonb_object_agg(id, true) FILTER (WHERE is_test), '{}')
  INTO affected, candidate_ids, test_candidates FROM upserted;

  INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, provider_event, type_inferred, occurred_at,
    received_at, candidate_id, candidate_name, candidate_email, job_id, job_title, application_id, stage_from,
    stage_to, actor, details, snapshot, job_status, is_test)
  SELECT r.id, r.delivery_id, r.seq, r.endpoint_id, r.provider, r.type, r.provider_event, r.type_inferred, r.occurred_at,
    r.received_at, candidate_ids ->> (r.provider || ':' || r.candidate_external_id), r.candidate_name, r.candidate_email, r.job_id, r.job_title, r.application_id,
    r.stage_from, r.stage_to, r.actor, r.details, r.snapshot, event_job_status(r.type, r.details),
    test_candidates ? (candidate_ids ->> (r.provider || ':' || r.candidate_external_id))
  FROM jsonb_to_recordset(p_events) AS r(id text, delivery_id text, seq int, endpoint_id text, provider text,
    type text, provider_event text, type_inferred boolean, occurred_at timestamptz, received_at timestamptz,
    candidate_external_id text, candidate_name text, candidate_email text, job_id text, job_title text,
    application_id text, stage_from text, stage_to text, actor text, details jsonb, snapshot jsonb);

  -- A stage observation's status: the event's own statement for its job, else the stage's name.
  INSERT INTO event_stages (event_id, candidate_id, job_key, job_title, stage, occurred_at, received_at, job_status)
  SELECT r.event_id, e.candidate_id, r.job_key, r.job_title, r.stage, r.occurred_at, r.received_at,
    coalesce(CASE WHEN r.job_key = coalesce(e.job_id, '') THEN e.job_status END, stage_name_status(r.stage))
  FROM jsonb_to_recordset(p_stages) AS r(event_id text, job_key text, job_title text, stage text, occurred_at timestamptz, received_at timestamptz)
  JOIN events e ON e.id = r.event_id;

  SELECT coalesce(array_agg(DISTINCT a ORDER BY a), '{}') INTO affected FROM unnest(affected) AS a;

  -- Per candidate, the earliest event this batch inserted or removed: derived stage moves can change from there on.
  SELECT coalesce(jsonb_object_agg(f.c, f.t), '{}') INTO floors FROM (
    SELECT u.c, min(u.t) AS t FROM (
      SELECT x ->> 'c' AS c, (x ->> 't')::timestamptz AS t FROM jsonb_array_elements(removed_at) AS x
      UNION ALL
      SELECT candidate_ids ->> (r.provider || ':' || r.candidate_external_id), r.occurred_at
      FROM jsonb_to_recordset(p_events) AS r(provider text, candidate_external_id text, occurred_at timestamptz)
    ) u GROUP BY u.c
  ) f;
  PERFORM refresh_derived_stage_moves(floors);

  -- Latest-known state, from the newest event by (occurred, received, id): a late older event
  -- changes nothing. Per job: the latest stage, and since when (the start of its latest run).
  DELETE FROM candidate_stages WHERE candidate_id = ANY (affected);
  INSERT INTO candidate_stages (candidate_id, job_key, job_title, stage, since)
  SELECT s.candidate_id, s.job_key,
    (array_agg(s.job_title ORDER BY s.occurred_at DESC, s.received_at DESC, s.event_id DESC) FILTER (WHERE s.job_title IS NOT NULL))[1],
    (array_agg(s.stage ORDER BY s.occurred_at DESC, s.received_at DESC, s.event_id DESC))[1],
    max(s.occurred_at) FILTER (WHERE s.prev_stage IS DISTINCT FROM s.stage)
  FROM (
    SELECT es.*, lag(es.stage) OVER (PARTITION BY es.candidate_id, es.job_key ORDER BY es.occurred_at, es.received_at, es.event_id) AS prev_stage
    FROM event_stages es WHERE es.candidate_id = ANY (affected)
  ) s
  GROUP BY s.candidate_id, s.job_key;

  UPDATE candidates c SET
    event_count = agg.cnt,
    first_seen_at = coalesce(agg.first_at, c.first_seen_at),
    last_event_at = coalesce(agg.last_at, c.last_event_at),
    name = coalesce((SELECT e.candidate_name FROM events e WHERE e.candidate_id = c.id AND e.candidate_name IS NOT NULL
                     ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1), c.name),
    email = coalesce((SELECT e.candidate_email FROM events e WHERE e.candidate_id = c.id AND e.candidate_email IS NOT NULL
                      ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1), c.email),
    current_stage = (SELECT es.stage FROM event_stages es WHERE es.candidate_id = c.id
                     ORDER BY es.occurred_at DESC, es.received_at DESC, es.event_id DESC LIMIT 1),
    current_job = (SELECT es.job_title FROM event_stages es WHERE es.candidate_id = c.id
                   ORDER BY es.occurred_at DESC, es.received_at DESC, es.event_id DESC LIMIT 1),
    deleted_at = (SELECT CASE WHEN e.type IN ('deleted', 'merged') THEN e.occurred_at END FROM events e
                  WHERE e.candidate_id = c.id ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1),
    merged_into_external_id = (SELECT e.details->>'newCandidateId' FROM events e WHERE e.candidate_id = c.id AND e.type = 'merged'
                               ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1),
    updated_at = now()
  FROM (SELECT ids.id, a.cnt, a.first_at, a.last_at
        FROM unnest(affected) AS ids(id)
        CROSS JOIN LATERAL (SELECT count(*)::int AS cnt, min(occurred_at) AS first_at, max(occurred_at) AS last_at
                            FROM events WHERE candidate_id = ids.id) a) agg
  WHERE c.id = agg.id;

  PERFORM refresh_candidate_status(affected);

  UPDATE deliveries d SET status = r.status, error = r.error, event_type = r.event_type, schema_drift = r.schema_drift,
    processed_at = r.processed_at, process_count = d.process_count + 1
  FROM jsonb_to_recordset(p_deliveries) AS r(id text, status text, error text, event_type text, schema_drift jsonb, processed_at timestamptz)
  WHERE d.id = r.id;
END
$fn$;

-- Existing data: statements of stored events, then every candidate's derived moves and status. The
-- stage rows' new column is no change to any stage move, so their staleness trigger stays off meanwhile.
UPDATE events SET job_status = event_job_status(type, details) WHERE event_job_status(type, details) IS NOT NULL;
ALTER TABLE event_stages DISABLE TRIGGER event_stages_changed_paths_stale;
UPDATE event_stages es SET job_status = coalesce(CASE WHEN es.job_key = coalesce(e.job_id, '') THEN e.job_status END, stage_name_status(es.stage))
FROM events e WHERE e.id = es.event_id;
ALTER TABLE event_stages ENABLE TRIGGER event_stages_changed_paths_stale;
SELECT refresh_derived_stage_moves((SELECT coalesce(jsonb_object_agg(id, '-infinity'::timestamptz), '{}') FROM candidates));
SELECT refresh_candidate_status((SELECT coalesce(array_agg(id), '{}') FROM candidates));
