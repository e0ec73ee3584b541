-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "endpoints" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "rejected_count" INTEGER NOT NULL DEFAULT 0,
    "last_rejected_at" TIMESTAMPTZ(3),
    "last_reject_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "method" TEXT NOT NULL,
    "query" TEXT NOT NULL DEFAULT '',
    "headers" JSONB NOT NULL,
    "content_type" TEXT,
    "body" BYTEA NOT NULL,
    "body_sha256" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "idempotency_source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "event_type" TEXT,
    "schema_drift" JSONB,
    "duplicate_of_id" TEXT,
    "processed_at" TIMESTAMPTZ(3),
    "process_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "endpoint_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("endpoint_id","key")
);

-- CreateTable
CREATE TABLE "candidates" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "current_stage" TEXT,
    "current_job" TEXT,
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "merged_into_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "candidates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider_event" TEXT,
    "type_inferred" BOOLEAN NOT NULL DEFAULT false,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "candidate_name" TEXT,
    "candidate_email" TEXT,
    "job_id" TEXT,
    "job_title" TEXT,
    "application_id" TEXT,
    "stage_from" TEXT,
    "stage_to" TEXT,
    "actor" TEXT,
    "details" JSONB,
    "snapshot" JSONB,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deliveries_received_at_id_idx" ON "deliveries"("received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "deliveries_endpoint_id_received_at_id_idx" ON "deliveries"("endpoint_id", "received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "deliveries_status_received_at_id_idx" ON "deliveries"("status", "received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "candidates_last_event_at_id_idx" ON "candidates"("last_event_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "candidates_provider_external_id_key" ON "candidates"("provider", "external_id");

-- CreateIndex
CREATE INDEX "events_candidate_id_occurred_at_received_at_id_idx" ON "events"("candidate_id", "occurred_at" DESC, "received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "events_occurred_at_received_at_id_idx" ON "events"("occurred_at" DESC, "received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "events_provider_type_idx" ON "events"("provider", "type");

-- CreateIndex
CREATE UNIQUE INDEX "events_delivery_id_seq_key" ON "events"("delivery_id", "seq");

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
