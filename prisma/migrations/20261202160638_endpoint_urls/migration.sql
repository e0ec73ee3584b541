-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "url_rotated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "endpoint_urls" (
    "token" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_until" TIMESTAMPTZ(3),

    CONSTRAINT "endpoint_urls_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE INDEX "endpoint_urls_endpoint_id_idx" ON "endpoint_urls"("endpoint_id");

-- AddForeignKey
ALTER TABLE "endpoint_urls" ADD CONSTRAINT "endpoint_urls_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every endpoint's first URL token is its id: the URLs issued before rotation existed keep working.
INSERT INTO "endpoint_urls" ("token", "endpoint_id", "created_at")
  SELECT "id", "id", "created_at" FROM "endpoints";

-- Any insert into endpoints (the API, the demo, seeds and benches writing SQL) gets its first URL,
-- so there is no endpoint without one.
CREATE FUNCTION "endpoints_first_url"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "endpoint_urls" ("token", "endpoint_id", "created_at") VALUES (NEW.id, NEW.id, NEW.created_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER "endpoints_first_url" AFTER INSERT ON "endpoints"
  FOR EACH ROW EXECUTE FUNCTION "endpoints_first_url"();
