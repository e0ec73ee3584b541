-- Pipeline analytics (issue 17): one job's applications and its stage observations in history order
-- per candidate, read from indexes alone (lib/db/analytics.ts). save_processing_outcomes is unchanged.

-- CreateIndex
CREATE INDEX "candidate_stages_job_key_idx" ON "candidate_stages"("job_key");

-- CreateIndex
CREATE INDEX "event_stages_job_key_candidate_id_occurred_at_received_at_e_idx" ON "event_stages"("job_key", "candidate_id", "occurred_at", "received_at", "event_id", "stage");
