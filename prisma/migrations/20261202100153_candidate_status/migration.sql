-- AlterTable
ALTER TABLE "candidate_stages" ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'active',
ADD COLUMN     "status_since" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "candidates" ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'active';

-- AlterTable
ALTER TABLE "event_stages" ADD COLUMN     "job_status" TEXT;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "job_status" TEXT,
ADD COLUMN     "stage_derived" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "candidates_status_last_event_at_id_idx" ON "candidates"("status", "last_event_at" DESC, "id" DESC);
