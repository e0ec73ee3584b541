-- Ingest cost (issues 17 and 20: ingest within 10 % of its figures before People, the stays and the
-- rollups). The save wrote every candidate_stages row of the batch's candidates three times (deleted,
-- inserted, then updated with the job statuses by refresh_candidate_status) and a candidate whose
-- status changed twice (the aggregates, then the status). pg_stat_statements over the ingest bench
-- put refresh_candidate_status at 66 µs of database time per delivery, 1.4 times its cost before the
-- analytics indexes on candidate_stages and the status index on candidates made those writes dearer.
-- Now the desired rows are computed once and only the differences are written (see the save), and the
-- candidate's status goes into the aggregates' UPDATE. The rules are unchanged (README "Status").
--
-- And the analytics refresh queue (analytics_refresh_queue, 20261203181053_analytics_after_save) gets
-- only the candidates whose stays can have moved: a stage observation of the batch that starts a run,
-- or a candidate_stages row written (an application's stage or status: every stay of it carries the
-- status). Before, every candidate with a stage observation or an event stating a job status was
-- queued, and in the ingest bench's mix one stage observation in six repeats the stage before it and
-- Greenhouse states the application's status on every event. The refresh's result is the same: it
-- derives each queued candidate's stays in full; the candidates left out would have derived what is
-- stored.

-- A candidate's status (README "Status"), from its newest event's type and its jobs' statuses
-- (candidate_job_statuses): a merge or a deletion as its newest event says so; else hired on any job;
-- else active with no job status or any job active; else every application is closed and the latest
-- closure says how (rejected or withdrawn).
CREATE FUNCTION candidate_status_rule(p_newest_type text, p_jobs bigint, p_hired boolean, p_active boolean, p_latest_closure text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_newest_type = 'merged' THEN 'merged'
    WHEN p_newest_type = 'deleted' THEN 'deleted'
    WHEN p_hired THEN 'hired'
    WHEN p_jobs = 0 OR p_active THEN 'active'
    ELSE p_latest_closure
  END
$$;

-- Per (candidate, job): the job's status and since when (the start of the latest run of one status),
-- from the events that state one: a stage observation's status (event_stages.job_status: the event's
-- own statement for its job, else the stage's name) and an event's statement about a job it observed
-- no stage of. Newest by (occurred, received, id).
CREATE FUNCTION candidate_job_statuses(p_affected text[])
RETURNS TABLE (candidate_id text, job_key text, status text, since timestamptz) LANGUAGE sql STABLE AS $$
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
  )
  SELECT r.candidate_id, r.job_key,
    (array_agg(r.status ORDER BY r.occurred_at DESC, r.received_at DESC, r.event_id DESC))[1],
    max(r.occurred_at) FILTER (WHERE r.prev IS DISTINCT FROM r.status)
  FROM runs r GROUP BY r.candidate_id, r.job_key
$$;

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
  -- Candidates whose stays can have changed: events replaced (reprocessing), or a stage run or an
  -- application's stage or status moved (see the statement writing candidate_stages).
  stays_affected text[] := '{}';
  stays_moved text[];
  -- The events of this batch that observe a stage.
  batch_obs text[];
  -- Candidates given a merge event by this batch.
  merged_in text[];
  -- Per candidate of the batch: what the UPDATE of candidates writes (see there).
  derived jsonb;
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
    stays_affected := affected;
  END IF;

  -- New candidates; then every candidate of the batch locked in key order (no new row version).
  INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
  SELECT r.id, r.provider, r.external_id, r.at, r.at, now(), now()
  FROM jsonb_to_recordset(p_candidates) AS r(id text, provider text, external_id text, at timestamptz)
  ORDER BY r.provider, r.external_id
  ON CONFLICT (provider, external_id) DO NOTHING;

  -- Provider ids hold no ':', so provider:external_id names one candidate.
  SELECT affected || coalesce(array_agg(l.id), '{}'), coalesce(jsonb_object_agg(l.provider || ':' || l.external_id, l.id), '{}'),
    coalesce(jsonb_object_agg(l.id, true) FILTER (WHERE l.is_test), '{}')
  INTO affected, candidate_ids, test_candidates
  FROM (SELECT * FROM jsonb_to_recordset(p_candidates) AS r(provider text, external_id text) ORDER BY r.provider, r.external_id) r
  -- One index probe per key (LIMIT 1: the key is unique), locked as it is read, in the keys' order.
  CROSS JOIN LATERAL (SELECT x.id, x.provider, x.external_id, x.is_test FROM candidates x
                      WHERE x.provider = r.provider AND x.external_id = r.external_id LIMIT 1 FOR NO KEY UPDATE) l;

  WITH inserted AS (
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
      application_id text, stage_from text, stage_to text, actor text, details jsonb, snapshot jsonb)
    RETURNING candidate_id, type
  )
  SELECT coalesce(array_agg(i.candidate_id) FILTER (WHERE i.type = 'merged'), '{}') INTO merged_in FROM inserted i;

  -- A stage observation's status: the event's own statement for its job, else the stage's name.
  WITH inserted AS (
    INSERT INTO event_stages (event_id, candidate_id, job_key, job_title, stage, occurred_at, received_at, job_status)
    SELECT r.event_id, e.candidate_id, r.job_key, r.job_title, r.stage, r.occurred_at, r.received_at,
      coalesce(CASE WHEN r.job_key = coalesce(e.job_id, '') THEN e.job_status END, stage_name_status(r.stage))
    FROM jsonb_to_recordset(p_stages) AS r(event_id text, job_key text, job_title text, stage text, occurred_at timestamptz, received_at timestamptz)
    JOIN events e ON e.id = r.event_id
    RETURNING event_id
  )
  SELECT coalesce(array_agg(i.event_id), '{}') INTO batch_obs FROM inserted i;

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

  -- Latest-known state per (candidate, job), from the newest event by (occurred, received, id): a
  -- late older event changes nothing. The latest stage and since when (the start of its latest run),
  -- and the job's status and since when (candidate_job_statuses). Only rows that differ are written:
  -- a delivery that moves nothing (a profile update, a Talview result) leaves candidate_stages as it
  -- was, and one stage move writes one row, where deleting and re-inserting every row of the batch's
  -- candidates wrote each of them with its four index entries and then wrote the statuses again.
  -- The candidate's own status, from the same job statuses, is written by the UPDATE of candidates
  -- below with the aggregates, in the one new row version it makes.
  WITH job_status AS (
    SELECT * FROM candidate_job_statuses(affected)
  ), desired AS (
    SELECT st.candidate_id, st.job_key, st.job_title, st.stage, st.since,
      coalesce(js.status, 'active') AS status, js.since AS status_since,
      st.holds_current, st.current_stage, st.current_job, st.runs_moved
    FROM (
      SELECT s.candidate_id, s.job_key,
        (array_agg(s.job_title ORDER BY s.occurred_at DESC, s.received_at DESC, s.event_id DESC) FILTER (WHERE s.job_title IS NOT NULL))[1] AS job_title,
        (array_agg(s.stage ORDER BY s.occurred_at DESC, s.received_at DESC, s.event_id DESC))[1] AS stage,
        max(s.occurred_at) FILTER (WHERE s.prev_stage IS DISTINCT FROM s.stage) AS since,
        -- The candidate's newest observation over all its jobs: its stage and job title are the
        -- candidate's current ones (the title as observed, empty or not).
        bool_or(s.newest) AS holds_current,
        (array_agg(s.stage) FILTER (WHERE s.newest))[1] AS current_stage,
        (array_agg(s.job_title) FILTER (WHERE s.newest))[1] AS current_job,
        -- A stage observation of this batch that starts a run (a new stay, a first one, or one split
        -- by a late delivery). One that continues its predecessor's stage moves no stay: every stay's
        -- entry, exit, position and previous stage are the run starts', which it is not.
        bool_or(s.prev_stage IS DISTINCT FROM s.stage AND s.event_id = ANY (batch_obs)) AS runs_moved
      FROM (
        SELECT es.*, lag(es.stage) OVER (PARTITION BY es.candidate_id, es.job_key ORDER BY es.occurred_at, es.received_at, es.event_id) AS prev_stage,
          row_number() OVER (PARTITION BY es.candidate_id ORDER BY es.occurred_at DESC, es.received_at DESC, es.event_id DESC, es.job_key DESC) = 1 AS newest
        FROM event_stages es WHERE es.candidate_id = ANY (affected)
      ) s
      GROUP BY s.candidate_id, s.job_key
    ) st
    LEFT JOIN job_status js ON js.candidate_id = st.candidate_id AND js.job_key = st.job_key
  ), gone AS (
    -- A data-modifying WITH runs to completion whether or not the query reads it.
    DELETE FROM candidate_stages cs WHERE cs.candidate_id = ANY (affected)
      AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.candidate_id = cs.candidate_id AND d.job_key = cs.job_key)
    RETURNING cs.candidate_id
  ), written AS (
    INSERT INTO candidate_stages AS cs (candidate_id, job_key, job_title, stage, since, status, status_since)
    SELECT d.candidate_id, d.job_key, d.job_title, d.stage, d.since, d.status, d.status_since FROM desired d
    ORDER BY d.candidate_id, d.job_key
    ON CONFLICT (candidate_id, job_key) DO UPDATE SET job_title = EXCLUDED.job_title, stage = EXCLUDED.stage,
      since = EXCLUDED.since, status = EXCLUDED.status, status_since = EXCLUDED.status_since
    WHERE (cs.job_title, cs.stage, cs.since, cs.status, cs.status_since)
      IS DISTINCT FROM (EXCLUDED.job_title, EXCLUDED.stage, EXCLUDED.since, EXCLUDED.status, EXCLUDED.status_since)
    RETURNING cs.candidate_id
  )
  -- Per candidate: its status (candidate_status_rule), its event count and first and last
  -- event times, its newest event, and its newest stage observation (the stage and job shown as
  -- current), each read once here for the UPDATE below. And the candidates whose stays can have moved:
  -- a run started by this batch's observations, or an application row written (its stage or status,
  -- which every stay of the application carries); a delivery that moves neither (a profile update, a
  -- note, a Talview result, a repeated status) leaves the analytics summaries as they are.
  SELECT coalesce(jsonb_agg(jsonb_build_object(
      'id', ids.id,
      'status', candidate_status_rule(latest.type, jobs.n, jobs.hired, jobs.active, jobs.latest),
      'cnt', agg.cnt, 'first_at', agg.first_at, 'last_at', agg.last_at,
      'latest_type', latest.type, 'latest_at', latest.occurred_at, 'name', latest.candidate_name,
      'email', latest.candidate_email, 'merged_into', latest.merged_into,
      'stage', cur.stage, 'job', cur.job_title)), '[]'),
    coalesce(array_agg(ids.id) FILTER (WHERE
      EXISTS (SELECT 1 FROM desired d WHERE d.candidate_id = ids.id AND d.runs_moved)
      OR EXISTS (SELECT 1 FROM written w WHERE w.candidate_id = ids.id)
      OR EXISTS (SELECT 1 FROM gone g WHERE g.candidate_id = ids.id)), '{}')
  INTO derived, stays_moved
  FROM unnest(affected) AS ids(id)
  CROSS JOIN LATERAL (SELECT count(*)::int AS cnt, min(x.occurred_at) AS first_at, max(x.occurred_at) AS last_at
                      FROM events x WHERE x.candidate_id = ids.id) agg
  LEFT JOIN LATERAL (SELECT x.type, x.occurred_at, x.candidate_name, x.candidate_email, x.details ->> 'newCandidateId' AS merged_into
                     FROM events x WHERE x.candidate_id = ids.id
                     ORDER BY x.occurred_at DESC, x.received_at DESC, x.id DESC LIMIT 1) latest ON true
  LEFT JOIN LATERAL (SELECT d.current_stage AS stage, d.current_job AS job_title FROM desired d
                     WHERE d.candidate_id = ids.id AND d.holds_current LIMIT 1) cur ON true
  CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(bool_or(js.status = 'hired'), false) AS hired,
                             coalesce(bool_or(js.status = 'active'), false) AS active,
                             (array_agg(js.status ORDER BY js.since DESC, js.job_key DESC))[1] AS latest
                      FROM job_status js WHERE js.candidate_id = ids.id) jobs;

  -- One new version of each candidate row. The name and email are the newest event's, else the newest
  -- event's that has one (looked up only then). The provider's id of the candidate it was merged into
  -- is the newest merge event's: read again only when the batch added or replaced events that can
  -- hold one, or the candidate already has one; otherwise there is no merge event and it stays empty.
  UPDATE candidates c SET
    event_count = d.cnt,
    first_seen_at = coalesce(d.first_at, c.first_seen_at),
    last_event_at = coalesce(d.last_at, c.last_event_at),
    name = coalesce(d.name, (SELECT e.candidate_name FROM events e WHERE e.candidate_id = c.id AND e.candidate_name IS NOT NULL
                             ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1), c.name),
    email = coalesce(d.email, (SELECT e.candidate_email FROM events e WHERE e.candidate_id = c.id AND e.candidate_email IS NOT NULL
                               ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1), c.email),
    current_stage = d.stage,
    current_job = d.job,
    deleted_at = CASE WHEN d.latest_type IN ('deleted', 'merged') THEN d.latest_at END,
    status = d.status,
    merged_into_external_id = CASE
      WHEN d.latest_type = 'merged' THEN d.merged_into
      WHEN c.merged_into_external_id IS NOT NULL OR c.id = ANY (merged_in) OR previously_processed THEN
        (SELECT e.details->>'newCandidateId' FROM events e WHERE e.candidate_id = c.id AND e.type = 'merged'
         ORDER BY e.occurred_at DESC, e.received_at DESC, e.id DESC LIMIT 1)
    END,
    updated_at = now()
  FROM jsonb_to_recordset(derived) AS d(id text, status text, cnt int, first_at timestamptz, last_at timestamptz,
    latest_type text, latest_at timestamptz, name text, email text, merged_into text, stage text, job text)
  WHERE c.id = d.id;

  UPDATE deliveries d SET status = r.status, error = r.error, event_type = r.event_type, schema_drift = r.schema_drift,
    processed_at = r.processed_at, process_count = d.process_count + 1
  FROM jsonb_to_recordset(p_deliveries) AS r(id text, status text, error text, event_type text, schema_drift jsonb, processed_at timestamptz)
  WHERE d.id = r.id;

  INSERT INTO analytics_refresh_queue (candidate_id)
  SELECT DISTINCT a FROM unnest(stays_affected || stays_moved) AS a ORDER BY 1
  ON CONFLICT DO NOTHING;

  -- People: the phone numbers the batch's snapshots carry (E.164, from the ingest code), stored now;
  -- nearly every delivery repeats numbers already stored, so they are probed before any insert. The
  -- records are queued for linking (link_people_queued).
  INSERT INTO candidate_phones (candidate_id, phone)
  SELECT DISTINCT candidate_ids ->> (r.provider || ':' || r.external_id), ph.phone
  FROM jsonb_to_recordset(p_candidates) AS r(provider text, external_id text, phones jsonb)
  CROSS JOIN LATERAL jsonb_array_elements_text(r.phones) AS ph(phone)
  WHERE r.phones IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM candidate_phones p WHERE p.candidate_id = candidate_ids ->> (r.provider || ':' || r.external_id) AND p.phone = ph.phone)
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  INSERT INTO people_link_queue (candidate_id) SELECT a FROM unnest(affected) AS a ORDER BY 1 ON CONFLICT DO NOTHING;
END
$fn$;

-- The same rules for candidates' statuses outside ingest (bench/lib/scale-seed.ts derives the
-- statuses of the rows it loads with it): the job statuses onto candidate_stages, the candidate's
-- status onto candidates, written where they differ.
CREATE OR REPLACE FUNCTION refresh_candidate_status(p_affected text[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  WITH job_status AS (
    SELECT * FROM candidate_job_statuses(p_affected)
  ), stage_rows AS (
    UPDATE candidate_stages cs SET status = js.status, status_since = js.since
    FROM job_status js WHERE cs.candidate_id = js.candidate_id AND cs.job_key = js.job_key
      AND (cs.status, cs.status_since) IS DISTINCT FROM (js.status, js.since)
  ), derived AS (
    SELECT ids.id, candidate_status_rule(last_event.type, jobs.n, jobs.hired, jobs.active, jobs.latest) AS status
    FROM unnest(p_affected) AS ids(id)
    LEFT JOIN LATERAL (SELECT x.type FROM events x WHERE x.candidate_id = ids.id
                       ORDER BY x.occurred_at DESC, x.received_at DESC, x.id DESC LIMIT 1) last_event ON true
    CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(bool_or(js.status = 'hired'), false) AS hired,
                               coalesce(bool_or(js.status = 'active'), false) AS active,
                               (array_agg(js.status ORDER BY js.since DESC, js.job_key DESC))[1] AS latest
                        FROM job_status js WHERE js.candidate_id = ids.id) jobs
  )
  UPDATE candidates c SET status = d.status
  FROM derived d WHERE c.id = d.id AND c.status IS DISTINCT FROM d.status;
END
$fn$;
