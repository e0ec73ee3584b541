-- CreateTable
CREATE TABLE "people" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "is_test" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "people_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person_members" (
    "candidate_id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "linked_by" TEXT,
    "linked_at" TIMESTAMPTZ(3) NOT NULL,
    "email_key" TEXT,

    CONSTRAINT "person_members_pkey" PRIMARY KEY ("candidate_id")
);

-- CreateTable
CREATE TABLE "person_splits" (
    "candidate_id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "person_splits_pkey" PRIMARY KEY ("candidate_id","person_id")
);

-- CreateTable
CREATE TABLE "person_suggestion_dismissals" (
    "person_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "person_suggestion_dismissals_pkey" PRIMARY KEY ("person_id","candidate_id")
);

-- CreateTable
CREATE TABLE "candidate_phones" (
    "candidate_id" TEXT NOT NULL,
    "phone" TEXT NOT NULL,

    CONSTRAINT "candidate_phones_pkey" PRIMARY KEY ("candidate_id","phone")
);

-- CreateIndex
CREATE INDEX "people_last_event_at_id_idx" ON "people"("last_event_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "people_status_last_event_at_id_idx" ON "people"("status", "last_event_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "person_members_person_id_idx" ON "person_members"("person_id");

-- CreateIndex
CREATE INDEX "candidate_phones_phone_idx" ON "candidate_phones"("phone");

-- AddForeignKey
ALTER TABLE "person_members" ADD CONSTRAINT "person_members_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_members" ADD CONSTRAINT "person_members_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_splits" ADD CONSTRAINT "person_splits_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_splits" ADD CONSTRAINT "person_splits_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_suggestion_dismissals" ADD CONSTRAINT "person_suggestion_dismissals_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_suggestion_dismissals" ADD CONSTRAINT "person_suggestion_dismissals_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate_phones" ADD CONSTRAINT "candidate_phones_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- People (issue 17): the linking rules, in one place (README "People").
--
-- Normalized email: trimmed of whitespace and lower-cased; empty is none. Records whose normalized
-- emails are equal belong to one person, unless a person split them by hand.
CREATE FUNCTION normalize_email(p_email text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(lower(btrim(p_email, E' \t\r\n')), '')
$$;

-- Normalized name, for the "exact name + one matching detail" suggestion: case and runs of
-- whitespace do not count, anything else (accents, punctuation) does.
CREATE FUNCTION normalize_name(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(regexp_replace(lower(btrim(p_name, E' \t\r\n')), '\s+', ' ', 'g'), '')
$$;

-- The index lookups of linking (email) and suggestions (name).
CREATE INDEX candidates_email_key_idx ON candidates (normalize_email(email));
CREATE INDEX candidates_name_key_idx ON candidates (normalize_name(name));

-- The order in which a person's status is read from its records: one hired record makes the person
-- hired, else one open application makes it active, and so on.
CREATE FUNCTION person_status_rank(p_status text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE p_status WHEN 'hired' THEN 0 WHEN 'active' THEN 1 WHEN 'rejected' THEN 2 WHEN 'withdrawn' THEN 3
    WHEN 'deleted' THEN 4 ELSE 5 END
$$;

-- A person's derived columns from its records (name of the newest record not merged away, status,
-- last event, test flag); people left without records are removed. Writes only what changed.
CREATE FUNCTION refresh_people(p_ids text[]) RETURNS void LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
BEGIN
  UPDATE people p SET name = agg.name, status = agg.status, last_event_at = agg.last_at, is_test = agg.is_test, updated_at = now()
  FROM (
    SELECT m.person_id,
      (array_agg(c.name ORDER BY (c.status = 'merged'), c.last_event_at DESC, c.id) FILTER (WHERE c.name IS NOT NULL))[1] AS name,
      (array_agg(c.status ORDER BY person_status_rank(c.status), c.last_event_at DESC, c.id))[1] AS status,
      max(c.last_event_at) AS last_at,
      bool_and(c.is_test) AS is_test
    FROM person_members m
    -- A lookup per member (LIMIT 1 keeps it one), never a scan of every candidate.
    CROSS JOIN LATERAL (SELECT x.name, x.status, x.last_event_at, x.is_test, x.id FROM candidates x WHERE x.id = m.candidate_id LIMIT 1) c
    WHERE m.person_id = ANY (p_ids)
    GROUP BY m.person_id
  ) agg
  WHERE p.id = agg.person_id AND p.id = ANY (p_ids)
    AND (p.name, p.status, p.last_event_at, p.is_test) IS DISTINCT FROM (agg.name, agg.status, agg.last_at, agg.is_test);
  DELETE FROM people p WHERE p.id = ANY (p_ids) AND NOT EXISTS (SELECT 1 FROM person_members m WHERE m.person_id = p.id);
END
$fn$;

-- Automatic linking of a batch's candidate records, run right after save_processing_outcomes
-- (lib/db/people-link.ts). p_keys: [{provider, external_id, person_id (id for a new person), phones}].
--   - A record without a person joins the oldest person that has a record with its normalized email
--     (reason `email`), except a person it was split from by hand; else it starts a person (`new`).
--   - A record that is alone in the person it started is looked at again when its email changes
--     (an email that arrives later links it). Records linked by email or by hand are never moved.
-- Work is done only for records whose membership is missing or whose email changed: the steady
-- state is one indexed join per record. Per email key, an advisory lock (taken in key order, so
-- batches cannot deadlock) makes "join or start a person" one decision across instances.
-- The batch's records are found with LATERAL index lookups: a plain join of jsonb_to_recordset (estimated
-- 100 rows) with candidates was planned as a hash join over a seq scan of every candidate, a cost
-- growing with the table (13 ms a batch of 50 at 20,000 candidates). LIMIT 1 (the keys are unique)
-- keeps the planner from flattening the lookups back into a join.
-- Index paths only, as in save_processing_outcomes (the function's cached generic plans otherwise
-- hash-joined over seq scans: 13 ms a batch of records already linked at 20,000 candidates, 1.3 ms so).
CREATE FUNCTION link_people(p_keys jsonb, p_lock boolean DEFAULT true) RETURNS void LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $fn$
DECLARE
  r record;
  target text;
  last_key text;
  touched text[] := '{}';
  resolved jsonb;
BEGIN
  -- Links are derived data: like save_processing_outcomes' first processing, the commit need not wait
  -- for the WAL flush. Only when this statement is its own transaction (as ingest sends it): inside a
  -- caller's transaction (a reprocess) the setting would outlive it.
  IF transaction_timestamp() = statement_timestamp() THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;

  -- Each record of the batch is read once (the statements below work from this).
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'email_key', normalize_email(c.email), 'person_id', k.person_id, 'phones', k.phones)), '[]')
  INTO resolved
  FROM jsonb_to_recordset(p_keys) AS k(provider text, external_id text, person_id text, phones jsonb)
  CROSS JOIN LATERAL (SELECT x.id, x.email FROM candidates x WHERE x.provider = k.provider AND x.external_id = k.external_id LIMIT 1) c;

  IF jsonb_path_exists(resolved, '$[*].phones[*]') THEN
    INSERT INTO candidate_phones (candidate_id, phone)
    SELECT DISTINCT c.id, ph.phone
    FROM jsonb_to_recordset(resolved) AS c(id text, phones jsonb)
    CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(c.phones, '[]')) AS ph(phone)
    -- Nearly every delivery repeats numbers already stored: probe first, insert only what is new.
    WHERE NOT EXISTS (SELECT 1 FROM candidate_phones p WHERE p.candidate_id = c.id AND p.phone = ph.phone)
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  END IF;

  FOR r IN
    SELECT c.id, c.email_key, c.person_id AS new_person, m.person_id
    FROM jsonb_to_recordset(resolved) AS c(id text, email_key text, person_id text)
    LEFT JOIN LATERAL (SELECT y.candidate_id, y.person_id, y.reason, y.email_key FROM person_members y WHERE y.candidate_id = c.id LIMIT 1) m ON true
    WHERE m.candidate_id IS NULL OR (m.reason = 'new' AND c.email_key IS DISTINCT FROM m.email_key)
    ORDER BY c.email_key NULLS LAST, c.id
  LOOP
    IF p_lock AND r.email_key IS NOT NULL AND r.email_key IS DISTINCT FROM last_key THEN
      PERFORM pg_advisory_xact_lock(hashtext('person-email:' || r.email_key));
      last_key := r.email_key;
    END IF;
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
        -- Linked meanwhile by another batch: the new person stays empty and refresh_people removes it.
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

  -- Every person of the batch's records: their last event and status moved with the new events.
  SELECT touched || coalesce(array_agg(DISTINCT m.person_id), '{}') INTO touched
  FROM jsonb_to_recordset(resolved) AS c(id text)
  CROSS JOIN LATERAL (SELECT y.person_id FROM person_members y WHERE y.candidate_id = c.id LIMIT 1) m;
  PERFORM refresh_people(ARRAY(SELECT DISTINCT t FROM unnest(touched) AS t ORDER BY t));
END
$fn$;

-- Deleting or erasing a candidate deletes its membership (ON DELETE CASCADE); its person's derived
-- columns follow, and a person left without records is removed.
CREATE FUNCTION person_members_removed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM refresh_people(ARRAY(SELECT DISTINCT person_id FROM removed_members));
  RETURN NULL;
END
$fn$;
CREATE TRIGGER person_members_removed AFTER DELETE ON person_members
  REFERENCING OLD TABLE AS removed_members FOR EACH STATEMENT EXECUTE FUNCTION person_members_removed();

-- Existing candidates: every record gets its person, linked by email (one statement, no locks: the
-- migration runs before the app takes deliveries).
SELECT link_people(
  (SELECT coalesce(jsonb_agg(jsonb_build_object('provider', provider, 'external_id', external_id, 'person_id', 'per_' || substr(md5(id), 1, 22))
                             ORDER BY first_seen_at, id), '[]') FROM candidates),
  false);
