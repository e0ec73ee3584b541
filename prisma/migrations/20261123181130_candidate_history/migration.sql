-- AlterTable
ALTER TABLE "candidates" DROP COLUMN "merged_into_id",
ADD COLUMN     "merged_into_external_id" TEXT;

-- CreateTable
CREATE TABLE "event_stages" (
    "event_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "job_key" TEXT NOT NULL,
    "job_title" TEXT,
    "stage" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_stages_pkey" PRIMARY KEY ("event_id","job_key")
);

-- CreateTable
CREATE TABLE "candidate_stages" (
    "candidate_id" TEXT NOT NULL,
    "job_key" TEXT NOT NULL,
    "job_title" TEXT,
    "stage" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "candidate_stages_pkey" PRIMARY KEY ("candidate_id","job_key")
);

-- CreateIndex
CREATE INDEX "event_stages_candidate_id_job_key_occurred_at_received_at_e_idx" ON "event_stages"("candidate_id", "job_key", "occurred_at", "received_at", "event_id");

-- CreateIndex
CREATE INDEX "candidate_stages_stage_idx" ON "candidate_stages"("stage");

-- CreateIndex
CREATE INDEX "candidate_stages_job_title_idx" ON "candidate_stages"("job_title");

-- CreateIndex
CREATE INDEX "candidates_provider_merged_into_external_id_idx" ON "candidates"("provider", "merged_into_external_id");

-- AddForeignKey
ALTER TABLE "event_stages" ADD CONSTRAINT "event_stages_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate_stages" ADD CONSTRAINT "candidate_stages_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;
