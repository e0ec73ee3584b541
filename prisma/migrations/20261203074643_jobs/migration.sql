-- CreateTable
CREATE TABLE "jobs" (
    "job_key" TEXT NOT NULL,
    "job_title" TEXT NOT NULL DEFAULT '',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("job_key","job_title")
);

-- The job filter's lookup table (schema.prisma, model Job; README "Performance" → scale bench).
-- candidate_stages is rewritten per candidate by the processing refresh (DELETE + INSERT), so an
-- INSERT statement trigger sees every pair; a title changed in place (no writer does that today) is
-- caught by the row trigger below. One insert per statement, of the pairs not there yet: a batch
-- whose jobs are all known costs one index probe per row. Pairs are never removed (see the model).
CREATE FUNCTION jobs_from_candidate_stages() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO jobs (job_key, job_title)
  SELECT DISTINCT n.job_key, coalesce(n.job_title, '') FROM jobs_new n
  WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_key = n.job_key AND j.job_title = coalesce(n.job_title, ''))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION jobs_from_candidate_stage_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO jobs (job_key, job_title) VALUES (NEW.job_key, coalesce(NEW.job_title, '')) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$fn$;

-- Triggers first (CREATE TRIGGER locks writers out until this migration commits), then the backfill.
CREATE TRIGGER jobs_inserted AFTER INSERT ON candidate_stages
  REFERENCING NEW TABLE AS jobs_new FOR EACH STATEMENT EXECUTE FUNCTION jobs_from_candidate_stages();
CREATE TRIGGER jobs_updated AFTER UPDATE OF job_key, job_title ON candidate_stages
  FOR EACH ROW WHEN (OLD.job_key IS DISTINCT FROM NEW.job_key OR OLD.job_title IS DISTINCT FROM NEW.job_title)
  EXECUTE FUNCTION jobs_from_candidate_stage_row();

INSERT INTO jobs (job_key, job_title)
SELECT DISTINCT job_key, coalesce(job_title, '') FROM candidate_stages
ON CONFLICT DO NOTHING;
