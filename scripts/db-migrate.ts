// Applies committed migrations to the configured database (DATABASE_URL, else PGlite in DATA_DIR).
import { migrateConfiguredDb } from "../lib/db/migrate-configured";

try {
  const applied = await migrateConfiguredDb();
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
  process.exit(0);
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
