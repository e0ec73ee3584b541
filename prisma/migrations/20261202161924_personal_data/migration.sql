-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "body_purge_reason" TEXT,
ADD COLUMN     "body_purged_at" TIMESTAMPTZ(3),
ADD COLUMN     "body_redacted_at" TIMESTAMPTZ(3),
ADD COLUMN     "body_size" INTEGER,
ADD COLUMN     "redacted_fields" JSONB;

-- CreateTable
CREATE TABLE "erasures" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "counts" JSONB NOT NULL,

    CONSTRAINT "erasures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "erased_keys" (
    "key_hash" TEXT NOT NULL,
    "erasure_id" TEXT NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "erased_keys_pkey" PRIMARY KEY ("key_hash","erasure_id")
);

-- CreateTable
CREATE TABLE "retention_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "raw_body_days" INTEGER,
    "event_days" INTEGER,
    "rejected_days" INTEGER NOT NULL DEFAULT 30,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "last_run_at" TIMESTAMPTZ(3),
    "last_run_counts" JSONB,

    CONSTRAINT "retention_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "erasures_at_idx" ON "erasures"("at" DESC);

-- CreateIndex
CREATE INDEX "endpoint_rejections_at_idx" ON "endpoint_rejections"("at");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

-- AddForeignKey
ALTER TABLE "erased_keys" ADD CONSTRAINT "erased_keys_erasure_id_fkey" FOREIGN KEY ("erasure_id") REFERENCES "erasures"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Called right after save_processing_outcomes in the same statement (lib/db/events.ts), i.e. after the
-- candidates' row locks are held: a statement of a VOLATILE function takes a fresh snapshot, so an
-- erasure committed while this batch waited on the candidate's lock is seen here, and the whole
-- statement (the saved events included) rolls back. p_keys: [{h: keyed hash, t: earliest occurred_at
-- of the batch's events of that candidate}]. An event that occurred before the erasure must not bring
-- the candidate back; one that occurred after it is a new history.
CREATE OR REPLACE FUNCTION refuse_erased_candidates(p_keys jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF EXISTS (
    SELECT 1 FROM jsonb_to_recordset(p_keys) AS k(h text, t timestamptz)
    JOIN erased_keys ek ON ek.key_hash = k.h AND ek.erased_at > k.t
  ) THEN
    RAISE EXCEPTION 'a candidate of this batch was erased' USING ERRCODE = 'PE001';
  END IF;
END
$fn$;


INSERT INTO retention_state (id, rejected_days) VALUES (1, 30) ON CONFLICT DO NOTHING;
