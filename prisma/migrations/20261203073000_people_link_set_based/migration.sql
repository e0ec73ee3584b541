-- People's automatic linking, set-based for the records that need no decision (issue 17: "identity
-- must not be a hot-path cost"). Same signature, same rules (README "People"); what changed is how
-- many statements a batch costs. The version in 20261202160702_people looped over every record
-- without a membership (up to four statements each), re-read every membership for the refresh, and
-- refreshed every person of the batch.
--
-- Now, per batch:
--   1. one statement reads each record, its membership and its person's derived columns (index
--      probes: candidates by provider and external id, person_members and people by primary key)
--      and sorts them; records already in a person whose email did not change need nothing more;
--   2. for records needing a decision, one statement takes the advisory locks of all their email
--      keys, in key order (as the loop did one by one, so batches still cannot deadlock), before any
--      decision is read;
--   3. one statement handles, together, the new records (no membership) whose email no candidate in
--      a person has, or that have no email: one INSERT INTO people (a person per email key, or per
--      record without email) and one INSERT INTO person_members (the record of the key with the
--      lowest id starts the person, reason `new`; the others of the key join it, reason `email`,
--      as the loop, which went in key then id order, did); a person of one record is inserted with
--      its derived columns, so it is not written a second time by the refresh;
--   4. only records whose email some candidate in a person has (a possible link, a record split by
--      hand, a `new` record whose email changed) go through the loop of the old version;
--   5. refresh_people once, for the people joined, created with several records or left empty, and
--      for the people of the batch's records whose name, status, last event or test flag differ from
--      their person's (when every changed record of a person equals its person's derived columns,
--      the aggregate cannot move).
--
-- Concurrency: the open-key test of step 3 is its own statement after the locks of step 2, so it
-- sees every link committed by a batch that held one of those locks before. A record without email
-- takes no lock: two batches linking it at once both insert a person, one membership insert loses
-- (ON CONFLICT DO NOTHING), and refresh_people removes the person left empty, as before.
--
-- The lookup `normalize_email(c2.email) = key` is an index scan of candidates_email_key_idx (an
-- expression index, migration 20261202160702_people) with a heap fetch per match: an index-only scan
-- would need the email and id in the index, and gain nothing here, since every delivery rewrites its
-- candidate's row and the visibility map of those pages is rarely set.
-- normalize_email, the same rule written as one expression so that the planner inlines it: the
-- version in 20261202173331_candidate_anonymized_fields selects FROM a subquery, which PostgreSQL
-- cannot inline, so every call (per record linked, per key looked up, per candidates index entry
-- written) ran the SQL-function executor (auto_explain showed one nested statement per call). The
-- result is the same for every input (a value containing "@" is never empty once trimmed, and
-- trimming and lower-casing keep the "@"). The index over the function is still rebuilt: a session
-- that loaded the index before (PGlite's only one, a pooled connection) keeps its expression as the
-- old, not inlined call, which no longer matches the inlined one in queries, so lookups fell back to
-- a sequential scan until the REINDEX sent it the change.
CREATE OR REPLACE FUNCTION normalize_email(p_email text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN strpos(p_email, '@') > 0 THEN lower(btrim(p_email, E' \t\r\n')) END
$$;
REINDEX INDEX candidates_email_key_idx;

CREATE OR REPLACE FUNCTION link_people(p_keys jsonb, p_lock boolean DEFAULT true) RETURNS void LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
DECLARE
  r record;
  target text;
  phoned jsonb;
  pending jsonb;
  stale_people text[];
  fast_ids text[] := '{}';
  touched text[] := '{}';
BEGIN
  -- Links are derived data: like save_processing_outcomes' first processing, the commit need not wait
  -- for the WAL flush. Only when this statement is its own transaction (as ingest sends it): inside a
  -- caller's transaction (a reprocess) the setting would outlive it.
  IF transaction_timestamp() = statement_timestamp() THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- Each record of the batch, its membership and its person, read once, and sorted in the same
  -- statement into what the rest needs: the phone numbers to store, the records needing a decision
  -- (no membership yet, or alone in the person they started, `new`, with an email that changed since),
  -- and the people whose derived columns differ from one of their records. LATERAL lookups with
  -- LIMIT 1: a plain join of jsonb_to_recordset (estimated 100 rows) was planned as a hash join over a
  -- seq scan.
  SELECT
    jsonb_agg(jsonb_build_object('id', b.id, 'phones', b.phones)) FILTER (WHERE b.phones IS NOT NULL AND b.phones <> '[]'::jsonb),
    jsonb_agg(jsonb_build_object('id', b.id, 'email_key', b.email_key, 'new_person', b.new_person, 'person_id', b.person_id))
      FILTER (WHERE b.person_id IS NULL OR (b.reason = 'new' AND b.email_key IS DISTINCT FROM b.member_key)),
    coalesce(array_agg(b.person_id) FILTER (WHERE b.stale), '{}')
  INTO phoned, pending, stale_people
  FROM (
    SELECT c.id, normalize_email(c.email) AS email_key, k.person_id AS new_person, k.phones,
      m.person_id, m.reason, m.email_key AS member_key,
      m.person_id IS NOT NULL AND (p.id IS NULL OR
        (c.name, c.status, c.last_event_at, c.is_test) IS DISTINCT FROM (p.name, p.status, p.last_event_at, p.is_test)) AS stale
    FROM jsonb_to_recordset(p_keys) AS k(provider text, external_id text, person_id text, phones jsonb)
    CROSS JOIN LATERAL (SELECT x.id, x.email, x.name, x.status, x.last_event_at, x.is_test FROM candidates x
                        WHERE x.provider = k.provider AND x.external_id = k.external_id LIMIT 1) c
    LEFT JOIN LATERAL (SELECT y.person_id, y.reason, y.email_key FROM person_members y WHERE y.candidate_id = c.id LIMIT 1) m ON true
    LEFT JOIN LATERAL (SELECT pp.id, pp.name, pp.status, pp.last_event_at, pp.is_test FROM people pp WHERE pp.id = m.person_id LIMIT 1) p ON true
  ) b;

  IF phoned IS NOT NULL THEN
    INSERT INTO candidate_phones (candidate_id, phone)
    SELECT DISTINCT c.id, ph.phone
    FROM jsonb_to_recordset(phoned) AS c(id text, phones jsonb)
    CROSS JOIN LATERAL jsonb_array_elements_text(c.phones) AS ph(phone)
    -- Nearly every delivery repeats numbers already stored: probe first, insert only what is new.
    WHERE NOT EXISTS (SELECT 1 FROM candidate_phones p WHERE p.candidate_id = c.id AND p.phone = ph.phone)
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  END IF;

  IF pending IS NOT NULL THEN
    IF p_lock THEN
      PERFORM pg_advisory_xact_lock(hashtext('person-email:' || k.email_key))
      FROM (SELECT DISTINCT c.email_key FROM jsonb_to_recordset(pending) AS c(email_key text) WHERE c.email_key IS NOT NULL ORDER BY 1) k;
    END IF;

    -- New records whose email no candidate in a person has (or without email): a person per key.
    -- A person of one record is inserted with that record's name, status, last event and test flag,
    -- what refresh_people would derive, so it is written once; a person of several records of the
    -- batch, or one that lost its record to another batch, is left to refresh_people.
    WITH fresh AS (
      SELECT c.id, c.email_key, c.new_person, x.name, x.status, x.last_event_at, x.is_test
      FROM jsonb_to_recordset(pending) AS c(id text, email_key text, new_person text, person_id text)
      CROSS JOIN LATERAL (SELECT y.name, y.status, y.last_event_at, y.is_test FROM candidates y WHERE y.id = c.id LIMIT 1) x
      WHERE c.person_id IS NULL
        AND (c.email_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM candidates c2
          CROSS JOIN LATERAL (SELECT 1 FROM person_members y WHERE y.candidate_id = c2.id LIMIT 1) y
          WHERE normalize_email(c2.email) = c.email_key))
    ), plan AS (
      SELECT f.*,
        first_value(f.new_person) OVER (PARTITION BY f.email_key, CASE WHEN f.email_key IS NULL THEN f.id END ORDER BY f.id) AS person_id,
        row_number() OVER (PARTITION BY f.email_key, CASE WHEN f.email_key IS NULL THEN f.id END ORDER BY f.id) = 1 AS starts,
        count(*) OVER (PARTITION BY f.email_key, CASE WHEN f.email_key IS NULL THEN f.id END) AS size
      FROM fresh f
    ), made AS (
      INSERT INTO people (id, name, status, last_event_at, is_test)
      SELECT p.person_id, p.name, p.status, p.last_event_at, p.is_test FROM plan p WHERE p.starts ORDER BY p.person_id
    ), joined AS (
      -- Linked meanwhile by another batch (a record without email): its new person stays empty and
      -- refresh_people removes it.
      INSERT INTO person_members (candidate_id, person_id, reason, detail, linked_at, email_key)
      SELECT p.id, p.person_id, CASE WHEN p.starts THEN 'new' ELSE 'email' END, CASE WHEN p.starts THEN NULL ELSE p.email_key END,
        now(), p.email_key
      FROM plan p ORDER BY p.id
      ON CONFLICT DO NOTHING
      RETURNING person_id
    )
    SELECT
      coalesce((SELECT array_agg(p.person_id) FROM plan p
                WHERE p.starts AND (p.size > 1 OR NOT EXISTS (SELECT 1 FROM joined j WHERE j.person_id = p.person_id))), '{}'),
      coalesce((SELECT array_agg(id) FROM plan), '{}')
    INTO touched, fast_ids;

    -- The rest: a link to an existing person, or a decision a split or a changed email makes.
    FOR r IN
      SELECT c.id, c.email_key, c.new_person, c.person_id
      FROM jsonb_to_recordset(pending) AS c(id text, email_key text, new_person text, person_id text)
      WHERE c.id <> ALL (fast_ids)
      ORDER BY c.email_key NULLS LAST, c.id
    LOOP
      target := NULL;
      IF r.email_key IS NOT NULL THEN
        SELECT m2.person_id INTO target
        FROM candidates c2
        CROSS JOIN LATERAL (SELECT y.person_id FROM person_members y WHERE y.candidate_id = c2.id LIMIT 1) m2
        CROSS JOIN LATERAL (SELECT pp.created_at FROM people pp WHERE pp.id = m2.person_id LIMIT 1) p
        WHERE normalize_email(c2.email) = r.email_key AND c2.id <> r.id
          AND m2.person_id IS DISTINCT FROM r.person_id
          AND NOT EXISTS (SELECT 1 FROM person_splits s WHERE s.candidate_id = r.id AND s.person_id = m2.person_id)
        ORDER BY p.created_at, m2.person_id
        LIMIT 1;
      END IF;
      IF r.person_id IS NULL THEN
        IF target IS NULL THEN
          INSERT INTO people (id, last_event_at) VALUES (r.new_person, now());
          INSERT INTO person_members (candidate_id, person_id, reason, linked_at, email_key)
          VALUES (r.id, r.new_person, 'new', now(), r.email_key) ON CONFLICT DO NOTHING;
          touched := touched || r.new_person;
        ELSE
          INSERT INTO person_members (candidate_id, person_id, reason, detail, linked_at, email_key)
          VALUES (r.id, target, 'email', r.email_key, now(), r.email_key) ON CONFLICT DO NOTHING;
          touched := touched || target;
        END IF;
      ELSIF target IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person_members o WHERE o.person_id = r.person_id AND o.candidate_id <> r.id) THEN
        -- `reason = 'new'` again under the row lock: a manual change made meanwhile wins.
        UPDATE person_members SET person_id = target, reason = 'email', detail = r.email_key, linked_at = now(), email_key = r.email_key
        WHERE candidate_id = r.id AND reason = 'new';
        touched := touched || target || r.person_id;
      ELSE
        UPDATE person_members SET email_key = r.email_key WHERE candidate_id = r.id AND reason = 'new';
      END IF;
    END LOOP;
  END IF;

  -- And the people whose derived columns can have moved with the batch's events.
  touched := touched || stale_people;
  IF cardinality(touched) > 0 THEN
    PERFORM refresh_people(ARRAY(SELECT DISTINCT t FROM unnest(touched) AS t ORDER BY t));
  END IF;
END
$fn$;
