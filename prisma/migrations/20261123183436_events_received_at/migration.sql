-- CreateIndex
CREATE INDEX "events_received_at_idx" ON "events"("received_at");
