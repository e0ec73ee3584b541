-- CreateTable
CREATE TABLE "rejected_requests" (
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "status" INTEGER NOT NULL,
    "error" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "content_type" TEXT,
    "source" TEXT,
    "size" INTEGER NOT NULL,
    "headers" JSONB NOT NULL,
    "body" BYTEA,

    CONSTRAINT "rejected_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rejected_requests_endpoint_id_at_idx" ON "rejected_requests"("endpoint_id", "at" DESC);

-- CreateIndex
CREATE INDEX "rejected_requests_at_idx" ON "rejected_requests"("at" DESC);
