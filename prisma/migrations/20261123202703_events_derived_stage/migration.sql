-- AlterTable
ALTER TABLE "events" ADD COLUMN     "derived_stage_from" TEXT,
ADD COLUMN     "derived_stage_to" TEXT;

-- The stored stage move depends on the event's own type, job and stages too: an update of those
-- clears the event's stored values (as one of its snapshot does).
DROP TRIGGER "events_changed_paths_reset" ON "events";
CREATE TRIGGER "events_changed_paths_reset"
  BEFORE UPDATE OF "candidate_id", "occurred_at", "received_at", "provider_event", "snapshot", "details", "type", "job_id", "stage_from", "stage_to" ON "events"
  FOR EACH ROW
  WHEN (OLD.candidate_id IS DISTINCT FROM NEW.candidate_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
     OR OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.provider_event IS DISTINCT FROM NEW.provider_event
     OR OLD.snapshot IS DISTINCT FROM NEW.snapshot OR OLD.details IS DISTINCT FROM NEW.details
     OR OLD.type IS DISTINCT FROM NEW.type OR OLD.job_id IS DISTINCT FROM NEW.job_id
     OR OLD.stage_from IS DISTINCT FROM NEW.stage_from OR OLD.stage_to IS DISTINCT FROM NEW.stage_to)
  EXECUTE FUNCTION "events_changed_paths_reset"();

-- A stage observation (event_stages) names the job's stage as of its event: the event's own stage
-- move and those of the candidate's later events (their previous stage) read it. Ingest writes
-- these rows with their events, in the same transaction (then this finds nothing to clear: one
-- probe), but any change to them clears the stored values from that event on. Same locking as
-- events_changed_paths_invalidate (event_stages has no foreign key to candidates: the lock is
-- taken here).
CREATE FUNCTION "event_stages_changed_paths_invalidate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM candidates WHERE id = OLD.candidate_id FOR KEY SHARE;
    UPDATE events SET changed_paths = NULL
      WHERE candidate_id = OLD.candidate_id
        AND (occurred_at, received_at, id) >= (OLD.occurred_at, OLD.received_at, OLD.event_id)
        AND changed_paths IS NOT NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM 1 FROM candidates WHERE id = NEW.candidate_id FOR KEY SHARE;
    UPDATE events SET changed_paths = NULL
      WHERE candidate_id = NEW.candidate_id
        AND (occurred_at, received_at, id) >= (NEW.occurred_at, NEW.received_at, NEW.event_id)
        AND changed_paths IS NOT NULL;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "event_stages_changed_paths_stale" AFTER INSERT OR DELETE OR UPDATE ON "event_stages"
  FOR EACH ROW EXECUTE FUNCTION "event_stages_changed_paths_invalidate"();

-- The fill's work list in history-time order instead of per candidate: values are written in the
-- order the events happened, so updated rows stay in roughly the heap order of the time index the
-- export reads (a fill in candidate order scattered them: the export's index scan then touched a
-- different heap page for nearly every row).
DROP INDEX "events_changed_paths_missing_idx";
CREATE INDEX "events_changed_paths_missing_idx" ON "events"("occurred_at", "received_at", "id") WHERE "changed_paths" IS NULL;
