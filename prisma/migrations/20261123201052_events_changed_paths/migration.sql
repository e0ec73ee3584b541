-- AlterTable
ALTER TABLE "events" ADD COLUMN     "changed_paths" TEXT,
ADD COLUMN     "changed_paths_version" INTEGER;

-- The fill sweep's work list: events whose changed paths are missing, per candidate in history order.
-- Hand-written (schema.prisma cannot express a partial index, and later diffs leave it alone).
CREATE INDEX "events_changed_paths_missing_idx" ON "events"("candidate_id", "occurred_at", "received_at", "id") WHERE "changed_paths" IS NULL;

-- An event's changed paths depend on the candidate's earlier events (its predecessor state), so an
-- event inserted, deleted or rewritten before others of the same candidate (a late delivery, a
-- reprocess) makes their stored paths stale: set them back to NULL. The common case (the event is
-- the candidate's newest) is one probe of events_candidate_id_occurred_at_received_at_id_idx that
-- finds no row. Rows already NULL are not touched.
--
-- Concurrency with the fill (lib/db/changed-paths-fill.ts), which computes and writes a candidate's
-- paths while holding `SELECT … FROM candidates … FOR UPDATE SKIP LOCKED`: every writer of a
-- candidate's events holds at least FOR KEY SHARE on the candidate row until it commits (INSERT:
-- the foreign-key check, whose trigger fires before this one, DELETE and UPDATE: taken here), so the
-- fill never reads a candidate while another transaction has uncommitted changes to its events,
-- and a change that starts while the fill holds the candidate waits for it and then clears what it wrote.
CREATE FUNCTION "events_changed_paths_invalidate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM candidates WHERE id = OLD.candidate_id FOR KEY SHARE;
    UPDATE events SET changed_paths = NULL
      WHERE candidate_id = OLD.candidate_id
        AND (occurred_at, received_at, id) > (OLD.occurred_at, OLD.received_at, OLD.id)
        AND changed_paths IS NOT NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF TG_OP = 'UPDATE' THEN
      PERFORM 1 FROM candidates WHERE id = NEW.candidate_id FOR KEY SHARE;
    END IF;
    UPDATE events SET changed_paths = NULL
      WHERE candidate_id = NEW.candidate_id
        AND (occurred_at, received_at, id) > (NEW.occurred_at, NEW.received_at, NEW.id)
        AND changed_paths IS NOT NULL;
  END IF;
  RETURN NULL;
END
$$;

-- An event rewritten in place (its snapshot, details, kind or position) loses its own paths too.
CREATE FUNCTION "events_changed_paths_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_paths := NULL;
  RETURN NEW;
END
$$;

CREATE TRIGGER "events_changed_paths_stale" AFTER INSERT OR DELETE ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_changed_paths_invalidate"();

CREATE TRIGGER "events_changed_paths_stale_update"
  AFTER UPDATE OF "candidate_id", "occurred_at", "received_at", "provider_event", "snapshot", "details" ON "events"
  FOR EACH ROW
  WHEN (OLD.candidate_id IS DISTINCT FROM NEW.candidate_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
     OR OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.provider_event IS DISTINCT FROM NEW.provider_event
     OR OLD.snapshot IS DISTINCT FROM NEW.snapshot OR OLD.details IS DISTINCT FROM NEW.details)
  EXECUTE FUNCTION "events_changed_paths_invalidate"();

CREATE TRIGGER "events_changed_paths_reset"
  BEFORE UPDATE OF "candidate_id", "occurred_at", "received_at", "provider_event", "snapshot", "details" ON "events"
  FOR EACH ROW
  WHEN (OLD.candidate_id IS DISTINCT FROM NEW.candidate_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
     OR OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.provider_event IS DISTINCT FROM NEW.provider_event
     OR OLD.snapshot IS DISTINCT FROM NEW.snapshot OR OLD.details IS DISTINCT FROM NEW.details)
  EXECUTE FUNCTION "events_changed_paths_reset"();
