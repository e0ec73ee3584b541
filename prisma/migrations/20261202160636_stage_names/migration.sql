-- CreateTable
CREATE TABLE "stage_names" (
    "endpoint_id" TEXT NOT NULL,
    "stage_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stage_names_pkey" PRIMARY KEY ("endpoint_id","stage_id")
);

-- AddForeignKey
ALTER TABLE "stage_names" ADD CONSTRAINT "stage_names_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
