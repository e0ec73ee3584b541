/**
 * The PostgreSQL extensions the schema uses, as PGlite loads them: `pg_trgm` (trigram indexes that
 * serve substring search) and `unaccent` (accent-free matching of names). On a PostgreSQL server
 * both ship with the standard contrib package and are "trusted": the database's owner may create them.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PrismaPGlite } from "pglite-prisma-adapter";

export const pgliteExtensions = { pg_trgm, unaccent };

/**
 * A PGlite adapter factory for the schema engine's diffs: the adapter opens its shadow database as
 * a bare in-memory PGlite, where the migrations' CREATE EXTENSION would fail, so the shadow gets the
 * extensions too.
 */
export function pgliteWithExtensions(pglite: PGlite = new PGlite({ extensions: pgliteExtensions })): PrismaPGlite {
  const factory = new PrismaPGlite(pglite);
  factory.connectToShadowDb = () => new PrismaPGlite(new PGlite("memory://shadow", { extensions: pgliteExtensions })).connect();
  return factory;
}
