-- Candidate search that grows with the result, not the table: substring, any case and accent-free
-- matching of names and emails served by a trigram index (pg_trgm), the accents folded by unaccent.
-- Both extensions are "trusted" (PostgreSQL 13+): the database owner can create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is STABLE (its dictionary could be changed), so an index cannot use it directly; this
-- wrapper names the dictionary and is declared IMMUTABLE, the documented way to index it. The query
-- side calls the same function (lib/db/candidate-filters.ts), so both fold identically.
CREATE OR REPLACE FUNCTION search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

CREATE INDEX candidates_search_trgm_idx ON candidates
  USING gin (search_fold(coalesce(name, '') || ' ' || coalesce(email, '')) gin_trgm_ops);
-- CreateIndex
CREATE INDEX "candidates_external_id_idx" ON "candidates"("external_id");
