-- CreateTable
CREATE TABLE "stat_rollups" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "provider" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL DEFAULT '',
    "is_test" BOOLEAN NOT NULL,
    "n" BIGINT NOT NULL,
    "folded" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "stat_rollups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stat_rollups_kind_day_idx" ON "stat_rollups"("kind", "day");

-- Overview rollups (issue 20). The overview used to count(*) candidates, events and deliveries and
-- GROUP BY 14 days of events on every read: scans that grow with the data. Instead every statement that
-- inserts or deletes rows appends one delta row per (kind, day, provider, type, is_test) group it
-- touched (n > 0 inserted, n < 0 deleted); readers SUM. Appending rather than updating a counter keeps
-- concurrent ingest transactions from queueing on one hot row; compact_stat_rollups() folds the deltas.
-- Erasure and retention DELETE events and candidates (negative deltas); making a delivery bodiless is
-- an UPDATE of columns no rollup counts.

CREATE FUNCTION stat_rollups_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, provider, type, is_test, n)
  SELECT 'events', (received_at AT TIME ZONE 'UTC')::date, provider, type, is_test, count(*)
  FROM stat_new GROUP BY 2, 3, 4, 5;
  RETURN NULL;
END $fn$;

CREATE FUNCTION stat_rollups_events_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, provider, type, is_test, n)
  SELECT 'events', (received_at AT TIME ZONE 'UTC')::date, provider, type, is_test, -count(*)
  FROM stat_old GROUP BY 2, 3, 4, 5;
  RETURN NULL;
END $fn$;

-- Row-level, fired only when a counted column really changes (refresh_derived_stage_moves turns
-- `updated` into `stage_changed` and back; test data is marked after the fact). A statement trigger
-- with transition tables cannot name columns, so it would copy every updated row of every UPDATE
-- (status, export values, redaction) into its transition tables to find these rare changes.
CREATE FUNCTION stat_rollups_events_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, provider, type, is_test, n) VALUES
    ('events', (OLD.received_at AT TIME ZONE 'UTC')::date, OLD.provider, OLD.type, OLD.is_test, -1),
    ('events', (NEW.received_at AT TIME ZONE 'UTC')::date, NEW.provider, NEW.type, NEW.is_test, 1);
  RETURN NULL;
END $fn$;

CREATE FUNCTION stat_rollups_candidates_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, is_test, n)
  SELECT 'candidates', (created_at AT TIME ZONE 'UTC')::date, is_test, count(*) FROM stat_new GROUP BY 2, 3;
  RETURN NULL;
END $fn$;

CREATE FUNCTION stat_rollups_candidates_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, is_test, n)
  SELECT 'candidates', (created_at AT TIME ZONE 'UTC')::date, is_test, -count(*) FROM stat_old GROUP BY 2, 3;
  RETURN NULL;
END $fn$;

CREATE FUNCTION stat_rollups_candidates_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, is_test, n) VALUES
    ('candidates', (OLD.created_at AT TIME ZONE 'UTC')::date, OLD.is_test, -1),
    ('candidates', (NEW.created_at AT TIME ZONE 'UTC')::date, NEW.is_test, 1);
  RETURN NULL;
END $fn$;

CREATE FUNCTION stat_rollups_deliveries_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, is_test, n)
  SELECT 'deliveries', (received_at AT TIME ZONE 'UTC')::date, is_test, count(*) FROM stat_new GROUP BY 2, 3;
  RETURN NULL;
END $fn$;

CREATE FUNCTION stat_rollups_deliveries_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, is_test, n)
  SELECT 'deliveries', (received_at AT TIME ZONE 'UTC')::date, is_test, -count(*) FROM stat_old GROUP BY 2, 3;
  RETURN NULL;
END $fn$;

CREATE FUNCTION stat_rollups_deliveries_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO stat_rollups (kind, day, is_test, n) VALUES
    ('deliveries', (OLD.received_at AT TIME ZONE 'UTC')::date, OLD.is_test, -1),
    ('deliveries', (NEW.received_at AT TIME ZONE 'UTC')::date, NEW.is_test, 1);
  RETURN NULL;
END $fn$;

-- Triggers first: CREATE TRIGGER locks out writers until this migration commits, so the backfill
-- below and the triggers together count every row exactly once.
CREATE TRIGGER stat_rollups_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS stat_new FOR EACH STATEMENT EXECUTE FUNCTION stat_rollups_events_inserted();
CREATE TRIGGER stat_rollups_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS stat_old FOR EACH STATEMENT EXECUTE FUNCTION stat_rollups_events_deleted();
CREATE TRIGGER stat_rollups_updated AFTER UPDATE OF type, provider, is_test, received_at ON events
  FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type OR OLD.provider IS DISTINCT FROM NEW.provider
    OR OLD.is_test IS DISTINCT FROM NEW.is_test OR OLD.received_at IS DISTINCT FROM NEW.received_at)
  EXECUTE FUNCTION stat_rollups_events_updated();

CREATE TRIGGER stat_rollups_inserted AFTER INSERT ON candidates
  REFERENCING NEW TABLE AS stat_new FOR EACH STATEMENT EXECUTE FUNCTION stat_rollups_candidates_inserted();
CREATE TRIGGER stat_rollups_deleted AFTER DELETE ON candidates
  REFERENCING OLD TABLE AS stat_old FOR EACH STATEMENT EXECUTE FUNCTION stat_rollups_candidates_deleted();
CREATE TRIGGER stat_rollups_updated AFTER UPDATE OF is_test, created_at ON candidates
  FOR EACH ROW WHEN (OLD.is_test IS DISTINCT FROM NEW.is_test OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION stat_rollups_candidates_updated();

CREATE TRIGGER stat_rollups_inserted AFTER INSERT ON deliveries
  REFERENCING NEW TABLE AS stat_new FOR EACH STATEMENT EXECUTE FUNCTION stat_rollups_deliveries_inserted();
CREATE TRIGGER stat_rollups_deleted AFTER DELETE ON deliveries
  REFERENCING OLD TABLE AS stat_old FOR EACH STATEMENT EXECUTE FUNCTION stat_rollups_deliveries_deleted();
CREATE TRIGGER stat_rollups_updated AFTER UPDATE OF is_test, received_at ON deliveries
  FOR EACH ROW WHEN (OLD.is_test IS DISTINCT FROM NEW.is_test OR OLD.received_at IS DISTINCT FROM NEW.received_at)
  EXECUTE FUNCTION stat_rollups_deliveries_updated();

-- Backfill: one folded row per group of what is already stored.
INSERT INTO stat_rollups (kind, day, provider, type, is_test, n, folded)
SELECT 'events', (received_at AT TIME ZONE 'UTC')::date, provider, type, is_test, count(*), true FROM events GROUP BY 2, 3, 4, 5;
INSERT INTO stat_rollups (kind, day, is_test, n, folded)
SELECT 'candidates', (created_at AT TIME ZONE 'UTC')::date, is_test, count(*), true FROM candidates GROUP BY 2, 3;
INSERT INTO stat_rollups (kind, day, is_test, n, folded)
SELECT 'deliveries', (received_at AT TIME ZONE 'UTC')::date, is_test, count(*), true FROM deliveries GROUP BY 2, 3;

-- Folds the deltas of every group that has any into that group's one folded row (dropping groups that
-- sum to zero), in one statement: the DELETE ... RETURNING feeds the INSERT, so a delta is either
-- folded or left for next time, never counted twice or lost. Deltas committed after this statement's
-- snapshot are not seen and stay as they are. Several instances may call it: the advisory lock lets
-- one fold while the others return at once (0) instead of waiting on the same rows.
CREATE FUNCTION compact_stat_rollups() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  folded_deltas bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('compact_stat_rollups')) THEN
    RETURN 0;
  END IF;
  WITH touched AS (
    SELECT DISTINCT kind, day, provider, type, is_test FROM stat_rollups WHERE NOT folded
  ), gone AS (
    DELETE FROM stat_rollups r USING touched t
    WHERE r.kind = t.kind AND r.day = t.day AND r.provider = t.provider AND r.type = t.type AND r.is_test = t.is_test
    RETURNING r.kind, r.day, r.provider, r.type, r.is_test, r.n, r.folded
  ), refold AS (
    INSERT INTO stat_rollups (kind, day, provider, type, is_test, n, folded)
    SELECT kind, day, provider, type, is_test, sum(n), true FROM gone
    GROUP BY kind, day, provider, type, is_test HAVING sum(n) <> 0
  )
  SELECT count(*) FILTER (WHERE NOT folded) INTO folded_deltas FROM gone;
  RETURN folded_deltas;
END $fn$;
