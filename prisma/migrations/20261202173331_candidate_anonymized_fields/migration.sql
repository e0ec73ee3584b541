-- AlterTable
ALTER TABLE "candidates" ADD COLUMN     "anonymized_fields" JSONB;

-- A normalized email is an address: a value without "@" (Greenhouse's anonymized "[anonymized]", a
-- placeholder, a name typed into the email field) is no email, so it links no one to anyone. The
-- same rule as lib/people/normalize.ts. The index over the function is rebuilt with it.
CREATE OR REPLACE FUNCTION normalize_email(p_email text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN position('@' IN k) > 0 THEN k END FROM (SELECT nullif(lower(btrim(p_email, E' \t\r\n')), '') AS k) n
$$;
REINDEX INDEX candidates_email_key_idx;
