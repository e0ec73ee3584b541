-- save_processing_outcomes found each event's candidate by joining candidates on (provider,
-- external_id). Before the table's first ANALYZE (a new database: the first thousands of
-- deliveries) the planner took the (provider, merged_into_external_id) index for that join and
-- filtered every candidate of the provider, per event and per stage row: the insert cost grew with
-- the number of candidates (measured: events insert 1.9 → 3.3 ms per batch of 16 within 6,000
-- deliveries). The upsert already returns each candidate's id; events and stage rows now take it
-- from that map (a jsonb object keyed by provider and external id), with no join and no index.
-- A candidate missing from the map is a NOT NULL violation, never a silently dropped event.
--
-- Also: plans are generic (plan_cache_mode). PL/pgSQL kept custom plans, planned on every call, as
-- `= ANY (affected)` with a known array always looked cheaper: 5% of the database's CPU under
-- bench/ingest (perf). Key lookups are forced (as in 20261123220000_save_outcomes_by_key), so the
-- generic plan is the custom one.
--
-- And first processing commits asynchronously (see below): one WAL flush per batch, the raw
-- deliveries', instead of two.
--
-- Arguments, lock order and aggregates are unchanged: see 20261123203000_save_processing_outcomes.
CREATE OR REPLACE FUNCTION save_processing_outcomes(p_deliveries jsonb, p_candidates jsonb, p_events jsonb, p_stages jsonb)
RETURNS void LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
  SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
  delivery_ids text[];
  previously_processed boolean;
  affected text[] := '{}';
  candidate_ids jsonb;
BEGIN
  SELECT array_agg(d.id ORDER BY d.id) INTO delivery_ids FROM jsonb_to_recordset(p_deliveries) AS d(id text);

  SELECT coalesce(bool_or(l.status <> 'received'), false) INTO previously_processed
  FROM (SELECT status FROM deliveries WHERE id = ANY (delivery_ids) ORDER BY id FOR UPDATE) l;

  -- First processing commits without waiting for the WAL flush: what it writes is derived from raw
  -- deliveries whose own commit was synchronous, and if a database crash loses it, they are still
  -- `received`, which the recovery sweep processes again (same event ids). A reprocess replaces
  -- events that had been stored: it commits synchronously.
  IF NOT previously_processed THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- A delivery still `received` has never had events: nothing to replace.
  IF previously_processed THEN
    WITH removed AS (DELETE FROM events WHERE delivery_id = ANY (delivery_ids) RETURNING candidate_id)
    SELECT coalesce(array_agg(DISTINCT candidate_id), '{}') INTO affected FROM removed;
  END IF;

  WITH upserted AS (
    INSERT INTO candidates (id, provider, external_id, first_seen_at, last_event_at, created_at, updated_at)
    SELECT r.id, r.provider, r.external_id, r.at, r.at, now(), now()
    FROM jsonb_to_recordset(p_candidates) AS r(id text, provider text, external_id text, at timestamptz)
    ORDER BY r.provider, r.external_id
    ON CONFLICT (provider, external_id) DO UPDATE SET updated_at = now()
    RETURNING id, provider, external_id
  )
  -- Provider ids hold no ':', so provider:external_id names one candidate.
  SELECT affected || coalesce(array_agg(id), '{}'), coalesce(jsonb_object_agg(provider || ':' || external_id, id), '{}')
  INTO affected, candidate_ids FROM upserted;

  INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, provider_event, type_inferred, occurred_at,
    received_at, candidate_id, candidate_name, candidate_email, job_id, job_title, application_id, stage_from,
    stage_to, actor, details, snapshot)
  SELECT r.id, r.delivery_id, r.seq, r.endpoint_id, r.provider, r.type, r.provider_event, r.type_inferred, r.occurred_at,
    r.received_at, candidate_ids ->> (r.provider || ':' || r.candidate_external_id), r.candidate_name, r.candidate_email, r.job_id, r.job_title, r.application_id,
    r.stage_from, r.stage_to, r.actor, r.details, r.snapshot
  FROM jsonb_to_recordset(p_events) AS r(id text, delivery_id text, seq int, endpoint_id text, provider text,
    type text, provider_event text, type_inferred boolean, occurred_at timestamptz, received_at timestamptz,
    candidate_external_id text, candidate_name text, candidate_email text, job_id text, job_title text,
    application_id text, stage_from text, stage_to text, actor text, details jsonb, snapshot jsonb);

  INSERT INTO event_stages (event_id, candidate_id, job_key, job_title, stage, occurred_at, received_at)
  SELECT r.event_id, candidate_ids ->> (r.provider || ':' || r.candidate_external_id), r.job_key, r.job_title, r.stage, r.occurred_at, r.received_at
  FROM jsonb_to_recordset(p_stages) AS r(event_id text, provider text, candidate_external_id text, job_key text,
    job_title text, stage text, occurred_at timestamptz, received_at timestamptz);

  SELECT coalesce(array_agg(DISTINCT a ORDER BY a), '{}') INTO affected FROM unnest(affected) AS a;

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

  UPDATE deliveries d SET status = r.status, error = r.error, event_type = r.event_type, schema_drift = r.schema_drift,
    processed_at = r.processed_at, process_count = d.process_count + 1
  FROM jsonb_to_recordset(p_deliveries) AS r(id text, status text, error text, event_type text, schema_drift jsonb, processed_at timestamptz)
  WHERE d.id = r.id;
END
$fn$;
