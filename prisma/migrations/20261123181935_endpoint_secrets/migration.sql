-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "previous_secret" TEXT,
ADD COLUMN     "previous_valid_until" TIMESTAMPTZ(3),
ADD COLUMN     "secret_hint" TEXT,
ADD COLUMN     "secret_rotated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "endpoint_rejections" (
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "status" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "endpoint_rejections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "endpoint_rejections_endpoint_id_at_idx" ON "endpoint_rejections"("endpoint_id", "at" DESC);

-- AddForeignKey
ALTER TABLE "endpoint_rejections" ADD CONSTRAINT "endpoint_rejections_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
