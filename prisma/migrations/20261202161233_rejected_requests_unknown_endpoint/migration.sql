-- AlterTable
ALTER TABLE "rejected_requests" ALTER COLUMN "endpoint_id" DROP NOT NULL,
ALTER COLUMN "provider" DROP NOT NULL;
