-- CreateTable
CREATE TABLE "analytics_refresh_queue" (
    "candidate_id" TEXT NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_refresh_queue_pkey" PRIMARY KEY ("candidate_id")
);

-- CreateTable
CREATE TABLE "people_link_queue" (
    "candidate_id" TEXT NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "people_link_queue_pkey" PRIMARY KEY ("candidate_id")
);

-- CreateIndex
CREATE INDEX "people_link_queue_queued_at_idx" ON "people_link_queue"("queued_at");

-- Ingest cost (issues 17 and 20: ingest within 10 % of its figures before People, the stays and the
-- rollups). Three changes to the processing batch's save, which is the one step of ingest that runs
-- one batch at a time and that a webhook's answer waits for:
--
-- 1. The analytics summaries leave the save's statement. The save queues the candidates whose stays
--    can have changed (analytics_refresh_queue, in its transaction: a committed batch is never
--    forgotten). Reprocessing and the recovery sweep refresh them right after the save
--    (refresh_analytics_queued_by_key); webhooks' batches are refreshed by the ingest queue's
--    refresher once ingest leaves room, many candidates per round (refresh_analytics_queue_backlog;
--    lib/ingest/analytics-refresher.ts), and the recovery loop takes what a crash left queued. The
--    summaries are what refresh_application_stays derives, as before; they follow the events instead
--    of committing with them.
--    Queued are only candidates whose stays can have moved: those with a stage observation in the
--    batch, an event stating a job status (what candidate_stages.status comes from), or events the
--    batch replaced (reprocessing). A merge or test flag is followed in place by the trigger
--    application_stays_candidate_flags, as before. A Talview result or a profile update queues nothing.
--
-- 2. People linking leaves the webhook's path too, the same way: the save queues every candidate of
--    the batch (people_link_queue) and stores the phone numbers the batch's snapshots carry (the
--    ingest code passes them with the candidates, as it passed them to link_people), and the
--    refresher links the queue when ingest leaves room (link_people_queued), many records per call.
--    Reprocessing and recovery link right after the save (link_people_by_key), as before.
--
-- 3. Each candidate of the batch is written once, not twice: the upsert inserted new candidates and
--    rewrote every existing one (`DO UPDATE SET updated_at`) only to lock it and return its id, and
--    the aggregates' UPDATE then wrote it again. A candidate row carries nine indexes (the search
--    trigram index among them), and a version that changes last_event_at is never HOT, so each
--    needless version cost all of them. Now new candidates are inserted (DO NOTHING on conflict) and
--    every candidate of the batch is then locked with SELECT … FOR NO KEY UPDATE, in the same
--    (provider, external_id) order, which takes the same row locks without writing a version.
--    Concurrency is as before: an insert racing another batch's insert of the same candidate waits
--    for it and then finds it committed; the locks are taken in key order by every batch.

-- Locks the candidates (key order, as the save), takes those still queued off the queue and
-- refreshes their summaries. The lock orders this refresh with the saves of the same candidates:
-- a refresh never writes a summary read before a later batch's commit over that batch's own.
CREATE FUNCTION refresh_analytics_queued(p_ids text[]) RETURNS int LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
DECLARE
  v_ids text[];
BEGIN
  -- Derived data, like the save's first processing and link_people: no need to wait for the WAL flush
  -- when this statement is its own transaction (a crash loses the refresh, and the queue row with it
  -- is not lost: it was committed by the save).
  IF transaction_timestamp() = statement_timestamp() THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  PERFORM 1 FROM candidates c WHERE c.id = ANY (p_ids) ORDER BY c.provider, c.external_id FOR NO KEY UPDATE;
  WITH taken AS (DELETE FROM analytics_refresh_queue q WHERE q.candidate_id = ANY (p_ids) RETURNING q.candidate_id)
  SELECT coalesce(array_agg(t.candidate_id ORDER BY t.candidate_id), '{}') INTO v_ids FROM taken t;
  IF cardinality(v_ids) > 0 THEN
    PERFORM refresh_application_stays(v_ids);
  END IF;
  RETURN cardinality(v_ids);
END
$fn$;

-- The step after a batch's save: the batch's candidates, by provider and external id (the keys the
-- save was given), those of them still queued.
CREATE FUNCTION refresh_analytics_queued_by_key(p_candidates jsonb) RETURNS int LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
BEGIN
  RETURN refresh_analytics_queued(coalesce((
    SELECT array_agg(c.id) FROM jsonb_to_recordset(p_candidates) AS r(provider text, external_id text)
    -- LIMIT 1 (the key is unique) keeps the planner from flattening the lookups into a join.
    CROSS JOIN LATERAL (SELECT x.id FROM candidates x WHERE x.provider = r.provider AND x.external_id = r.external_id LIMIT 1) c
    WHERE EXISTS (SELECT 1 FROM analytics_refresh_queue q WHERE q.candidate_id = c.id)), '{}'));
END
$fn$;

-- Up to p_limit candidates, oldest first, queued before p_before (null: all): the ingest queue's
-- refresher (lib/ingest/analytics-refresher.ts), which refreshes saved batches when ingest leaves
-- room, and the recovery loop (a save whose refresh never ran: a crash, an instance that went away).
-- Returns how many it refreshed.
CREATE FUNCTION refresh_analytics_queue_backlog(p_before timestamptz, p_limit int) RETURNS int LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  RETURN refresh_analytics_queued(ARRAY(
    SELECT q.candidate_id FROM analytics_refresh_queue q WHERE q.queued_at < coalesce(p_before, 'infinity')
    ORDER BY q.queued_at, q.candidate_id LIMIT p_limit));
END
$fn$;

CREATE INDEX "analytics_refresh_queue_queued_at_idx" ON "analytics_refresh_queue"("queued_at");

-- People linking of up to cardinality(p_person_ids) queued candidates, oldest first, queued before
-- p_before (null: all); p_person_ids are the ids for the people it may create (one per record at
-- most; the ingest code makes them, lib/ids.ts). It picks queue rows (skipping rows another
-- instance holds), then locks their candidates in key order, as saves and the analytics refresh do,
-- then takes the rows off the queue and links: a save of one of them still in progress is waited
-- for, so link_people reads what it wrote (its own queue insert found the row there and added
-- nothing: an ON CONFLICT DO NOTHING does not wait for a row lock, so the two cannot deadlock), and
-- a save that starts later waits for this round and queues its record again. Returns how many
-- records it linked.
CREATE FUNCTION link_people_queued(p_before timestamptz, p_person_ids text[]) RETURNS int LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
DECLARE
  v_taken text[];
  v_keys jsonb;
BEGIN
  IF transaction_timestamp() = statement_timestamp() THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  v_taken := ARRAY(
    SELECT x.candidate_id FROM people_link_queue x WHERE x.queued_at < coalesce(p_before, 'infinity')
    ORDER BY x.queued_at, x.candidate_id LIMIT cardinality(p_person_ids) FOR UPDATE SKIP LOCKED);
  IF cardinality(v_taken) = 0 THEN
    RETURN 0;
  END IF;
  PERFORM 1 FROM candidates c WHERE c.id = ANY (v_taken) ORDER BY c.provider, c.external_id FOR NO KEY UPDATE;
  DELETE FROM people_link_queue q WHERE q.candidate_id = ANY (v_taken);
  -- Records erased or deleted since they were queued are gone from candidates: nothing to link.
  SELECT jsonb_agg(jsonb_build_object('provider', c.provider, 'external_id', c.external_id, 'person_id', p_person_ids[t.n]))
  INTO v_keys
  FROM unnest(v_taken) WITH ORDINALITY AS t(id, n)
  CROSS JOIN LATERAL (SELECT x.provider, x.external_id FROM candidates x WHERE x.id = t.id LIMIT 1) c;
  IF v_keys IS NOT NULL THEN
    PERFORM link_people(v_keys);
  END IF;
  RETURN cardinality(v_taken);
END
$fn$;

-- link_people for a batch's records right after its save (reprocessing, recovery, the API's own
-- saves), taking them off the queue first, their candidates locked as link_people_queued locks
-- them, so the refresher does not link them a second time.
CREATE FUNCTION link_people_by_key(p_keys jsonb) RETURNS void LANGUAGE plpgsql VOLATILE
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
DECLARE
  v_ids text[];
BEGIN
  IF transaction_timestamp() = statement_timestamp() THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  v_ids := ARRAY(
    SELECT c.id FROM (SELECT * FROM jsonb_to_recordset(p_keys) AS k(provider text, external_id text) ORDER BY k.provider, k.external_id) k
    CROSS JOIN LATERAL (SELECT x.id FROM candidates x WHERE x.provider = k.provider AND x.external_id = k.external_id LIMIT 1 FOR NO KEY UPDATE) c);
  DELETE FROM people_link_queue q WHERE q.candidate_id = ANY (v_ids);
  PERFORM link_people(p_keys);
END
$fn$;

-- Each candidate written once per batch; the candidates whose stays can have changed queued, every
-- candidate queued for People linking, the batch's phone numbers stored.
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
  -- Candidates whose stays can have changed: events replaced, a status stated, a stage observed.
  stays_affected text[] := '{}';
  stated text[];
  staged text[];
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
    RETURNING candidate_id, job_status
  )
  SELECT coalesce(array_agg(i.candidate_id) FILTER (WHERE i.job_status IS NOT NULL), '{}') INTO stated FROM inserted i;

  -- A stage observation's status: the event's own statement for its job, else the stage's name.
  WITH inserted AS (
    INSERT INTO event_stages (event_id, candidate_id, job_key, job_title, stage, occurred_at, received_at, job_status)
    SELECT r.event_id, e.candidate_id, r.job_key, r.job_title, r.stage, r.occurred_at, r.received_at,
      coalesce(CASE WHEN r.job_key = coalesce(e.job_id, '') THEN e.job_status END, stage_name_status(r.stage))
    FROM jsonb_to_recordset(p_stages) AS r(event_id text, job_key text, job_title text, stage text, occurred_at timestamptz, received_at timestamptz)
    JOIN events e ON e.id = r.event_id
    RETURNING candidate_id
  )
  SELECT coalesce(array_agg(i.candidate_id), '{}') INTO staged FROM inserted i;

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

  INSERT INTO analytics_refresh_queue (candidate_id)
  SELECT DISTINCT a FROM unnest(stays_affected || stated || staged) AS a WHERE a IS NOT NULL ORDER BY 1
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

-- The ingest statement no longer calls it (the step after the save does, by id).
DROP FUNCTION refresh_application_stays_by_key(jsonb);
