-- Inserting events and stage rows clears the stored changed paths of the candidate's later events
-- (see 20261123201052_events_changed_paths). Ingest inserts them a batch at a time, and a trigger
-- per row cost a PL/pgSQL call and an UPDATE per row (8% of the database's time per delivery,
-- measured with auto_explain under bench/ingest); one trigger per statement, over the statement's
-- rows, does the same work once per batch: per candidate, everything after its earliest new row.
-- Deletes and updates are rare (reprocess, corrections) and keep their row triggers.
--
-- Locks: as before. A new event's foreign-key check holds FOR KEY SHARE on its candidate before
-- this runs (row-level AFTER triggers fire before statement-level ones); stage rows have no foreign
-- key to candidates, so the lock is taken here, in id order like every other writer.
--
-- The transition table has no statistics: key lookups into events are forced, as in
-- save_processing_outcomes, or the planner may scan all of events.

DROP TRIGGER "events_changed_paths_stale" ON "events";
CREATE TRIGGER "events_changed_paths_stale" AFTER DELETE ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_changed_paths_invalidate"();

CREATE FUNCTION "events_changed_paths_invalidate_inserted"() RETURNS trigger LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  UPDATE events e SET changed_paths = NULL
  FROM (SELECT DISTINCT ON (candidate_id) candidate_id, occurred_at, received_at, id
        FROM inserted ORDER BY candidate_id, occurred_at, received_at, id) f
  WHERE e.candidate_id = f.candidate_id
    AND (e.occurred_at, e.received_at, e.id) > (f.occurred_at, f.received_at, f.id)
    AND e.changed_paths IS NOT NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER "events_changed_paths_stale_inserted" AFTER INSERT ON "events"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "events_changed_paths_invalidate_inserted"();

DROP TRIGGER "event_stages_changed_paths_stale" ON "event_stages";
CREATE TRIGGER "event_stages_changed_paths_stale" AFTER DELETE OR UPDATE ON "event_stages"
  FOR EACH ROW EXECUTE FUNCTION "event_stages_changed_paths_invalidate"();

CREATE FUNCTION "event_stages_changed_paths_invalidate_inserted"() RETURNS trigger LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  PERFORM 1 FROM candidates WHERE id IN (SELECT candidate_id FROM inserted) ORDER BY id FOR KEY SHARE;
  UPDATE events e SET changed_paths = NULL
  FROM (SELECT DISTINCT ON (candidate_id) candidate_id, occurred_at, received_at, event_id
        FROM inserted ORDER BY candidate_id, occurred_at, received_at, event_id) f
  WHERE e.candidate_id = f.candidate_id
    AND (e.occurred_at, e.received_at, e.id) >= (f.occurred_at, f.received_at, f.event_id)
    AND e.changed_paths IS NOT NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER "event_stages_changed_paths_stale_inserted" AFTER INSERT ON "event_stages"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "event_stages_changed_paths_invalidate_inserted"();
